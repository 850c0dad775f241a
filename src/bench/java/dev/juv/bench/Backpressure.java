package dev.juv.bench;

import dev.juv.Errno;
import dev.juv.Loop;
import dev.juv.Stream;
import dev.juv.Tcp;
import dev.juv.Timer;
import dev.juv.UvException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Backpressure (R-L8 in the README's Reliability table): {@code streams} TCP connections on one loop each pump
 * {@code MiB} of a known pattern through an echo server on the same loop and check every byte
 * that comes back. Both sides watch {@link Stream#writeQueueSize()}: a writer stops queueing
 * above 1 MiB and resumes from its write callback; the echo side stops reading while its queue
 * is above 4 MiB. Meant to run with a small heap ({@code -Xmx256m}): the queued bytes are
 * native, and bounded. Prints one RESULT line; exit status 0 when every stream got back
 * exactly what it sent. Gives up after 300 s.
 *
 * <pre>Backpressure [streams=8] [MiB-per-stream=64]</pre>
 */
public final class Backpressure {
    private Backpressure() {}

    private static final int CHUNK = 64 * 1024;
    private static final long WRITER_HIGH = 1 << 20;
    private static final long ECHO_HIGH = 4 << 20;
    private static final long ECHO_LOW = 1 << 20;
    private static final ByteBuffer PATTERN = ByteBuffer.allocateDirect(CHUNK + 256);
    private static final byte[] TABLE = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            TABLE[i] = (byte) (i * 31 + 7);
        }
        for (int i = 0; i < PATTERN.capacity(); i++) {
            PATTERN.put(i, TABLE[i & 255]);
        }
    }

    private static long maxWriterQueue;
    private static long maxEchoQueue;
    private static long errors;
    private static long pauses;

    /** The client end of one stream. */
    private static final class Pumper {
        final Tcp tcp;
        final long total;
        long sent;
        long received;
        long mismatches;
        boolean shutdownSent;
        boolean done;

        Pumper(Tcp tcp, long total) {
            this.tcp = tcp;
            this.total = total;
        }

        void pump() {
            while (sent < total && !tcp.isClosing() && tcp.writeQueueSize() < WRITER_HIGH) {
                int len = (int) Math.min(CHUNK, total - sent);
                int from = (int) (sent & 255);
                tcp.write(PATTERN.slice(from, len), (s, e) -> {
                    if (e != null) {
                        errors++;
                        return;
                    }
                    pump();
                });
                sent += len;
                maxWriterQueue = Math.max(maxWriterQueue, tcp.writeQueueSize());
            }
            if (sent == total && !shutdownSent && !tcp.isClosing()) {
                shutdownSent = true;
                tcp.shutdown((s, e) -> {
                    if (e != null) {
                        errors++;
                    }
                });
            }
        }

        void onRead(ByteBuffer data) {
            int n = data.remaining();
            int p = data.position();
            for (int i = 0; i < n; i++) {
                if (data.get(p + i) != TABLE[(int) ((received + i) & 255)]) {
                    mismatches++;
                    break;
                }
            }
            received += n;
        }
    }

    public static void main(String[] args) {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 64;
        long total = mib << 20;
        Pumper[] pumpers = new Pumper[streams];
        long start = System.nanoTime();
        boolean[] timedOut = {false};
        try (Loop loop = new Loop()) {
            Tcp server = new Tcp(loop);
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.listen(128, (srv, error) -> {
                if (error != null) {
                    errors++;
                    return;
                }
                Tcp peer = new Tcp(loop);
                srv.accept(peer);
                echo(peer);
            });
            int port = server.localAddress().getPort();
            int[] finished = {0};
            Timer deadline = new Timer(loop);
            deadline.start(t -> {
                timedOut[0] = true;
                for (var h : loop.handles()) {
                    h.close();
                }
            }, 300_000, 0);
            deadline.unref();
            for (int i = 0; i < streams; i++) {
                Tcp c = new Tcp(loop);
                Pumper p = new Pumper(c, total);
                pumpers[i] = p;
                c.connect(new InetSocketAddress("127.0.0.1", port), (s, error) -> {
                    if (error != null) {
                        errors++;
                        c.close();
                        return;
                    }
                    c.startRead((r, data, e) -> {
                        if (data == null) {
                            if (e.code() != Errno.EOF) {
                                System.err.println("pump: " + e.getMessage());
                                errors++;
                            }
                            p.done = true;
                            c.close();
                            if (++finished[0] == streams) {
                                server.close();
                                deadline.close();
                            }
                            return;
                        }
                        p.onRead(data);
                    });
                    p.pump();
                });
            }
            loop.run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes = 0;
        long mismatches = 0;
        boolean equal = true;
        for (Pumper p : pumpers) {
            bytes += p.received;
            mismatches += p.mismatches;
            equal &= p.done && p.sent == total && p.received == total;
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        boolean ok = equal && mismatches == 0 && errors == 0 && !timedOut[0];
        System.out.println(String.format(Locale.ROOT, "RESULT mode=backpressure streams=%d bytes_per_stream=%d"
                + " bytes_echoed=%d seconds=%.3f mib_per_s=%.0f max_writer_queue=%d max_echo_queue=%d echo_pauses=%d"
                + " mismatches=%d errors=%d timed_out=%d heap_max=%d heap_used_after=%d ok=%d", streams, total, bytes,
                seconds, bytes / seconds / (1 << 20), maxWriterQueue, maxEchoQueue, pauses, mismatches, errors,
                timedOut[0] ? 1 : 0, rt.maxMemory(), rt.totalMemory() - rt.freeMemory(), ok ? 1 : 0));
        System.exit(ok ? 0 : 1);
    }

    /** Echoes {@code peer}, reading only while its write queue is below the high mark. */
    private static void echo(Tcp peer) {
        Stream.ReadCallback<Tcp> onRead = new Stream.ReadCallback<>() {
            private boolean paused;

            @Override
            public void call(Tcp s, ByteBuffer data, UvException error) {
                if (data == null) {
                    paused = false;
                    // everything queued is written before the FIN
                    if (error.code() != Errno.EOF) {
                        System.err.println("echo: " + error.getMessage());
                        errors++;
                    }
                    try {
                        s.shutdown((x, e) -> s.close());
                    } catch (UvException e) {
                        System.err.println("echo: " + e.getMessage() + " (queue " + s.writeQueueSize() + ")");
                        errors++;
                        s.close();
                    }
                    return;
                }
                int n;
                try {
                    n = s.tryWrite(data);
                } catch (UvException e) {
                    if (e.code() != Errno.EAGAIN) {
                        errors++;
                        s.close();
                        return;
                    }
                    n = 0;
                }
                if (n < data.remaining()) {
                    Stream.ReadCallback<Tcp> self = this;
                    s.write(data.position(data.position() + n), (x, e) -> {
                        if (e != null) {
                            return;
                        }
                        if (paused && !s.isClosing() && s.writeQueueSize() < ECHO_LOW) {
                            paused = false;
                            s.startRead(self);
                        }
                    });
                    long q = s.writeQueueSize();
                    maxEchoQueue = Math.max(maxEchoQueue, q);
                    if (q > ECHO_HIGH) {
                        pauses++;
                        paused = true;
                        s.stopRead();
                    }
                }
            }
        };
        peer.startRead(onRead);
    }
}
