package dev.juv.examples;

import dev.juv.Loop;
import dev.juv.Signal;
import dev.juv.Stream;
import dev.juv.Sys;
import dev.juv.Tcp;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A TCP echo server: every byte a client sends comes back to it.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.EchoServerTcp [host] [port]</pre>
 * The defaults are 127.0.0.1 and 1234; port 0 picks a free port. Talk to it with
 * {@code nc 127.0.0.1 1234}; Ctrl+C stops it.
 */
public final class EchoServerTcp {
    private EchoServerTcp() {}

    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 1234;
        Loop loop = new Loop();
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress(host, port));
        echoUntilSigint(loop, server, () -> new Tcp(loop));
        InetSocketAddress at = server.localAddress();
        System.out.println("Listening on " + at.getAddress().getHostAddress() + ":" + at.getPort()
                + " (libuv " + Sys.versionString() + ")");
        System.out.flush();
        loop.run();
        loop.close();
        System.out.println("Stopped!");
        System.out.flush();
    }

    /**
     * Makes a bound server echo every connection, and stop on SIGINT: the clients, the signal
     * handle and the server close, so the loop ends. Also serves {@link EchoPipe}'s path mode.
     */
    static <S extends Stream<S>> void echoUntilSigint(Loop loop, S server, Supplier<? extends S> newClient) {
        Set<S> clients = new LinkedHashSet<>();
        server.listen(511, (s, error) -> {
            if (error != null) {
                System.err.println("listen: " + error.getMessage());
                return;
            }
            S client = newClient.get();
            s.accept(client);
            clients.add(client);
            client.startRead((c, data, e) -> {
                if (data == null) {
                    clients.remove(c);
                    c.close();
                    return;
                }
                c.write(data);
            });
        });
        Signal sigint = new Signal(loop);
        sigint.start((sig, signum) -> {
            for (S c : clients) {
                c.close();
            }
            clients.clear();
            sig.close();
            server.close();
        }, Signal.SIGINT);
    }
}
