package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An accept refused because of its client (one that already has a descriptor, of the wrong
 * type, of another loop, closed, the server itself) leaves the pending connection or received
 * handle where it was: a proper client accepts it afterwards and it works. libuv itself would
 * report EBUSY only after taking the pending descriptor, which it then closes.
 */
@Timeout(30)
class AcceptRefusalTest extends UvTestCase {
    static {
        // the JDK keeps a socket of its own from its first networking call: make it before any baseline
        TcpTest.freePort();
        // and the random source behind temporary names keeps its descriptors open
        try {
            Files.delete(Files.createTempDirectory(Path.of("/tmp"), "juv"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private Path dir;
    private Loop other;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "juv");
        other = new Loop();
    }

    @AfterEach
    void tearDown() throws Exception {
        other.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.delete(dir);
    }

    /** Each refusal: what it offers as the client, and the exception it must get. */
    private record Refusal(String what, Supplier<Handle> client, Class<? extends Throwable> thrown, String name) {}

    /**
     * Offers every refused client to {@code accept}, checking each exception (and that nothing was
     * taken, through {@code stillPending}), closing each client afterwards.
     */
    private static void refuseAll(List<Refusal> refusals, java.util.function.Consumer<Handle> accept,
            Runnable stillPending, List<String> log) {
        for (Refusal r : refusals) {
            Handle client = r.client.get();
            Throwable t = assertThrows(r.thrown, () -> accept.accept(client), r.what);
            if (r.name != null) {
                assertEquals(r.name, ((UvException) t).name(), r.what);
            }
            stillPending.run();
            if (!client.isClosing()) {
                client.close();
            }
            log.add(r.what);
        }
    }

    /** Accepts into {@code conn}, closes the server and appends what {@code conn} reads to {@code got}. */
    private static void acceptAndRead(Stream<?> server, Stream<?> conn, StringBuilder got) {
        server.accept(conn);
        server.close();
        conn.startRead((s, d, re) -> {
            if (d == null) {
                s.close();
                return;
            }
            got.append(StandardCharsets.US_ASCII.decode(d));
        });
    }

    private static void sayStillHere(Stream<?> connected, UvException error) {
        assertNull(error);
        connected.write("still here".getBytes(StandardCharsets.US_ASCII), (w, we) -> w.close());
    }

    private Tcp boundTcp() {
        Tcp t = new Tcp(loop);
        t.bind(LOOPBACK);
        return t;
    }

    private Tcp closedTcp() {
        Tcp t = new Tcp(loop);
        t.close();
        return t;
    }

    @Test
    void aTcpConnectionSurvivesEveryRefusedClient() {
        Tcp server = new Tcp(loop);
        server.bind(LOOPBACK);
        List<String> refused = new ArrayList<>();
        StringBuilder got = new StringBuilder();
        server.listen(1, (srv, e) -> {
            assertNull(e);
            refuseAll(List.of(
                    new Refusal("bound", this::boundTcp, UvException.class, "EBUSY"),
                    new Refusal("created with a socket", () -> new Tcp(loop, StandardProtocolFamily.INET),
                            UvException.class, "EBUSY"),
                    new Refusal("a pipe", () -> new Pipe(loop), IllegalArgumentException.class, null),
                    new Refusal("of another loop", () -> new Tcp(other), IllegalArgumentException.class, null),
                    new Refusal("closed", this::closedTcp, HandleClosedException.class, null)),
                    srv::acceptHandle, () -> { }, refused);
            assertThrows(IllegalArgumentException.class, () -> srv.accept(srv));
            acceptAndRead(srv, new Tcp(loop), got);
        });
        new Tcp(loop).connect(server.localAddress(), AcceptRefusalTest::sayStillHere);
        loop.run();
        other.run();
        assertEquals(5, refused.size(), refused.toString());
        assertEquals("still here", got.toString());
    }

    @Test
    void aPipeConnectionSurvivesEveryRefusedClient() {
        String name = dir.resolve("server.sock").toString();
        Pipe server = new Pipe(loop);
        server.bind(name);
        List<String> refused = new ArrayList<>();
        StringBuilder got = new StringBuilder();
        int[] n = {0};
        server.listen(1, (srv, e) -> {
            assertNull(e);
            refuseAll(List.of(
                    new Refusal("bound", () -> {
                        Pipe p = new Pipe(loop);
                        p.bind(dir.resolve("other" + n[0]++ + ".sock").toString());
                        return p;
                    }, UvException.class, "EBUSY"),
                    new Refusal("a tcp", () -> new Tcp(loop), IllegalArgumentException.class, null),
                    new Refusal("of another loop", () -> new Pipe(other), IllegalArgumentException.class, null),
                    new Refusal("closed", () -> {
                        Pipe p = new Pipe(loop);
                        p.close();
                        return p;
                    }, HandleClosedException.class, null)),
                    client -> srv.accept(client), () -> { }, refused);
            acceptAndRead(srv, new Pipe(loop), got);
        });
        new Pipe(loop).connect(name, AcceptRefusalTest::sayStillHere);
        loop.run();
        other.run();
        assertEquals(4, refused.size(), refused.toString());
        assertEquals("still here", got.toString());
    }

    /**
     * An IPC pipe pair in this process; {@code sent} goes over it and the receiving side offers
     * refused clients before accepting it into a proper one, which must be the same socket.
     */
    private void passAndAccept(Handle sent, List<Refusal> refusals, Supplier<Handle> proper, HandleType type) {
        assumeFalse(System.getProperty("os.name", "").toLowerCase().contains("win"),
                "handle passing over Unix domain sockets");
        String name = dir.resolve("ipc.sock").toString();
        // libuv refuses to listen on an IPC pipe; the ends of the connection are IPC pipes
        Pipe server = new Pipe(loop);
        server.bind(name);
        List<String> refused = new ArrayList<>();
        Handle[] accepted = new Handle[1];
        server.listen(1, (srv, e) -> {
            assertNull(e);
            Pipe chan = new Pipe(loop, true);
            srv.accept(chan);
            srv.close();
            chan.startRead((s, d, re) -> {
                if (d == null) {
                    s.close();
                    return;
                }
                Pipe p = s;
                if (p.pendingCount() == 0) {
                    return;
                }
                refuseAll(refusals, p::accept, () -> {
                    assertEquals(1, p.pendingCount(), "the received handle was dropped");
                    assertEquals(type, p.pendingType());
                }, refused);
                Handle into = proper.get();
                p.accept(into);
                assertEquals(0, p.pendingCount());
                accepted[0] = into;
                s.close();
            });
        });
        Pipe client = new Pipe(loop, true);
        client.connect(name, (c, e) -> {
            assertNull(e);
            c.write(".".getBytes(StandardCharsets.US_ASCII), sent, (w, we) -> {
                assertNull(we);
                w.close();
            });
        });
        loop.run();
        other.run();
        assertEquals(refusals.size(), refused.size(), refused.toString());
        Handle into = accepted[0];
        assertTrue(into != null, "nothing accepted");
        try {
            if (sent instanceof Tcp t) {
                assertEquals(t.localAddress(), ((Tcp) into).localAddress());
            } else {
                assertEquals(((Udp) sent).localAddress(), ((Udp) into).localAddress());
            }
        } finally {
            sent.close();
            into.close();
            loop.run();
        }
    }

    @Test
    void aReceivedTcpHandleSurvivesEveryRefusedClient() {
        passAndAccept(boundTcp(), List.of(
                new Refusal("bound", this::boundTcp, UvException.class, "EBUSY"),
                new Refusal("created with a socket", () -> new Tcp(loop, StandardProtocolFamily.INET),
                        UvException.class, "EBUSY"),
                new Refusal("a udp", () -> new Udp(loop), IllegalArgumentException.class, null),
                new Refusal("a pipe", () -> new Pipe(loop), IllegalArgumentException.class, null),
                new Refusal("of another loop", () -> new Tcp(other), IllegalArgumentException.class, null),
                new Refusal("closed", this::closedTcp, HandleClosedException.class, null)),
                () -> new Tcp(loop), HandleType.TCP);
    }

    @Test
    void aReceivedUdpHandleSurvivesEveryRefusedClient() {
        Udp sent = new Udp(loop);
        sent.bind(LOOPBACK);
        passAndAccept(sent, List.of(
                new Refusal("bound", () -> {
                    Udp u = new Udp(loop);
                    u.bind(LOOPBACK);
                    return u;
                }, UvException.class, "EBUSY"),
                new Refusal("created with a socket", () -> new Udp(loop, StandardProtocolFamily.INET),
                        UvException.class, "EBUSY"),
                new Refusal("a tcp", () -> new Tcp(loop), IllegalArgumentException.class, null),
                new Refusal("of another loop", () -> new Udp(other), IllegalArgumentException.class, null)),
                () -> new Udp(loop), HandleType.UDP);
    }
}
