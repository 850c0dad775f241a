package dev.juv;

import static dev.juv.TcpTest.any4;
import static dev.juv.TcpTest.ascii;
import static dev.juv.TcpTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stream behaviour beyond pyuv's tests: big transfers, many connections, faults, lifetimes, misuse. */
@Timeout(120)
@Tag(Tags.THREADS)
class StreamTest extends UvTestCase {
    @TempDir
    Path dir;

    static {
        // the JDK keeps a socket of its own from its first networking call: make it before any baseline
        TcpTest.freePort();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Sends {@code data} from a client to a server over {@code pair} (both already connected by
     * the caller's setup) and returns what the server received, in one array.
     */
    private byte[] transfer(Stream<?> sender, Stream<?> receiver, Runnable write, int size) {
        byte[] got = new byte[size];
        AtomicInteger at = new AtomicInteger();
        AtomicReference<UvException> end = new AtomicReference<>();
        receiver.startRead((s, data, e) -> {
            if (data == null) {
                end.set(e);
                s.close();
                return;
            }
            int n = data.remaining();
            assertTrue(at.get() + n <= size, "more bytes than sent");
            data.get(got, at.get(), n);
            at.addAndGet(n);
        });
        write.run();
        sender.shutdown((s, e) -> {
            assertNull(e);
            s.close();
        });
        loop.run();
        assertEquals("EOF", end.get().name());
        assertEquals(size, at.get());
        return got;
    }

    /** A connected pair of Tcp streams on the loop: [client, accepted]. */
    private Tcp[] tcpPair() {
        Tcp server = new Tcp(loop);
        server.bind(any4());
        Tcp[] pair = new Tcp[2];
        server.listen(1, (s, e) -> {
            pair[1] = new Tcp(loop);
            s.accept(pair[1]);
            s.close();
        });
        pair[0] = new Tcp(loop);
        pair[0].connect(server.localAddress(), (c, e) -> assertNull(e));
        loop.run();
        assertNotNull(pair[1]);
        return pair;
    }

    @Test
    void oneMebibyteHeapTransferIsExact() {
        Tcp[] p = tcpPair();
        byte[] data = random(1 << 20, 1);
        AtomicInteger done = new AtomicInteger();
        byte[] got = transfer(p[0], p[1], () -> p[0].write(data, (s, e) -> {
            assertNull(e);
            done.incrementAndGet();
        }), data.length);
        assertArrayEquals(data, got);
        assertEquals(1, done.get());
    }

    @Test
    @Tag(Tags.GC_HEAVY)
    void hundredMebibyteDirectTransferIsExact() {
        Tcp[] p = tcpPair();
        int size = 100 << 20;
        byte[] data = random(size, 2);
        ByteBuffer direct = ByteBuffer.allocateDirect(size);
        direct.put(data).flip();
        AtomicInteger done = new AtomicInteger();
        byte[] got = transfer(p[0], p[1], () -> p[0].write(direct, (s, e) -> {
            assertNull(e);
            done.incrementAndGet();
        }), size);
        assertTrue(Arrays.equals(data, got), "100 MiB arrived changed");
        assertEquals(1, done.get());
    }

    @Test
    void oneMebibyteOverPipeInManyWrites() {
        String path = dir.resolve("big.sock").toString();
        Pipe server = new Pipe(loop);
        server.bind(path);
        Pipe[] pair = new Pipe[2];
        server.listen(1, (s, e) -> {
            pair[1] = new Pipe(loop);
            s.accept(pair[1]);
            s.close();
        });
        pair[0] = new Pipe(loop);
        pair[0].connect(path, (c, e) -> assertNull(e));
        loop.run();
        byte[] data = random(1 << 20, 3);
        byte[] got = transfer(pair[0], pair[1], () -> {
            for (int off = 0; off < data.length; off += 1000) {
                pair[0].write(data, off, Math.min(1000, data.length - off), null);
            }
        }, data.length);
        assertArrayEquals(data, got);
    }

    @Test
    void heapBytesAreCopiedAtWrite() {
        Tcp[] p = tcpPair();
        byte[] data = ascii("original");
        ByteBuffer heap = ByteBuffer.wrap(ascii("buffer!!"));
        byte[] got = transfer(p[0], p[1], () -> {
            p[0].write(data);
            p[0].write(heap);
            Arrays.fill(data, (byte) 'X');
            heap.put(0, (byte) 'X');
        }, 16);
        assertEquals("originalbuffer!!", new String(got, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void mixedHeapAndDirectBuffersInOneWrite() {
        Tcp[] p = tcpPair();
        ByteBuffer d = ByteBuffer.allocateDirect(8);
        d.put(ascii("--direct")).flip().position(2);
        ByteBuffer h = ByteBuffer.wrap(ascii("heap|"));
        ByteBuffer ro = ByteBuffer.wrap(ascii("|readonly")).asReadOnlyBuffer();
        ro.position(1);
        AtomicInteger done = new AtomicInteger();
        byte[] got = transfer(p[0], p[1], () -> {
            p[0].write(new ByteBuffer[] {h, d, ro}, (s, e) -> done.incrementAndGet());
            assertEquals(2, d.position());
        }, 5 + 6 + 8);
        assertEquals("heap|directreadonly", new String(got, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(1, done.get());
    }

    @Test
    @Tag(Tags.GC_HEAVY)
    void echoingReadViewsWhileWritesQueueIsExact() {
        Tcp[] p = tcpPair();
        byte[] data = random(8 << 20, 4);
        // the server echoes each read's view; the client reads nothing until all is sent, so the
        // echoes queue up in the server while later reads reuse the loop's read buffer
        p[1].startRead((s, d, e) -> {
            if (d == null) {
                s.shutdown((ss, se) -> ss.close());
                return;
            }
            s.write(d);
        });
        byte[] got = new byte[data.length];
        AtomicInteger at = new AtomicInteger();
        p[0].write(data, (s, e) -> {
            assertNull(e);
            s.shutdown(null);
            s.startRead((c, d, re) -> {
                if (d == null) {
                    c.close();
                    return;
                }
                int n = d.remaining();
                d.get(got, at.get(), n);
                at.addAndGet(n);
            });
        });
        loop.run();
        assertEquals(data.length, at.get());
        assertTrue(Arrays.equals(data, got), "echoed bytes changed");
    }

    @Test
    void thousandConnectionsOnOneLoop() {
        int n = 1000;
        Tcp server = new Tcp(loop);
        server.bind(any4());
        List<Tcp> accepted = new ArrayList<>();
        server.listen(1024, (s, e) -> {
            assertNull(e);
            Tcp conn = new Tcp(loop);
            s.accept(conn);
            accepted.add(conn);
            conn.startRead((c, data, re) -> {
                if (data == null) {
                    c.close();
                    return;
                }
                c.write(data);
            });
        });
        InetSocketAddress at = server.localAddress();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            byte[] msg = ascii("client-" + i + ";");
            Tcp client = new Tcp(loop);
            StringBuilder got = new StringBuilder();
            client.connect(at, (c, e) -> {
                assertNull(e);
                c.write(msg);
                c.startRead((cc, data, re) -> {
                    assertNotNull(data, () -> "read: " + re);
                    got.append(new String(bytes(data), java.nio.charset.StandardCharsets.ISO_8859_1));
                    if (got.length() >= msg.length) {
                        assertEquals(new String(msg, java.nio.charset.StandardCharsets.ISO_8859_1), got.toString());
                        ok.incrementAndGet();
                        cc.close(h -> {
                            if (closed.incrementAndGet() == n) {
                                server.close();
                            }
                        });
                    }
                });
            });
        }
        loop.run();
        assertEquals(n, ok.get());
        assertEquals(n, accepted.size());
    }

    @Test
    @Tag(Tags.GC_HEAVY)
    void peerResetDuringBigWrite() {
        Tcp[] p = tcpPair();
        AtomicInteger writeCallbacks = new AtomicInteger();
        AtomicReference<UvException> writeError = new AtomicReference<>();
        AtomicReference<UvException> readError = new AtomicReference<>();
        AtomicInteger readEnds = new AtomicInteger();
        p[0].write(new byte[64 << 20], (s, e) -> {
            writeCallbacks.incrementAndGet();
            writeError.set(e);
            s.close();
        });
        p[0].startRead((s, data, e) -> {
            if (data == null) {
                readEnds.incrementAndGet();
                readError.set(e);
            }
        });
        AtomicLong received = new AtomicLong();
        p[1].startRead((s, data, e) -> {
            if (data != null && received.addAndGet(data.remaining()) > (1 << 20)) {
                s.closeReset(null);
            }
        });
        loop.run();
        assertEquals(1, writeCallbacks.get());
        assertNotNull(writeError.get(), "the write cannot have completed");
        assertTrue(Set.of("ECONNRESET", "EPIPE", "ECANCELED").contains(writeError.get().name()), writeError.get().name());
        assertTrue(readEnds.get() <= 1);
    }

    @Test
    void readingAfterEof() {
        Tcp[] p = tcpPair();
        AtomicInteger eofs = new AtomicInteger();
        p[1].startRead((s, data, e) -> {
            assertNull(data);
            assertEquals("EOF", e.name());
            assertFalse(s.isReading(), "reading stops by itself at EOF");
            if (eofs.incrementAndGet() == 1) {
                // reading again after EOF is allowed and reports EOF again
                s.startRead((s2, d2, e2) -> {
                    assertNull(d2);
                    assertEquals("EOF", e2.name());
                    eofs.incrementAndGet();
                    s2.close();
                });
            }
        });
        p[0].shutdown((s, e) -> s.close());
        loop.run();
        assertEquals(2, eofs.get());
    }

    @Test
    void tenThousandSmallWritesBeforeTheFirstCallback() {
        Tcp[] p = tcpPair();
        int n = 10_000;
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger order = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        byte[] expected = new byte[n * 5];
        byte[] got = transfer(p[0], p[1], () -> {
            for (int i = 0; i < n; i++) {
                byte[] b = ascii(String.format("%05d", i));
                System.arraycopy(b, 0, expected, i * 5, 5);
                int index = i;
                p[0].write(b, (s, e) -> {
                    assertNull(e);
                    assertEquals(n, issued.get(), "no write callback runs inside write()");
                    if (order.getAndIncrement() != index) {
                        outOfOrder.incrementAndGet();
                    }
                });
                issued.incrementAndGet();
            }
        }, n * 5);
        assertArrayEquals(expected, got);
        assertEquals(n, order.get());
        assertEquals(0, outOfOrder.get());
    }

    @Test
    void pendingWritesAllCanceledOnClose() {
        Tcp[] p = tcpPair();
        int n = 1000;
        int[] calls = new int[n];
        AtomicInteger canceled = new AtomicInteger();
        AtomicInteger closedAfter = new AtomicInteger();
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < n; i++) {
            int index = i;
            p[0].write(chunk, (s, e) -> {
                calls[index]++;
                assertEquals(0, closedAfter.get(), "write callbacks run before the close callback");
                if (e != null) {
                    assertEquals("ECANCELED", e.name());
                    canceled.incrementAndGet();
                }
            });
        }
        assertTrue(p[0].writeQueueSize() > 0);
        p[0].close(h -> closedAfter.incrementAndGet());
        p[1].close();
        loop.run();
        for (int i = 0; i < n; i++) {
            assertEquals(1, calls[i], "write " + i);
        }
        assertTrue(canceled.get() > n / 2, "most writes were still queued: " + canceled.get());
        assertEquals(1, closedAfter.get());
    }

    @Test
    void shutdownAndConnectCanceledByClose() {
        Tcp[] p = tcpPair();
        AtomicReference<UvException> shut = new AtomicReference<>();
        AtomicInteger shutCalls = new AtomicInteger();
        p[0].shutdown((s, e) -> {
            shutCalls.incrementAndGet();
            shut.set(e);
        });
        UvException twice = assertThrows(UvException.class, () -> p[0].shutdown(null));
        assertEquals("ENOTCONN", twice.name());
        p[0].close();
        p[1].close();
        Tcp c = new Tcp(loop);
        AtomicReference<UvException> conn = new AtomicReference<>();
        AtomicInteger connCalls = new AtomicInteger();
        c.connect(new InetSocketAddress(TcpTest.LOOPBACK, TcpTest.freePort()), (t, e) -> {
            connCalls.incrementAndGet();
            conn.set(e);
        });
        c.close();
        loop.run();
        assertEquals(1, shutCalls.get());
        assertEquals("ECANCELED", shut.get().name());
        assertEquals(1, connCalls.get());
        assertEquals("ECANCELED", conn.get().name());
    }

    @Test
    void closeResetGivesThePeerEconnreset() {
        Tcp[] p = tcpPair();
        AtomicReference<UvException> err = new AtomicReference<>();
        AtomicInteger closed = new AtomicInteger();
        p[1].startRead((s, data, e) -> {
            err.set(e);
            s.close();
        });
        p[0].closeReset(h -> closed.incrementAndGet());
        assertTrue(p[0].isClosing());
        assertThrows(HandleClosedException.class, () -> p[0].closeReset(null));
        loop.run();
        assertEquals(1, closed.get());
        assertEquals("ECONNRESET", err.get().name());
        Tcp fresh = new Tcp(loop);
        assertThrows(UvException.class, () -> fresh.closeReset(null));
        assertFalse(fresh.isClosing());
        fresh.close();
        loop.run();
    }

    @Test
    void tryWriteReportsEagainWhenFullOrQueued() {
        Tcp[] p = tcpPair();
        byte[] chunk = new byte[64 * 1024];
        long written = 0;
        UvException full = null;
        while (full == null) {
            try {
                written += p[0].tryWrite(chunk);
            } catch (UvException e) {
                full = e;
            }
        }
        assertEquals("EAGAIN", full.name());
        assertEquals("uv_try_write: EAGAIN: resource temporarily unavailable", full.getMessage());
        // met on every read of a busy echo and caught at once: made without a stack trace
        assertEquals(0, full.getStackTrace().length);
        assertTrue(written > 0);
        p[0].write(chunk);
        assertTrue(p[0].writeQueueSize() > 0);
        assertEquals("EAGAIN", assertThrows(UvException.class, () -> p[0].tryWrite(ByteBuffer.allocateDirect(1))).name());
        assertThrows(IllegalArgumentException.class, () -> p[0].tryWrite(new ByteBuffer[0]));
        p[0].close();
        p[1].close();
        loop.run();
    }

    @Test
    void exceptionsInStreamCallbacksReachRunAndLeakNothing() {
        Tcp[] p = tcpPair();
        AtomicInteger writeCallbacks = new AtomicInteger();
        p[1].startRead((s, data, e) -> {
            throw new IllegalStateException("from the read callback");
        });
        for (int i = 0; i < 3; i++) {
            p[0].write(ascii("x"), (s, e) -> {
                writeCallbacks.incrementAndGet();
                throw new IllegalArgumentException("from a write callback");
            });
        }
        RuntimeException thrown = assertThrows(RuntimeException.class, loop::run);
        assertTrue(thrown.getMessage().startsWith("from a"), thrown.getMessage());
        // the loop carries on: the remaining callbacks run, and closing still works
        loop.setExceptionHandler(t -> { });
        p[0].close();
        p[1].close();
        loop.run();
        assertEquals(3, writeCallbacks.get());
    }

    @Test
    void closingInsideEveryCallback() {
        Tcp server = new Tcp(loop);
        server.bind(any4());
        AtomicInteger closes = new AtomicInteger();
        HandleCallback<Handle> counted = h -> closes.incrementAndGet();
        server.listen(4, (s, e) -> {
            Tcp conn = new Tcp(loop);
            s.accept(conn);
            s.close(counted);
            conn.startRead((c, data, re) -> c.close(counted));
        });
        Tcp client = new Tcp(loop);
        client.connect(server.localAddress(), (c, e) -> c.write(ascii("bye"), (w, we) -> {
            w.close(counted);
            // close() is idempotent; close(cb) on a closing handle is refused
            w.close();
            assertThrows(HandleClosedException.class, () -> w.close(h -> { }));
        }));
        loop.run();
        assertEquals(3, closes.get());
    }

    /**
     * Random sequences of stream operations, in and out of callbacks, on connected, listening,
     * fresh and closed handles: each either works or throws one of juv's documented
     * exceptions; libuv never sees a state it would assert on.
     */
    @Test
    void randomOperationSequencesNeverCrash() {
        Random rnd = new Random(11);
        loop.setExceptionHandler(t -> {
            if (!(t instanceof UvException || t instanceof IllegalStateException
                    || t instanceof IllegalArgumentException)) {
                throw new AssertionError("unexpected " + t, t);
            }
        });
        for (int round = 0; round < 100; round++) {
            Tcp[] p = tcpPair();
            Tcp listening = new Tcp(loop);
            listening.bind(any4());
            Tcp fresh = new Tcp(loop);
            Stream<?>[] all = {p[0], p[1], listening, fresh};
            for (int step = 0; step < 30; step++) {
                Stream<?> s = all[rnd.nextInt(all.length)];
                int op = rnd.nextInt(14);
                try {
                    switch (op) {
                        case 0 -> s.write(random(rnd.nextInt(70_000), step), (w, e) -> { });
                        case 1 -> s.tryWrite(new byte[rnd.nextInt(10)]);
                        case 2 -> s.shutdown((w, e) -> { });
                        case 3 -> s.startRead((r, d, e) -> {
                            if (d == null && !r.isClosing() && rnd.nextBoolean()) {
                                r.close();
                            }
                        });
                        case 4 -> s.stopRead();
                        case 5 -> s.close();
                        case 6 -> ((Tcp) s).closeReset(null);
                        case 7 -> s.listen(rnd.nextInt(4), (l, e) -> {
                            Tcp c = new Tcp(loop);
                            try {
                                l.accept(c);
                            } finally {
                                c.close();
                            }
                        });
                        case 8 -> s.accept(new Tcp(loop));
                        case 9 -> s.setBlocking(rnd.nextBoolean());
                        case 10 -> ((Tcp) s).setNoDelay(rnd.nextBoolean());
                        case 11 -> s.write(new ByteBuffer[] {ByteBuffer.allocateDirect(3), ByteBuffer.allocate(5)}, null);
                        case 12 -> loop.run(RunMode.NOWAIT);
                        default -> ((Tcp) s).connect(listening.isClosing() ? any4() : addressOf(listening), (c, e) -> { });
                    }
                } catch (UvException | IllegalStateException | IllegalArgumentException expected) {
                    // documented refusals
                }
            }
            for (Handle h : loop.handles()) {
                h.close();
            }
            loop.run();
            assertEquals(0, loop.handles().size());
        }
    }

    private static InetSocketAddress addressOf(Tcp t) {
        try {
            return t.localAddress();
        } catch (UvException e) {
            return any4();
        }
    }

    @Test
    void misuseIsAnExceptionNeverACrash() {
        Tcp t = new Tcp(loop);
        assertThrows(IllegalArgumentException.class, () -> t.bind(InetSocketAddress.createUnresolved("localhost", 80)));
        assertThrows(IllegalArgumentException.class, () -> t.connect(InetSocketAddress.createUnresolved("x", 1), (c, e) -> { }));
        assertThrows(NullPointerException.class, () -> t.bind(null));
        assertThrows(IllegalArgumentException.class, () -> t.bind(any4(), 8));
        assertThrows(IllegalArgumentException.class, () -> t.listen(-1, (s, e) -> { }));
        assertThrows(IllegalArgumentException.class, () -> t.open(-5));
        assertThrows(IllegalArgumentException.class, () -> t.setKeepAlive(true, -1));
        assertThrows(IllegalArgumentException.class, () -> new Tcp(loop, java.net.StandardProtocolFamily.UNIX));
        assertEquals("ENOTCONN", assertThrows(UvException.class, () -> t.startRead((s, d, e) -> { })).name());
        assertEquals("ENOTCONN", assertThrows(UvException.class, () -> t.shutdown(null)).name());
        assertEquals("EBADF", assertThrows(UvException.class, () -> t.tryWrite(new byte[1])).name());
        assertThrows(UvException.class, t::remoteAddress);
        Tcp server = new Tcp(loop);
        server.bind(any4());
        assertEquals("EAGAIN", assertThrows(UvException.class, () -> server.accept(new Tcp(loop))).name());
        Pipe pipe = new Pipe(loop);
        assertThrows(IllegalArgumentException.class, () -> server.accept(pipe));
        assertThrows(IllegalArgumentException.class, () -> server.accept(server));
        try (Loop other = new Loop()) {
            Tcp foreign = new Tcp(other);
            assertThrows(IllegalArgumentException.class, () -> server.accept(foreign));
            foreign.close();
            other.run();
        }
        t.close();
        // a write on a closing stream is a race of the network, not misuse (see RaceTest)
        t.write(new byte[1]);
        t.write(ByteBuffer.allocate(1), null);
        assertEquals("ECANCELED", assertThrows(UvException.class, () -> t.tryWrite(new byte[1])).name());
        assertThrows(HandleClosedException.class, () -> t.startRead((s, d, e) -> { }));
        assertThrows(HandleClosedException.class, t::stopRead);
        assertThrows(HandleClosedException.class, () -> t.listen(1, (s, e) -> { }));
        assertThrows(HandleClosedException.class, () -> t.connect(any4(), (c, e) -> { }));
        assertThrows(HandleClosedException.class, () -> server.accept(t));
        assertThrows(HandleClosedException.class, t::localAddress);
        assertThrows(HandleClosedException.class, () -> t.setNoDelay(true));
        t.close();
        for (Handle h : loop.handles()) {
            h.close();
        }
        loop.run();
        t.write(new byte[1]);
        assertThrows(HandleClosedException.class, t::localAddress);
    }

    @Test
    void descriptorsTheLoopCannotPollAreRefused() throws Exception {
        assumeTrue(TestLibc.SUPPORTED, "needs TestLibc's platform constants");
        Path file = dir.resolve("plain.txt");
        java.nio.file.Files.writeString(file, "data");
        int fileFd = TestLibc.openReadOnly(file.toString());
        int dirFd = TestLibc.openReadOnly(dir.toString());
        int devFd = TestLibc.openReadOnly("/dev/null");
        Pipe p = new Pipe(loop);
        Tcp t = new Tcp(loop);
        try {
            for (int fd : new int[] {fileFd, dirFd, devFd}) {
                assertThrows(IllegalArgumentException.class, () -> p.open(fd));
                assertThrows(IllegalArgumentException.class, () -> t.open(fd));
            }
            assertEquals(0, TestLibc.close(devFd));
            // a closed descriptor
            assertThrows(IllegalArgumentException.class, () -> p.open(devFd));
        } finally {
            assertEquals(0, TestLibc.close(fileFd));
            assertEquals(0, TestLibc.close(dirFd));
        }
        // a Unix socket is a pipe, not a TCP socket
        long fds = dev.juv.internal.Native.calloc(8);
        try {
            UvException.check(dev.juv.internal.LibUv.uv_socketpair(TestLibc.SOCK_STREAM, 0, fds, 0, 0), "uv_socketpair");
            int a = dev.juv.internal.Native.getInt(fds);
            int b = dev.juv.internal.Native.getInt(fds + 4);
            assertThrows(IllegalArgumentException.class, () -> t.open(a));
            p.open(a);
            assertEquals(0, TestLibc.close(b));
            AtomicReference<UvException> end = new AtomicReference<>();
            p.startRead((s, d, e) -> {
                end.set(e);
                s.close();
            });
            loop.run();
            assertEquals("EOF", end.get().name());
        } finally {
            dev.juv.internal.Native.free(fds);
        }
        t.close();
        loop.run();
    }

    @Test
    void foreignThreadIsRefusedWhileRunning() {
        Tcp[] p = tcpPair();
        AtomicReference<Throwable> fromThread = new AtomicReference<>();
        Timer timer = new Timer(loop);
        timer.start(tm -> {
            Thread th = new Thread(() -> {
                try {
                    p[0].write(new byte[1]);
                } catch (Throwable t) {
                    fromThread.set(t);
                }
            });
            th.start();
            try {
                th.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            tm.close();
            p[0].close();
            p[1].close();
        }, 1, 0);
        loop.run();
        assertTrue(fromThread.get() instanceof IllegalStateException, String.valueOf(fromThread.get()));
    }

    /**
     * com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes, reached by reflection
     * because the test sources compile inside the dev.juv module, which does not read
     * java.management; at run time the tests are on the class path, where it is present.
     */
    private static final Object THREAD_BEAN;
    private static final java.lang.reflect.Method ALLOCATED;

    static {
        try {
            THREAD_BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long allocatedBytes() {
        try {
            return (Long) ALLOCATED.invoke(THREAD_BEAN);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serves one connection from {@code peer} (run on its own thread with the server's address)
     * and measures the heap bytes the loop thread allocates between read number {@code warm} and
     * the end of the stream; each read is echoed back when {@code echo} is true.
     *
     * @return the bytes per read, and the number of reads measured
     */
    private double[] measureReads(int warm, boolean echo, java.util.function.Consumer<InetSocketAddress> peer)
            throws Exception {
        Tcp server = new Tcp(loop);
        server.bind(any4());
        long[] marks = new long[2];
        int[] counts = new int[2];
        AtomicInteger reads = new AtomicInteger();
        server.listen(1, (s, e) -> {
            Tcp conn = new Tcp(loop);
            s.accept(conn);
            s.close();
            conn.startRead((c, data, re) -> {
                if (data == null) {
                    marks[1] = allocatedBytes();
                    counts[1] = reads.get();
                    c.close();
                    return;
                }
                if (reads.incrementAndGet() == warm) {
                    marks[0] = allocatedBytes();
                    counts[0] = warm;
                }
                if (echo) {
                    c.write(data);
                }
            });
        });
        InetSocketAddress at = server.localAddress();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                peer.accept(at);
            } catch (Throwable x) {
                failed.set(x);
            }
        });
        t.start();
        loop.run();
        t.join();
        assertNull(failed.get());
        int measured = counts[1] - counts[0];
        assertTrue(counts[0] == warm && measured >= 500, "too few reads to measure: " + measured);
        return new double[] {(double) (marks[1] - marks[0]) / measured, measured};
    }

    /**
     * Heap bytes allocated on the loop thread per read, over a steady stream of reads fed by a
     * plain Java socket on another thread. The read path itself should allocate nothing.
     */
    @Test
    @Tag(Tags.GC_HEAVY)
    void heapBytesAllocatedPerRead() throws Exception {
        double[] r = measureReads(500, false, at -> {
            try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                byte[] b = new byte[100];
                for (int i = 0; i < 100_000; i++) {
                    out.write(b);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.printf("juv: heap bytes allocated per read: %.2f over %d reads%n", r[0], (long) r[1]);
        assertTrue(r[0] < 64, "reads allocate " + r[0] + " bytes each");
    }

    /** Heap bytes per echoed message (one read and one write) with a blocking Java client. */
    @Test
    @Tag(Tags.GC_HEAVY)
    void heapBytesAllocatedPerEcho() throws Exception {
        double[] r = measureReads(2_000, true, at -> {
            try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                byte[] b = new byte[64];
                for (int i = 0; i < 20_000; i++) {
                    out.write(b);
                    int got = 0;
                    while (got < b.length) {
                        got += in.read(b, got, b.length - got);
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.printf("juv: heap bytes allocated per echoed message (read + write): %.2f over %d%n",
                r[0], (long) r[1]);
        assertTrue(r[0] < 1024, "an echo allocates " + r[0] + " bytes");
    }
}
