package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.ExampleProcess;
import dev.juv.support.Tags;
import dev.juv.support.TestCerts;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs {@link TlsEchoServer} as its own process and talks to it with the JDK's SSLSocket. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag(Tags.EXAMPLES)
class TlsEchoServerTest {
    private static final Pattern READY = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern MADE = Pattern.compile("Self-signed certificate for localhost in (.+)");

    static int port(ExampleProcess p) throws InterruptedException {
        Matcher m = READY.matcher(p.awaitOut(l -> READY.matcher(l).matches(), "the ready line"));
        assertTrue(m.matches());
        return Integer.parseInt(m.group(1));
    }

    /** A TLS client made by {@code trusting}, checking the host name, its handshake done. */
    static SSLSocket connect(SSLContext trusting, int port) throws Exception {
        SSLSocket s = (SSLSocket) trusting.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    static SSLContext trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, TestCerts.PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", ks.getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void echoesOverTlsWithAGivenKeystoreAndStopsOnSigint() throws Exception {
        try (ExampleProcess p = ExampleProcess.start("TlsEchoServer", "127.0.0.1", "0",
                TestCerts.SERVER.keystore().toString(), TestCerts.PASSWORD)) {
            int port = port(p);
            byte[] big = new byte[1 << 20];
            new Random(11).nextBytes(big);
            try (SSLSocket a = connect(TestCerts.client(), port); SSLSocket b = connect(TestCerts.client(), port)) {
                assertArrayEquals(big, EchoServerTcpTest.echo(a, big));
                byte[] hello = "hello over tls\n".getBytes(StandardCharsets.US_ASCII);
                assertArrayEquals(hello, EchoServerTcpTest.echo(b, hello));
            }
            p.sigint();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
            assertTrue(p.allStdout().contains("Stopped!"));
        }
    }

    @Test
    void makesASelfSignedCertificateWhenNoneIsGiven() throws Exception {
        try (ExampleProcess p = ExampleProcess.start("TlsEchoServer", "127.0.0.1", "0")) {
            Matcher made = MADE.matcher(p.awaitOut(l -> MADE.matcher(l).matches(), "the certificate line"));
            assertTrue(made.matches());
            int port = port(p);
            try (SSLSocket s = connect(trusting(Path.of(made.group(1))), port)) {
                byte[] hello = "self-signed".getBytes(StandardCharsets.US_ASCII);
                assertArrayEquals(hello, EchoServerTcpTest.echo(s, hello));
            }
            p.sigint();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
        }
    }
}
