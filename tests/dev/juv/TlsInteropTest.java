package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.TestCerts;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TlsStream against other TLS implementations: the JDK's own SSLSocket and SSLServerSocket (1 MiB
 * echoed byte-exact, ALPN), and OpenSSL's {@code s_client} and {@code s_server}, TLS 1.2 and 1.3.
 * The OpenSSL tests need the {@code openssl} binary (Debian's package of that name).
 */
class TlsInteropTest extends TlsTestCase {
    static final Path OPENSSL = Path.of("/usr/bin/openssl");

    static String opensslFlag(String protocol) {
        return protocol.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2";
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void juvServerWithJdkSslSocketClient(String protocol) throws Exception {
        SSLParameters sp = protocols(protocol);
        sp.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        EchoServer server = new EchoServer(TestCerts.server(), sp);
        CompletableFuture<byte[]> got = new CompletableFuture<>();
        CompletableFuture<String> alpn = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try (SSLSocket s = (SSLSocket) TestCerts.client().getSocketFactory().createSocket(
                    InetAddress.getLoopbackAddress(), server.port)) {
                SSLParameters p = s.getSSLParameters();
                p.setProtocols(new String[] {protocol});
                p.setApplicationProtocols(new String[] {"http/1.1"});
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.startHandshake();
                alpn.complete(s.getApplicationProtocol());
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(MIB, 0, MIB.length / 2);
                        if (protocol.equals("TLSv1.3")) {
                            s.startHandshake(); // on TLS 1.3: a KeyUpdate the juv server must answer while it reads
                        }
                        out.write(MIB, MIB.length / 2, MIB.length - MIB.length / 2);
                        out.flush();
                    } catch (Exception e) {
                        got.completeExceptionally(e);
                    }
                });
                InputStream in = s.getInputStream();
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                byte[] buf = new byte[65536];
                int n;
                while (b.size() < MIB.length && (n = in.read(buf)) > 0) {
                    b.write(buf, 0, n);
                }
                writer.join(10_000);
                got.complete(b.toByteArray());
            } catch (Throwable e) {
                got.completeExceptionally(e);
            } finally {
                loop.execute(server.listener::close);
            }
        });
        runLoop();
        assertArrayEquals(MIB, got.get(10, TimeUnit.SECONDS));
        assertEquals("http/1.1", alpn.get(10, TimeUnit.SECONDS));
        assertEquals(1, server.served.size());
        assertEquals(protocol, server.served.get(0).protocol());
        assertEquals("http/1.1", server.served.get(0).alpn());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void juvClientWithJdkSslServerSocket(String protocol) throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) TestCerts.server().getServerSocketFactory().createServerSocket(
                0, 4, InetAddress.getLoopbackAddress())) {
            ss.setEnabledProtocols(new String[] {protocol});
            CompletableFuture<Long> echoed = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = new byte[65536];
                    long total = 0;
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        total += n;
                    }
                    echoed.complete(total);
                } catch (Throwable e) {
                    echoed.completeExceptionally(e);
                }
            });
            List<TlsStream> clients = new ArrayList<>();
            CompletableFuture<byte[]> f = echo(ss.getLocalPort(),
                    tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost", protocols(protocol)), MIB, clients);
            runLoop();
            assertArrayEquals(MIB, f.join());
            assertEquals(MIB.length, echoed.get(10, TimeUnit.SECONDS));
            assertEquals(protocol, clients.get(0).session().getProtocol());
        }
    }

    /** Lines an OpenSSL tool prints, read on a thread of their own. */
    static final class Lines {
        final List<String> seen = new ArrayList<>();

        Lines(InputStream in) {
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (this) {
                            seen.add(line);
                            notifyAll();
                        }
                    }
                } catch (Exception ignored) {
                    // the process ended
                }
            });
        }

        /** Waits (bounded) for a line that starts with {@code prefix}. */
        synchronized boolean await(String prefix) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (seen.stream().noneMatch(l -> l.startsWith(prefix))) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    static void assumeOpenssl() {
        Assumptions.assumeTrue(Files.isExecutable(OPENSSL),
                "needs the openssl binary (Debian package openssl) for the OpenSSL interop tests");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void juvServerWithOpensslClient(String protocol) throws Exception {
        assumeOpenssl();
        EchoServer server = new EchoServer(TestCerts.server(), protocols(protocol));
        Process p = new ProcessBuilder(OPENSSL.toString(), "s_client", "-connect", "127.0.0.1:" + server.port,
                opensslFlag(protocol), "-CAfile", TestCerts.SERVER.certPem().toString(), "-verify_return_error",
                "-verify_hostname", "localhost", "-servername", "localhost", "-quiet", "-no_ign_eof")
                .redirectErrorStream(true).start();
        Lines out = new Lines(p.getInputStream());
        CompletableFuture<Boolean> echoed = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                OutputStream in = p.getOutputStream();
                in.write("ping from openssl\n".getBytes(StandardCharsets.US_ASCII));
                in.flush();
                echoed.complete(out.await("ping from openssl"));
                in.close();
                p.waitFor(15, TimeUnit.SECONDS);
            } catch (Throwable e) {
                echoed.completeExceptionally(e);
            } finally {
                p.destroy();
                loop.execute(server.listener::close);
            }
        });
        runLoop();
        assertTrue(echoed.get(20, TimeUnit.SECONDS), () -> "no echo; s_client said " + out.seen);
        assertEquals(1, server.served.size(), () -> "s_client said " + out.seen);
        assertEquals(protocol, server.served.get(0).protocol());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void juvClientWithOpensslServer(String protocol) throws Exception {
        assumeOpenssl();
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process p = new ProcessBuilder(OPENSSL.toString(), "s_server", "-accept", "127.0.0.1:" + port,
                opensslFlag(protocol), "-cert", TestCerts.SERVER.certPem().toString(),
                "-key", TestCerts.SERVER.keyPem().toString(), "-naccept", "1")
                .redirectErrorStream(true).start();
        try {
            Lines out = new Lines(p.getInputStream());
            assertTrue(out.await("ACCEPT"), () -> "s_server did not start: " + out.seen);
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    if (out.await("ping from juv")) {
                        OutputStream in = p.getOutputStream();
                        in.write("pong from openssl\n".getBytes(StandardCharsets.US_ASCII));
                        in.flush();
                    }
                } catch (Exception ignored) {
                    // the test below reports what did not come
                }
            });
            CompletableFuture<String> reply = new CompletableFuture<>();
            List<TlsStream> clients = new ArrayList<>();
            connectTls(port, tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost", protocols(protocol)), clients,
                    tls -> {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                tls.startRead((t, data, err) -> {
                    if (data != null) {
                        append(got, data);
                        if (got.toString(StandardCharsets.US_ASCII).endsWith("\n")) {
                            reply.complete(got.toString(StandardCharsets.US_ASCII));
                            t.shutdownAsync().whenComplete((v, x) -> t.close());
                        }
                    } else {
                        reply.completeExceptionally(err != null ? err : new IllegalStateException("ended early"));
                        t.close();
                    }
                });
                tls.write("ping from juv\n".getBytes(StandardCharsets.US_ASCII));
            });
            runLoop();
            assertEquals("pong from openssl\n", reply.get(10, TimeUnit.SECONDS), () -> "s_server said " + out.seen);
            assertEquals(protocol, clients.get(0).session().getProtocol());
            assertTrue(p.waitFor(15, TimeUnit.SECONDS), "s_server ends after its one connection");
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
