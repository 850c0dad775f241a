package dev.juv.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at test time with the JDK's own {@code keytool} (from {@code java.home}),
 * once per JVM, in a temporary directory removed at exit: self-signed EC identities, no CA.
 * {@link #SERVER} has the SAN {@code DNS:localhost,IP:127.0.0.1}; {@link #CLIENT} is for client
 * authentication; {@link #UNTRUSTED} also names localhost but nobody trusts it; {@link #OTHER_HOST}
 * is trusted but names another host.
 */
public final class TestCerts {
    /** The password of every keystore made here. */
    public static final String PASSWORD = "changeit";

    /** One identity: a PKCS#12 keystore holding one key and its self-signed certificate. */
    public record Identity(String alias, Path keystore) {
        /** The keystore, loaded. */
        public KeyStore keyStore() {
            try (InputStream in = Files.newInputStream(keystore)) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(in, PASSWORD.toCharArray());
                return ks;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** The certificate. */
        public Certificate certificate() {
            try {
                return keyStore().getCertificate(alias);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** The certificate as a PEM file (for openssl), written on first use. */
        public Path certPem() {
            Path p = keystore.resolveSibling(alias + "-cert.pem");
            try {
                if (!Files.exists(p)) {
                    Files.writeString(p, pem("CERTIFICATE", certificate().getEncoded()));
                }
                return p;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** The private key as a PKCS#8 PEM file (for openssl), written on first use. */
        public Path keyPem() {
            Path p = keystore.resolveSibling(alias + "-key.pem");
            try {
                if (!Files.exists(p)) {
                    PrivateKey k = (PrivateKey) keyStore().getKey(alias, PASSWORD.toCharArray());
                    Files.writeString(p, pem("PRIVATE KEY", k.getEncoded()));
                }
                return p;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final Path DIR;
    public static final Identity SERVER;
    public static final Identity CLIENT;
    public static final Identity UNTRUSTED;
    public static final Identity OTHER_HOST;

    static {
        try {
            DIR = Files.createTempDirectory("juv-certs");
            Runtime.getRuntime().addShutdownHook(new Thread(TestCerts::deleteDir));
            List<Process> made = new ArrayList<>();
            made.add(keytool("server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1"));
            made.add(keytool("client", "CN=juv test client", null));
            made.add(keytool("untrusted", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1"));
            made.add(keytool("otherhost", "CN=other.example", "SAN=dns:other.example"));
            for (Process p : made) {
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("keytool failed: "
                            + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            SERVER = new Identity("server", DIR.resolve("server.p12"));
            CLIENT = new Identity("client", DIR.resolve("client.p12"));
            UNTRUSTED = new Identity("untrusted", DIR.resolve("untrusted.p12"));
            OTHER_HOST = new Identity("otherhost", DIR.resolve("otherhost.p12"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExceptionInInitializerError(e);
        }
    }

    private TestCerts() {}

    private static Process keytool(String alias, String dname, String san) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", dname, "-validity", "3", "-storetype", "PKCS12",
                "-keystore", DIR.resolve(alias + ".p12").toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (san != null) {
            cmd.add("-ext");
            cmd.add(san);
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static void deleteDir() {
        try (var files = Files.list(DIR)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(DIR);
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * A TLS context presenting {@code key} (may be null: no certificate of its own) and trusting
     * exactly {@code trusted}.
     */
    public static SSLContext context(Identity key, Identity... trusted) {
        try {
            KeyManagerFactory kmf = null;
            if (key != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(key.keyStore(), PASSWORD.toCharArray());
            }
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (Identity t : trusted) {
                ts.setCertificateEntry(t.alias(), t.certificate());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's context: the server identity, trusting the client's (for client authentication). */
    public static SSLContext server() {
        return context(SERVER, CLIENT);
    }

    /** A client's context: no identity, trusting the server and the other-host identity. */
    public static SSLContext client() {
        return context(null, SERVER, OTHER_HOST);
    }

    private static boolean warmed;

    /**
     * One TLS handshake between JDK sockets, before any test (call it from a static initializer):
     * the JDK opens a descriptor for the
     * process on its first SSLSocket handshake, which the cleanup gate would count as a leak.
     */
    public static synchronized void jdkHandshakeOnce() {
        if (warmed) {
            return;
        }
        warmed = true;
        SSLContext ctx = server();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket raw = ss.accept();
                        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, "localhost", raw.getPort(), true)) {
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                } catch (Exception ignored) {
                    // the client's side below reports
                }
            });
            try (SSLSocket c = (SSLSocket) client().getSocketFactory().createSocket(
                    InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                c.startHandshake();
            }
            peer.join(10_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
