package dev.juv.examples;

import dev.juv.Loop;
import dev.juv.Signal;
import dev.juv.Sys;
import dev.juv.Udp;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A UDP echo server: every datagram, empty ones included, goes back to its sender unchanged.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.EchoServerUdp [host] [port]</pre>
 * The defaults are 127.0.0.1 and 1234; port 0 picks a free port. Once it prints
 * {@code Listening on <host>:<port> (libuv <version>)} it serves; Ctrl+C (SIGINT) stops it: it
 * prints {@code Stopped!} and exits 0.
 */
public final class EchoServerUdp {
    private EchoServerUdp() {}

    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 1234;
        try (Loop loop = new Loop()) {
            Udp server = new Udp(loop);
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            server.startRecv((udp, sender, data, flags, error) -> {
                if (error != null) {
                    System.err.println("receive error: " + error.getMessage());
                    return;
                }
                // the data is copied by send, so the view may be handed over as it is
                udp.send(sender, data, (u, sendError) -> {
                    if (sendError != null) {
                        System.err.println("send to " + sender + " failed: " + sendError.getMessage());
                    }
                });
            });
            Signal sigint = new Signal(loop);
            sigint.start((signal, signum) -> {
                signal.close();
                server.close();
            }, Signal.SIGINT);
            InetSocketAddress local = server.localAddress();
            System.out.println("Listening on " + local.getAddress().getHostAddress() + ":" + local.getPort()
                    + " (libuv " + Sys.versionString() + ")");
            System.out.flush();
            loop.run();
        }
        System.out.println("Stopped!");
    }
}
