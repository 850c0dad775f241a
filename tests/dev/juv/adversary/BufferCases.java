package dev.juv.adversary;

import static dev.juv.adversary.Kit.check;

import dev.juv.Fs;
import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.Stream;
import dev.juv.Tcp;
import dev.juv.Timer;
import dev.juv.Udp;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Buffers handed to read and receive callbacks: kept past the loop's close they throw
 * IllegalStateException on access (never touch freed memory); written anywhere (a stream or UDP
 * socket of this or another loop, a file through Fs) they deliver the bytes they held when the
 * callback ran, or the write throws.
 */
final class BufferCases {
    private BufferCases() {}

    private static final int CHUNKS = 200;
    private static final int CHUNK = 4000;

    static void register(Catalogue c) {
        c.add("kept-tcp-read-after-loop-close", "a TCP read callback's buffer kept past Loop.close(): get/put/bulk/slice throw ISE", 15,
                () -> keptAfterClose("tcp"));
        c.add("kept-pipe-read-after-loop-close", "a pipe read callback's buffer kept past Loop.close(): ISE on access", 15,
                () -> keptAfterClose("pipe"));
        c.add("kept-udp-recv-after-loop-close", "a UDP receive callback's buffer kept past Loop.close(): ISE on access", 15,
                () -> keptAfterClose("udp"));
        c.add("kept-read-after-close-other-thread", "a kept read buffer touched from another thread after Loop.close(): ISE", 15,
                () -> keptAfterClose("tcp-thread"));
        c.add("kept-read-written-after-loop-close", "a kept read buffer written to a stream of a new loop after the first closed: throws or sends the old bytes", 15,
                BufferCases::keptWrittenAfterClose);
        c.add("read-view-fs-write-async", "each TCP read buffer written to a file with asynchronous Fs.write: the file equals what was sent", 20,
                () -> readViewTo("fs"));
        c.add("read-view-other-loop-stream", "each read buffer of loop A written to a stream of loop B: B's peer gets exactly what A's peer sent", 20,
                () -> readViewTo("other-loop"));
        c.add("read-view-same-loop-other-stream", "each read buffer written to another stream of the same loop: exact bytes", 20,
                () -> readViewTo("same-loop"));
        c.add("read-view-echo-same-stream", "each read buffer echoed on its own stream: exact bytes", 20,
                () -> readViewTo("echo"));
        c.add("read-view-kept-written-later", "read buffers kept and written to another stream after the transfer: throws or the bytes of each callback", 20,
                () -> readViewTo("later"));
        c.add("read-view-fs-read-into", "asynchronous Fs.read into the read callback's buffer: refused, or the stream's data is not corrupted", 20,
                () -> readViewTo("fs-read"));
        c.add("udp-recv-view-resent", "each UDP receive buffer sent on with Udp.send (same loop): exact datagrams", 20,
                () -> udpResend(false));
        c.add("udp-recv-view-resent-other-loop", "each UDP receive buffer sent by a UDP socket of another loop: exact datagrams", 20,
                () -> udpResend(true));
    }

    static String keptAfterClose(String kind) throws Exception {
        Loop loop = new Loop();
        AtomicReference<ByteBuffer> kept = new AtomicReference<>();
        byte[] msg = "kept past its callback".getBytes();
        if (kind.equals("udp")) {
            Udp a = new Udp(loop);
            a.bind(Kit.LOOPBACK);
            a.startRecv((u, from, data, flags, err) -> {
                if (data != null) {
                    kept.set(data);
                }
            });
            new Udp(loop).send(a.localAddress(), msg);
        } else {
            Stream<?>[] p = kind.equals("pipe") ? Kit.pipePair(loop, Kit.tempDir()) : Kit.tcpPair(loop);
            p[0].startRead((s, data, err) -> {
                if (data != null) {
                    kept.set(data);
                }
            });
            p[1].write(msg);
        }
        check(Kit.runUntil(loop, () -> kept.get() != null, 3000), "nothing read");
        Kit.cleanUp(loop);
        ByteBuffer b = kept.get();
        List<String> bad = new ArrayList<>();
        Runnable all = () -> {
            Kit.expectIse(bad, "get(0)", () -> b.get(0));
            Kit.expectIse(bad, "put(0)", () -> b.put(0, (byte) 1));
            Kit.expectIse(bad, "bulk get", () -> b.duplicate().get(new byte[Math.max(1, b.remaining())]));
            Kit.expectIse(bad, "slice().get(0)", () -> b.slice().get(0));
            Kit.expectIse(bad, "bulk put", () -> b.duplicate().clear().put(new byte[1024]));
        };
        if (kind.endsWith("thread")) {
            Thread t = new Thread(all);
            t.start();
            t.join();
        } else {
            all.run();
        }
        // allocation churn: a write into freed memory shows up here
        for (int i = 0; i < 100; i++) {
            Loop l = new Loop();
            new Timer(l).start(h -> h.close(), 0, 0);
            l.run();
            l.close();
        }
        check(bad.isEmpty(), "kept buffer after Loop.close(): " + bad);
        return "ISE on every access";
    }


    static String keptWrittenAfterClose() throws Exception {
        Loop loop = new Loop();
        AtomicReference<ByteBuffer> kept = new AtomicReference<>();
        AtomicReference<byte[]> seen = new AtomicReference<>();
        Tcp[] p = Kit.tcpPair(loop);
        p[0].startRead((s, data, err) -> {
            if (data != null && kept.get() == null) {
                seen.set(Kit.bytes(data));
                kept.set(data);
            }
        });
        p[1].write(Kit.pattern(3000, 1));
        check(Kit.runUntil(loop, () -> kept.get() != null, 3000), "nothing read");
        Kit.cleanUp(loop);
        Loop b = new Loop();
        Tcp[] q = Kit.tcpPair(b);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Kit.collect(q[0], got);
        Throwable t = Kit.outcome("write of the kept buffer", () -> q[1].write(kept.get()), RuntimeException.class);
        if (t == null) {
            Kit.runUntil(b, () -> got.size() >= seen.get().length, 3000);
            check(Kit.same(seen.get(), got.toByteArray()), "the kept buffer sent other bytes: "
                    + Kit.firstDifference(seen.get(), got.toByteArray()));
        } else {
            check(t instanceof IllegalStateException || t instanceof IllegalArgumentException,
                    "the write threw " + t);
        }
        Kit.cleanUp(b);
        return t == null ? "sent the old bytes" : "refused: " + t;
    }

    /**
     * A peer sends CHUNKS distinct chunks to reader A; each read callback hands its buffer to
     * the mode's destination; the destination's copy must equal what was sent.
     */
    static String readViewTo(String mode) throws Exception {
        Loop a = new Loop();
        Loop b = mode.equals("other-loop") ? new Loop() : a;
        Tcp[] src = Kit.tcpPair(a);
        Tcp[] dst = mode.equals("fs") || mode.equals("fs-read") ? null : mode.equals("echo") ? null : Kit.tcpPair(b);
        byte[] sent = Kit.pattern(CHUNKS * CHUNK, 42);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        List<ByteBuffer> keptViews = new ArrayList<>();
        List<byte[]> keptCopies = new ArrayList<>();
        Path file = Kit.tempDir().resolve("out");
        int fd = Fs.open(file.toString(), Fs.O_RDWR | Fs.O_CREAT | Fs.O_TRUNC, 0600);
        Path zeros = Kit.tempDir().resolve("z");
        Files.write(zeros, new byte[65536]);
        int zfd = Fs.open(zeros.toString(), Fs.O_RDONLY, 0);
        long[] fileOffset = {0};
        int[] pendingFs = {0};
        List<String> refused = new ArrayList<>();
        if (dst != null) {
            // small socket buffers, so forwarded writes queue in libuv instead of leaving at once
            dst[1].setSendBufferSize(32768);
            dst[0].setRecvBufferSize(32768);
            Kit.collect(dst[0], forwarded);
        }
        Stream<?> reader = mode.equals("echo") ? src[1] : src[0];
        Stream<?> writer = mode.equals("echo") ? src[0] : src[1];
        if (mode.equals("echo")) {
            Kit.collect(src[0], forwarded);
        }
        reader.startRead((s, data, err) -> {
            if (data == null) {
                return;
            }
            byte[] copy = Kit.bytes(data);
            received.write(copy, 0, copy.length);
            switch (mode) {
                case "fs" -> {
                    pendingFs[0]++;
                    Fs.write(a, fd, data, fileOffset[0], (n, e) -> pendingFs[0]--);
                    fileOffset[0] += copy.length;
                }
                case "fs-read" -> {
                    try {
                        pendingFs[0]++;
                        Fs.read(a, zfd, data, 0, (n, e) -> pendingFs[0]--);
                    } catch (IllegalArgumentException | IllegalStateException | java.nio.ReadOnlyBufferException e) {
                        pendingFs[0]--;
                        refused.add(e.toString());
                    }
                }
                case "echo" -> s.write(data);
                case "later" -> {
                    keptViews.add(data);
                    keptCopies.add(copy);
                }
                default -> dst[1].write(data);
            }
        });
        // the peer writes chunk by chunk, so reads interleave with the forwarded writes
        int[] next = {0};
        Timer pump = new Timer(a);
        pump.start(h -> {
            for (int i = 0; i < 10 && next[0] < CHUNKS; i++, next[0]++) {
                writer.write(java.util.Arrays.copyOfRange(sent, next[0] * CHUNK, (next[0] + 1) * CHUNK));
            }
            if (next[0] == CHUNKS) {
                h.close();
            }
        }, 0, 1);
        check(Kit.runUntil(a, () -> received.size() >= sent.length && pendingFs[0] == 0, 10_000),
                "received " + received.size() + " of " + sent.length);
        check(Kit.same(sent, received.toByteArray()), "the reader itself saw other bytes: "
                + Kit.firstDifference(sent, received.toByteArray()));
        String detail;
        switch (mode) {
            case "fs" -> {
                byte[] onDisk = Files.readAllBytes(file);
                check(Kit.same(sent, onDisk), "the file differs from what was received: " + Kit.firstDifference(sent, onDisk));
                detail = "file exact";
            }
            case "fs-read" -> detail = refused.isEmpty() ? "accepted, stream intact" : "refused: " + refused.get(0);
            case "later" -> {
                int thrown = 0;
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                for (int i = 0; i < keptViews.size(); i++) {
                    try {
                        dst[1].write(keptViews.get(i));
                        expected.write(keptCopies.get(i), 0, keptCopies.get(i).length);
                    } catch (IllegalStateException | IllegalArgumentException e) {
                        thrown++;
                    }
                }
                byte[] exp = expected.toByteArray();
                Kit.runUntil(b, () -> forwarded.size() >= exp.length, 5000);
                check(Kit.same(exp, forwarded.toByteArray()), "kept buffers written later sent other bytes: "
                        + Kit.firstDifference(exp, forwarded.toByteArray()));
                detail = thrown + " of " + keptViews.size() + " writes refused, the rest exact";
            }
            default -> {
                if (b != a) {
                    Kit.runUntil(b, () -> forwarded.size() >= sent.length, 5000);
                } else {
                    Kit.runUntil(a, () -> forwarded.size() >= sent.length, 10_000);
                }
                check(Kit.same(sent, forwarded.toByteArray()), "the forwarded bytes differ: "
                        + Kit.firstDifference(sent, forwarded.toByteArray()));
                detail = "forwarded exact";
            }
        }
        Fs.close(fd);
        Fs.close(zfd);
        Kit.cleanUp(a);
        if (b != a) {
            Kit.cleanUp(b);
        }
        return detail;
    }

    static String udpResend(boolean otherLoop) throws Exception {
        Loop a = new Loop();
        Loop b = otherLoop ? new Loop() : a;
        Udp in = new Udp(a);
        in.bind(Kit.LOOPBACK);
        Udp out = new Udp(b, java.net.StandardProtocolFamily.INET);
        // a small send buffer, so forwarded datagrams queue in libuv instead of leaving at once
        out.setSendBufferSize(2048);
        Udp sink = new Udp(b);
        sink.bind(Kit.LOOPBACK);
        InetSocketAddress sinkAddr = sink.localAddress();
        List<byte[]> forwarded = new ArrayList<>();
        sink.startRecv((u, from, data, flags, err) -> {
            if (data != null) {
                forwarded.add(Kit.bytes(data));
            }
        });
        List<byte[]> received = new ArrayList<>();
        in.startRecv((u, from, data, flags, err) -> {
            if (data != null) {
                received.add(Kit.bytes(data));
                out.send(sinkAddr, data, (x, e) -> {});
            }
        });
        Udp sender = new Udp(a);
        int n = 100;
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] d = Kit.pattern(512 + i, i);
            sent.add(d);
            sender.send(in.localAddress(), d);
        }
        Kit.runUntil(a, () -> received.size() >= n, 5000);
        Kit.runUntil(b, () -> forwarded.size() >= received.size(), 5000);
        check(received.size() > n / 2, "only " + received.size() + " of " + n + " datagrams arrived on loopback");
        List<String> mismatch = new ArrayList<>();
        for (int i = 0; i < Math.min(received.size(), forwarded.size()); i++) {
            if (!Kit.same(received.get(i), forwarded.get(i))) {
                mismatch.add("datagram " + i);
            }
        }
        check(forwarded.size() == received.size(), received.size() + " received, " + forwarded.size() + " forwarded");
        check(mismatch.isEmpty(), "forwarded datagrams differ from what was received: " + mismatch);
        Kit.cleanUp(a);
        if (b != a) {
            Kit.cleanUp(b);
        }
        return received.size() + " datagrams exact";
    }
}
