package dev.juv.bench;

import dev.juv.Loop;
import dev.juv.Signal;
import dev.juv.Tcp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * The echo server of the TCP benchmarks written in straight-line style, one virtual thread per
 * connection, in two forms: {@code juv} (a started juv loop does the I/O; each virtual thread
 * awaits {@code readAsync} and {@code writeAsync}) and {@code jdk} (what a Java developer would
 * write instead: {@code java.net.ServerSocket} and blocking {@code Socket} streams). Prints
 * {@code Listening on <port>}; SIGUSR1 prints one STATS line (heap bytes allocated by every
 * thread per read since the last report); SIGINT or SIGTERM stop it.
 *
 * <pre>StraightEchoServer juv|jdk [port]</pre>
 */
public final class StraightEchoServer {
    private StraightEchoServer() {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final LongAdder READS = new LongAdder();
    private static long readsAtLastStats;
    private static long allocatedAtLastStats;

    public static void main(String[] args) throws Exception {
        boolean jdk = args.length > 0 && args[0].equals("jdk");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        CountDownLatch stop = new CountDownLatch(1);
        Loop loop = Loop.start("echo-loop");
        try {
            loop.submit(() -> signals(loop, stop)).join();
            if (jdk) {
                ServerSocket server = new ServerSocket(port, 4096, InetAddress.getLoopbackAddress());
                Thread.ofVirtual().start(() -> acceptJdk(server));
                System.out.println("Listening on " + server.getLocalPort());
                System.out.flush();
                stop.await();
                server.close();
            } else {
                Tcp server = loop.submit(() -> {
                    Tcp s = new Tcp(loop);
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    s.listen(4096);
                    return s;
                }).join();
                Thread.ofVirtual().start(() -> acceptJuv(server));
                System.out.println("Listening on " + loop.submit(server::localAddress).join().getPort());
                System.out.flush();
                stop.await();
            }
        } finally {
            loop.close();
        }
    }

    private static Object signals(Loop loop, CountDownLatch stop) {
        Signal stats = new Signal(loop);
        stats.start((s, signum) -> {
            long allocated = THREADS.getTotalThreadAllocatedBytes() - allocatedAtLastStats;
            long n = READS.sum() - readsAtLastStats;
            System.out.printf(Locale.ROOT, "STATS heap_bytes_per_read=%.3f reads=%d%n",
                    n == 0 ? 0.0 : (double) allocated / n, n);
            System.out.flush();
            readsAtLastStats = READS.sum();
            allocatedAtLastStats = THREADS.getTotalThreadAllocatedBytes();
        }, Signal.SIGUSR1);
        for (int signum : new int[] {Signal.SIGINT, Signal.SIGTERM}) {
            new Signal(loop).start((s, n) -> stop.countDown(), signum);
        }
        return null;
    }

    private static void acceptJuv(Tcp server) {
        try {
            while (true) {
                Tcp client = server.acceptAsync().join();
                // options are set on the loop thread, like every other libuv call
                client.loop().submit(() -> {
                    client.setNoDelay(true);
                    return null;
                }).join();
                Thread.ofVirtual().start(() -> {
                    try {
                        ByteBuffer chunk;
                        while ((chunk = client.readAsync().join()) != null) {
                            READS.increment();
                            client.writeAsync(chunk).join();
                        }
                    } catch (CompletionException gone) {
                        // the client reset: its connection ends
                    } finally {
                        client.closeAsync();
                    }
                });
            }
        } catch (CompletionException closed) {
            // the server closed with the loop
        }
    }

    private static void acceptJdk(ServerSocket server) {
        try {
            while (true) {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> {
                    byte[] buf = new byte[64 * 1024];
                    try (Socket c = client; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            READS.increment();
                            out.write(buf, 0, n);
                        }
                    } catch (IOException gone) {
                        // the client reset: its connection ends
                    }
                });
            }
        } catch (IOException closed) {
            // the server socket closed
        }
    }
}
