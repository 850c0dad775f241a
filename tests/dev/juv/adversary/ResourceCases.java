package dev.juv.adversary;

import static dev.juv.adversary.Kit.check;

import dev.juv.ChildProcess;
import dev.juv.Dir;
import dev.juv.Dns;
import dev.juv.Fs;
import dev.juv.FsEvent;
import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.ProcessOptions;
import dev.juv.Request;
import dev.juv.Signal;
import dev.juv.Stdio;
import dev.juv.Sys;
import dev.juv.Tcp;
import dev.juv.Udp;
import dev.juv.UvException;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sizes and exhaustion reachable from the public API: huge lengths (refused or completed, the
 * loop stays closable, nothing leaks), the Java heap exhausted while a request's result is
 * delivered (the request is released, its descriptor closed, the loop closable), descriptors
 * exhausted (every failure gives back what it took), and child processes closed early (no
 * zombie).
 */
final class ResourceCases {
    private ResourceCases() {}

    static final List<String> SMALL_HEAP = List.of("-Xmx32m");

    static void register(Catalogue c) {
        c.add("random-max-async", "Sys.random(loop, Integer.MAX_VALUE, cb): refused or completes; the loop closes; native memory comes back", 40,
                ResourceCases::randomMaxAsync);
        c.add("random-max-sync", "Sys.random(Integer.MAX_VALUE): refused or completes; native memory comes back", 30,
                ResourceCases::randomMaxSync);
        c.add("random-large-cancelled", "a random request of the largest length (64 MiB) cancelled at once: ECANCELED or completes; the loop closes", 25,
                ResourceCases::randomCancel);
        c.add("opendir-max-entries-sync", "Fs.opendir(path, Integer.MAX_VALUE) 50 times: no descriptor leaks", 15,
                () -> opendirMax(false));
        c.add("opendir-max-entries-async", "asynchronous Fs.opendir(loop, path, Integer.MAX_VALUE) 50 times: no descriptor leaks", 15,
                () -> opendirMax(true));
        c.add("fs-read-max-length", "Fs.read(fd, Integer.MAX_VALUE, 0), sync and async, of a small file: the file's bytes or a refusal; no native leak", 20,
                ResourceCases::readMax);
        oom(c, "fs-open", "Fs.open");
        oom(c, "mkstemp", "Fs.mkstemp");
        oom(c, "opendir", "Fs.opendir");
        oom(c, "scandir", "Fs.scandir");
        oom(c, "random", "Sys.random (1 MiB)");
        oom(c, "read", "Fs.read (1 MiB)");
        oom(c, "getaddrinfo", "Dns.getaddrinfo");
        oom(c, "accept", "a connection accepted in the listen callback");
        c.add("emfile-new-loop", "new Loop() with 0..8 descriptors free: each succeeds or throws, and no descriptor leaks", 20,
                () -> emfile("loop"));
        c.add("emfile-handles", "sockets, a signal pipe, inotify, spawn pipes and opendir with 0..8 descriptors free: no leak, the loop closes", 20,
                () -> emfile("handles"));
        c.add("emfile-accept", "connections arriving while descriptors are exhausted: the server keeps serving once they are back", 20,
                ResourceCases::emfileAccept);
        c.add("writev-100k-buffers", "Stream.write of 100,000 buffers: sent exactly or refused; no native leak", 20,
                ResourceCases::hugeWritev);
        c.add("udp-send-100k-buffers", "Udp.send of 100,000 buffers: refused or sent, never a crash; no native leak", 15,
                ResourceCases::hugeUdp);
        c.add("spawn-huge-argv", "spawn with 64 MiB of arguments: E2BIG or similar, no handle left, no leak", 20,
                ResourceCases::hugeArgv);
        c.add("socket-buffer-size-max", "setSendBufferSize/setRecvBufferSize(Integer.MAX_VALUE): accepted or UvException", 15,
                ResourceCases::bufferSizes);
        c.add("child-close-before-exit", "ChildProcess.close() before the child exits: no zombie once it has exited", 15,
                () -> childClose(false));
        c.add("child-close-then-loop-close", "ChildProcess.close() and Loop.close() before the child exits: no zombie", 15,
                () -> childClose(true));
    }

    static String randomMaxAsync() {
        long native0 = Sys.nativeBytesInUse();
        Loop loop = new Loop();
        boolean[] done = {false};
        Throwable t = Kit.outcome("Sys.random(loop, MAX)", () -> Sys.random(loop, Integer.MAX_VALUE, (b, e) -> done[0] = true),
                IllegalArgumentException.class, UvException.class, OutOfMemoryError.class);
        List<String> rethrown = new ArrayList<>();
        long end = System.nanoTime() + 15_000_000_000L;
        while (t == null && !done[0] && System.nanoTime() < end) {
            try {
                Kit.runBounded(loop, 1000);
            } catch (OutOfMemoryError | RuntimeException e) {
                rethrown.add(e.toString());
            }
            if (!rethrown.isEmpty()) {
                break;
            }
        }
        check(t != null || done[0] || !rethrown.isEmpty(), "the callback of Sys.random(loop, MAX) never ran in 15 s");
        Kit.cleanUp(loop);
        long native1 = Sys.nativeBytesInUse();
        check(native1 <= native0, "native bytes " + native0 + " before, " + native1 + " after");
        return t != null ? "refused: " + t : done[0] ? "completed" : "run() rethrew " + rethrown;
    }

    static String randomMaxSync() {
        long native0 = Sys.nativeBytesInUse();
        Throwable t = Kit.outcome("Sys.random(MAX)", () -> Sys.random(Integer.MAX_VALUE), IllegalArgumentException.class,
                UvException.class, OutOfMemoryError.class);
        long native1 = Sys.nativeBytesInUse();
        check(native1 <= native0, "native bytes " + native0 + " before, " + native1 + " after");
        return t == null ? "completed" : "refused: " + t;
    }

    static String randomCancel() {
        Loop loop = new Loop();
        String[] outcome = {null};
        Request r = Sys.random(loop, Sys.MAX_RANDOM_LENGTH, (b, e) -> outcome[0] = e == null ? "completed" : e.name());
        boolean cancelled = r.cancel();
        long end = System.nanoTime() + 15_000_000_000L;
        while (outcome[0] == null && System.nanoTime() < end) {
            try {
                Kit.runBounded(loop, 1000);
            } catch (OutOfMemoryError e) {
                outcome[0] = "run() rethrew " + e;
            }
        }
        check(outcome[0] != null, "the cancelled random request never called back");
        Kit.cleanUp(loop);
        return "cancel() " + cancelled + ", " + outcome[0];
    }

    static String opendirMax(boolean async) throws Exception {
        Path dir = Kit.tempDir();
        Files.writeString(dir.resolve("a"), "a");
        Loop loop = async ? new Loop() : null;
        Dir warm = Fs.opendir(dir.toString());
        Fs.closedir(warm);
        int before = Kit.fds();
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            if (async) {
                Dir[] d = {null};
                boolean[] done = {false};
                Throwable t = Kit.outcome("opendir async", () -> Fs.opendir(loop, dir.toString(), Integer.MAX_VALUE, (x, e) -> {
                    d[0] = x;
                    done[0] = true;
                }), IllegalArgumentException.class, UvException.class, OutOfMemoryError.class);
                if (t == null) {
                    try {
                        Kit.runUntil(loop, () -> done[0], 3000);
                    } catch (OutOfMemoryError e) {
                        t = e;
                    }
                }
                if (d[0] != null) {
                    Fs.closedir(d[0]);
                }
                outcomes.add(t == null ? (d[0] == null ? "error" : "dir") : t.getClass().getSimpleName());
            } else {
                Dir[] d = {null};
                Throwable t = Kit.outcome("opendir", () -> d[0] = Fs.opendir(dir.toString(), Integer.MAX_VALUE),
                        IllegalArgumentException.class, UvException.class, OutOfMemoryError.class);
                if (d[0] != null) {
                    Fs.closedir(d[0]);
                }
                outcomes.add(t == null ? "dir" : t.getClass().getSimpleName());
            }
        }
        if (loop != null) {
            Kit.cleanUp(loop);
        }
        int after = Kit.fds();
        check(after <= before, "descriptors: " + before + " before 50 calls, " + after + " after (" + outcomes.get(0) + ")");
        return "50 x " + outcomes.get(0);
    }

    static String readMax() throws Exception {
        Path f = Kit.tempDir().resolve("small");
        Files.write(f, Kit.pattern(1000, 5));
        int fd = Fs.open(f.toString(), Fs.O_RDONLY, 0);
        long native0 = Sys.nativeBytesInUse();
        byte[][] sync = {null};
        Throwable t = Kit.outcome("Fs.read(fd, MAX, 0)", () -> sync[0] = Fs.read(fd, Integer.MAX_VALUE, 0),
                IllegalArgumentException.class, UvException.class, OutOfMemoryError.class);
        if (sync[0] != null) {
            check(Kit.same(Kit.pattern(1000, 5), sync[0]), "sync read returned other bytes: " + sync[0].length);
        }
        Loop loop = new Loop();
        byte[][] async = {null};
        boolean[] done = {false};
        Throwable ta = Kit.outcome("Fs.read(loop, fd, MAX, 0)", () -> Fs.read(loop, fd, Integer.MAX_VALUE, 0, (b, e) -> {
            async[0] = b;
            done[0] = true;
        }), IllegalArgumentException.class, UvException.class, OutOfMemoryError.class);
        if (ta == null) {
            try {
                Kit.runUntil(loop, () -> done[0], 10_000);
            } catch (OutOfMemoryError e) {
                ta = e;
            }
        }
        if (async[0] != null) {
            check(Kit.same(Kit.pattern(1000, 5), async[0]), "async read returned other bytes: " + async[0].length);
        }
        Kit.cleanUp(loop);
        Fs.close(fd);
        long native1 = Sys.nativeBytesInUse();
        check(native1 <= native0, "native bytes " + native0 + " before, " + native1 + " after");
        return "sync " + (t == null ? "read" : t) + ", async " + (ta == null ? (done[0] ? "read" : "no callback") : ta);
    }

    private static void oom(Catalogue c, String kind, String what) {
        c.add("oom-in-" + kind + "-callback", "Java heap exhausted while " + what + " delivers its result: the request is released, its"
                + " descriptor closed, native memory back, the loop closes", 20, 10_000, SMALL_HEAP, () -> oomIn(kind));
    }

    private static List<Object> fill() {
        List<Object> l = new ArrayList<>();
        try {
            while (true) {
                l.add(new long[8192]);
            }
        } catch (OutOfMemoryError e) {
            // the heap is full of large blocks
        }
        try {
            while (true) {
                l.add(new long[4]);
            }
        } catch (OutOfMemoryError e) {
            // and of small ones
        }
        return l;
    }

    static String oomIn(String kind) throws Exception {
        Path dir = Kit.tempDir();
        Path file = dir.resolve("data");
        Files.write(file, new byte[1 << 20]);
        for (int i = 0; i < 50; i++) {
            Files.writeString(dir.resolve("e" + i), "x");
        }
        Loop loop = new Loop();
        // warm every path once with memory to spare, so classes are loaded
        Object[] result = {null};
        arm(kind, loop, dir, file, result);
        Kit.runBounded(loop, 3000);
        release(result[0]);
        result[0] = null;
        int fds0 = Kit.fds();
        long native0 = Sys.nativeBytesInUse();
        arm(kind, loop, dir, file, result);
        Kit.sleep(100);
        List<Object> ballast = fill();
        String outcome;
        try {
            loop.run();
            outcome = "ran";
        } catch (OutOfMemoryError e) {
            outcome = "OOM";
        } catch (Throwable t) {
            outcome = "threw";
        }
        ballast.clear();
        ballast = null;
        System.gc();
        String notes = "";
        try {
            Kit.runBounded(loop, 2000);
        } catch (Throwable t) {
            notes = "second run threw " + t;
        }
        release(result[0]);
        String cleaned = Kit.cleanUp(loop);
        int fds1 = Kit.fds();
        long native1 = Sys.nativeBytesInUse();
        check(fds1 <= fds0, "descriptors " + fds0 + " before, " + fds1 + " after (" + outcome + ")");
        check(native1 <= native0 || native1 - native0 < 0, "native bytes " + native0 + " before, " + native1 + " after (" + outcome + ")");
        return outcome + (result[0] == null ? ", no result" : ", result delivered") + " " + notes + cleaned;
    }

    /** Starts one request of {@code kind}; its result lands in {@code out[0]}. */
    private static void arm(String kind, Loop loop, Path dir, Path file, Object[] out) throws Exception {
        switch (kind) {
            case "fs-open" -> Fs.open(loop, file.toString(), Fs.O_RDONLY, 0, (fd, e) -> out[0] = fd);
            case "mkstemp" -> Fs.mkstemp(loop, dir.resolve("tmpXXXXXX").toString(), (t, e) -> out[0] = t);
            case "opendir" -> Fs.opendir(loop, dir.toString(), (d, e) -> out[0] = d);
            case "scandir" -> Fs.scandir(loop, dir.toString(), (l, e) -> out[0] = l);
            case "random" -> Sys.random(loop, 1 << 20, (b, e) -> out[0] = b);
            case "read" -> {
                int fd = Fs.open(file.toString(), Fs.O_RDONLY, 0);
                Fs.read(loop, fd, 1 << 20, 0, (b, e) -> out[0] = b);
                out[0] = Integer.valueOf(-1 - fd);
            }
            case "getaddrinfo" -> Dns.getaddrinfo(loop, "localhost", null, (l, e) -> out[0] = l);
            case "accept" -> {
                Tcp server = new Tcp(loop);
                server.bind(Kit.LOOPBACK);
                server.listen(4, (s, e) -> {
                    Tcp in = new Tcp(loop);
                    s.accept(in);
                    out[0] = in;
                    s.close();
                });
                Tcp client = new Tcp(loop);
                client.connect(server.localAddress(), (x, e) -> x.close());
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    private static void release(Object r) {
        if (r instanceof Integer fd) {
            Fs.close(fd < 0 ? -1 - fd : fd);
        } else if (r instanceof Fs.TempFile t) {
            Fs.close(t.fd());
        } else if (r instanceof Dir d) {
            Fs.closedir(d);
        } else if (r instanceof Tcp t && !t.isClosing()) {
            t.close();
        }
    }

    // ---- descriptors exhausted ----

    private static List<Integer> exhaust() {
        List<Integer> fillers = new ArrayList<>();
        while (true) {
            try {
                fillers.add(Fs.open("/dev/null", Fs.O_RDONLY, 0));
            } catch (UvException e) {
                check(e.name().equals("EMFILE") || e.name().equals("ENFILE"), "filling descriptors: " + e);
                return fillers;
            }
        }
    }

    private static void free(List<Integer> fillers, int n) {
        for (int i = 0; i < n && !fillers.isEmpty(); i++) {
            Fs.close(fillers.remove(fillers.size() - 1));
        }
    }

    static String emfile(String what) throws Exception {
        Path dir = Kit.tempDir();
        Kit.warmErrorPaths();
        Loop loop = new Loop();
        // warm: every operation once with descriptors to spare
        List<String> warm = new ArrayList<>();
        attempt(what, loop, dir, warm);
        Kit.runBounded(loop, 1000);
        int fds0 = Kit.fds();
        List<Integer> fillers = exhaust();
        List<String> outcomes = new ArrayList<>();
        try {
            for (int k = 0; k <= 8; k++) {
                attempt(what, loop, dir, outcomes);
                Kit.runBounded(loop, 200);
                free(fillers, 1);
            }
        } finally {
            free(fillers, fillers.size());
        }
        String notes = Kit.cleanUp(loop);
        int fds1 = Kit.fds();
        check(fds1 <= fds0, "descriptors " + fds0 + " before, " + fds1 + " after: " + outcomes);
        return outcomes.size() + " attempts " + notes;
    }

    private static void attempt(String what, Loop loop, Path dir, List<String> outcomes) {
        if (what.equals("loop")) {
            try {
                Loop l = new Loop();
                l.close();
                outcomes.add("ok");
            } catch (UvException | IllegalStateException e) {
                outcomes.add(e.getClass().getSimpleName());
            }
            return;
        }
        Kit.Action[] ops = {
            () -> new Tcp(loop, StandardProtocolFamily.INET).close(),
            () -> new Udp(loop, StandardProtocolFamily.INET).close(),
            () -> {
                Loop l = new Loop();
                try {
                    Signal s = new Signal(l);
                    try {
                        s.start((h, n) -> {}, Signal.SIGUSR1);
                    } finally {
                        s.close();
                        Kit.runBounded(l, 100);
                    }
                } finally {
                    Kit.cleanUp(l);
                }
            },
            () -> {
                FsEvent e = new FsEvent(loop);
                try {
                    e.start(dir.toString(), 0, (h, f, ev, err) -> {});
                } finally {
                    e.close();
                }
            },
            () -> {
                Pipe p = new Pipe(loop);
                try {
                    ChildProcess.spawn(loop, ProcessOptions.command("true").stdio(Stdio.pipe(p, Stdio.WRITABLE)),
                            (c, s, g) -> c.close());
                } finally {
                    p.close();
                }
            },
            () -> Fs.closedir(Fs.opendir(dir.toString())),
            () -> Fs.close(Fs.mkstemp(dir.resolve("tXXXXXX").toString()).fd()),
        };
        for (Kit.Action op : ops) {
            try {
                op.run();
                outcomes.add("ok");
            } catch (UvException | IllegalStateException e) {
                outcomes.add(e.getClass().getSimpleName());
            } catch (Exception e) {
                throw new Violation("under EMFILE: " + e, e);
            }
        }
    }

    static String emfileAccept() throws Exception {
        Kit.warmErrorPaths();
        Loop loop = new Loop();
        Tcp server = new Tcp(loop);
        server.bind(Kit.LOOPBACK);
        int[] accepted = {0};
        List<Tcp> conns = new ArrayList<>();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        server.listen(64, (s, e) -> {
            if (e != null) {
                return;
            }
            Tcp in;
            try {
                in = new Tcp(loop);
            } catch (RuntimeException ex) {
                return;
            }
            try {
                s.accept(in);
                accepted[0]++;
                conns.add(in);
                Kit.collect(in, got);
            } catch (UvException ex) {
                in.close();
            }
        });
        InetSocketAddress addr = server.localAddress();
        List<SocketChannel> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SocketChannel ch = SocketChannel.open();
            clients.add(ch);
        }
        Kit.runBounded(loop, 50);
        List<Integer> fillers = exhaust();
        try {
            for (int i = 0; i < 3; i++) {
                clients.get(i).connect(addr);
            }
            Kit.runBounded(loop, 300);
        } finally {
            free(fillers, fillers.size());
        }
        int during = accepted[0];
        SocketChannel last = clients.get(3);
        last.connect(addr);
        last.write(ByteBuffer.wrap("after".getBytes()));
        check(Kit.runUntil(loop, () -> got.toString().contains("after"), 5000),
                "the server does not serve once descriptors are back (accepted " + accepted[0] + ")");
        for (SocketChannel ch : clients) {
            ch.close();
        }
        Kit.cleanUp(loop);
        return during + " accepted while exhausted, then served";
    }

    static String hugeWritev() throws Exception {
        long native0 = Sys.nativeBytesInUse();
        Loop loop = new Loop();
        Tcp[] p = Kit.tcpPair(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Kit.collect(p[0], got);
        int n = 100_000;
        ByteBuffer[] bufs = new ByteBuffer[n];
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            byte[] b = {(byte) i, (byte) (i >> 8), (byte) (i >> 16)};
            bufs[i] = ByteBuffer.wrap(b);
            expected.write(b, 0, 3);
        }
        String[] result = {null};
        Throwable t = Kit.outcome("write of 100k buffers", () -> p[1].write(bufs, (s, e) -> result[0] = e == null ? "ok" : e.name()),
                IllegalArgumentException.class, UvException.class, OutOfMemoryError.class);
        if (t == null) {
            check(Kit.runUntil(loop, () -> result[0] != null && (!result[0].equals("ok") || got.size() >= 3 * n), 10_000),
                    "the write did not complete: " + result[0] + ", " + got.size() + " bytes");
            if (result[0].equals("ok")) {
                check(Kit.same(expected.toByteArray(), got.toByteArray()), "bytes differ: "
                        + Kit.firstDifference(expected.toByteArray(), got.toByteArray()));
            }
        }
        Kit.cleanUp(loop);
        long native1 = Sys.nativeBytesInUse();
        check(native1 <= native0, "native bytes " + native0 + " before, " + native1 + " after");
        return t == null ? "write " + result[0] : "refused: " + t;
    }

    static String hugeUdp() throws Exception {
        long native0 = Sys.nativeBytesInUse();
        Loop loop = new Loop();
        Udp in = new Udp(loop);
        in.bind(Kit.LOOPBACK);
        Udp out = new Udp(loop);
        ByteBuffer[] bufs = new ByteBuffer[100_000];
        for (int i = 0; i < bufs.length; i++) {
            bufs[i] = ByteBuffer.wrap(new byte[] {1});
        }
        String[] result = {null};
        Throwable t = Kit.outcome("send of 100k buffers", () -> out.send(in.localAddress(), bufs, (u, e) -> result[0] = e == null ? "ok" : e.name()),
                IllegalArgumentException.class, UvException.class, OutOfMemoryError.class);
        if (t == null) {
            Kit.runUntil(loop, () -> result[0] != null, 5000);
            check(result[0] != null, "the send never called back");
        }
        Kit.cleanUp(loop);
        long native1 = Sys.nativeBytesInUse();
        check(native1 <= native0, "native bytes " + native0 + " before, " + native1 + " after");
        return t == null ? "send " + result[0] : "refused: " + t;
    }

    static String hugeArgv() throws Exception {
        long native0 = Sys.nativeBytesInUse();
        Loop loop = new Loop();
        List<String> args = new ArrayList<>();
        args.add("true");
        String chunk = "x".repeat(65536);
        for (int i = 0; i < 1024; i++) {
            args.add(chunk);
        }
        boolean[] exited = {false};
        Throwable t = Kit.outcome("spawn with 64 MiB of arguments", () -> ChildProcess.spawn(loop,
                ProcessOptions.command(args.toArray(String[]::new)), (p, s, g) -> {
                    exited[0] = true;
                    p.close();
                }), UvException.class, IllegalArgumentException.class, OutOfMemoryError.class);
        if (t == null) {
            Kit.runUntil(loop, () -> exited[0], 5000);
        }
        check(loop.handles().isEmpty() || t == null, "a failed spawn left handles: " + loop.handles());
        Kit.cleanUp(loop);
        long native1 = Sys.nativeBytesInUse();
        check(native1 <= native0, "native bytes " + native0 + " before, " + native1 + " after");
        return t == null ? "spawned" : "refused: " + t;
    }

    static String bufferSizes() {
        Loop loop = new Loop();
        Tcp[] p = Kit.tcpPair(loop);
        Udp u = new Udp(loop, StandardProtocolFamily.INET);
        List<String> seen = new ArrayList<>();
        for (dev.juv.Handle h : new dev.juv.Handle[] {p[0], u}) {
            Throwable a = Kit.outcome("setSendBufferSize(MAX)", () -> h.setSendBufferSize(Integer.MAX_VALUE), UvException.class);
            Throwable b = Kit.outcome("setRecvBufferSize(MAX)", () -> h.setRecvBufferSize(Integer.MAX_VALUE), UvException.class);
            seen.add((a == null ? "ok" : "E") + "/" + (b == null ? "ok" : "E") + " " + h.sendBufferSize() + "/" + h.recvBufferSize());
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Kit.collect(p[0], got);
        p[1].write(new byte[] {1, 2});
        check(Kit.runUntil(loop, () -> got.size() == 2, 3000), "the connection stopped working");
        Kit.cleanUp(loop);
        return seen.toString();
    }

    static String childClose(boolean loopToo) throws Exception {
        Loop loop = new Loop();
        List<Integer> pids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("sleep", "0.3"), (x, s, g) -> {});
            pids.add(p.pid());
            p.close();
        }
        Kit.runBounded(loop, 100);
        if (loopToo) {
            Kit.cleanUp(loop);
        }
        Kit.sleep(1200);
        if (!loopToo) {
            Kit.runBounded(loop, 500);
        }
        List<Long> z = Kit.zombies();
        if (!loopToo) {
            Kit.cleanUp(loop);
        }
        check(z.isEmpty(), "zombie children " + z + " of " + pids);
        return "no zombie among " + pids;
    }
}
