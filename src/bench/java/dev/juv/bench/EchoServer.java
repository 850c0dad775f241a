package dev.juv.bench;

import dev.juv.Errno;
import dev.juv.Loop;
import dev.juv.Signal;
import dev.juv.Stream;
import dev.juv.Tcp;
import dev.juv.UvException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The juv side of the TCP benchmarks: the same echo server as native/bench/echo_server.c (try
 * to write each chunk at once, queue what is left). Prints {@code Listening on <port>}. SIGUSR1
 * prints one STATS line (heap in use after a collection, heap bytes the loop thread allocated
 * per read so far); SIGINT or SIGTERM stop it.
 *
 * <pre>EchoServer [port] [host]</pre>
 */
public final class EchoServer {
    private EchoServer() {}

    private static long reads;
    private static long allocatedAtFirstRead = -1;

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        try (Loop loop = new Loop()) {
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
                client.startRead(EchoServer::onRead);
            });
            Signal stats = new Signal(loop);
            stats.start((s, signum) -> {
                System.gc();
                Runtime rt = Runtime.getRuntime();
                long perRead = reads == 0 || allocatedAtFirstRead < 0 ? 0
                        : (Alloc.now() - allocatedAtFirstRead) / reads;
                System.out.println("STATS heap_used=" + (rt.totalMemory() - rt.freeMemory())
                        + " heap_bytes_per_read=" + perRead + " reads=" + reads);
                System.out.flush();
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

    private static void onRead(Stream s, ByteBuffer data, UvException error) {
        if (data == null) {
            s.close();
            return;
        }
        if (allocatedAtFirstRead < 0) {
            allocatedAtFirstRead = Alloc.now();
        }
        reads++;
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
            // the read buffer is reused by the next read: queue a copy of what is left
            byte[] rest = new byte[data.remaining() - n];
            data.position(data.position() + n).get(rest);
            s.write(rest);
        }
    }
}
