package dev.juv.examples;

import dev.juv.Loop;
import dev.juv.LoopGroup;
import dev.juv.Signal;
import dev.juv.Sys;
import dev.juv.Tcp;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/**
 * {@link EchoServerTcp} in straight-line style: one virtual thread per connection reads a chunk,
 * writes it back and waits for the write, in a plain loop, while a group of juv loops (one per
 * core) does the I/O. The virtual threads only wait on futures; every libuv call runs on the
 * loop thread that owns the connection.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.EchoServerVirtual [host] [port] [loops]</pre>
 * The defaults are 127.0.0.1, 1234 and one loop per available core; port 0 picks a free port.
 * Ctrl+C stops it.
 */
public final class EchoServerVirtual {
    private EchoServerVirtual() {}

    public static void main(String[] args) throws InterruptedException {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 1234;
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : Sys.availableParallelism();
        try (LoopGroup group = LoopGroup.start(loops, "echo-loop-")) {
            // @start region=listen
            InetSocketAddress at = group.listen(new InetSocketAddress(host, port), 511,
                    (loop, client) -> Thread.ofVirtual().name("echo-client").start(() -> echo(client)));
            // @end
            // Ctrl+C lets main go on and close the group
            CountDownLatch stop = sigint(group);
            System.out.println("Listening on " + at.getAddress().getHostAddress() + ":" + at.getPort()
                    + " with " + loops + " loop(s) (libuv " + Sys.versionString() + ")");
            System.out.flush();
            stop.await();
        }
        System.out.println("Stopped!");
        System.out.flush();
    }

    /** A latch that SIGINT opens: a signal handle on the group's first loop, closed by the signal. */
    static CountDownLatch sigint(LoopGroup group) {
        CountDownLatch stop = new CountDownLatch(1);
        Loop first = group.loops().get(0);
        first.submit(() -> {
            Signal sigint = new Signal(first);
            sigint.start((sig, signum) -> {
                sig.close();
                stop.countDown();
            }, Signal.SIGINT);
            return sigint;
        }).join();
        return stop;
    }

    /** One connection, start to end, on its own virtual thread. */
    // @start region=echo
    static void echo(Tcp client) {
        try {
            ByteBuffer chunk;
            while ((chunk = client.readAsync().join()) != null) {
                client.writeAsync(chunk).join();
            }
        } catch (CompletionException peerGone) {
            // a reset or a broken pipe ends this connection only
        } finally {
            client.closeAsync();
        }
    }
    // @end
}
