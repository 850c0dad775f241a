package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.juv.support.Tags;
import dev.juv.support.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TlsStream between juv client and juv server on loopback: 1 MiB echoed byte-exact in the
 * callback style and in straight-line style (virtual threads, started loop), TLS 1.2 and 1.3,
 * ALPN, SNI, client authentication, the session; and the failures, each reaching the failing
 * stream as an SSLException, closing its transport, while the next connection is served.
 */
@Timeout(60)
class TlsStreamTest extends TlsTestCase {
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void echoesOneMebibyteByteExact(String protocol) {
        EchoServer server = new EchoServer(TestCerts.server(), protocols(protocol));
        List<TlsStream> clients = new ArrayList<>();
        CompletableFuture<byte[]> f = echo(server.port,
                tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost", protocols(protocol)), MIB, clients);
        closeWhenDone(server.listener, List.of(f));
        runLoop();
        assertArrayEquals(MIB, f.join());
        assertEquals(protocol, clients.get(0).session().getProtocol());
        assertEquals(1, server.served.size());
        assertEquals(protocol, server.served.get(0).protocol());
        assertEquals(List.of(), server.failures);
    }

    /**
     * Writes made while the stream is driven (here: from its read callback, a write per byte
     * received) go out together; every write's callback still runs once, in the order of the
     * writes, each whatever an earlier one threw, and the peer gets every byte in order.
     */
    @Test
    void manyWritesFromOneReadCallbackCompleteInOrderEvenWhenACallbackThrows() {
        List<Throwable> thrown = new ArrayList<>();
        loop.setExceptionHandler(thrown::add);
        byte[] message = new byte[3000];
        new java.util.Random(7).nextBytes(message);
        List<Integer> completed = new ArrayList<>();
        int[] next = {0};
        Tcp listener = new Tcp(loop);
        listener.bind(loopback(0));
        listener.listen(1, (srv, e) -> {
            Tcp c = new Tcp(loop);
            srv.accept(c);
            srv.close();
            TlsStream.server(c, TestCerts.server()).startRead((t, data, err) -> {
                if (data == null) {
                    t.shutdownAsync().whenComplete((v, x) -> t.close());
                    return;
                }
                while (data.hasRemaining()) {
                    int index = next[0]++;
                    t.write(new byte[] {data.get()}, (tt, werr) -> {
                        assertNull(werr);
                        completed.add(index);
                        if (index == 10) {
                            throw new IllegalStateException("callback 10 throws");
                        }
                    });
                }
            });
        });
        List<TlsStream> clients = new ArrayList<>();
        CompletableFuture<byte[]> f = echo(listener.localAddress().getPort(),
                tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost"), message, clients);
        runLoop();
        assertArrayEquals(message, f.join());
        assertEquals(message.length, completed.size());
        for (int i = 0; i < completed.size(); i++) {
            assertEquals(i, completed.get(i), "write callbacks run in the order of the writes");
        }
        assertEquals(1, thrown.size(), () -> "the loop's handler got: " + thrown);
        assertEquals("callback 10 throws", thrown.get(0).getMessage());
    }

    @Test
    void readAsyncHoldsThePeerBackWhileNothingIsTaken() {
        Tcp listener = new Tcp(loop);
        listener.bind(loopback(0));
        int port = listener.localAddress().getPort();
        byte[] record = Arrays.copyOf(MIB, 16_000);
        int records = 4 * MIB.length / record.length;
        List<TlsStream> serverSide = new ArrayList<>();
        listener.listen(4, (srv, e) -> {
            Tcp c = new Tcp(loop);
            srv.accept(c);
            TlsStream tls = TlsStream.server(c, TestCerts.server());
            serverSide.add(tls);
            for (int i = 0; i < records; i++) {
                tls.write(record);
            }
            tls.shutdownAsync().whenComplete((v, x) -> tls.close());
            srv.close();
        });
        long[] maxHeld = {0};
        long[] total = {0};
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<TlsStream> clients = new ArrayList<>();
        connectTls(port, tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost"), clients, tls -> {
            tls.readAsync().thenAccept(first -> {
                total[0] += first.remaining();
                // take nothing for a while: the reader must stop reading the transport
                Timer idle = new Timer(loop);
                idle.start(t -> {
                    t.close();
                    maxHeld[0] = tls.heldBytes();
                    drain(tls, total, done);
                }, 300, 0);
            });
        });
        runLoop();
        done.join();
        assertEquals((long) records * record.length, total[0]);
        assertTrue(maxHeld[0] > 0, "something waited unread");
        assertTrue(maxHeld[0] <= StreamReader.HIGH + 2L * 65536, () -> "held " + maxHeld[0]);
    }

    /** Takes chunks with readAsync until the end, counting them; closes the stream then. */
    static void drain(TlsStream tls, long[] total, CompletableFuture<Void> done) {
        tls.readAsync().whenComplete((b, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
                tls.close();
            } else if (b == null) {
                tls.close();
                done.complete(null);
            } else {
                total[0] += b.remaining();
                drain(tls, total, done);
            }
        });
    }

    /**
     * Bytes allocated on the loop thread per echoed record, juv client and juv server on one loop
     * (so each round trip is two wraps and two unwraps): printed, and bounded loosely so a copy per
     * record creeping into the steady path shows up.
     */
    @Test
    void allocationPerEchoedRecordIsSmall() {
        EchoServer server = new EchoServer(TestCerts.server(), null);
        ByteBuffer record = ByteBuffer.wrap(Arrays.copyOf(MIB, 1024));
        int warm = 2_000;
        int measured = 5_000;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long[] at = new long[2];
        int[] rounds = {0};
        int[] got = {0};
        List<TlsStream> clients = new ArrayList<>();
        connectTls(server.port, tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost"), clients, tls -> {
            tls.startRead((t, data, err) -> {
                if (data == null) {
                    t.close();
                    server.listener.close();
                    return;
                }
                got[0] += data.remaining();
                if (got[0] < record.capacity()) {
                    return;
                }
                got[0] = 0;
                rounds[0]++;
                if (rounds[0] == warm) {
                    at[0] = mx.getCurrentThreadAllocatedBytes();
                } else if (rounds[0] == warm + measured) {
                    at[1] = mx.getCurrentThreadAllocatedBytes();
                    t.shutdownAsync();
                    return;
                }
                t.write(record, null);
            });
            tls.write(record, null);
        });
        runLoop();
        assertEquals(warm + measured, rounds[0]);
        long perRoundTrip = (at[1] - at[0]) / measured;
        System.out.println("TLS 1 KiB echo: " + perRoundTrip + " bytes allocated on the loop thread per round trip"
                + " (client and server: two wraps, two unwraps)");
        long engineOnly = engineAllocationPerRoundTrip(record.capacity(), warm, measured);
        System.out.println("TLS 1 KiB echo: " + engineOnly + " bytes of those are the two SSLEngines' own (their"
                + " wraps and unwraps alone, between two engines in memory)");
        assertTrue(perRoundTrip < 64 * 1024, () -> perRoundTrip + " bytes per round trip");
    }

    /** Bytes two SSLEngines alone allocate per 1 KiB round trip (two wraps, two unwraps), in memory. */
    static long engineAllocationPerRoundTrip(int size, int warm, int measured) {
        try {
            javax.net.ssl.SSLEngine c = TestCerts.client().createSSLEngine("localhost", -1);
            c.setUseClientMode(true);
            javax.net.ssl.SSLEngine sv = TestCerts.server().createSSLEngine();
            sv.setUseClientMode(false);
            int packet = c.getSession().getPacketBufferSize();
            int app = c.getSession().getApplicationBufferSize();
            ByteBuffer c2s = ByteBuffer.allocate(packet * 4);
            ByteBuffer s2c = ByteBuffer.allocate(packet * 4);
            ByteBuffer cApp = ByteBuffer.allocate(app);
            ByteBuffer sApp = ByteBuffer.allocate(app);
            ByteBuffer empty = ByteBuffer.allocate(0);
            c.beginHandshake();
            sv.beginHandshake();
            for (int i = 0; i < 200 && (c.getHandshakeStatus() != javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                    || sv.getHandshakeStatus() != javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING); i++) {
                step(c, empty, c2s, s2c, cApp);
                step(sv, empty, s2c, c2s, sApp);
            }
            // take the server's post-handshake messages
            s2c.flip();
            cApp.clear();
            c.unwrap(s2c, cApp);
            s2c.clear();
            ByteBuffer data = ByteBuffer.wrap(Arrays.copyOf(MIB, size));
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                    .getThreadMXBean();
            long start = 0;
            for (int i = 0; i < warm + measured; i++) {
                if (i == warm) {
                    start = mx.getCurrentThreadAllocatedBytes();
                }
                data.rewind();
                c2s.clear();
                c.wrap(data, c2s);
                c2s.flip();
                sApp.clear();
                sv.unwrap(c2s, sApp);
                sApp.flip();
                s2c.clear();
                sv.wrap(sApp, s2c);
                s2c.flip();
                cApp.clear();
                c.unwrap(s2c, cApp);
            }
            return (mx.getCurrentThreadAllocatedBytes() - start) / measured;
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One handshake step of {@code e}: its task, a wrap into {@code out} or an unwrap of {@code in}. */
    private static void step(javax.net.ssl.SSLEngine e, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app)
            throws javax.net.ssl.SSLException {
        switch (e.getHandshakeStatus()) {
            case NEED_TASK -> {
                Runnable t;
                while ((t = e.getDelegatedTask()) != null) {
                    t.run();
                }
            }
            case NEED_WRAP -> e.wrap(empty, out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                app.clear();
                e.unwrap(in, app);
                in.compact();
            }
            default -> { }
        }
    }

    @Test
    void worksOverAPipe(@TempDir Path dir) {
        String name = dir.resolve("tls.sock").toString();
        Pipe listener = new Pipe(loop);
        listener.bind(name);
        listener.listen(4, (srv, e) -> {
            assertNull(e);
            Pipe c = new Pipe(loop);
            srv.accept(c);
            srv.close();
            TlsStream.server(c, TestCerts.server()).startRead((t, data, err) -> {
                if (data != null) {
                    t.write(data, null);
                } else {
                    assertNull(err);
                    t.shutdownAsync().whenComplete((v, x) -> t.close());
                }
            });
        });
        byte[] payload = Arrays.copyOf(MIB, 200_000);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        CompletableFuture<String> protocol = new CompletableFuture<>();
        Pipe client = new Pipe(loop);
        client.connect(name, (pipe, e) -> {
            assertNull(e);
            TlsStream tls = TlsStream.client(pipe, TestCerts.client(), "localhost");
            tls.startRead((t, data, err) -> {
                if (data != null) {
                    append(got, data);
                    if (got.size() == payload.length) {
                        t.shutdownAsync();
                    }
                } else {
                    assertNull(err);
                    protocol.complete(t.session().getProtocol());
                    t.close();
                }
            });
            tls.write(payload);
        });
        runLoop();
        assertArrayEquals(payload, got.toByteArray());
        assertEquals("TLSv1.3", protocol.join());
    }

    /**
     * The engine's delegated tasks run on juv's pool and the loop thread never waits for one: a
     * client whose certificate check blocks until another connection on the same loop has echoed
     * its bytes completes, and the check ran off the loop thread.
     */
    @Test
    void delegatedTasksRunOffTheLoopThread() throws Exception {
        EchoServer server = new EchoServer(TestCerts.server(), null);
        java.util.concurrent.CountDownLatch otherEchoed = new java.util.concurrent.CountDownLatch(1);
        List<String> checkedOn = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Boolean> waited = java.util.Collections.synchronizedList(new ArrayList<>());
        javax.net.ssl.X509ExtendedTrustManager trusting = trustManagerOf();
        javax.net.ssl.X509ExtendedTrustManager slow = new javax.net.ssl.X509ExtendedTrustManager() {
            private void block() {
                checkedOn.add(Thread.currentThread().getName());
                try {
                    waited.add(otherEchoed.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type,
                    javax.net.ssl.SSLEngine engine) throws java.security.cert.CertificateException {
                block();
                trusting.checkServerTrusted(chain, type, engine);
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type, Socket socket)
                    throws java.security.cert.CertificateException {
                trusting.checkServerTrusted(chain, type, socket);
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type)
                    throws java.security.cert.CertificateException {
                trusting.checkServerTrusted(chain, type);
            }

            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type,
                    javax.net.ssl.SSLEngine engine) throws java.security.cert.CertificateException {
                trusting.checkClientTrusted(chain, type, engine);
            }

            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type, Socket socket)
                    throws java.security.cert.CertificateException {
                trusting.checkClientTrusted(chain, type, socket);
            }

            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type)
                    throws java.security.cert.CertificateException {
                trusting.checkClientTrusted(chain, type);
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return trusting.getAcceptedIssuers();
            }
        };
        SSLContext slowContext = SSLContext.getInstance("TLS");
        slowContext.init(null, new javax.net.ssl.TrustManager[] {slow}, null);
        List<TlsStream> clients = new ArrayList<>();
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<byte[]> slowEcho = echo(server.port, tcp -> TlsStream.client(tcp, slowContext, "localhost"),
                hello, clients);
        CompletableFuture<byte[]> fastEcho = echo(server.port,
                tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost"), hello, clients);
        // the loop serves the other connection while the check blocks: its echo releases the check
        fastEcho.whenComplete((v, e) -> otherEchoed.countDown());
        closeWhenDone(server.listener, List.of(slowEcho, fastEcho));
        runLoop();
        assertArrayEquals(hello, fastEcho.join());
        assertArrayEquals(hello, slowEcho.join());
        assertEquals(List.of(true), waited, () -> "the other connection was served while the check blocked; checked on " + checkedOn);
        assertEquals(1, checkedOn.size());
        assertFalse(checkedOn.get(0).equals(Thread.currentThread().getName()), "checked on " + checkedOn);
    }

    static javax.net.ssl.X509ExtendedTrustManager trustManagerOf() throws Exception {
        java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("server", TestCerts.SERVER.certificate());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return (javax.net.ssl.X509ExtendedTrustManager) tmf.getTrustManagers()[0];
    }

    @Test
    void argumentErrorsThrowAtOnceAndReadStylesAreExclusive() {
        Tcp tcp = new Tcp(loop);
        SSLContext ctx = TestCerts.client();
        assertThrows(NullPointerException.class, () -> TlsStream.client(null, ctx, "localhost"));
        assertThrows(NullPointerException.class, () -> TlsStream.client(tcp, null, "localhost"));
        assertThrows(NullPointerException.class, () -> TlsStream.client(tcp, ctx, null));
        assertThrows(NullPointerException.class, () -> TlsStream.server(tcp, null));
        TlsStream tls = TlsStream.client(tcp, ctx, "localhost");
        assertThrows(NullPointerException.class, () -> tls.write((byte[]) null));
        assertThrows(NullPointerException.class, () -> tls.writeAsync(null));
        assertThrows(NullPointerException.class, () -> tls.startRead(null));
        CompletableFuture<ByteBuffer> read = tls.readAsync();
        assertThrows(IllegalStateException.class, () -> tls.startRead((t, d, e) -> { }));
        tls.close();
        loop.run();
        assertTrue(tcp.isClosed());
        // the handshake's first write on an unconnected transport fails: the read gets the
        // transport's error instead of hanging, and the transport is closed
        Throwable failed = failureOf(read);
        assertInstanceOf(UvException.class, failed);
        assertEquals(Errno.EBADF, ((UvException) failed).code());
        assertTrue(tls.handshakeAsync().isCompletedExceptionally());
    }

    /**
     * A second connection from the same client context resumes the first one's session (TLS 1.2:
     * the same session id and creation time), and a client with a context of its own does not.
     */
    @Test
    void aSecondConnectionFromTheSameContextResumesTheSession() {
        EchoServer server = new EchoServer(TestCerts.server(), protocols("TLSv1.2"));
        SSLContext shared = TestCerts.client();
        Function<SSLContext, Function<Tcp, TlsStream>> with =
                ctx -> tcp -> TlsStream.client(tcp, ctx, "localhost", protocols("TLSv1.2"));
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        List<TlsStream> clients = new ArrayList<>();
        // one after the other: the second handshake starts once the first connection is over
        CompletableFuture<byte[]> last = echo(server.port, with.apply(shared), hello, clients)
                .thenCompose(b -> echo(server.port, with.apply(shared), hello, clients))
                .thenCompose(b -> echo(server.port, with.apply(TestCerts.client()), hello, clients));
        closeWhenDone(server.listener, List.of(last));
        runLoop();
        assertArrayEquals(hello, last.join());
        javax.net.ssl.SSLSession first = clients.get(0).session();
        javax.net.ssl.SSLSession resumed = clients.get(1).session();
        javax.net.ssl.SSLSession other = clients.get(2).session();
        assertArrayEquals(first.getId(), resumed.getId(), "the second connection made a new session");
        assertEquals(first.getCreationTime(), resumed.getCreationTime());
        assertFalse(Arrays.equals(first.getId(), other.getId()), "a client of another context resumed it");
        assertEquals(List.of(), server.failures);
    }

    @Test
    void alpnIsChosenAndSniSeenByTheServer() {
        SSLParameters sp = new SSLParameters();
        sp.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        EchoServer server = new EchoServer(TestCerts.server(), sp);
        List<TlsStream> clients = new ArrayList<>();
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        Function<String[], Function<Tcp, TlsStream>> offering = alpn -> tcp -> {
            SSLParameters p = new SSLParameters();
            p.setApplicationProtocols(alpn);
            p.setServerNames(List.of(new SNIHostName("tls.juv.test")));
            return TlsStream.client(tcp, TestCerts.client(), "localhost", p);
        };
        CompletableFuture<byte[]> h2 = echo(server.port, offering.apply(new String[] {"h2", "http/1.1"}), hello, clients);
        CompletableFuture<byte[]> h1 = echo(server.port, offering.apply(new String[] {"http/1.1"}), hello, clients);
        closeWhenDone(server.listener, List.of(h2, h1));
        runLoop();
        assertArrayEquals(hello, h2.join());
        assertArrayEquals(hello, h1.join());
        List<String> chosen = clients.stream().map(TlsStream::applicationProtocol).sorted().toList();
        assertEquals(List.of("h2", "http/1.1"), chosen);
        assertEquals(2, server.served.size());
        assertEquals(List.of("h2", "http/1.1"), server.served.stream().map(Served::alpn).sorted().toList());
        for (Served s : server.served) {
            assertEquals(List.of(new SNIHostName("tls.juv.test")), s.sni());
        }
    }

    @Test
    void clientAuthenticationWhenTheServerRequiresIt() throws Exception {
        SSLParameters sp = new SSLParameters();
        sp.setNeedClientAuth(true);
        EchoServer server = new EchoServer(TestCerts.server(), sp);
        List<TlsStream> clients = new ArrayList<>();
        byte[] hello = "who".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<byte[]> anonymous = echo(server.port,
                tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost"), hello, clients);
        CompletableFuture<byte[]> known = echo(server.port,
                tcp -> TlsStream.client(tcp, TestCerts.context(TestCerts.CLIENT, TestCerts.SERVER), "localhost"),
                hello, clients);
        closeWhenDone(server.listener, List.of(anonymous, known));
        runLoop();
        assertArrayEquals(hello, known.join());
        assertSsl(failureOf(anonymous));
        assertEquals(1, server.served.size());
        assertEquals(TestCerts.CLIENT.certificate(), server.served.get(0).tls().session().getPeerCertificates()[0]);
        assertEquals(1, server.failures.size());
        assertSsl(server.failures.get(0));
        for (TlsStream t : clients) {
            assertTrue(t.transport().isClosed());
        }
    }

    /** One failure between juv client and juv server, then a good client on the same server. */
    void failsThenServes(SSLContext serverContext, Function<Tcp, TlsStream> bad, Function<Tcp, TlsStream> good,
            boolean serverFails) {
        EchoServer server = new EchoServer(serverContext, null);
        List<TlsStream> badClients = new ArrayList<>();
        List<TlsStream> goodClients = new ArrayList<>();
        byte[] hello = "still served".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<byte[]> failed = echo(server.port, bad, hello, badClients);
        CompletableFuture<byte[]> second = failed.handle((v, e) -> null).thenCompose(x -> echo(server.port, good, hello,
                goodClients));
        closeWhenDone(server.listener, List.of(failed, second));
        runLoop();
        assertSsl(failureOf(failed));
        assertTrue(badClients.get(0).transport().isClosed(), "the failed client's transport is closed");
        assertArrayEquals(hello, second.join());
        if (serverFails) {
            assertEquals(1, server.failures.size(), () -> "server failures " + server.failures);
            assertSsl(server.failures.get(0));
            assertTrue(server.failed.get(0).transport().isClosed());
        }
    }

    @Test
    void untrustedCertificateFailsTheHandshake() {
        failsThenServes(TestCerts.context(TestCerts.UNTRUSTED),
                tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost"),
                tcp -> TlsStream.client(tcp, TestCerts.context(null, TestCerts.UNTRUSTED), "localhost"), true);
    }

    @Test
    void wrongHostNameFailsWithEndpointIdentification() {
        Function<Tcp, TlsStream> checked = tcp -> {
            SSLParameters p = new SSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            return TlsStream.client(tcp, TestCerts.client(), "localhost", p);
        };
        failsThenServes(TestCerts.context(TestCerts.OTHER_HOST), checked,
                tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost"), true);
    }

    /** A raw client sends {@code bytes} then ends its side; the juv server's stream must fail. */
    void serverFailsOnRawClient(byte[] bytes) {
        EchoServer server = new EchoServer(TestCerts.server(), null);
        Tcp raw = new Tcp(loop);
        CompletableFuture<Void> rawDone = new CompletableFuture<>();
        raw.connect(loopback(server.port), (tcp, e) -> {
            assertNull(e);
            tcp.write(bytes);
            tcp.shutdown(null);
            tcp.startRead((t, data, err) -> {
                if (data == null) {
                    t.close();
                    rawDone.complete(null);
                }
            });
        });
        List<TlsStream> goodClients = new ArrayList<>();
        byte[] hello = "still served".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<byte[]> second = echo(server.port,
                tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost"), hello, goodClients);
        closeWhenDone(server.listener, List.of(rawDone, second));
        runLoop();
        assertArrayEquals(hello, second.join());
        assertEquals(1, server.failures.size(), () -> "server failures " + server.failures);
        assertSsl(server.failures.get(0));
        assertTrue(server.failed.get(0).transport().isClosed());
    }

    @Test
    void plainTextClientFailsTheServerStream() {
        serverFailsOnRawClient("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void clientClosingMidHandshakeFailsTheServerStream() {
        // the start of a ClientHello record: a handshake record header and a few bytes of it
        serverFailsOnRawClient(new byte[] {0x16, 0x03, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, (byte) 0xfc, 0x03, 0x03});
    }

    /**
     * A juv client against a raw JDK peer on another thread that does {@code peer} with the accepted
     * socket; the client's stream must fail with an SSLException and close its transport, and a
     * good juv connection on the same loop is served meanwhile.
     */
    void clientFailsOnPeer(PeerAction peer) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofPlatform().start(() -> {
                try (Socket s = ss.accept()) {
                    peer.run(s);
                } catch (Exception ignored) {
                    // the client's side decides the test
                }
            });
            EchoServer server = new EchoServer(TestCerts.server(), null);
            List<TlsStream> bad = new ArrayList<>();
            List<TlsStream> good = new ArrayList<>();
            byte[] hello = "still served".getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<byte[]> failed = echo(ss.getLocalPort(),
                    tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost"), hello, bad);
            CompletableFuture<byte[]> second = echo(server.port,
                    tcp -> TlsStream.client(tcp, TestCerts.client(), "localhost"), hello, good);
            closeWhenDone(server.listener, List.of(failed, second));
            runLoop();
            t.join(10_000);
            assertFalse(t.isAlive(), "the raw peer is done");
            assertSsl(failureOf(failed));
            assertTrue(bad.get(0).transport().isClosed());
            assertArrayEquals(hello, second.join());
        }
    }

    /** What a raw peer does with its accepted socket. */
    @FunctionalInterface
    interface PeerAction {
        void run(Socket s) throws Exception;
    }

    @Test
    void plainTextServerFailsTheClientStream() throws Exception {
        clientFailsOnPeer(s -> {
            s.getInputStream().read(new byte[512]);
            s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.getInputStream().read(new byte[512]);
        });
    }

    @Test
    void serverClosingMidHandshakeFailsTheClientStream() throws Exception {
        clientFailsOnPeer(s -> s.getInputStream().read(new byte[64]));
    }

    @Test
    void truncatedRecordFailsTheClientStream() throws Exception {
        SSLContext ctx = TestCerts.server();
        clientFailsOnPeer(raw -> {
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, "localhost", raw.getPort(), true);
            tls.setUseClientMode(false);
            tls.startHandshake();
            InputStream in = tls.getInputStream();
            in.read(new byte[64]); // the client's first bytes of data
            OutputStream out = raw.getOutputStream();
            // an application-data record header announcing 64 bytes, of which 3 come
            out.write(new byte[] {0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3});
            out.flush();
            raw.shutdownOutput();
            raw.getInputStream().read(new byte[512]);
            tls.close();
        });
    }

    @Test
    @Tag(Tags.THREADS)
    void straightLineOnStartedLoopWithVirtualThreads() throws Exception {
        SSLContext serverContext = TestCerts.server();
        SSLContext clientContext = TestCerts.client();
        try (Loop started = Loop.start("tls-straight")) {
            Tcp listener = started.submit(() -> {
                Tcp l = new Tcp(started);
                l.bind(loopback(0));
                l.listen(8);
                return l;
            }).get(10, TimeUnit.SECONDS);
            int port = started.submit(() -> listener.localAddress().getPort()).get(10, TimeUnit.SECONDS);
            CompletableFuture<Long> served = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    Tcp c = listener.acceptAsync().join();
                    TlsStream tls = TlsStream.server(c, serverContext).handshakeAsync().join();
                    long n = 0;
                    ByteBuffer b;
                    while ((b = tls.readAsync().join()) != null) {
                        byte[] bytes = new byte[b.remaining()];
                        b.get(bytes);
                        n += bytes.length;
                        tls.writeAsync(bytes).join();
                    }
                    tls.shutdownAsync().join();
                    c.closeAsync().join();
                    served.complete(n);
                } catch (Throwable e) {
                    served.completeExceptionally(e);
                }
            });
            Tcp c = started.submit(() -> new Tcp(started)).get(10, TimeUnit.SECONDS);
            c.connectAsync(loopback(port)).get(10, TimeUnit.SECONDS);
            TlsStream tls = TlsStream.client(c, clientContext, "localhost");
            assertTrue(tls.handshakeAsync().get(10, TimeUnit.SECONDS) == tls);
            assertEquals("TLSv1.3", tls.session().getProtocol());
            CompletableFuture<Void> wrote = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    for (int off = 0; off < MIB.length; off += 40_000) {
                        tls.writeAsync(Arrays.copyOfRange(MIB, off, Math.min(MIB.length, off + 40_000))).join();
                    }
                    tls.shutdownAsync().join();
                    wrote.complete(null);
                } catch (Throwable e) {
                    wrote.completeExceptionally(e);
                }
            });
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            CompletableFuture<Void> read = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    ByteBuffer b;
                    while ((b = tls.readAsync().join()) != null) {
                        byte[] bytes = new byte[b.remaining()];
                        b.get(bytes);
                        got.writeBytes(bytes);
                    }
                    read.complete(null);
                } catch (Throwable e) {
                    read.completeExceptionally(e);
                }
            });
            wrote.get(30, TimeUnit.SECONDS);
            read.get(30, TimeUnit.SECONDS);
            assertEquals(MIB.length, served.get(30, TimeUnit.SECONDS));
            assertArrayEquals(MIB, got.toByteArray());
            c.closeAsync().get(10, TimeUnit.SECONDS);
            listener.closeAsync().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            fail(e.getCause());
        }
    }
}
