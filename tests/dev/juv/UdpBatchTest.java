package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.UdpDestination;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A datagram the kernel would refuse whatever the network does (port 0, a destination of a
 * family the socket cannot send to) never fails the valid datagrams queued with it: libuv up to
 * 1.49 gives the first error of a sendmmsg batch to the whole batch, so such datagrams are refused
 * before they are queued and only their own callback gets the error, on a later loop turn.
 */
@Timeout(30)
class UdpBatchTest extends UvTestCase {
    private static final boolean IPV6 = ipv6Loopback();

    @SuppressWarnings("try") // the socket is opened only to see whether ::1 can be bound
    private static boolean ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip("::1"), 0))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void linuxOnly() {
        assumeTrue(UdpDestination.CHECKED, "the refused destinations and their codes are Linux's");
    }

    private static void assumeIpv6() {
        assumeTrue(IPV6, "IPv6 loopback ::1 cannot be bound here");
    }

    /** One datagram of a batch: where it goes and the error it must get (0: none). */
    private record Send(InetSocketAddress to, int expected) {}

    /**
     * Queues every send from {@code sender} in one go, then runs the loop until each callback has
     * run and {@code receiver} has every valid datagram. Checks that no callback ran inside
     * {@code send}, that each got exactly its expected outcome, and that every valid datagram
     * arrived.
     */
    private void batch(Udp sender, Udp receiver, List<Send> sends) {
        Set<String> expected = new TreeSet<>();
        Set<String> received = new TreeSet<>();
        String[] outcome = new String[sends.size()];
        boolean[] inside = {false};
        int[] called = {0};
        receiver.startRecv((u, from, data, flags, error) -> {
            assertNull(error);
            byte[] b = new byte[data.remaining()];
            data.get(b);
            received.add(new String(b, StandardCharsets.US_ASCII));
        });
        for (int i = 0; i < sends.size(); i++) {
            Send s = sends.get(i);
            String payload = "datagram-" + i;
            if (s.expected == 0) {
                expected.add(payload);
            }
            int at = i;
            inside[0] = true;
            sender.send(s.to, payload.getBytes(StandardCharsets.US_ASCII), (u, error) -> {
                assertFalse(inside[0], "a send callback ran inside send()");
                outcome[at] = error == null ? "ok" : error.name();
                called[0]++;
            });
            inside[0] = false;
        }
        Timer guard = new Timer(loop);
        long[] allCalled = {0};
        guard.start(t -> {
            if (called[0] < sends.size()) {
                return;
            }
            if (allCalled[0] == 0) {
                allCalled[0] = loop.now();
            }
            // every callback has run: wait for the datagrams that were sent, 2 s at most
            if (received.size() >= expected.size() || loop.now() - allCalled[0] > 2000) {
                t.close();
                sender.close();
                if (receiver != sender) {
                    receiver.close();
                }
            }
        }, 1, 1);
        loop.run();
        List<String> want = new ArrayList<>();
        for (Send s : sends) {
            want.add(s.expected == 0 ? "ok" : Errno.name(s.expected));
        }
        assertEquals(want, List.of(outcome));
        assertEquals(expected, received);
    }

    private static List<Send> mixed(InetSocketAddress good, List<Send> bad) {
        // one first datagram goes out at once; the rest queue and leave in sendmmsg batches
        List<Send> out = new ArrayList<>();
        int b = 0;
        for (int i = 0; i < 40; i++) {
            if (i % 7 == 3 && b < bad.size()) {
                out.add(bad.get(b++));
            }
            out.add(new Send(good, 0));
        }
        while (b < bad.size()) {
            out.add(bad.get(b++));
            out.add(new Send(good, 0));
        }
        return out;
    }

    @Test
    void portZeroAndAnIpv6DestinationAmongIpv4DatagramsFailAlone() {
        Udp receiver = new Udp(loop);
        receiver.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
        Udp sender = new Udp(loop);
        sender.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
        InetSocketAddress good = receiver.localAddress();
        batch(sender, receiver, mixed(good, List.of(
                new Send(new InetSocketAddress(ip("127.0.0.1"), 0), Errno.EINVAL),
                new Send(new InetSocketAddress(ip("::1"), good.getPort()), Errno.EAFNOSUPPORT),
                new Send(new InetSocketAddress(ip("127.0.0.1"), 0), Errno.EINVAL),
                new Send(new InetSocketAddress(ip("::1"), 9), Errno.EAFNOSUPPORT))));
    }

    @Test
    void anIpv4DestinationFromASocketBoundToIpv6LoopbackFailsAlone() {
        assumeIpv6();
        Udp receiver = new Udp(loop);
        receiver.bind(new InetSocketAddress(ip("::1"), 0));
        Udp sender = new Udp(loop);
        sender.bind(new InetSocketAddress(ip("::1"), 0));
        InetSocketAddress good = receiver.localAddress();
        batch(sender, receiver, mixed(good, List.of(
                new Send(new InetSocketAddress(ip("127.0.0.1"), good.getPort()), Errno.ENETUNREACH),
                new Send(new InetSocketAddress(ip("::1"), 0), Errno.EINVAL),
                new Send(new InetSocketAddress(ip("127.0.0.1"), 9), Errno.ENETUNREACH))));
    }

    @Test
    void anIpv4DestinationFromAnIpv6OnlyWildcardSocketFailsAlone() {
        assumeIpv6();
        Udp receiver = new Udp(loop);
        receiver.bind(new InetSocketAddress(ip("::1"), 0));
        Udp sender = new Udp(loop);
        sender.bind(new InetSocketAddress(ip("::"), 0), Udp.IPV6ONLY);
        InetSocketAddress good = receiver.localAddress();
        batch(sender, receiver, mixed(good, List.of(
                new Send(new InetSocketAddress(ip("127.0.0.1"), 9), Errno.ENETUNREACH))));
    }

    @Test
    void aDualStackSocketSendsToBothFamiliesUnrefused() {
        assumeIpv6();
        Udp receiver4 = new Udp(loop);
        receiver4.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
        Udp receiver = new Udp(loop);
        receiver.bind(new InetSocketAddress(ip("::1"), 0));
        Udp sender = new Udp(loop);
        sender.bind(new InetSocketAddress(ip("::"), 0));
        List<String> got4 = new ArrayList<>();
        receiver4.startRecv((u, from, data, flags, error) -> {
            got4.add(StandardCharsets.US_ASCII.decode(data).toString());
            u.close();
        });
        sender.send(receiver4.localAddress(), "to-ipv4".getBytes(StandardCharsets.US_ASCII), (u, e) -> assertNull(e));
        batch(sender, receiver, mixed(receiver.localAddress(), List.of(
                new Send(new InetSocketAddress(ip("::1"), 0), Errno.EINVAL))));
        assertEquals(List.of("to-ipv4"), got4);
    }

    @Test
    void anIpv6DestinationFromASocketBoundToAnIpv4MappedAddressFailsAlone() throws Exception {
        assumeIpv6();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        Inet6Address local = Inet6Address.getByAddress(null, mapped, 0);
        Udp receiver = new Udp(loop);
        receiver.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
        Udp sender = new Udp(loop);
        sender.bind(new InetSocketAddress(local, 0));
        assertEquals(java.net.StandardProtocolFamily.INET6, sender.family());
        batch(sender, receiver, mixed(receiver.localAddress(), List.of(
                new Send(new InetSocketAddress(ip("::1"), 9), Errno.EAFNOSUPPORT))));
    }

    @Test
    void aFirstDatagramToPortZeroFromAHandleWithoutSocket() {
        Udp receiver = new Udp(loop);
        receiver.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
        Udp sender = new Udp(loop);
        List<Send> sends = new ArrayList<>();
        sends.add(new Send(new InetSocketAddress(ip("127.0.0.1"), 0), Errno.EINVAL));
        sends.addAll(mixed(receiver.localAddress(), List.of(
                new Send(new InetSocketAddress(ip("::1"), 9), Errno.EAFNOSUPPORT))));
        batch(sender, receiver, sends);
    }

    @Test
    void connectingAndDisconnectingKeepLibuvsOwnImmediateErrors() {
        Udp receiver = new Udp(loop);
        receiver.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
        Udp sender = new Udp(loop);
        sender.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
        List<String> outcomes = new ArrayList<>();
        Udp.SendCallback record = (u, e) -> outcomes.add(e == null ? "ok" : e.name());
        // refused, so the cache of what the socket is gets filled while it is unconnected
        sender.send(new InetSocketAddress(ip("127.0.0.1"), 0), new byte[1], record);
        sender.connect(receiver.localAddress());
        UvException isconn = assertThrows(UvException.class,
                () -> sender.send(new InetSocketAddress(ip("127.0.0.1"), 0), new byte[1], record));
        assertEquals(Errno.EISCONN, isconn.code());
        sender.send(null, "connected".getBytes(StandardCharsets.US_ASCII), record);
        sender.disconnect();
        UvException noDest = assertThrows(UvException.class, () -> sender.send(null, new byte[1], record));
        assertEquals("EDESTADDRREQ", noDest.name());
        sender.send(new InetSocketAddress(ip("127.0.0.1"), 0), ByteBuffer.allocate(1), record);
        sender.send(new InetSocketAddress(ip("::1"), 9), new ByteBuffer[] {ByteBuffer.allocate(1)}, record);
        List<String> got = new ArrayList<>();
        receiver.startRecv((u, from, data, flags, error) -> {
            got.add(StandardCharsets.US_ASCII.decode(data).toString());
            u.close();
        });
        Timer guard = new Timer(loop);
        long started = loop.now();
        guard.start(t -> {
            // every outcome and the datagram, or 5 s
            if (outcomes.size() == 4 && !got.isEmpty() || loop.now() - started > 5000) {
                t.close();
                sender.close();
                if (!receiver.isClosing()) {
                    receiver.close();
                }
            }
        }, 1, 1);
        loop.run();
        // the refused ones arrive through the loop's task queue, the sent one through libuv
        outcomes.sort(null);
        assertEquals(List.of("EAFNOSUPPORT", "EINVAL", "EINVAL", "ok"), outcomes);
        assertEquals(List.of("connected"), got);
    }

    @Test
    void aRefusedDatagramWithoutCallbackIsDroppedQuietly() {
        Udp sender = new Udp(loop);
        sender.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
        sender.send(new InetSocketAddress(ip("127.0.0.1"), 0), new byte[1]);
        sender.send(new InetSocketAddress(ip("::1"), 9), new byte[1]);
        assertEquals(0, sender.sendQueueCount());
        sender.close();
        loop.run();
        assertTrue(sender.isClosed());
    }
}
