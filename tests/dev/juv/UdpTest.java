package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.Native;
import dev.juv.support.HeapCounter;
import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_udp.py, and more: sends, receives, options, families, misuse. */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class UdpTest extends UvTestCase {
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    private static final boolean MAC = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
    private static final InetSocketAddress ANY4 = new InetSocketAddress(ip("0.0.0.0"), 0);
    private static final InetSocketAddress LOOP4 = new InetSocketAddress(ip("127.0.0.1"), 0);
    private static final InetSocketAddress LOOP6 = new InetSocketAddress(ip("::1"), 0);

    private int closes;
    private final HandleCallback<Handle> onClose = h -> closes++;

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return b;
    }

    private static final boolean IPV6 = ipv6Loopback();

    @SuppressWarnings("try") // the socket is opened only to see whether ::1 can be bound
    static boolean ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip("::1"), 0))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void assumeIpv6() {
        assumeTrue(IPV6, "IPv6 loopback ::1 cannot be bound here");
    }

    // ---- the ping scenario ----

    @FunctionalInterface
    private interface Sender {
        void send(Udp udp, InetSocketAddress to);
    }

    private void pingScenario(Consumer<Udp> serverSetup, Sender ping, byte[] expectPing, Sender pong, byte[] expectPong) {
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        serverSetup.accept(server);
        server.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            assertEquals(0, flags);
            assertNotNull(sender);
            assertArrayEquals(expectPing, bytes(data));
            pong.send(udp, sender);
        });
        InetSocketAddress serverAddress = server.localAddress();
        Udp client = new Udp(loop);
        client.bind(LOOP4);
        int[] pongs = {0};
        client.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            assertEquals(0, flags);
            assertEquals(serverAddress, sender);
            assertArrayEquals(expectPong, bytes(data));
            pongs[0]++;
            client.close(onClose);
            server.close(onClose);
        });
        Timer timer = new Timer(loop);
        timer.start(t -> {
            t.close(onClose);
            ping.send(client, serverAddress);
        }, 100, 0);
        loop.run();
        assertEquals(1, pongs[0]);
        assertEquals(3, closes);
    }

    private static Sender bytesSender(String text) {
        return (udp, to) -> udp.send(to, bytes(text), null);
    }

    private static Sender buffersSender(String... parts) {
        return (udp, to) -> {
            ByteBuffer[] bufs = Arrays.stream(parts).map(p -> ByteBuffer.wrap(bytes(p))).toArray(ByteBuffer[]::new);
            udp.send(to, bufs, null);
        };
    }

    @Test
    void pingPong() {
        pingScenario(server -> {
            server.setBroadcast(true);
            try {
                server.setTtl(10);
            } catch (UvException e) {
                if (!WINDOWS) {
                    throw e;
                }
            }
        }, bytesSender("PING\n"), bytes("PING\n"), bytesSender("PONG\n"), bytes("PONG\n"));
    }

    @Test
    void pingPongWithNulByte() {
        pingScenario(s -> {}, bytesSender("PIN\0G\n"), bytes("PIN\0G\n"), bytesSender("PON\0G\n"), bytes("PON\0G\n"));
    }

    @Test
    void sendSeveralBuffers() {
        pingScenario(s -> {}, buffersSender("PING", "\n"), bytes("PING\n"), buffersSender("PONG", "\n"), bytes("PONG\n"));
    }

    @Test
    void sendSeveralBuffersWithNul() {
        pingScenario(s -> {}, buffersSender("PIN\0G", "\n"), bytes("PIN\0G\n"), buffersSender("PON\0G", "\n"), bytes("PON\0G\n"));
    }

    @Test
    void directBufferPingPong() {
        Sender direct = (udp, to) -> {
            ByteBuffer b = ByteBuffer.allocateDirect(16);
            b.put(bytes("PING\n")).flip();
            udp.send(to, b, null);
            assertEquals(0, b.position(), "send leaves the position alone");
            b.clear().put(bytes("XXXXX")); // the bytes were copied: changing them now changes nothing
        };
        pingScenario(s -> {}, direct, bytes("PING\n"), bytesSender("PONG\n"), bytes("PONG\n"));
    }

    @Test
    void emptyDatagram() {
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        int[] got = {0};
        server.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            assertEquals(0, flags);
            assertNotNull(sender);
            assertNotNull(data);
            assertEquals(0, data.remaining());
            got[0]++;
            udp.close(onClose);
        });
        Udp client = new Udp(loop);
        client.send(server.localAddress(), new byte[0], (udp, error) -> {
            assertNull(error);
            udp.close(onClose);
        });
        loop.run();
        assertEquals(1, got[0]);
        assertEquals(2, closes);
    }

    @Test
    void invalidSendArgumentsRejected() {
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        server.startRecv((udp, sender, data, flags, error) -> fail("nothing must reach the server"));
        InetSocketAddress serverAddress = server.localAddress();
        Udp client = new Udp(loop);
        client.bind(LOOP4);
        Timer timer = new Timer(loop);
        timer.start(t -> {
            long base = Native.liveBytes();
            assertThrows(NullPointerException.class, () -> client.send(serverAddress, (byte[]) null, null));
            assertThrows(NullPointerException.class, () -> client.send(serverAddress, (ByteBuffer) null, null));
            assertThrows(NullPointerException.class, () -> client.send(serverAddress, new ByteBuffer[] {null}, null));
            assertThrows(IllegalArgumentException.class,
                    () -> client.send(InetSocketAddress.createUnresolved("localhost", serverAddress.getPort()), bytes("PING"), null));
            assertThrows(NullPointerException.class, () -> client.trySend(serverAddress, (byte[]) null));
            assertThrows(IllegalArgumentException.class,
                    () -> client.trySend(InetSocketAddress.createUnresolved("localhost", 1), bytes("PING")));
            assertEquals(0, client.sendQueueCount());
            assertEquals(base, Native.liveBytes(), "a refused send leaves no memory behind");
            t.close(onClose);
            client.close(onClose);
            server.close(onClose);
        }, 100, 0);
        loop.run();
        assertEquals(3, closes);
    }

    @Test
    void multicastOverLoopback() {
        String group = "239.255.0.1";
        Udp receiver = new Udp(loop);
        Udp sender = new Udp(loop, StandardProtocolFamily.INET);
        boolean joined = false;
        try {
            receiver.bind(WINDOWS ? ANY4 : new InetSocketAddress(ip(group), 0));
            receiver.setMembership(group, "127.0.0.1", Udp.JOIN_GROUP);
            receiver.setMulticastTtl(10);
            joined = true;
        } catch (UvException e) {
            // the assumption below reports it
        }
        if (!joined) {
            receiver.close();
            sender.close();
            loop.run();
            assumeTrue(false, "joining a multicast group on the loopback interface fails here");
        }
        int port = receiver.localAddress().getPort();
        List<byte[]> got = new ArrayList<>();
        Timer deadline = new Timer(loop);
        receiver.startRecv((udp, from, data, flags, error) -> {
            assertNull(error);
            got.add(bytes(data));
            udp.setMembership(group, "127.0.0.1", Udp.LEAVE_GROUP);
            udp.close(onClose);
            deadline.close();
        });
        sender.setMulticastInterface("127.0.0.1");
        sender.send(new InetSocketAddress(ip(group), port), bytes("PING"), (udp, error) -> {
            assertNull(error);
            udp.close(onClose);
        });
        deadline.start(t -> {
            t.close();
            receiver.close(onClose);
        }, 3000, 0);
        loop.run();
        assumeFalse(got.isEmpty(), "multicast datagrams are not delivered over loopback here");
        assertArrayEquals(bytes("PING"), got.get(0));
        assertEquals(2, closes);
    }

    @Test
    void multicastLoopReceivesOwnDatagram() {
        assumeFalse(MAC, "skipped on macOS, as in pyuv");
        String group = "239.255.0.1";
        Udp udp = new Udp(loop);
        boolean joined = false;
        try {
            udp.bind(WINDOWS ? ANY4 : new InetSocketAddress(ip(group), 0));
            udp.setMembership(group, "127.0.0.1", Udp.JOIN_GROUP);
            joined = true;
        } catch (UvException e) {
            // reported below
        }
        if (!joined) {
            udp.close();
            loop.run();
            assumeTrue(false, "joining a multicast group on the loopback interface fails here");
        }
        udp.setMulticastLoop(true);
        udp.setMulticastInterface("127.0.0.1");
        List<byte[]> got = new ArrayList<>();
        Timer deadline = new Timer(loop);
        udp.startRecv((u, from, data, flags, error) -> {
            assertNull(error);
            got.add(bytes(data));
            u.setMembership(group, "127.0.0.1", Udp.LEAVE_GROUP);
            u.close(onClose);
            deadline.close();
        });
        udp.send(new InetSocketAddress(ip(group), udp.localAddress().getPort()), bytes("PING"), null);
        deadline.start(t -> {
            t.close();
            udp.close(onClose);
        }, 3000, 0);
        loop.run();
        assumeFalse(got.isEmpty(), "multicast datagrams are not looped back over loopback here");
        assertArrayEquals(bytes("PING"), got.get(0));
        assertEquals(1, closes);
    }

    @Test
    void oversizedDatagramFails() {
        Udp udp = new Udp(loop);
        List<UvException> errors = new ArrayList<>();
        // never queued in libuv (which would give a failed batch's error to every datagram queued
        // with it): the callback gets EMSGSIZE asynchronously, as pyuv's test expects
        udp.send(new InetSocketAddress(ip("127.0.0.1"), 9), new byte[65536], (u, error) -> {
            errors.add(error);
            u.close(onClose);
        });
        assertTrue(errors.isEmpty(), "the callback never runs inside send()");
        loop.run();
        assertEquals(1, errors.size());
        assertEquals(Errno.EMSGSIZE, errors.get(0).code());
        assertEquals(1, closes);
    }

    @Test
    void largestIpv4DatagramArrivesWhole() {
        byte[] big = new byte[65507];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        server.setRecvBufferSize(1 << 20);
        int[] got = {0};
        server.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            assertEquals(0, flags & Udp.PARTIAL);
            assertArrayEquals(big, bytes(data));
            got[0]++;
            udp.close(onClose);
        });
        Udp client = new Udp(loop);
        client.send(server.localAddress(), big, (u, error) -> {
            assertNull(error);
            u.close(onClose);
        });
        loop.run();
        assertEquals(1, got[0]);
        assertEquals(2, closes);
    }

    @Test
    void openRawSocket() {
        assumeTrue(TestLibc.SUPPORTED, "TestLibc does not know this platform");
        int fd = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_DGRAM);
        Udp udp = new Udp(loop);
        udp.open(fd);
        assertEquals(fd, udp.fileno());
        UvException e = assertThrows(UvException.class, () -> udp.bind(new InetSocketAddress(ip("1.2.3.4"), 0)));
        assertEquals(Errno.EADDRNOTAVAIL, e.code());
        udp.close(onClose);
        loop.run();
        assertEquals(1, closes);
        // the handle owned the descriptor and closed it
        assertTrue(TestLibc.close(fd) < 0, "fd " + fd + " should already be closed");
    }

    @Test
    void openRejectsBadDescriptors() {
        Udp udp = new Udp(loop);
        assertEquals(Errno.EBADF, assertThrows(UvException.class, () -> udp.open(-1)).code());
        udp.bind(LOOP4);
        if (TestLibc.SUPPORTED) {
            int fd = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_DGRAM);
            try {
                assertEquals(Errno.EBUSY, assertThrows(UvException.class, () -> udp.open(fd)).code());
            } finally {
                TestLibc.close(fd);
            }
        }
        udp.close();
        loop.run();
    }

    @Test
    void bindWildcard() {
        Udp udp = new Udp(loop);
        udp.bind(ANY4);
        assertTrue(udp.localAddress().getPort() > 0);
        udp.close(onClose);
        loop.run();
        assertEquals(1, closes);
    }

    @Test
    void bindTwiceWithReuseAddr() {
        Udp first = new Udp(loop);
        first.bind(ANY4, Udp.REUSEADDR);
        int port = first.localAddress().getPort();
        Udp second = new Udp(loop);
        second.bind(new InetSocketAddress(ip("0.0.0.0"), port), Udp.REUSEADDR);
        assertEquals(port, second.localAddress().getPort());
        first.close(onClose);
        second.close(onClose);
        loop.run();
        assertEquals(2, closes);
    }

    @Test
    void bindTwiceWithoutReuseThrows() {
        Udp first = new Udp(loop);
        first.bind(ANY4);
        int port = first.localAddress().getPort();
        Udp second = new Udp(loop);
        UvException e = assertThrows(UvException.class, () -> second.bind(new InetSocketAddress(ip("0.0.0.0"), port)));
        assertEquals(Errno.EADDRINUSE, e.code());
        assertTrue(e.getMessage().contains("uv_udp_bind"), e.getMessage());
        first.close(onClose);
        second.close(onClose);
        loop.run();
        assertEquals(2, closes);
    }

    @Test
    void filenoIsValid() {
        Udp udp = new Udp(loop);
        udp.bind(LOOP4);
        assertTrue(udp.fileno() >= 0);
        udp.close(onClose);
        loop.run();
        assertEquals(1, closes);
    }

    @Test
    void setMulticastInterfaceAny() {
        Udp udp = new Udp(loop);
        udp.bind(ANY4);
        udp.setMulticastInterface("0.0.0.0");
        udp.close(onClose);
        loop.run();
        assertEquals(1, closes);
    }

    @Test
    void trySend() {
        assumeFalse(WINDOWS, "skipped on Windows, as in pyuv");
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        InetSocketAddress serverAddress = server.localAddress();
        Udp client = new Udp(loop);
        client.bind(LOOP4);
        int[] got = {0};
        server.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            assertArrayEquals(bytes("PING"), bytes(data));
            got[0]++;
            udp.close(onClose);
            client.close(onClose);
        });
        Timer timer = new Timer(loop);
        timer.start(t -> {
            t.close(onClose);
            while (true) {
                try {
                    assertEquals(4, client.trySend(serverAddress, bytes("PING")));
                    break;
                } catch (UvException e) {
                    if (e.code() != Errno.EAGAIN) {
                        throw e;
                    }
                }
            }
        }, 100, 0);
        loop.run();
        assertEquals(1, got[0]);
        assertEquals(3, closes);
    }

    @Test
    void trySendWhileSendsAreQueuedIsEagain() {
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        Udp client = new Udp(loop);
        int[] sent = {0};
        client.send(server.localAddress(), bytes("one"), (u, error) -> sent[0]++);
        UvException e = assertThrows(UvException.class, () -> client.trySend(server.localAddress(), bytes("two")));
        assertEquals(Errno.EAGAIN, e.code());
        assertEquals("EAGAIN", e.name());
        loop.run(RunMode.NOWAIT);
        assertEquals(1, sent[0]);
        assertEquals(3, client.trySend(server.localAddress(), ByteBuffer.wrap(bytes("two"))));
        assertEquals(5, client.trySend(server.localAddress(),
                new ByteBuffer[] {ByteBuffer.wrap(bytes("th")), ByteBuffer.wrap(bytes("ree"))}));
        server.close();
        client.close();
        loop.run();
    }

    // ---- families ----

    @Test
    void bindIpv4WithoutFamily() {
        Udp udp = new Udp(loop);
        udp.bind(LOOP4);
        assertEquals(ip("127.0.0.1"), udp.localAddress().getAddress());
        udp.close();
        loop.run();
    }

    @Test
    void bindIpv6WithoutFamily() {
        assumeIpv6();
        Udp udp = new Udp(loop);
        udp.bind(LOOP6);
        assertEquals(ip("::1"), udp.localAddress().getAddress());
        udp.close();
        loop.run();
    }

    @Test
    void bindIpv4WithIpv4Family() {
        Udp udp = new Udp(loop, StandardProtocolFamily.INET);
        udp.bind(LOOP4);
        udp.close();
        loop.run();
    }

    @Test
    void bindIpv4OnIpv6SocketThrows() {
        assumeIpv6();
        Udp udp = new Udp(loop, StandardProtocolFamily.INET6);
        assertThrows(UvException.class, () -> udp.bind(LOOP4));
        udp.close();
        loop.run();
    }

    @Test
    void bindIpv6WithIpv6Family() {
        assumeIpv6();
        Udp udp = new Udp(loop, StandardProtocolFamily.INET6);
        udp.bind(LOOP6);
        udp.close();
        loop.run();
    }

    @Test
    void bindIpv6OnIpv4SocketThrows() {
        assumeIpv6();
        Udp udp = new Udp(loop, StandardProtocolFamily.INET);
        assertThrows(UvException.class, () -> udp.bind(LOOP6));
        udp.close();
        loop.run();
    }

    @Test
    void familyAfterIpv4Bind() {
        Udp udp = new Udp(loop);
        assertEquals(Errno.EBADF, assertThrows(UvException.class, udp::family).code());
        udp.bind(LOOP4);
        assertEquals(StandardProtocolFamily.INET, udp.family());
        udp.close();
        loop.run();
    }

    @Test
    void familyAfterIpv6Bind() {
        assumeIpv6();
        Udp udp = new Udp(loop);
        assertThrows(UvException.class, udp::family);
        udp.bind(LOOP6);
        assertEquals(StandardProtocolFamily.INET6, udp.family());
        udp.close();
        loop.run();
    }

    @Test
    void familyOfIpv4Handle() {
        assumeFalse(WINDOWS, "skipped on Windows, as in pyuv");
        Udp udp = new Udp(loop, StandardProtocolFamily.INET);
        assertEquals(StandardProtocolFamily.INET, udp.family());
        udp.close();
        loop.run();
    }

    @Test
    void familyOfIpv6Handle() {
        assumeFalse(WINDOWS, "skipped on Windows, as in pyuv");
        assumeIpv6();
        Udp udp = new Udp(loop, StandardProtocolFamily.INET6);
        assertEquals(StandardProtocolFamily.INET6, udp.family());
        udp.close();
        loop.run();
    }

    @Test
    void familyMustBeInternet() {
        assertThrows(IllegalArgumentException.class, () -> new Udp(loop, StandardProtocolFamily.UNIX));
        assertThrows(NullPointerException.class, () -> new Udp(loop, null));
        assertTrue(loop.handles().isEmpty());
    }

    @Test
    void filenoIsTheRealSocketIpv4() {
        assumeTrue(TestLibc.SUPPORTED, "TestLibc does not know this platform");
        Udp udp = new Udp(loop);
        udp.bind(LOOP4);
        assertEquals(udp.localAddress(), TestLibc.getsockname(udp.fileno()));
        udp.close();
        loop.run();
    }

    @Test
    void filenoIsTheRealSocketIpv6() {
        assumeTrue(TestLibc.SUPPORTED, "TestLibc does not know this platform");
        assumeIpv6();
        Udp udp = new Udp(loop);
        udp.bind(LOOP6);
        assertEquals(udp.localAddress(), TestLibc.getsockname(udp.fileno()));
        udp.close();
        loop.run();
    }

    @Test
    void ipv6PingPong() {
        assumeIpv6();
        Udp server = new Udp(loop, StandardProtocolFamily.INET6);
        server.bind(LOOP6, Udp.IPV6ONLY);
        server.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            assertEquals(ip("::1"), sender.getAddress());
            udp.send(sender, bytes(data), null);
        });
        Udp client = new Udp(loop);
        client.bind(LOOP6);
        int[] got = {0};
        client.startRecv((udp, sender, data, flags, error) -> {
            assertArrayEquals(bytes("hello6"), bytes(data));
            got[0]++;
            udp.close(onClose);
            server.close(onClose);
        });
        client.send(server.localAddress(), bytes("hello6"), null);
        loop.run();
        assertEquals(1, got[0]);
        assertEquals(2, closes);
    }

    @Test
    void broadcastPingPong() {
        Udp server = new Udp(loop);
        server.bind(ANY4);
        server.setBroadcast(true);
        int port = server.localAddress().getPort();
        server.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            assertArrayEquals(bytes("PING\n"), bytes(data));
            udp.send(sender, bytes("PONG\n"), null);
        });
        Udp client = new Udp(loop);
        client.bind(ANY4);
        InetSocketAddress broadcast = new InetSocketAddress(ip("127.255.255.255"), port);
        List<UvException> refused = new ArrayList<>();
        int[] pongs = {0};
        Timer deadline = new Timer(loop);
        client.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            assertArrayEquals(bytes("PONG\n"), bytes(data));
            pongs[0]++;
            udp.close(onClose);
            server.close(onClose);
            deadline.close(onClose);
        });
        // without SO_BROADCAST the same send is refused
        client.send(broadcast, bytes("PING\n"), (udp, error) -> {
            refused.add(error);
            udp.setBroadcast(true);
            udp.send(broadcast, bytes("PING\n"), null);
        });
        deadline.start(t -> {
            t.close(onClose);
            client.close(onClose);
            server.close(onClose);
        }, 3000, 0);
        loop.run();
        assertEquals(1, refused.size());
        assertNotNull(refused.get(0), "a broadcast without setBroadcast(true) must fail");
        assertEquals(Errno.EACCES, refused.get(0).code());
        assumeTrue(pongs[0] == 1, "this platform does not deliver loopback broadcasts");
        assertEquals(3, closes);
    }

    @Test
    void sendQueueStartsEmpty() {
        Udp udp = new Udp(loop);
        assertEquals(0, udp.sendQueueSize());
        assertEquals(0, udp.sendQueueCount());
        udp.close(onClose);
        loop.run();
        assertEquals(1, closes);
    }

    // ---- beyond pyuv ----

    @Test
    void closeWithSendsPendingRunsEachCallbackOnce() {
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        InetSocketAddress to = server.localAddress();
        Udp client = new Udp(loop);
        int n = 100;
        int[] calls = new int[n];
        List<UvException> errors = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            client.send(to, new byte[1000], (udp, error) -> {
                assertSame(client, udp);
                calls[k]++;
                errors.add(error);
                order.add("send");
            });
        }
        assertEquals(n, client.sendQueueCount());
        assertTrue(client.sendQueueSize() > 0, "queued bytes are counted");
        client.close(h -> order.add("close"));
        server.close();
        loop.run();
        for (int i = 0; i < n; i++) {
            assertEquals(1, calls[i], "send " + i + " called back once");
        }
        long cancelled = errors.stream().filter(e -> e != null && e.code() == Errno.ECANCELED).count();
        assertTrue(errors.stream().allMatch(e -> e == null || e.code() == Errno.ECANCELED), errors::toString);
        assertTrue(cancelled >= n - 1, "sends still queued are cancelled: " + cancelled);
        assertEquals("close", order.get(order.size() - 1), "the close callback runs last");
    }

    @Test
    void connectedHandleSendsToItsPeer() {
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        InetSocketAddress serverAddress = server.localAddress();
        Udp client = new Udp(loop);
        client.bind(LOOP4);
        assertThrows(UvException.class, client::remoteAddress);
        client.connect(serverAddress);
        assertEquals(serverAddress, client.remoteAddress());
        assertEquals(Errno.EISCONN, assertThrows(UvException.class, () -> client.connect(serverAddress)).code());
        assertEquals(Errno.EISCONN,
                assertThrows(UvException.class, () -> client.send(serverAddress, bytes("x"), null)).code());
        int[] got = {0};
        server.startRecv((udp, sender, data, flags, error) -> {
            assertArrayEquals(bytes("to the peer"), bytes(data));
            assertEquals(client.localAddress(), sender);
            got[0]++;
            client.disconnect();
            assertEquals(Errno.ENOTCONN, assertThrows(UvException.class, client::remoteAddress).code());
            assertThrows(UvException.class, () -> client.send(null, bytes("nowhere"), null));
            udp.close();
            client.close();
        });
        client.send(null, bytes("to the peer"), (udp, error) -> assertNull(error));
        loop.run();
        assertEquals(1, got[0]);
    }

    @Test
    void receiveCallbackCanBeReplacedAndStopped() {
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        List<String> seen = new ArrayList<>();
        server.startRecv((udp, s, d, f, e) -> seen.add("first"));
        server.startRecv((udp, s, data, f, e) -> {
            seen.add("second:" + new String(bytes(data), StandardCharsets.ISO_8859_1));
            udp.stopRecv();
            udp.stopRecv();
        });
        Udp client = new Udp(loop);
        InetSocketAddress to = server.localAddress();
        client.send(to, bytes("a"), null);
        client.send(to, bytes("b"), null);
        Timer t = new Timer(loop);
        t.start(x -> {
            x.close();
            server.close();
            client.close();
        }, 200, 0);
        loop.run();
        assertEquals(List.of("second:a"), seen);
    }

    @Test
    void manySendersEachSeenWithItsAddress() {
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        int n = 20;
        List<Udp> clients = new ArrayList<>();
        List<InetSocketAddress> seen = new ArrayList<>();
        server.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            int i = Integer.parseInt(new String(bytes(data), StandardCharsets.ISO_8859_1));
            assertEquals(clients.get(i).localAddress(), sender);
            seen.add(sender);
            if (seen.size() == n) {
                udp.close();
                clients.forEach(Udp::close);
            }
        });
        for (int i = 0; i < n; i++) {
            Udp c = new Udp(loop);
            c.bind(LOOP4);
            clients.add(c);
            c.send(server.localAddress(), bytes(Integer.toString(i)), null);
        }
        loop.run();
        assertEquals(n, seen.size());
    }

    @Test
    void randomDatagramsRoundTripExactly() {
        java.util.Random random = new java.util.Random(7);
        int n = 300;
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = switch (i % 4) {
                case 0 -> random.nextInt(16);
                case 1 -> random.nextInt(1500);
                case 2 -> random.nextInt(9000);
                default -> random.nextInt(65508);
            };
            byte[] d = new byte[len];
            random.nextBytes(d);
            sent.add(d);
        }
        Udp echo = new Udp(loop);
        echo.bind(LOOP4);
        echo.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            udp.send(sender, data, null);
        });
        Udp client = new Udp(loop);
        client.bind(LOOP4);
        client.setRecvBufferSize(1 << 20);
        int[] next = {0};
        client.startRecv((udp, sender, data, flags, error) -> {
            assertNull(error);
            assertArrayEquals(sent.get(next[0]), bytes(data), "datagram " + next[0]);
            if (++next[0] == n) {
                udp.close();
                echo.close();
            } else {
                byte[] d = sent.get(next[0]);
                if (next[0] % 2 == 0) {
                    udp.send(echo.localAddress(), d, null);
                } else {
                    int cut = d.length / 3;
                    udp.send(echo.localAddress(), new ByteBuffer[] {
                        ByteBuffer.wrap(d, 0, cut), ByteBuffer.allocateDirect(d.length - cut).put(d, cut, d.length - cut).flip()
                    }, null);
                }
            }
        });
        client.send(echo.localAddress(), sent.get(0), null);
        loop.run();
        assertEquals(n, next[0]);
    }

    private InetSocketAddress unreferencedEchoServer(int[] received) {
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        server.startRecv((udp, sender, data, flags, error) -> {
            received[0]++;
            udp.send(sender, data, (u, e) -> {
                if (received[0] == 50) {
                    u.close();
                }
            });
        });
        return server.localAddress();
    }

    @Test
    void handlesAndSendsInFlightSurviveGarbageCollection() {
        int[] received = {0};
        int[] answered = {0};
        InetSocketAddress server = unreferencedEchoServer(received);
        Udp client = new Udp(loop);
        client.bind(LOOP4);
        client.startRecv((udp, sender, data, flags, error) -> {
            if (++answered[0] == 50) {
                udp.close();
            }
        });
        for (int i = 0; i < 50; i++) {
            client.send(server, new byte[] {(byte) i}, null);
        }
        client = null;
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        loop.run();
        assertEquals(50, received[0]);
        assertEquals(50, answered[0]);
    }

    @Test
    void misuseIsAnException() {
        Udp udp = new Udp(loop);
        assertThrows(IllegalArgumentException.class, () -> udp.setTtl(0));
        assertThrows(IllegalArgumentException.class, () -> udp.setTtl(256));
        assertThrows(IllegalArgumentException.class, () -> udp.setMulticastTtl(-1));
        assertThrows(IllegalArgumentException.class, () -> udp.setMulticastTtl(256));
        assertThrows(IllegalArgumentException.class, () -> udp.bind(LOOP4, 0x100));
        assertThrows(IllegalArgumentException.class, () -> udp.setMembership("239.255.0.1", null, 7));
        assertThrows(IllegalArgumentException.class, () -> udp.setMembership("239.255.0.1\0", null, Udp.JOIN_GROUP));
        assertThrows(IllegalArgumentException.class, () -> udp.setMulticastInterface("127.0.0.1\0"));
        assertThrows(NullPointerException.class, () -> udp.setMembership(null, null, Udp.JOIN_GROUP));
        assertThrows(NullPointerException.class, () -> udp.bind(null));
        assertThrows(NullPointerException.class, () -> udp.connect(null));
        assertThrows(NullPointerException.class, () -> udp.startRecv(null));
        assertThrows(IllegalArgumentException.class, () -> udp.bind(InetSocketAddress.createUnresolved("127.0.0.1", 0)));
        assertThrows(IllegalArgumentException.class, () -> udp.connect(InetSocketAddress.createUnresolved("x", 1)));
        assertThrows(IllegalArgumentException.class, () -> udp.bind(new InetSocketAddress(ip("127.0.0.1"), 65536)));
        assertThrows(IllegalArgumentException.class, () -> udp.bind(new InetSocketAddress(ip("127.0.0.1"), -1)));
        assertThrows(UvException.class, () -> udp.setMembership("not an address", null, Udp.JOIN_GROUP));
        udp.close();
        udp.close(); // idempotent
        assertThrows(HandleClosedException.class, () -> udp.close(h -> {}));
        List<Runnable> calls = List.of(
                () -> udp.bind(LOOP4),
                () -> udp.connect(new InetSocketAddress(ip("127.0.0.1"), 9)),
                udp::disconnect,
                () -> udp.startRecv((u, s, d, f, e) -> {}),
                udp::stopRecv,
                udp::localAddress,
                udp::remoteAddress,
                udp::family,
                udp::fileno,
                udp::sendQueueSize,
                udp::sendQueueCount,
                () -> udp.open(3),
                () -> udp.setBroadcast(true),
                () -> udp.setTtl(5),
                () -> udp.setMulticastTtl(5),
                () -> udp.setMulticastLoop(true),
                () -> udp.setMulticastInterface("127.0.0.1"),
                () -> udp.setMembership("239.255.0.1", null, Udp.JOIN_GROUP),
                udp::isActive,
                udp::ref,
                udp::unref);
        for (Runnable c : calls) {
            assertThrows(HandleClosedException.class, c::run);
        }
        // sends on a closing handle are races, not misuse (see RaceTest)
        udp.send(LOOP4, new byte[1], null);
        udp.send(LOOP4, ByteBuffer.allocate(1), null);
        assertEquals("ECANCELED", assertThrows(UvException.class, () -> udp.trySend(LOOP4, new byte[1])).name());
        loop.run();
        for (Runnable c : calls) {
            assertThrows(HandleClosedException.class, c::run);
        }
        assertTrue(udp.isClosed());
    }

    @Test
    void foreignThreadIsRefusedWhileTheLoopRuns() throws Exception {
        Udp udp = new Udp(loop);
        udp.bind(LOOP4);
        Throwable[] seen = {null};
        Timer t = new Timer(loop);
        t.start(x -> {
            Thread other = new Thread(() -> {
                try {
                    udp.send(udp.localAddress(), new byte[1], null);
                } catch (Throwable e) {
                    seen[0] = e;
                }
            });
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            x.close();
            udp.close();
        }, 0, 0);
        loop.run();
        assertTrue(seen[0] instanceof IllegalStateException, String.valueOf(seen[0]));
        assertFalse(seen[0] instanceof HandleClosedException);
    }

    /** Measures the Java heap allocated per echoed datagram once warm; reported, bounded loosely. */
    @Test
    @Tag(Tags.GC_HEAVY)
    void steadyPingPongHeapPerMessage() {
        assumeTrue(HeapCounter.SUPPORTED, "no per-thread allocation counter");
        Udp server = new Udp(loop);
        server.bind(LOOP4);
        Udp client = new Udp(loop);
        client.bind(LOOP4);
        InetSocketAddress serverAddress = server.localAddress();
        InetSocketAddress clientAddress = client.localAddress();
        ByteBuffer reply = ByteBuffer.allocateDirect(64);
        server.startRecv((udp, sender, data, flags, error) -> {
            reply.clear();
            reply.put(data).flip();
            udp.send(clientAddress, reply, null);
        });
        int warm = 20000;
        int measured = 20000;
        long[] marks = new long[2];
        int[] count = {0};
        ByteBuffer ping = ByteBuffer.allocateDirect(64);
        ping.put(bytes("ping-pong payload")).flip();
        client.startRecv((udp, sender, data, flags, error) -> {
            int c = ++count[0];
            if (c == warm) {
                marks[0] = HeapCounter.allocatedBytes();
            }
            if (c == warm + measured) {
                marks[1] = HeapCounter.allocatedBytes();
                udp.close();
                server.close();
                return;
            }
            udp.send(serverAddress, ping, null);
        });
        client.send(serverAddress, ping, null);
        loop.run();
        double perMessage = (marks[1] - marks[0]) / (double) measured;
        System.out.printf("UDP echo round trip: %.1f heap bytes per round trip (one send and one receive on each side)%n",
                perMessage);
        assertTrue(perMessage < 4096, "heap bytes per round trip: " + perMessage);
    }
}
