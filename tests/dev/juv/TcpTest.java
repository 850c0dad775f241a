package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.PingScenario;
import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_tcp.py. */
@Timeout(30)
@Tag(Tags.PYUV)
class TcpTest extends UvTestCase {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static InetSocketAddress any4() {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    static InetSocketAddress ipv6Loopback(int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName("::1"), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether ::1 can be bound on this machine (found once, before any test counts descriptors). */
    static final boolean IPV6 = probeIpv6();

    static boolean ipv6() {
        return IPV6;
    }

    private static boolean probeIpv6() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(ipv6Loopback(0));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static {
        freePort();
    }

    /** A port on which nothing listens: bound once, then closed. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] ascii(String s) {
        return PingScenario.ascii(s);
    }

    static byte[] bytes(ByteBuffer b) {
        return PingScenario.bytes(b);
    }

    /** The ping scenario's server on 127.0.0.1:0; see {@link PingScenario#serve}. */
    Tcp server(Consumer<Tcp> onAccept, HandleCallback<Handle> onClose) {
        Tcp server = new Tcp(loop);
        server.bind(any4());
        PingScenario.serve(server, () -> new Tcp(loop), onAccept, onClose);
        return server;
    }

    /** The ping scenario's client; see {@link PingScenario#expect}. */
    AtomicInteger client(Tcp server, byte[] expected) {
        AtomicInteger done = new AtomicInteger();
        new Tcp(loop).connect(server.localAddress(), PingScenario.expect(expected, done));
        return done;
    }

    @Test
    void connectRefused() {
        AtomicReference<UvException> err = new AtomicReference<>();
        Tcp c = new Tcp(loop);
        c.connect(new InetSocketAddress(LOOPBACK, freePort()), (t, e) -> {
            err.set(e);
            t.close();
        });
        loop.run();
        assertEquals("ECONNREFUSED", err.get().name());
    }

    @Test
    void freshHandleNotReadableOrWritable() {
        Tcp t = new Tcp(loop);
        assertFalse(t.isReadable());
        assertFalse(t.isWritable());
        t.close();
        loop.run();
    }

    @Test
    void openRawSocketThenConnectRefused() {
        assumeTrue(TestLibc.SUPPORTED, "raw sockets need TestLibc's platform constants");
        int fd = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
        Tcp t = new Tcp(loop);
        t.open(fd);
        assertEquals(fd, t.fileno());
        AtomicReference<UvException> err = new AtomicReference<>();
        t.connect(new InetSocketAddress(LOOPBACK, freePort()), (c, e) -> {
            err.set(e);
            c.close();
        });
        loop.run();
        assertNotNull(err.get());
        // the handle owned the descriptor and closed it: the fd count check in tearDown agrees
    }

    @Test
    void writeOnUnconnectedThrows() {
        Tcp t = new Tcp(loop);
        UvException e = assertThrows(UvException.class, () -> t.write(ascii("PING")));
        assertEquals("EBADF", e.name());
        t.close();
        loop.run();
    }

    @Test
    void pingOverTcp() {
        Tcp server = server(conn -> conn.write(ascii("PING\n")), null);
        AtomicInteger done = new AtomicInteger();
        Tcp client = new Tcp(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        client.connect(server.localAddress(), (c, error) -> {
            assertNull(error);
            assertTrue(c.isReadable());
            assertTrue(c.isWritable());
            c.startRead((cc, data, e) -> {
                got.writeBytes(bytes(data));
                if (got.size() >= 5) {
                    assertEquals("PING\n", got.toString(StandardCharsets.ISO_8859_1));
                    done.incrementAndGet();
                    cc.close();
                }
            });
        });
        loop.run();
        assertEquals(1, done.get());
    }

    @Test
    void bindWildcard() {
        Tcp t = new Tcp(loop);
        t.bind(new InetSocketAddress(0));
        t.close();
        loop.run();
    }

    @Test
    void pendingWriteCallbacksRunOnClose() {
        AtomicInteger callbacks = new AtomicInteger();
        AtomicInteger bad = new AtomicInteger();
        Tcp server = new Tcp(loop);
        server.bind(any4());
        server.listen(1, (s, error) -> {
            Tcp conn = new Tcp(loop);
            s.accept(conn);
            byte[] chunk = new byte[4000];
            for (int i = 0; i < 1024; i++) {
                conn.write(chunk, (c, e) -> {
                    callbacks.incrementAndGet();
                    if (e != null && e.code() != Errno.ECANCELED) {
                        bad.incrementAndGet();
                    }
                });
            }
            conn.close();
            s.close();
        });
        Tcp client = new Tcp(loop);
        client.connect(server.localAddress(), (c, e) -> {
            assertNull(e);
            assertTrue(c.isReadable());
            assertTrue(c.isWritable());
            c.close();
        });
        loop.run();
        assertEquals(1024, callbacks.get());
        assertEquals(0, bad.get());
    }

    @Test
    void writeUntilQueued() {
        AtomicBoolean queued = new AtomicBoolean();
        Tcp server = new Tcp(loop);
        server.bind(any4());
        Tcp client = new Tcp(loop);
        server.listen(1, (s, error) -> {
            Tcp conn = new Tcp(loop);
            s.accept(conn);
            byte[] chunk = new byte[4000];
            while (conn.writeQueueSize() == 0) {
                conn.write(chunk);
            }
            queued.set(true);
            conn.close(h -> {
                client.close();
                s.close();
            });
        });
        client.connect(server.localAddress(), (c, e) -> assertNull(e));
        loop.run();
        assertTrue(queued.get());
    }

    @Test
    void writeByteBufferViews() {
        Tcp server = server(conn -> {
            byte[] big = ascii("xxxPINGyyy");
            conn.write(ByteBuffer.wrap(big, 3, 4));
            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            direct.put(ascii("PING")).flip();
            conn.write(direct);
            assertEquals(0, direct.position(), "writing does not move the position");
        }, null);
        AtomicInteger done = client(server, ascii("PINGPING"));
        loop.run();
        assertEquals(1, done.get());
    }

    @Test
    void dataWithNulByte() {
        Tcp server = server(conn -> conn.write(ascii("PIN\0G\n")), null);
        AtomicInteger done = client(server, ascii("PIN\0G\n"));
        loop.run();
        assertEquals(1, done.get());
    }

    @Test
    void writeSeveralBuffers() {
        ByteBuffer[] bufs = new ByteBuffer[12];
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            bufs[i] = ByteBuffer.wrap(ascii("PING" + (i + 1)));
            expected.append("PING").append(i + 1);
        }
        Tcp server = server(conn -> conn.write(bufs), null);
        AtomicInteger done = client(server, ascii(expected.toString()));
        loop.run();
        assertEquals(1, done.get());
    }

    @Test
    void writeSeveralBuffersWithNulAndHighBytes() {
        ByteBuffer[] bufs = new ByteBuffer[6];
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            bufs[i] = ByteBuffer.wrap(ascii("PING" + (i + 1)));
            expected.writeBytes(ascii("PING" + (i + 1)));
        }
        byte[] last = {'P', 'I', 'N', 'G', 0, (byte) 0xFF, '6'};
        bufs[5] = ByteBuffer.wrap(last);
        expected.writeBytes(last);
        Tcp server = server(conn -> conn.write(bufs), null);
        AtomicInteger done = client(server, expected.toByteArray());
        loop.run();
        assertEquals(1, done.get());
    }

    @Test
    void invalidWriteArgumentsRejected() {
        AtomicReference<UvException> firstRead = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        Tcp server = new Tcp(loop);
        server.bind(any4());
        server.listen(1, (s, error) -> {
            Tcp conn = new Tcp(loop);
            s.accept(conn);
            assertThrows(NullPointerException.class, () -> conn.write((byte[]) null));
            assertThrows(NullPointerException.class, () -> conn.write((ByteBuffer) null));
            assertThrows(IllegalArgumentException.class, () -> conn.write(new ByteBuffer[0]));
            assertThrows(NullPointerException.class, () -> conn.write(new ByteBuffer[] {ByteBuffer.allocate(1), null}));
            assertThrows(NullPointerException.class, () -> conn.write(new byte[][] {ascii("a"), null}, null));
            assertThrows(IllegalArgumentException.class, () -> conn.write(new byte[4], -1, 2, null));
            assertThrows(IllegalArgumentException.class, () -> conn.write(new byte[4], 0, -2, null));
            assertThrows(IndexOutOfBoundsException.class, () -> conn.write(new byte[4], 2, 3, null));
            conn.close();
            s.close();
        });
        Tcp client = new Tcp(loop);
        client.connect(server.localAddress(), (c, e) -> c.startRead((cc, data, re) -> {
            reads.incrementAndGet();
            firstRead.compareAndSet(null, re);
            cc.close();
        }));
        loop.run();
        assertEquals(1, reads.get());
        assertEquals("EOF", firstRead.get().name());
    }

    @Test
    void shutdownThenClose() {
        AtomicInteger closes = new AtomicInteger();
        AtomicInteger shutdowns = new AtomicInteger();
        HandleCallback<Handle> onClose = h -> closes.incrementAndGet();
        Tcp server = server(conn -> conn.write(ascii("PING\n")), onClose);
        new Tcp(loop).connect(server.localAddress(), PingScenario.expectThenShutdown(ascii("PING\n"), shutdowns, onClose));
        loop.run();
        assertEquals(1, shutdowns.get());
        assertEquals(3, closes.get());
    }

    @Test
    void socketOptionsOnFreshHandle() {
        Tcp t = new Tcp(loop);
        t.setNoDelay(true);
        t.setKeepAlive(true, 60);
        t.setSimultaneousAccepts(true);
        t.close();
        loop.run();
    }

    @Test
    void tryWrite() {
        AtomicInteger written = new AtomicInteger();
        Tcp server = server(conn -> {
            for (;;) {
                try {
                    written.set(conn.tryWrite(ascii("x")));
                    if (written.get() == 1) {
                        break;
                    }
                } catch (UvException e) {
                    assertEquals("EAGAIN", e.name());
                }
            }
        }, null);
        AtomicInteger done = client(server, ascii("x"));
        loop.run();
        assertEquals(1, written.get());
        assertEquals(1, done.get());
    }

    @Test
    void filenoIsValid() {
        AtomicInteger checks = new AtomicInteger();
        Tcp server = new Tcp(loop);
        server.bind(any4());
        server.listen(1, (s, e) -> {
            Tcp conn = new Tcp(loop);
            s.accept(conn);
            assertTrue(conn.fileno() >= 0);
            checks.incrementAndGet();
            conn.close();
            s.close();
        });
        assertTrue(server.fileno() >= 0);
        Tcp client = new Tcp(loop);
        client.connect(server.localAddress(), (c, e) -> {
            assertTrue(c.fileno() >= 0);
            checks.incrementAndGet();
            c.close();
        });
        assertTrue(client.fileno() >= 0);
        loop.run();
        assertEquals(2, checks.get());
    }

    @Test
    void bindIpv4WithoutFamily() {
        Tcp t = new Tcp(loop);
        t.bind(any4());
        t.close();
        loop.run();
    }

    @Test
    void bindIpv6WithoutFamily() {
        assumeTrue(ipv6(), "::1 cannot be bound here");
        Tcp t = new Tcp(loop);
        t.bind(ipv6Loopback(0));
        t.close();
        loop.run();
    }

    @Test
    void bindIpv4WithIpv4Family() {
        Tcp t = new Tcp(loop, StandardProtocolFamily.INET);
        t.bind(any4());
        t.close();
        loop.run();
    }

    @Test
    void bindIpv4OnIpv6SocketThrows() {
        assumeTrue(ipv6(), "::1 cannot be bound here");
        Tcp t = new Tcp(loop, StandardProtocolFamily.INET6);
        assertThrows(UvException.class, () -> t.bind(any4()));
        t.close();
        loop.run();
    }

    @Test
    void bindIpv6WithIpv6Family() {
        assumeTrue(ipv6(), "::1 cannot be bound here");
        Tcp t = new Tcp(loop, StandardProtocolFamily.INET6);
        t.bind(ipv6Loopback(0));
        t.close();
        loop.run();
    }

    @Test
    void bindIpv6OnIpv4SocketThrows() {
        assumeTrue(ipv6(), "::1 cannot be bound here");
        Tcp t = new Tcp(loop, StandardProtocolFamily.INET);
        assertThrows(UvException.class, () -> t.bind(ipv6Loopback(0)));
        t.close();
        loop.run();
    }

    @Test
    void familyAfterIpv4Bind() {
        Tcp t = new Tcp(loop);
        UvException e = assertThrows(UvException.class, t::family);
        assertEquals("EBADF", e.name());
        t.bind(any4());
        assertEquals(StandardProtocolFamily.INET, t.family());
        t.close();
        loop.run();
    }

    @Test
    void familyAfterIpv6Bind() {
        assumeTrue(ipv6(), "::1 cannot be bound here");
        Tcp t = new Tcp(loop);
        assertThrows(UvException.class, t::family);
        t.bind(ipv6Loopback(0));
        assertEquals(StandardProtocolFamily.INET6, t.family());
        t.close();
        loop.run();
    }

    @Test
    void familyOfIpv4Handle() {
        Tcp t = new Tcp(loop, StandardProtocolFamily.INET);
        assertEquals(StandardProtocolFamily.INET, t.family());
        t.close();
        loop.run();
    }

    @Test
    void familyOfIpv6Handle() {
        assumeTrue(ipv6(), "::1 cannot be bound here");
        Tcp t = new Tcp(loop, StandardProtocolFamily.INET6);
        assertEquals(StandardProtocolFamily.INET6, t.family());
        t.close();
        loop.run();
    }

    @Test
    void filenoIsTheRealSocketIpv4() {
        assumeTrue(TestLibc.SUPPORTED, "getsockname needs TestLibc's platform constants");
        Tcp t = new Tcp(loop);
        t.bind(any4());
        assertEquals(t.localAddress(), TestLibc.getsockname(t.fileno()));
        t.close();
        loop.run();
    }

    @Test
    void filenoIsTheRealSocketIpv6() {
        assumeTrue(TestLibc.SUPPORTED, "getsockname needs TestLibc's platform constants");
        assumeTrue(ipv6(), "::1 cannot be bound here");
        Tcp t = new Tcp(loop);
        t.bind(ipv6Loopback(0));
        InetSocketAddress local = t.localAddress();
        assertTrue(local.getAddress() instanceof Inet6Address);
        assertEquals(local, TestLibc.getsockname(t.fileno()));
        t.close();
        loop.run();
    }
}
