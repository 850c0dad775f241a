package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.Native;
import dev.juv.support.CleanupGate;
import dev.juv.support.Tags;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Churn at CI size (R-L4, R-L5): connection, fs and work-queue cycles with juv's native byte counter
 * and the fd count back at their baselines afterwards (UvTestCase and CleanupGate check both).
 * Timer churn (R-L3) is TimerChurnTest; process churn (R-L7: 500 children, 1000 failed spawns,
 * zombies) is ChildProcessContractTest. Sizes come from {@code -Djuv.churn.scale} (default 1).
 */
@Timeout(120)
@ExtendWith(CleanupGate.class)
@Tag(Tags.VOLUME)
class ChurnTest extends UvTestCase {
    static final double SCALE = Double.parseDouble(System.getProperty("juv.churn.scale", "1"));
    /** Cycles in flight at once. */
    static final int PARALLEL = 64;

    @TempDir
    Path dir;

    static int scaled(int n) {
        return Math.max(1, (int) (n * SCALE));
    }

    private static void report(String what, int n, long startNanos) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("churn %s: %d cycles in %.2f s (%.0f/s)%n", what, n, s, n / s);
    }

    /**
     * Connect/accept/close cycles against one listening stream, {@link #PARALLEL} at a time. The
     * client side closes first; the server side closes once it reads the end.
     */
    private <S extends Stream<S>> void connectionChurn(String what, int cycles, S server,
            java.util.function.Supplier<S> newClient, java.util.function.BiConsumer<S, Stream.Callback<S>> connect,
            Consumer<S> closeClient) {
        int[] started = new int[1];
        int[] clientsClosed = new int[1];
        int[] serversClosed = new int[1];
        int[] errors = new int[1];
        Runnable[] next = new Runnable[1];
        // a cycle ends when its server side has closed; the next one starts then, so at most
        // PARALLEL connections wait to be accepted (libuv 1.49+ accepts one connection per loop
        // iteration, and clients that outran it would fill the backlog and fail with EAGAIN)
        Runnable cycleDone = () -> {
            if (serversClosed[0] + errors[0] == cycles) {
                server.close();
            } else {
                next[0].run();
            }
        };
        server.listen(1024, (s, e) -> {
            assertNull(e);
            @SuppressWarnings("unchecked")
            S in = (S) (s instanceof Tcp ? new Tcp(loop) : new Pipe(loop));
            s.accept(in);
            in.startRead((x, d, err) -> {
                if (d == null) {
                    x.close(h -> {
                        serversClosed[0]++;
                        cycleDone.run();
                    });
                }
            });
        });
        next[0] = () -> {
            if (started[0] == cycles) {
                return;
            }
            started[0]++;
            S c = newClient.get();
            connect.accept(c, (x, e) -> {
                if (e != null) {
                    errors[0]++;
                    x.close(h -> {
                        clientsClosed[0]++;
                        cycleDone.run();
                    });
                    return;
                }
                closeClient.accept(x);
                clientsClosed[0]++;
            });
        };
        long t0 = System.nanoTime();
        for (int i = 0; i < PARALLEL; i++) {
            next[0].run();
        }
        loop.run();
        report(what, cycles, t0);
        assertEquals(0, errors[0], what + " connect errors");
        assertEquals(cycles, clientsClosed[0]);
        assertEquals(cycles, serversClosed[0]);
    }

    @Test
    void tcpConnectAcceptClose() {
        long bytes = Native.liveBytes();
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress to = server.localAddress();
        // the client resets instead of closing normally: a normal close leaves each client port in
        // TIME_WAIT, and 200k cycles would run out of the 28k ephemeral ports
        connectionChurn("tcp", scaled(TCP_CYCLES), server, () -> new Tcp(loop), (c, cb) -> c.connect(to, cb),
                c -> c.closeReset(null));
        loop.run();
        assertEquals(bytes, Native.liveBytes(), "native bytes after the tcp churn");
    }

    @Test
    void pipeConnectAcceptClose() {
        long bytes = Native.liveBytes();
        String name = dir.resolve("churn.sock").toString();
        Pipe server = new Pipe(loop);
        server.bind(name);
        connectionChurn("pipe", scaled(PIPE_CYCLES), server, () -> new Pipe(loop), (c, cb) -> c.connect(name, cb),
                Handle::close);
        loop.run();
        assertEquals(bytes, Native.liveBytes(), "native bytes after the pipe churn");
    }

    static final int TCP_CYCLES = 200_000;
    static final int PIPE_CYCLES = 200_000;

    @Test
    void asyncStats() {
        int n = scaled(100_000);
        int[] done = new int[1];
        int[] started = new int[1];
        String path = dir.toString();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (started[0] < n) {
                started[0]++;
                Fs.stat(loop, path, (s, e) -> {
                    assertNull(e);
                    done[0]++;
                    next[0].run();
                });
            }
        };
        long t0 = System.nanoTime();
        for (int i = 0; i < 256; i++) {
            next[0].run();
        }
        loop.run();
        report("async stat", n, t0);
        assertEquals(n, done[0]);
    }

    @Test
    void openWriteClose() throws Exception {
        int n = scaled(10_000);
        int[] done = new int[1];
        byte[] data = "churn".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String f = dir.resolve("f" + (i % 64)).toString();
            Fs.open(loop, f, Fs.O_CREAT | Fs.O_WRONLY | Fs.O_TRUNC, 0600, (fd, e) -> {
                assertNull(e);
                Fs.write(loop, fd, data, 0, (w, e2) -> {
                    assertNull(e2);
                    assertEquals(data.length, w);
                    Fs.close(loop, fd, (v, e3) -> {
                        assertNull(e3);
                        done[0]++;
                    });
                });
            });
            if (i % 256 == 255) {
                loop.run();
            }
        }
        loop.run();
        report("open/write/close", n, t0);
        assertEquals(n, done[0]);
        assertEquals("churn", java.nio.file.Files.readString(dir.resolve("f0")));
    }

    @Test
    void queuedWorkItems() {
        int n = scaled(10_000);
        int[] after = new int[1];
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            loop.queueWork(ran::incrementAndGet, e -> {
                assertNull(e);
                after[0]++;
            });
        }
        assertTrue(loop.isAlive());
        loop.run();
        report("queued work", n, t0);
        assertEquals(n, ran.get());
        assertEquals(n, after[0]);
    }
}
