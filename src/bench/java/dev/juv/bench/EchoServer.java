package dev.juv.bench;

import dev.juv.Errno;
import dev.juv.Loop;
import dev.juv.LoopOptions;
import dev.juv.Signal;
import dev.juv.Stream;
import dev.juv.Sys;
import dev.juv.Tcp;
import dev.juv.UvException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The juv side of the TCP benchmarks: the same echo server as native/bench/echo_server.c (try
 * to write each chunk at once, queue what is left). Prints {@code Listening on <port>}. SIGUSR1
 * prints one STATS line (heap in use after a collection, heap bytes the loop thread allocated
 * per read so far, juv's live native bytes, the resident set size, and the number of open
 * handles); SIGINT or SIGTERM stop it.
 *
 * <pre>EchoServer [port] [host] [plain]</pre>
 *
 * <p>With {@code plain} it echoes every chunk with {@code write(data)} (the bytes copied into a
 * pooled native block, a pooled request), as most users write it, instead of trying
 * {@code tryWrite} first.
 */
public final class EchoServer {
    private EchoServer() {}

    private static long reads;
    private static boolean plain;
    private static long readsAtLastStats;
    private static long allocatedAtLastStats;

    /**
     * Listens on {@code host:port} (backlog 4096) and hands each accepted connection, with
     * TCP_NODELAY set, to {@code serve}; a connection that fails to accept is closed.
     */
    static Tcp listen(Loop loop, String host, int port, Consumer<Tcp> serve) {
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress(host, port));
        server.listen(4096, (srv, error) -> {
            if (error != null) {
                return;
            }
            Tcp client = new Tcp(loop);
            try {
                srv.accept(client);
            } catch (UvException e) {
                client.close();
                return;
            }
            client.setNoDelay(true);
            serve.accept(client);
        });
        return server;
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        plain = args.length > 2 && args[2].equals("plain");
        // -Dbench.readBuffer=N: read into N-byte buffers (LoopOptions.withReadBufferSize)
        int readBuffer = Integer.getInteger("bench.readBuffer", 0);
        LoopOptions options = readBuffer > 0 ? LoopOptions.defaults().withReadBufferSize(readBuffer)
                : LoopOptions.defaults();
        try (Loop loop = new Loop(options)) {
            Tcp server = listen(loop, host, port, client -> client.startRead(EchoServer::onRead));
            Signal stats = new Signal(loop);
            stats.start((s, signum) -> {
                // the loop thread's allocation since the last report, per read in between
                long allocated = Alloc.now() - allocatedAtLastStats;
                long n = reads - readsAtLastStats;
                System.gc();
                Runtime rt = Runtime.getRuntime();
                System.out.printf(java.util.Locale.ROOT,
                        "STATS heap_used=%d heap_bytes_per_read=%.3f reads=%d native_live=%d rss=%d handles=%d%n",
                        rt.totalMemory() - rt.freeMemory(), n == 0 ? 0.0 : (double) allocated / n, n,
                        Sys.nativeBytesInUse(), rssBytes(), loop.handles().size());
                System.out.flush();
                readsAtLastStats = reads;
                allocatedAtLastStats = Alloc.now();
            }, Signal.SIGUSR1);
            Signal.Callback stop = (s, signum) -> {
                for (var h : loop.handles()) {
                    h.close();
                }
            };
            Signal sigint = new Signal(loop);
            sigint.start(stop, Signal.SIGINT);
            Signal sigterm = new Signal(loop);
            sigterm.start(stop, Signal.SIGTERM);
            System.out.println("Listening on " + server.localAddress().getPort());
            System.out.flush();
            loop.run();
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1000;
            System.out.println("cpu_us=" + cpu);
        }
    }

    /** This process's resident set size in bytes, from /proc/self/status (0 when unknown). */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static void onRead(Stream<?> s, ByteBuffer data, UvException error) {
        if (data == null) {
            s.close();
            return;
        }
        reads++;
        if (plain) {
            s.write(data);
            return;
        }
        int n;
        try {
            n = s.tryWrite(data);
        } catch (UvException e) {
            if (e.code() != Errno.EAGAIN) {
                s.close();
                return;
            }
            n = 0;
        }
        if (n < data.remaining()) {
            // queued: write copies what is left of the loop's read buffer into a pooled native
            // block (one copy, as echo_server.c's memcpy; no heap array)
            s.write(data.position(data.position() + n));
        }
    }
}
