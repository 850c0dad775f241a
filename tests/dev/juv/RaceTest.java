package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Network races are error values, not misuse: writes, shutdowns and sends on a closing or closed
 * handle never throw; their callbacks get ECANCELED on a later turn of the loop; starting
 * something on a closed handle and asking it questions still throw.
 */
@Timeout(30)
class RaceTest extends UvTestCase {
    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Records the errors of callbacks, and whether one ran inside the call that started it. */
    private static final class Errors {
        final List<String> names = new ArrayList<>();
        boolean inCall;
        boolean reentrant;

        void record(UvException e) {
            if (inCall) {
                reentrant = true;
            }
            names.add(e == null ? "ok" : e.name());
        }
    }

    @Test
    void everyWriteAndShutdownOnAClosingStreamGetsECanceledLater() {
        Tcp t = new Tcp(loop);
        Pipe p = new Pipe(loop, true);
        Timer sent = new Timer(loop);
        t.close();
        p.close();
        Errors got = new Errors();
        Stream.Callback<Stream<?>> cb = (s, e) -> got.record(e);
        got.inCall = true;
        t.write(new byte[3]);
        t.write(new byte[3], cb);
        t.write(new byte[3], 1, 2, cb);
        t.write(ByteBuffer.allocate(2));
        t.write(ByteBuffer.allocateDirect(2), cb);
        t.write(ByteBuffer.allocate(1), ByteBuffer.allocate(1));
        t.write(new ByteBuffer[] {ByteBuffer.allocateDirect(1)}, cb);
        t.write(new byte[][] {new byte[1], new byte[2]}, cb);
        t.shutdown(cb);
        t.shutdown(null);
        p.write(new byte[1], sent, cb);
        p.write(ByteBuffer.allocate(1), sent, cb);
        got.inCall = false;
        assertEquals(List.of(), got.names, "no callback runs inside the call");
        loop.run();
        assertFalse(got.reentrant);
        assertEquals(List.of("ECANCELED", "ECANCELED", "ECANCELED", "ECANCELED", "ECANCELED", "ECANCELED",
                "ECANCELED", "ECANCELED"), got.names);
        // once closed, the same
        t.write(new byte[1], cb);
        t.shutdown(cb);
        loop.run();
        assertEquals(10, got.names.size());
        assertEquals("ECANCELED", got.names.get(9));
        sent.close();
        loop.run();
    }

    @Test
    void argumentErrorsStillThrowOnAClosedStream() {
        Tcp t = new Tcp(loop);
        t.close();
        assertThrows(NullPointerException.class, () -> t.write((byte[]) null));
        assertThrows(NullPointerException.class, () -> t.write((ByteBuffer) null));
        assertThrows(IllegalArgumentException.class, () -> t.write(new ByteBuffer[0]));
        assertThrows(NullPointerException.class, () -> t.write(new ByteBuffer[] {null}, null));
        assertThrows(NullPointerException.class, () -> t.write(new byte[][] {null}, null));
        assertThrows(IndexOutOfBoundsException.class, () -> t.write(new byte[4], 2, 3, null));
        assertThrows(IllegalArgumentException.class, () -> t.write(new byte[4], -1, 3, null));
        loop.run();
    }

    @Test
    void startingAndAskingStillThrow() {
        Tcp t = new Tcp(loop);
        t.bind(loopback(0));
        t.close();
        assertThrows(HandleClosedException.class, () -> t.startRead((s, d, e) -> { }));
        assertThrows(HandleClosedException.class, () -> t.listen(1, (s, e) -> { }));
        assertThrows(HandleClosedException.class, () -> t.connect(loopback(9), (s, e) -> { }));
        assertThrows(HandleClosedException.class, t::localAddress);
        assertThrows(HandleClosedException.class, t::fileno);
        assertThrows(HandleClosedException.class, t::isActive);
        loop.run();
        assertThrows(HandleClosedException.class, t::fileno);
    }

    @Test
    void tryWriteOnAClosingStreamReportsECanceled() {
        Tcp t = new Tcp(loop);
        t.close();
        assertEquals("ECANCELED", assertThrows(UvException.class, () -> t.tryWrite(new byte[1])).name());
        assertEquals("ECANCELED", assertThrows(UvException.class, () -> t.tryWrite(new byte[2], 0, 1)).name());
        assertEquals("ECANCELED", assertThrows(UvException.class, () -> t.tryWrite(ByteBuffer.allocate(1))).name());
        assertEquals("ECANCELED", assertThrows(UvException.class,
                () -> t.tryWrite(ByteBuffer.allocate(1), ByteBuffer.allocate(1))).name());
        loop.run();
    }

    @Test
    void udpSendsOnAClosingHandleGetECanceledLater() {
        Udp u = new Udp(loop);
        u.close();
        Errors got = new Errors();
        Udp.SendCallback cb = (h, e) -> got.record(e);
        InetSocketAddress to = loopback(9);
        got.inCall = true;
        u.send(to, new byte[1]);
        u.send(to, new byte[1], cb);
        u.send(to, ByteBuffer.allocate(1), cb);
        u.send(to, new ByteBuffer[] {ByteBuffer.allocate(1)}, cb);
        got.inCall = false;
        assertEquals("ECANCELED", assertThrows(UvException.class, () -> u.trySend(to, new byte[1])).name());
        assertThrows(NullPointerException.class, () -> u.send(to, (byte[]) null, cb));
        loop.run();
        assertFalse(got.reentrant);
        assertEquals(List.of("ECANCELED", "ECANCELED", "ECANCELED"), got.names);
    }

    @Test
    void aClosedLoopRunsNoCallbackAndThrowsNothing() {
        Loop other = new Loop();
        Tcp t = new Tcp(other);
        Udp u = new Udp(other);
        t.close();
        u.close();
        other.close();
        boolean[] called = new boolean[1];
        t.write(new byte[1], (s, e) -> called[0] = true);
        t.shutdown((s, e) -> called[0] = true);
        u.send(loopback(9), new byte[1], (h, e) -> called[0] = true);
        assertFalse(called[0], "a closed loop calls nothing back");
        assertThrows(HandleClosedException.class, t::fileno);
    }

    @Test
    @Tag(Tags.THREADS)
    void anotherThreadIsStillMisuse() throws Exception {
        try (Loop started = Loop.start("race-loop")) {
            Tcp t = started.submit(() -> {
                Tcp x = new Tcp(started);
                x.close();
                return x;
            }).get(10, TimeUnit.SECONDS);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.write(new byte[1], null));
            assertFalse(e instanceof HandleClosedException, "the wrong thread is reported, not the closed stream");
        }
    }

    /**
     * A busy echo server whose victims reset their connections while it writes to them, and whose
     * writes keep going to connections already closed: it keeps serving the well-behaved clients
     * byte-exact, every write's callback runs exactly once, and nothing throws into the loop.
     */
    @Test
    void aBusyServerKeepsServingWhilePeersVanishMidWrite() {
        final int victims = 16;
        final int goods = 3;
        final int rounds = 24;
        final int chunk = 4096;
        byte[] noise = new byte[64 * 1024];
        Tcp server = new Tcp(loop);
        server.bind(loopback(0));
        List<Tcp> victimConns = new ArrayList<>();
        List<Tcp> all = new ArrayList<>();
        int[] issued = new int[1];
        int[] answered = new int[1];
        int[] cancelled = new int[1];
        Stream.Callback<Stream<?>> onNoise = (s, e) -> {
            answered[0]++;
            if (e != null && "ECANCELED".equals(e.name())) {
                cancelled[0]++;
            }
            if (e != null && !s.isClosing()) {
                s.close();
            }
        };
        Runnable broadcast = () -> {
            for (Tcp v : victimConns) {
                issued[0]++;
                v.write(noise, onNoise);
            }
        };
        server.listen(128, (srv, error) -> {
            Tcp c = new Tcp(loop);
            srv.accept(c);
            all.add(c);
            c.startRead((s, data, e) -> {
                if (e != null) {
                    s.close();
                    return;
                }
                if (data.get(0) == 'V' && data.remaining() == 1) {
                    victimConns.add(s);
                    return;
                }
                s.write(data, null); // the echo
                broadcast.run();
            });
        });
        InetSocketAddress at = server.localAddress();
        int[] victimsGone = new int[1];
        for (int i = 0; i < victims; i++) {
            Tcp v = new Tcp(loop);
            v.connect(at, (s, e) -> {
                s.write(new byte[] {'V'});
                s.startRead((r, data, err) -> {
                    if (!r.isClosing()) {
                        r.closeReset(h -> victimsGone[0]++);
                    }
                });
            });
        }
        Random random = new Random(42);
        List<byte[]> expected = new ArrayList<>();
        List<ByteArrayOutputStream> received = new ArrayList<>();
        int[] goodsDone = new int[1];
        for (int i = 0; i < goods; i++) {
            byte[] all4 = new byte[rounds * chunk];
            random.nextBytes(all4);
            all4[0] = 'G';
            expected.add(all4);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            received.add(got);
            Tcp g = new Tcp(loop);
            g.connect(at, (s, e) -> {
                s.write(all4, 0, chunk, null);
                s.startRead((r, data, err) -> {
                    if (err != null) {
                        r.close();
                        return;
                    }
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    got.writeBytes(b);
                    int n = got.size();
                    if (n % chunk == 0 && n < all4.length) {
                        r.write(all4, n, chunk, null); // the next round once this one came back
                    } else if (n == all4.length) {
                        r.close();
                        if (++goodsDone[0] == goods) {
                            // the last word: close every victim's connection and write to them again
                            for (Tcp v : victimConns) {
                                v.close();
                            }
                            broadcast.run();
                            for (Tcp c : all) {
                                c.close();
                            }
                            server.close();
                        }
                    }
                });
            });
        }
        loop.run();
        for (int i = 0; i < goods; i++) {
            assertArrayEquals(expected.get(i), received.get(i).toByteArray(), "client " + i);
        }
        assertEquals(victims, victimsGone[0]);
        assertTrue(issued[0] > 0);
        assertEquals(issued[0], answered[0], "every write's callback runs once");
        assertTrue(cancelled[0] >= victims, "writes to closed connections got ECANCELED: " + cancelled[0]);
        assertEquals(0, loop.handles().size());
    }
}
