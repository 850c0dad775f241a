package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.LibUv;
import dev.juv.internal.Native;
import dev.juv.support.PingScenario;
import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** pyuv's tests/test_pipe.py, plus name checks and IPC handle passing over a socket pair. */
@Timeout(30)
@Tag(Tags.PYUV)
class PipeTest extends UvTestCase {
    @TempDir
    Path dir;

    private String name(String n) {
        return dir.resolve(n).toString();
    }

    static byte[] ascii(String s) {
        return PingScenario.ascii(s);
    }

    static byte[] bytes(ByteBuffer b) {
        return PingScenario.bytes(b);
    }

    /** The ping scenario's server bound to {@code path}; see {@link PingScenario#serve}. */
    private Pipe server(String path, Consumer<Pipe> onAccept, HandleCallback<Handle> onClose) {
        Pipe server = new Pipe(loop);
        server.setPendingInstances(100);
        server.bind(path);
        PingScenario.serve(server, () -> new Pipe(loop), onAccept, onClose);
        return server;
    }

    /** The ping scenario's client; see {@link PingScenario#expect}. */
    private AtomicInteger client(String path, byte[] expected) {
        AtomicInteger done = new AtomicInteger();
        new Pipe(loop).connect(path, PingScenario.expect(expected, done));
        return done;
    }

    @Test
    void connectToMissingPipeFails() {
        AtomicReference<UvException> err = new AtomicReference<>();
        Pipe p = new Pipe(loop);
        p.connect(name("missing.sock"), (c, e) -> {
            err.set(e);
            c.close();
        });
        loop.run();
        assertNotNull(err.get());
        assertEquals("ENOENT", err.get().name());
    }

    @Test
    void setBlockingOnBoundPipe() {
        Pipe p = new Pipe(loop);
        p.bind(name("b.sock"));
        p.setBlocking(true);
        p.setBlocking(false);
        p.close();
        loop.run();
    }

    @Test
    void pingOverNamedPipe() {
        String path = name("ping.sock");
        Pipe server = server(path, conn -> conn.write(ascii("PING\n")), null);
        assertEquals(path, server.localName());
        AtomicInteger remote = new AtomicInteger();
        Pipe client = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        client.connect(path, (c, error) -> {
            assertNull(error);
            assertEquals(path, c.remoteName());
            remote.incrementAndGet();
            c.startRead((cc, data, e) -> {
                got.writeBytes(bytes(data));
                if (got.toString(StandardCharsets.ISO_8859_1).startsWith("PING")) {
                    cc.close();
                }
            });
        });
        loop.run();
        assertEquals(1, remote.get());
        assertTrue(got.toString(StandardCharsets.ISO_8859_1).startsWith("PING"));
    }

    @Test
    void pingOverAbstractName() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "abstract names are Linux only");
        assumeTrue(LibUv.has_uv_pipe_bind2(), "abstract names need libuv 1.46 (uv_pipe_bind2); this one is "
                + Sys.versionString());
        String path = "\0juv-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Pipe server = server(path, conn -> conn.write(ascii("PING\n")), null);
        assertEquals(path, server.localName());
        AtomicInteger done = client(path, ascii("PING\n"));
        loop.run();
        assertEquals(1, done.get());
    }

    @Test
    void abstractNameNeedsNewerLibuv() {
        assumeTrue(!LibUv.has_uv_pipe_bind2(), "this libuv has uv_pipe_bind2");
        Pipe p = new Pipe(loop);
        assertThrows(UnsupportedOperationException.class, () -> p.bind("\0juv-abstract"));
        assertThrows(UnsupportedOperationException.class, () -> p.connect("\0juv-abstract", (c, e) -> { }));
        p.close();
        loop.run();
    }

    @Test
    void dataWithNulByte() {
        String path = name("nul.sock");
        server(path, conn -> conn.write(ascii("PIN\0G\n")), null);
        AtomicInteger done = client(path, ascii("PIN\0G\n"));
        loop.run();
        assertEquals(1, done.get());
    }

    @Test
    void writeSeveralBuffers() {
        String path = name("list.sock");
        server(path, conn -> conn.write(ByteBuffer.wrap(ascii("PING")), ByteBuffer.wrap(ascii("\n"))), null);
        AtomicInteger done = client(path, ascii("PING\n"));
        loop.run();
        assertEquals(1, done.get());
    }

    @Test
    void writeSeveralBuffersWithNul() {
        String path = name("listnul.sock");
        server(path, conn -> conn.write(new byte[][] {ascii("PING"), ascii("\0"), ascii("\n")}, null), null);
        AtomicInteger done = client(path, ascii("PING\0\n"));
        loop.run();
        assertEquals(1, done.get());
    }

    @Test
    void shutdownThenClose() {
        String path = name("shut.sock");
        AtomicInteger closes = new AtomicInteger();
        AtomicInteger shutdowns = new AtomicInteger();
        HandleCallback<Handle> onClose = h -> closes.incrementAndGet();
        server(path, conn -> conn.write(ascii("PING\n")), onClose);
        new Pipe(loop).connect(path, PingScenario.expectThenShutdown(ascii("PING\n"), shutdowns, onClose));
        loop.run();
        assertEquals(1, shutdowns.get());
        assertEquals(3, closes.get());
    }

    @Test
    void filenoIsValid() {
        String path = name("fileno.sock");
        AtomicInteger checks = new AtomicInteger();
        Pipe server = server(path, conn -> {
            assertTrue(conn.fileno() >= 0);
            checks.incrementAndGet();
            conn.close();
        }, null);
        assertTrue(server.fileno() >= 0);
        Pipe client = new Pipe(loop);
        client.connect(path, (c, error) -> {
            assertNull(error);
            assertTrue(c.fileno() >= 0);
            checks.incrementAndGet();
            c.close();
            server.close();
        });
        assertTrue(client.fileno() >= 0);
        loop.run();
        assertEquals(2, checks.get());
    }

    @Test
    void bindNonAsciiName() {
        String path = name("pipe-\u00e9\u00df\u4e2d.sock");
        Pipe p = new Pipe(loop);
        p.bind(path);
        assertEquals(path, p.localName());
        assertTrue(Files.exists(Path.of(path)));
        p.close();
        loop.run();
        assertFalse(Files.exists(Path.of(path)), "closing removes the socket file");
    }

    @Test
    void ipcFlag() {
        Pipe a = new Pipe(loop, false);
        Pipe b = new Pipe(loop, true);
        Pipe c = new Pipe(loop);
        assertFalse(a.isIpc());
        assertTrue(b.isIpc());
        assertFalse(c.isIpc());
        a.close();
        b.close();
        c.close();
        loop.run();
    }

    // ---- beyond pyuv ----

    @Test
    void namesAreCheckedBeforeLibuv() {
        Pipe p = new Pipe(loop);
        String longName = "/tmp/" + "x".repeat(Pipe.MAX_NAME_BYTES);
        assertThrows(IllegalArgumentException.class, () -> p.bind(longName));
        assertThrows(IllegalArgumentException.class, () -> p.connect(longName, (c, e) -> { }));
        String exact = dir + "/" + "y".repeat(Math.max(1, Pipe.MAX_NAME_BYTES - dir.toString().length() - 1));
        assertEquals(Pipe.MAX_NAME_BYTES, exact.getBytes(StandardCharsets.UTF_8).length);
        // multi-byte characters count as bytes
        String wide = "/tmp/" + "\u00e9".repeat(60);
        assertThrows(IllegalArgumentException.class, () -> p.bind(wide));
        assertThrows(IllegalArgumentException.class, () -> p.bind(name("a\0b")));
        assertThrows(IllegalArgumentException.class, () -> p.connect(name("a\0b"), (c, e) -> { }));
        assertThrows(IllegalArgumentException.class, () -> p.bind(""));
        assertThrows(NullPointerException.class, () -> p.bind(null));
        assertThrows(IllegalArgumentException.class, () -> p.open(-1));
        assertThrows(IllegalArgumentException.class, () -> p.setPendingInstances(-1));
        assertThrows(IllegalArgumentException.class, () -> p.chmod(4));
        p.bind(exact);
        assertEquals(exact, p.localName());
        p.chmod(Pipe.READABLE | Pipe.WRITABLE);
        try {
            var perms = Files.getPosixFilePermissions(Path.of(exact));
            assertTrue(perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ));
            assertTrue(perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        p.close();
        loop.run();
        assertEquals(0, loop.handles().size());
    }

    @Test
    void closedPipeThrows() {
        Pipe p = new Pipe(loop);
        p.close();
        assertThrows(HandleClosedException.class, () -> p.bind(name("c.sock")));
        p.write(ascii("x")); // dropped: a race, not misuse (see RaceTest)
        assertThrows(HandleClosedException.class, () -> p.startRead((s, d, e) -> { }));
        assertThrows(HandleClosedException.class, () -> p.pendingCount());
        loop.run();
        assertThrows(HandleClosedException.class, () -> p.connect(name("c.sock"), (c, e) -> { }));
        p.shutdown(null); // a race, not misuse: nothing to report without a callback
    }

    @Test
    void secondConnectWhileConnectingThrows() {
        String path = name("twice.sock");
        Pipe server = new Pipe(loop);
        server.bind(path);
        server.listen(1, (s, e) -> { });
        Pipe client = new Pipe(loop);
        AtomicInteger connects = new AtomicInteger();
        client.connect(path, (c, e) -> {
            connects.incrementAndGet();
            c.close();
            server.close();
        });
        assertThrows(IllegalStateException.class, () -> client.connect(path, (c, e) -> { }));
        loop.run();
        assertEquals(1, connects.get());
    }

    /** Two IPC pipes over a socket pair, each end opened with Pipe.open. */
    private Pipe[] ipcPair() {
        long fds = Native.calloc(8);
        try {
            UvException.check(LibUv.uv_socketpair(TestLibc.SOCK_STREAM, 0, fds, 0, 0), "uv_socketpair");
            Pipe a = new Pipe(loop, true);
            Pipe b = new Pipe(loop, true);
            a.open(Native.getInt(fds));
            b.open(Native.getInt(fds + 4));
            return new Pipe[] {a, b};
        } finally {
            Native.free(fds);
        }
    }

    @Test
    void ipcPassesTcpServerHandle() {
        Pipe[] pair = ipcPair();
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = server.localAddress().getPort();
        AtomicInteger writes = new AtomicInteger();
        AtomicReference<HandleType> pending = new AtomicReference<>();
        AtomicInteger accepted = new AtomicInteger();
        assertEquals(HandleType.UNKNOWN_HANDLE, pair[1].pendingType());
        pair[0].write(ascii("hello"), server, (s, e) -> {
            assertNull(e);
            writes.incrementAndGet();
            server.close();
        });
        pair[1].startRead((s, data, e) -> {
            assertNotNull(data);
            assertEquals("hello", new String(bytes(data), StandardCharsets.ISO_8859_1));
            Pipe p = s;
            assertEquals(1, p.pendingCount());
            pending.set(p.pendingType());
            Pipe wrong = new Pipe(loop);
            assertThrows(IllegalArgumentException.class, () -> p.accept(wrong));
            wrong.close();
            Tcp received = new Tcp(loop);
            p.accept(received);
            assertEquals(0, p.pendingCount());
            assertEquals(port, received.localAddress().getPort());
            accepted.incrementAndGet();
            received.close();
            pair[0].close();
            p.close();
        });
        loop.run();
        assertEquals(1, writes.get());
        assertEquals(HandleType.TCP, pending.get());
        assertEquals(1, accepted.get());
    }

    @Test
    void ipcPassesPipeHandleAndItWorks() {
        Pipe[] pair = ipcPair();
        String path = name("passed.sock");
        Pipe listening = new Pipe(loop);
        listening.bind(path);
        AtomicInteger echoed = new AtomicInteger();
        // closing the bound original removes the socket file, so it stays open until the end
        pair[0].write(ByteBuffer.wrap(ascii(".")), listening, (s, e) -> assertNull(e));
        pair[1].startRead((s, data, e) -> {
            Pipe p = s;
            assertEquals(HandleType.NAMED_PIPE, p.pendingType());
            Pipe received = new Pipe(loop);
            p.accept(received);
            pair[0].close();
            p.close();
            // the received copy listens, and a client connects to it
            received.listen(1, (srv, le) -> {
                Pipe conn = new Pipe(loop);
                srv.accept(conn);
                conn.write(ascii("ok"), (c, we) -> {
                    c.close();
                    srv.close();
                });
            });
            Pipe client = new Pipe(loop);
            client.connect(path, (c, ce) -> {
                assertNull(ce);
                c.startRead((cc, d, re) -> {
                    if (d != null) {
                        assertEquals("ok", new String(bytes(d), StandardCharsets.ISO_8859_1));
                        echoed.incrementAndGet();
                    }
                    cc.close();
                    listening.close();
                });
            });
        });
        loop.run();
        assertEquals(1, echoed.get());
    }

    @Test
    void sendHandleChecks() {
        Pipe[] pair = ipcPair();
        Timer t = new Timer(loop);
        assertThrows(IllegalArgumentException.class, () -> pair[0].write(ascii("x"), t, null));
        assertThrows(NullPointerException.class, () -> pair[0].write(ascii("x"), (Handle) null, null));
        Tcp noSocket = new Tcp(loop);
        UvException e = assertThrows(UvException.class, () -> pair[0].write(ascii("x"), noSocket, null));
        assertEquals("EBADF", e.name());
        Pipe plain = new Pipe(loop);
        Tcp bound = new Tcp(loop);
        bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        long fds = Native.calloc(8);
        try {
            UvException.check(LibUv.uv_socketpair(TestLibc.SOCK_STREAM, 0, fds, 0, 0), "uv_socketpair");
            plain.open(Native.getInt(fds));
            assertEquals(0, TestLibc.close(Native.getInt(fds + 4)));
        } finally {
            Native.free(fds);
        }
        UvException notIpc = assertThrows(UvException.class, () -> plain.write(ascii("x"), bound, null));
        assertEquals("EINVAL", notIpc.name());
        Timer closing = t;
        closing.close();
        assertThrows(HandleClosedException.class, () -> pair[0].write(ascii("x"), closing, null));
        for (Handle h : new Handle[] {pair[0], pair[1], noSocket, plain, bound}) {
            h.close();
        }
        loop.run();
    }

    @Test
    void sentHandleClosedAtOnceStaysSafe() {
        Pipe[] pair = ipcPair();
        AtomicInteger callbacks = new AtomicInteger();
        // fill the channel so the handle-carrying write has to wait in libuv's queue
        byte[] big = new byte[4 << 20];
        pair[0].write(big, (s, e) -> callbacks.incrementAndGet());
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        AtomicReference<UvException> sendError = new AtomicReference<>();
        pair[0].write(ascii("h"), server, (s, e) -> {
            sendError.set(e);
            callbacks.incrementAndGet();
            s.close();
            pair[1].close();
        });
        server.close();
        AtomicInteger read = new AtomicInteger();
        Timer later = new Timer(loop);
        later.start(tm -> {
            tm.close();
            pair[1].startRead((s, d, e) -> {
                if (d != null) {
                    read.addAndGet(d.remaining());
                }
            });
        }, 50, 0);
        loop.run();
        assertEquals(2, callbacks.get());
        assertNotNull(sendError.get(), "the handle was closed before it could be sent");
        assertEquals("EBADF", sendError.get().name());
    }
}
