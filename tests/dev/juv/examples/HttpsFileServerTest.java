package dev.juv.examples;

import static dev.juv.examples.HttpFileServerTest.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.examples.HttpFileServerTest.Response;
import dev.juv.support.ExampleProcess;
import dev.juv.support.Tags;
import dev.juv.support.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link HttpFileServer} in HTTPS mode as its own process, with a keystore made at test
 * time, and talks HTTP/1.1 to it over the JDK's {@link SSLSocket}: GET checked byte for byte,
 * HEAD, 404s, keep-alive on one TLS connection, several clients at once, and clients that send
 * plain HTTP, leave in the middle of a handshake or in the middle of a response while another is
 * being served.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag(Tags.EXAMPLES)
class HttpsFileServerTest {
    private static final Pattern READY =
            Pattern.compile("Serving .* on https://127\\.0\\.0\\.1:(\\d+)/ with 2 loop\\(s\\)");
    private static final Pattern MADE = Pattern.compile("Self-signed certificate for localhost in (.+)");

    private static int port(ExampleProcess p) throws InterruptedException {
        Matcher m = READY.matcher(p.awaitOut(l -> READY.matcher(l).matches(), "the ready line"));
        assertTrue(m.matches());
        return Integer.parseInt(m.group(1));
    }

    private static SSLSocket connect(int port) throws Exception {
        return TlsEchoServerTest.connect(TestCerts.client(), port);
    }

    @Test
    void servesFilesOverTlsThroughFailingAndVanishingClients(@TempDir Path root) throws Exception {
        byte[] big = new byte[4 << 20];
        new Random(5).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("hello.txt"), "hello over tls\n");
        Files.writeString(root.getParent().resolve("outside-" + root.getFileName() + ".txt"), "secret");
        try (ExampleProcess p = ExampleProcess.start("HttpFileServer", "--tls=" + TestCerts.SERVER.keystore(),
                "--password=" + TestCerts.PASSWORD, root.toString(), "127.0.0.1", "0", "2")) {
            int port = port(p);
            try (SSLSocket s = connect(port)) {
                // keep-alive: every request below on one TLS connection
                Response hello = get(s, "GET /hello.txt HTTP/1.1");
                assertEquals(200, hello.status());
                assertEquals("keep-alive", hello.headers().get("connection"));
                assertEquals("hello over tls\n", new String(hello.body(), StandardCharsets.UTF_8));
                Response head = get(s, "HEAD /big.bin HTTP/1.1");
                assertEquals(200, head.status());
                assertEquals(String.valueOf(big.length), head.headers().get("content-length"));
                assertEquals("application/octet-stream", head.headers().get("content-type"));
                assertEquals(404, get(s, "GET /missing.txt HTTP/1.1").status());
                assertEquals(404, get(s, "GET /../outside-" + root.getFileName() + ".txt HTTP/1.1").status());
                assertEquals(404, get(s, "GET /%2e%2e/outside-" + root.getFileName() + ".txt HTTP/1.1").status());
                assertArrayEquals(big, get(s, "GET /big.bin HTTP/1.1").body());
                Response last = get(s, "GET /hello.txt HTTP/1.1\r\nConnection: close");
                assertEquals("close", last.headers().get("connection"));
                assertEquals(-1, s.getInputStream().read(), "the server ends the TLS stream after Connection: close");
            }

            try (SSLSocket served = connect(port)) {
                // this client's response has begun and waits for it to read on, while others fail
                served.getOutputStream().write("GET /big.bin HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                served.getOutputStream().flush();
                PushbackInputStream in = new PushbackInputStream(served.getInputStream());
                in.unread(in.read());
                String plain = plainHttpTo(port);
                assertFalse(plain.startsWith("HTTP/"), () -> "plain HTTP got an HTTP answer: " + plain);
                leaveMidHandshake(port, false);
                leaveMidHandshake(port, true);
                assertArrayEquals(big, HttpFileServerTest.response(in, false).body(), "the client served meanwhile");
                assertEquals(200, get(served, "GET /hello.txt HTTP/1.1").status(), "and its connection still open");
            }

            HttpFileServerTest.manyClientsThroughVanishingOnes(() -> connect(port), big, 4, 2);
            p.sigint();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
            assertEquals(List.of(), p.stderr(), "no connection's thread ended with an exception");
            List<String> out = p.allStdout();
            assertEquals("Stopped!", out.get(out.size() - 1));
        }
    }

    @Test
    void makesASelfSignedCertificateWithTlsAlone(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("index.html"), "<p>self-signed</p>\n");
        try (ExampleProcess p = ExampleProcess.start("HttpFileServer", "--tls", root.toString(), "127.0.0.1", "0", "2")) {
            Matcher made = MADE.matcher(p.awaitOut(l -> MADE.matcher(l).matches(), "the certificate line"));
            assertTrue(made.matches());
            SSLContext trusting = TlsEchoServerTest.trusting(Path.of(made.group(1)));
            try (SSLSocket s = TlsEchoServerTest.connect(trusting, port(p))) {
                assertEquals("<p>self-signed</p>\n", new String(get(s, "GET / HTTP/1.1").body(), StandardCharsets.UTF_8));
            }
            p.sigint();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
        }
    }

    /**
     * Sends a plain HTTP request to the HTTPS port and returns all it gets back (a TLS alert) until
     * the server closes the connection.
     */
    private static String plainHttpTo(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                for (int b = in.read(); b >= 0; b = in.read()) {
                    got.write(b);
                }
            } catch (SocketException reset) {
                // the server may close with a reset: the connection ended all the same
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Starts a ClientHello (a record header and a few bytes of it), then leaves: a reset or a plain close. */
    private static void leaveMidHandshake(int port, boolean reset) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            if (reset) {
                s.setSoLinger(true, 0);
            }
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03});
            s.getOutputStream().flush();
        }
    }
}
