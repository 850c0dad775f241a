package dev.juv;

import static dev.juv.TcpTest.any4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.ReadBuffers;
import dev.juv.support.HeapCounter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No write path uses a loop's read buffer in place: the data a read callback receives, written
 * to a file, to a stream of this loop or of another loop, arrives as it was received even though
 * later reads overwrite the buffer before the write is done. Reading asynchronously into a read
 * buffer is refused. An echo of the read view allocates nothing on the heap.
 */
@Timeout(60)
class ReadBufferTest extends UvTestCase {
    static {
        // the JDK keeps a socket of its own from its first networking call: make it before any baseline
        TcpTest.freePort();
    }

    @TempDir
    Path dir;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A connected pair on {@code l}: [client, accepted]. Runs the loop until connected. */
    static Tcp[] tcpPair(Loop l) {
        Tcp server = new Tcp(l);
        server.bind(any4());
        Tcp[] pair = new Tcp[2];
        server.listen(1, (s, e) -> {
            pair[1] = new Tcp(l);
            s.accept(pair[1]);
            s.close();
        });
        pair[0] = new Tcp(l);
        pair[0].connect(server.localAddress(), (c, e) -> assertNull(e));
        l.run();
        assertNotNull(pair[1]);
        return pair;
    }

    /**
     * tryWrite of the read view, which libuv sends from the loop's read buffer in place, sends
     * from the view's position and only its remaining bytes; what it leaves is queued by write
     * (which copies). 8 MiB echoed with the first byte of every read held back: the echo is every read
     * without its first byte, in order, byte for byte.
     */
    @Test
    void tryWriteOfTheReadViewSendsFromItsPositionAndTheRestIsQueued() {
        Tcp[] p = tcpPair(loop);
        byte[] data = random(8 << 20, 7);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        int[] partial = {0};
        p[1].startRead((s, d, e) -> {
            if (d == null) {
                s.close();
                return;
            }
            byte[] all = new byte[d.remaining()];
            d.duplicate().get(all);
            seen.writeBytes(all);
            expected.write(all, 1, all.length - 1);
            d.get(); // held back
            int n;
            try {
                n = s.tryWrite(d);
            } catch (UvException full) {
                // writes queued or the socket full: nothing sent, all of it queued below
                assertEquals("EAGAIN", full.name());
                n = 0;
            }
            assertEquals(1, d.position(), "tryWrite leaves the position alone");
            if (n < d.remaining()) {
                partial[0]++;
                s.write(d.position(d.position() + n));
            }
        });
        p[0].startRead((s, d, e) -> {
            assertNotNull(d, () -> "echo ended early: " + e);
            byte[] b = new byte[d.remaining()];
            d.get(b);
            echoed.writeBytes(b);
            if (seen.size() == data.length && echoed.size() == expected.size()) {
                s.close();
                p[1].close();
            }
        });
        p[0].write(data);
        loop.run();
        assertArrayEquals(data, seen.toByteArray());
        assertArrayEquals(expected.toByteArray(), echoed.toByteArray());
    }

    @Test
    void asynchronousFileWriteOfEachReadViewWritesWhatWasReceived() throws Exception {
        Tcp[] p = tcpPair(loop);
        byte[] data = random(4 << 20, 1);
        Path file = dir.resolve("received");
        int fd = Fs.open(file.toString(), Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, 0644);
        long[] offset = {0};
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<Throwable> errors = new ArrayList<>();
        p[1].startRead((s, d, e) -> {
            if (d == null) {
                s.close();
                return;
            }
            int n = d.remaining();
            writes.incrementAndGet();
            Fs.write(loop, fd, d, offset[0], (written, we) -> {
                if (we != null) {
                    errors.add(we);
                } else {
                    assertEquals(n, (int) written);
                }
                done.incrementAndGet();
            });
            // the write waits on the pool; this read callback returns and the next read reuses the buffer
            offset[0] += n;
        });
        p[0].write(data, (s, e) -> s.close());
        loop.run();
        Fs.close(fd);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(writes.get(), done.get());
        assertTrue(writes.get() > 1, "one read only: nothing reused the buffer");
        assertArrayEquals(data, Files.readAllBytes(file), "the file differs from what was received");
    }

    @Test
    void asynchronousVectoredFileWriteOfASliceOfTheReadView() throws Exception {
        Tcp[] p = tcpPair(loop);
        byte[] data = random(2 << 20, 2);
        Path file = dir.resolve("sliced");
        int fd = Fs.open(file.toString(), Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, 0644);
        long[] offset = {0};
        AtomicInteger pending = new AtomicInteger();
        p[1].startRead((s, d, e) -> {
            if (d == null) {
                s.close();
                return;
            }
            int n = d.remaining();
            int half = n / 2;
            // a slice and a duplicate are other objects over the same memory: still copied
            ByteBuffer first = d.slice(0, half);
            ByteBuffer rest = d.duplicate().position(half);
            pending.incrementAndGet();
            Fs.write(loop, fd, new ByteBuffer[] {first, rest}, offset[0], (w, we) -> {
                assertNull(we);
                assertEquals(n, (long) w);
                pending.decrementAndGet();
            });
            offset[0] += n;
        });
        p[0].write(data, (s, e) -> s.close());
        loop.run();
        Fs.close(fd);
        assertEquals(0, pending.get());
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    @Test
    void asynchronousFileReadIntoTheReadViewIsRefused() throws Exception {
        Path file = dir.resolve("source");
        Files.write(file, "file bytes".getBytes());
        int fd = Fs.open(file.toString(), Fs.O_RDONLY, 0);
        try {
            Tcp[] p = tcpPair(loop);
            AtomicReference<Throwable> refused = new AtomicReference<>();
            AtomicReference<String> syncRead = new AtomicReference<>();
            p[1].startRead((s, d, e) -> {
                if (d == null) {
                    s.close();
                    return;
                }
                refused.set(assertThrows(IllegalArgumentException.class,
                        () -> Fs.read(loop, fd, d, 0, (n, re) -> Assertions.fail("must not run"))));
                ByteBuffer slice = d.slice();
                assertThrows(IllegalArgumentException.class,
                        () -> Fs.read(loop, fd, slice, 0, (n, re) -> Assertions.fail("must not run")));
                // a synchronous read into the view during its callback is coherent: it goes
                // through a copy and a checked put
                ByteBuffer view = d.duplicate().clear();
                int n = Fs.read(fd, view, 0);
                view.flip();
                byte[] got = new byte[n];
                view.get(got);
                syncRead.set(new String(got));
                s.close();
            });
            p[0].write("x".getBytes(), (s, e) -> s.close());
            loop.run();
            assertNotNull(refused.get());
            assertTrue(refused.get().getMessage().contains("read buffer"), refused.get().getMessage());
            assertEquals("file bytes", syncRead.get());
        } finally {
            Fs.close(fd);
        }
    }

    /**
     * Loop A's read views are written to a stream of loop B whose write queue is blocked, so the
     * writes wait in B while A reads on and overwrites its buffer; B's peer must get A's bytes as
     * they were received.
     */
    @Test
    void anotherLoopsReadViewWrittenToAStreamIsCopied() {
        try (Loop other = new Loop()) {
            Tcp[] a = tcpPair(other);
            Tcp[] b = tcpPair(loop);
            byte[] head = random(8 << 20, 3);
            byte[] data = random(2 << 20, 4);
            // fill B's socket buffers so what follows queues in libuv
            b[0].write(head);
            assertTrue(b[0].writeQueueSize() > 0, "the head was written at once; nothing would queue");
            AtomicInteger reads = new AtomicInteger();
            a[1].startRead((s, d, e) -> {
                if (d == null) {
                    s.close();
                    return;
                }
                reads.incrementAndGet();
                if ((reads.get() & 1) == 0) {
                    b[0].write(d);
                } else {
                    // several buffers, the other loop's view among them, and a slice of it
                    int half = d.remaining() / 2;
                    b[0].write(new ByteBuffer[] {d.slice(0, half), d.duplicate().position(half)}, null);
                }
            });
            a[0].write(data, (s, e) -> s.close());
            other.run();
            assertTrue(reads.get() > 1, "one read only: nothing reused the buffer");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            b[1].startRead((s, d, e) -> {
                if (d == null) {
                    s.close();
                    return;
                }
                byte[] chunk = new byte[d.remaining()];
                d.get(chunk);
                got.writeBytes(chunk);
            });
            b[0].shutdown((s, e) -> s.close());
            loop.run();
            byte[] expected = Arrays.copyOf(head, head.length + data.length);
            System.arraycopy(data, 0, expected, head.length, data.length);
            assertEquals(expected.length, got.size());
            assertArrayEquals(expected, got.toByteArray(), "loop B's peer got bytes A read later");
        }
    }

    @Test
    void everyLoopsReadBufferIsRegisteredWhileTheLoopLives() {
        Loop other = new Loop();
        ByteBuffer[] views = new ByteBuffer[2];
        Tcp[] p = tcpPair(other);
        p[1].startRead((s, d, e) -> {
            if (d != null) {
                views[0] = d;
                assertTrue(ReadBuffers.holds(d));
                assertTrue(ReadBuffers.holds(d.slice(0, 1)));
                assertFalse(ReadBuffers.holds(ByteBuffer.allocateDirect(16)));
                assertFalse(ReadBuffers.holds(ByteBuffer.allocate(16)));
            }
            s.close();
            p[0].close();
        });
        p[0].write("x".getBytes());
        other.run();
        other.close();
        assertNotNull(views[0]);
        assertFalse(ReadBuffers.holds(views[0]), "a closed loop's buffer is still registered");
    }

    /**
     * A read view kept past its callback, then written after its loop closed: an exception on
     * every write path, the process alive, nothing leaked: the loop's read buffer is memory of an
     * arena closed with the loop.
     */
    @Test
    void aKeptReadViewOfAClosedLoopIsAnExceptionOnEveryWritePath() throws Exception {
        ByteBuffer kept;
        try (Loop other = new Loop()) {
            Tcp[] p = tcpPair(other);
            ByteBuffer[] view = new ByteBuffer[1];
            p[1].startRead((s, d, e) -> {
                view[0] = d;
                s.close();
                p[0].close();
            });
            p[0].write("kept".getBytes());
            other.run();
            kept = view[0];
        }
        assertNotNull(kept);
        assertFalse(MemorySegment.ofBuffer(kept).scope().isAlive(),
                "the loop's read buffer outlives its loop");
        ByteBuffer k = kept;
        Tcp[] p = tcpPair(loop);
        assertThrows(IllegalStateException.class, () -> p[0].write(k));
        assertThrows(IllegalStateException.class, () -> p[0].write(new ByteBuffer[] {ByteBuffer.allocate(1), k}, null));
        assertThrows(IllegalStateException.class, () -> p[0].tryWrite(k));
        int fd = Fs.open(dir.resolve("f").toString(), Fs.O_RDWR | Fs.O_CREAT, 0644);
        try {
            Files.write(dir.resolve("f"), "0123456789".getBytes());
            assertThrows(IllegalStateException.class, () -> Fs.write(fd, k, 0));
            assertThrows(IllegalStateException.class, () -> Fs.write(loop, fd, k, 0, (n, e) -> Assertions.fail("ran")));
            assertThrows(IllegalStateException.class, () -> Fs.read(fd, k.duplicate().clear(), 0));
            assertThrows(IllegalStateException.class,
                    () -> Fs.read(loop, fd, k.duplicate().clear(), 0, (n, e) -> Assertions.fail("ran")));
        } finally {
            Fs.close(fd);
        }
        Udp udp = new Udp(loop);
        udp.bind(new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress to = udp.localAddress();
        assertThrows(IllegalStateException.class, () -> udp.send(to, k, (u, e) -> Assertions.fail("ran")));
        assertThrows(IllegalStateException.class, () -> udp.trySend(to, k));
        udp.close();
        p[0].close();
        p[1].close();
        loop.run();
    }

    /**
     * The echo's hot path, a read view written back with tryWrite on its own loop, allocates
     * nothing on the loop thread's heap once warm. The client is a plain socket on another
     * thread, so only the loop thread's allocation is counted.
     */
    @Test
    void echoOfTheReadViewAllocatesNothing() throws Exception {
        assumeTrue(HeapCounter.SUPPORTED, "no per-thread allocation counter");
        Tcp server = new Tcp(loop);
        server.bind(any4());
        int warm = 20_000;
        int measured = 20_000;
        long[] marks = new long[2];
        int[] reads = {0};
        server.listen(1, (srv, e) -> {
            Tcp c = new Tcp(loop);
            srv.accept(c);
            srv.close();
            c.startRead((s, d, re) -> {
                if (d == null) {
                    s.close();
                    return;
                }
                int r = ++reads[0];
                if (r == warm) {
                    marks[0] = HeapCounter.allocatedBytes();
                } else if (r == warm + measured) {
                    marks[1] = HeapCounter.allocatedBytes();
                }
                int n = s.tryWrite(d);
                if (n < d.remaining()) {
                    s.write(d.position(d.position() + n));
                }
            });
        });
        InetSocketAddress at = server.localAddress();
        AtomicReference<Throwable> clientError = new AtomicReference<>();
        Thread client = new Thread(() -> {
            try (Socket sock = new Socket(at.getAddress(), at.getPort())) {
                sock.setTcpNoDelay(true);
                sock.setSoTimeout(20_000);
                OutputStream out = sock.getOutputStream();
                InputStream in = sock.getInputStream();
                byte[] msg = new byte[64];
                byte[] back = new byte[64];
                for (int i = 0; i < warm + measured + 10; i++) {
                    msg[0] = (byte) i;
                    out.write(msg);
                    int got = 0;
                    while (got < msg.length) {
                        int n = in.read(back, got, msg.length - got);
                        if (n < 0) {
                            throw new java.io.EOFException("server closed");
                        }
                        got += n;
                    }
                    if (back[0] != msg[0]) {
                        throw new AssertionError("echo differs at " + i);
                    }
                }
            } catch (Throwable t) {
                clientError.set(t);
            }
        }, "echo-client");
        client.start();
        loop.run();
        client.join(30_000);
        assertNull(clientError.get());
        assertTrue(reads[0] >= warm + measured, "reads: " + reads[0]);
        double perRead = (marks[1] - marks[0]) / (double) (reads[0] >= warm + measured ? measured : 1);
        System.out.printf("TCP echo of the read view: %.3f heap bytes per echoed read%n", perRead);
        assertTrue(perRead < 1.0, "heap bytes per echoed read: " + perRead);
    }

    /** Assertions' fail, usable as an expression in a lambda. */
    private static final class Assertions {
        static void fail(String message) {
            throw new AssertionError(message);
        }
    }
}
