package dev.juv.programs;

import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.Stream;
import dev.juv.Tcp;
import dev.juv.support.Child;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Child side of IpcTest's server-passing tests (pyuv's proc_ipc.py). fd 0 is an IPC pipe to the
 * parent. Binds a TCP server to 127.0.0.1:0, sends it to the parent with "hello" (listening
 * before or after that write, per the mode), and when its server accepts a first connection,
 * closes it and writes "accepted_connection"; that write's callback closes everything, and the
 * process exits 0 once the loop has ended.
 */
public final class ProcIpc {
    private ProcIpc() {}

    public static void main(String[] args) {
        if (args.length != 1 || !(args[0].equals("listen_before_write") || args[0].equals("listen_after_write"))) {
            System.err.println("usage: ProcIpc listen_before_write|listen_after_write");
            System.exit(2);
        }
        boolean listenFirst = args[0].equals("listen_before_write");
        try (Loop loop = new Loop()) {
            Pipe channel = new Pipe(loop, true);
            channel.open(0);
            Tcp server = new Tcp(loop);
            channel.startRead((s, data, error) -> {
                // the parent's "world" is read and dropped; when the parent goes away, so do we
                if (data == null) {
                    channel.close();
                    server.close();
                }
            });
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            boolean[] accepted = new boolean[1];
            Stream.Callback<Tcp> onConnection = (srv, error) -> {
                if (error != null || accepted[0]) {
                    return;
                }
                accepted[0] = true;
                Tcp conn = new Tcp(loop);
                srv.accept(conn);
                conn.close();
                channel.write("accepted_connection".getBytes(StandardCharsets.UTF_8), (c, e) -> {
                    channel.close();
                    server.close();
                });
            };
            if (listenFirst) {
                server.listen(128, onConnection);
            }
            channel.write("hello".getBytes(StandardCharsets.UTF_8), server, null);
            if (!listenFirst) {
                server.listen(128, onConnection);
            }
            loop.run();
        }
        System.exit(0);
    }
}
