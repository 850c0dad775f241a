package dev.juv.examples;

import dev.juv.Loop;
import dev.juv.Signal;
import dev.juv.Tcp;
import dev.juv.TlsStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS echo server: every byte a client sends over TLS comes back to it, encrypted by the JDK's
 * SSLEngine through {@link TlsStream}.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.TlsEchoServer [host] [port] [keystore.p12 [password]]</pre>
 * The defaults are 127.0.0.1 and 8443; port 0 picks a free port. Without a keystore, a
 * self-signed certificate for {@code localhost} and {@code 127.0.0.1} is made at start with the
 * JDK's {@code keytool} (password {@code changeit}) and its path printed. Talk to it with
 * {@code openssl s_client -connect 127.0.0.1:8443}; Ctrl+C stops it.
 */
public final class TlsEchoServer {
    private TlsEchoServer() {}

    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8443;
        String password = args.length > 3 ? args[3] : "changeit";
        Path keystore = args.length > 2 ? Path.of(args[2]) : selfSigned(password);
        SSLContext context = context(keystore, password);
        Loop loop = new Loop();
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress(host, port));
        Set<TlsStream> clients = new LinkedHashSet<>();
        server.listen(511, (s, error) -> {
            if (error != null) {
                System.err.println("listen: " + error.getMessage());
                return;
            }
            Tcp client = new Tcp(loop);
            s.accept(client);
            TlsStream tls = TlsStream.server(client, context);
            clients.add(tls);
            tls.startRead((t, data, e) -> {
                if (data != null) {
                    t.write(data, null);
                    return;
                }
                clients.remove(t);
                if (e != null) {
                    // the stream has closed its transport already
                    System.err.println("connection failed: " + e);
                    return;
                }
                t.shutdownAsync().whenComplete((v, x) -> t.close());
            });
        });
        Signal sigint = new Signal(loop);
        sigint.start((sig, signum) -> {
            for (TlsStream c : clients) {
                c.close();
            }
            clients.clear();
            sig.close();
            server.close();
        }, Signal.SIGINT);
        InetSocketAddress at = server.localAddress();
        System.out.println("Listening on " + at.getAddress().getHostAddress() + ":" + at.getPort());
        System.out.flush();
        loop.run();
        loop.close();
        System.out.println("Stopped!");
        System.out.flush();
    }

    /** A server context from a PKCS#12 keystore. */
    static SSLContext context(Path keystore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** Makes a self-signed keystore with the JDK's keytool in a temporary directory removed at exit. */
    static Path selfSigned(String password) throws Exception {
        Path dir = Files.createTempDirectory("juv-tls-echo");
        Path ks = dir.resolve("server.p12");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", password, "-keypass", password))
                .redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(p.getInputStream().readAllBytes()));
        }
        ks.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        System.out.println("Self-signed certificate for localhost in " + ks);
        return ks;
    }
}
