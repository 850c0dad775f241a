package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pyuv's tests/test_poll.py, and more. The server side is a raw listening socket driven by a
 * second {@link Poll}, so every descriptor here is one juv did not create.
 */
@Timeout(30)
@Tag(Tags.PYUV)
class PollTest extends UvTestCase {
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    private static final byte[] PING = "PING\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "PONG\n".getBytes(StandardCharsets.US_ASCII);

    private final List<Integer> fds = new ArrayList<>();

    @BeforeEach
    void needsLibc() {
        assumeTrue(TestLibc.SUPPORTED, "TestLibc does not know this platform");
    }

    private int tcpSocket() {
        int fd = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
        fds.add(fd);
        return fd;
    }

    private void closeRawSockets() {
        for (int fd : fds) {
            assertEquals(0, TestLibc.close(fd), "a Poll never closes its descriptor: fd " + fd);
        }
        fds.clear();
    }

    private int listener() {
        int fd = tcpSocket();
        TestLibc.reuseAddress(fd);
        assertEquals(0, TestLibc.bind(fd, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        TestLibc.listen(fd, 16);
        return fd;
    }

    private static byte[] recvAll(int fd, int n) {
        byte[] buf = new byte[n];
        int r = TestLibc.recv(fd, buf);
        assertTrue(r > 0, "recv returned " + r);
        return Arrays.copyOf(buf, r);
    }

    @Test
    void pollDrivesForeignSocket() {
        int listenFd = listener();
        InetSocketAddress serverAddress = TestLibc.getsockname(listenFd);
        Poll server = new Poll(loop, listenFd);
        Poll[] connection = {null};
        int[] accepted = {-1};
        List<String> steps = new ArrayList<>();
        Poll[] client = {null};

        server.start(Poll.READABLE, (p, events, error) -> {
            assertNull(error);
            int fd = TestLibc.accept(listenFd);
            if (fd == -TestLibc.EAGAIN) {
                return;
            }
            assertTrue(fd >= 0, "accept: " + fd);
            fds.add(fd);
            accepted[0] = fd;
            TestLibc.setNonBlocking(fd);
            assertEquals(PING.length, TestLibc.send(fd, PING));
            Poll conn = new Poll(loop, fd);
            connection[0] = conn;
            conn.start(Poll.READABLE, (c, ev, err) -> {
                assertNull(err);
                assertArrayEquals(PONG, recvAll(fd, 64));
                steps.add("server got PONG");
                client[0].close();
                c.close();
                server.close();
            });
            p.stop();
        });

        int fd = tcpSocket();
        TestLibc.setNonBlocking(fd);
        int rc = TestLibc.connect(fd, serverAddress);
        assertTrue(rc == 0 || rc == -TestLibc.EINPROGRESS, "connect: " + rc);
        Poll poll = new Poll(loop, fd);
        client[0] = poll;
        assertEquals(fd, poll.fileno());
        boolean[] connected = {false};
        poll.start(Poll.WRITABLE, new Poll.Callback() {
            @Override
            public void call(Poll p, int events, UvException error) {
                assertNull(error);
                if (!connected[0]) {
                    assertTrue((events & Poll.WRITABLE) != 0);
                    int soError = TestLibc.socketError(fd);
                    if (soError == TestLibc.EINPROGRESS) {
                        return;
                    }
                    assertEquals(0, soError, "pending socket error");
                    connected[0] = true;
                    steps.add("connected");
                    p.stop();
                    p.start(Poll.READABLE, this);
                } else if ((events & Poll.READABLE) != 0) {
                    assertArrayEquals(PING, recvAll(fd, 64));
                    steps.add("client got PING");
                    p.start(Poll.WRITABLE, this);
                } else if ((events & Poll.WRITABLE) != 0) {
                    assertEquals(PONG.length, TestLibc.send(fd, PONG));
                    steps.add("client sent PONG");
                    p.stop();
                } else {
                    fail("unexpected events " + events);
                }
            }
        });
        loop.run();
        assertEquals(List.of("connected", "client got PING", "client sent PONG", "server got PONG"), steps);
        assertTrue(poll.isClosed());
        assertThrows(HandleClosedException.class, poll::fileno);
        assertTrue(server.isClosed() && connection[0].isClosed());
        closeRawSockets();
    }

    @Test
    void constantsAreLibuvs() {
        assertEquals(1, Poll.READABLE);
        assertEquals(2, Poll.WRITABLE);
        assertEquals(4, Poll.DISCONNECT);
        assertEquals(8, Poll.PRIORITIZED);
    }

    @Test
    void badDescriptorsAreExceptions() {
        assertEquals(Errno.EBADF, assertThrows(UvException.class, () -> new Poll(loop, -1)).code());
        assertThrows(UvException.class, () -> new Poll(loop, 1_000_000));
        int fd = tcpSocket();
        assertEquals(0, TestLibc.close(fd));
        fds.clear();
        assertThrows(UvException.class, () -> new Poll(loop, fd));
        assertTrue(loop.handles().isEmpty(), "a failed Poll leaves no handle");
    }

    @Test
    void secondPollOnTheSameDescriptorIsRefused() {
        int fd = listener();
        Poll first = new Poll(loop, fd);
        first.start(Poll.READABLE, (p, e, err) -> {});
        assertEquals(Errno.EEXIST, assertThrows(UvException.class, () -> new Poll(loop, fd)).code());
        first.close();
        loop.run();
        closeRawSockets();
    }

    @Test
    void misuseIsAnException() {
        int fd = listener();
        Poll poll = new Poll(loop, fd);
        assertThrows(IllegalArgumentException.class, () -> poll.start(16, (p, e, err) -> {}));
        assertThrows(IllegalArgumentException.class, () -> poll.start(-1, (p, e, err) -> {}));
        assertThrows(NullPointerException.class, () -> poll.start(Poll.READABLE, null));
        poll.start(0, (p, e, err) -> fail("events 0 watches nothing"));
        assertTrue(!poll.isActive());
        poll.start(Poll.READABLE | Poll.PRIORITIZED, (p, e, err) -> {});
        assertTrue(poll.isActive());
        poll.stop();
        poll.stop();
        poll.close();
        poll.close();
        assertThrows(HandleClosedException.class, () -> poll.start(Poll.READABLE, (p, e, err) -> {}));
        assertThrows(HandleClosedException.class, poll::stop);
        assertThrows(HandleClosedException.class, poll::fileno);
        assertThrows(HandleClosedException.class, () -> poll.close(h -> {}));
        loop.run();
        assertThrows(HandleClosedException.class, poll::stop);
        closeRawSockets();
    }

    @Test
    void peerCloseIsReported() {
        int listenFd = listener();
        int client = tcpSocket();
        assertEquals(0, TestLibc.connect(client, TestLibc.getsockname(listenFd)));
        int conn = TestLibc.accept(listenFd);
        assertTrue(conn >= 0);
        Poll poll = new Poll(loop, conn);
        List<Integer> seen = new ArrayList<>();
        poll.start(Poll.READABLE | Poll.DISCONNECT, (p, events, error) -> {
            assertNull(error);
            seen.add(events);
            byte[] buf = new byte[16];
            assertEquals(0, TestLibc.recv(conn, buf), "EOF");
            p.close();
        });
        assertEquals(0, TestLibc.close(client));
        fds.remove((Integer) client);
        loop.run();
        assertEquals(1, seen.size());
        assertTrue((seen.get(0) & Poll.READABLE) != 0);
        if (LINUX) {
            assertTrue((seen.get(0) & Poll.DISCONNECT) != 0, "Linux reports the peer's close: " + seen);
        }
        assertEquals(0, TestLibc.close(conn));
        closeRawSockets();
    }

    @Test
    void pollLeavesDescriptorNonBlockingAndOpen() {
        int fd = tcpSocket();
        Poll poll = new Poll(loop, fd);
        assertTrue(TestLibc.isNonBlocking(fd), "libuv puts a polled descriptor into non-blocking mode");
        poll.close();
        loop.run();
        closeRawSockets();
    }
}
