package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.CleanupGate;
import dev.juv.support.Tags;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Write buffers and their lifetime (a pending write's bytes stay alive until its callback): bytes on the wire are the bytes given at
 * {@code write()}, whatever the caller does with its array, buffer or arena afterwards; a direct
 * buffer written in place stays reachable until its callback.
 */
@Timeout(60)
@ExtendWith(CleanupGate.class)
@Tag(Tags.GC_HEAVY)
class WriteLifetimeTest extends UvTestCase {
    private Tcp client;
    private Tcp peer;

    /** A connected pair: {@code client} writes, {@code peer} reads (once told to). */
    private void connect() {
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.listen(1, (s, e) -> {
            peer = new Tcp(loop);
            s.accept(peer);
            s.close();
        });
        client = new Tcp(loop);
        client.connect(server.localAddress(), (c, e) -> assertNull(e));
        while (peer == null || !server.isClosed()) {
            loop.run(RunMode.ONCE);
        }
    }

    /** Reads until {@code expected} bytes have arrived and returns them. */
    private byte[] receive(long expected) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        peer.startRead((s, d, e) -> {
            assertNotNull(d, () -> "read ended early: " + e);
            byte[] b = new byte[d.remaining()];
            d.get(b);
            got.write(b, 0, b.length);
            if (got.size() >= expected) {
                s.stopRead();
            }
        });
        while (got.size() < expected) {
            loop.run(RunMode.ONCE);
        }
        return got.toByteArray();
    }

    private void closePair() {
        client.close();
        peer.close();
        loop.run();
    }

    @Test
    void mutatingTheArrayAfterWriteChangesNothingOnTheWire() {
        connect();
        byte[] array = new byte[4096];
        ByteArrayOutputStream snapshots = new ByteArrayOutputStream();
        Random r = new Random(1);
        int[] done = new int[1];
        for (int i = 0; i < 1000; i++) {
            r.nextBytes(array);
            snapshots.write(array, 0, array.length);
            ByteBuffer heap = ByteBuffer.wrap(array);
            if (i % 2 == 0) {
                client.write(array, (s, e) -> done[0]++);
            } else {
                client.write(heap, (s, e) -> done[0]++);
            }
            java.util.Arrays.fill(array, (byte) 0x5a); // changed before libuv has sent anything
        }
        byte[] wire = receive(snapshots.size());
        while (done[0] < 1000) {
            loop.run(RunMode.ONCE);
        }
        assertArrayEquals(snapshots.toByteArray(), wire);
        closePair();
    }

    /**
     * Write requests go back to the loop's pool once their callback has run: each callback
     * writes again (taking the request just returned), in both directions, and still gets its
     * own stream, every byte arrives in order, and juv's native memory stays flat over 20 000
     * writes (nothing kept per write, the pool bounded), with the two requests the sides used spare
     * in the pool at the end.
     */
    @Test
    @SuppressWarnings("unchecked")
    void writesIssuedFromWriteCallbacksReuseRequestsAndKeepEveryByte() {
        connect();
        int rounds = 10_000;
        int[] calls = new int[2];
        long[] peakNative = new long[1];
        Tcp[] ends = {client, peer};
        for (int side = 0; side < 2; side++) {
            int me = side;
            List<Stream.Callback<Tcp>> next = new ArrayList<>(1);
            next.add((s, e) -> {
                assertNull(e);
                assertSame(ends[me], s, "the callback gets the stream that wrote");
                peakNative[0] = Math.max(peakNative[0], Sys.nativeBytesInUse());
                int n = ++calls[me];
                if (n < rounds) {
                    s.write(new byte[] {(byte) n, (byte) (n >>> 8)}, next.get(0));
                }
            });
            ends[side].write(new byte[] {0, 0}, next.get(0));
        }
        long before = Sys.nativeBytesInUse();
        ByteArrayOutputStream[] got = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        for (int side = 0; side < 2; side++) {
            ByteArrayOutputStream into = got[side];
            ends[1 - side].startRead((s, d, e) -> {
                assertNotNull(d, () -> "read ended early: " + e);
                byte[] b = new byte[d.remaining()];
                d.get(b);
                into.write(b, 0, b.length);
            });
        }
        while (calls[0] < rounds || calls[1] < rounds || got[0].size() < 2 * rounds || got[1].size() < 2 * rounds) {
            loop.run(RunMode.ONCE);
        }
        for (int side = 0; side < 2; side++) {
            byte[] wire = got[side].toByteArray();
            assertEquals(2 * rounds, wire.length);
            for (int i = 0; i < rounds; i++) {
                assertEquals(i, (wire[2 * i] & 0xff) | (wire[2 * i + 1] & 0xff) << 8, "write " + i + " of side " + side);
            }
        }
        // each side had one write in flight at a time, its request taken back from the pool by the
        // next write: both are spare now (without the pool there would be none)
        assertEquals(2, loop.writeRequests.size(), "spare write requests after the last callbacks");
        // a request kept per write would be over 20 000 x 100 bytes
        assertTrue(peakNative[0] - before < 512 * 1024,
                "native bytes grew by " + (peakNative[0] - before) + " over " + 2 * rounds + " writes");
        closePair();
    }

    @Test
    void sixtyFourMebibytesQueuedFromOneReusedArray() {
        connect();
        byte[] chunk = new byte[1 << 20];
        CRC32 sent = new CRC32();
        int[] done = new int[1];
        for (int i = 0; i < 64; i++) {
            java.util.Arrays.fill(chunk, (byte) i);
            chunk[i] = (byte) ~i;
            sent.update(chunk);
            client.write(chunk, (s, e) -> {
                assertNull(e);
                done[0]++;
            });
        }
        assertTrue(client.writeQueueSize() > 32L << 20, "the writes are queued: " + client.writeQueueSize());
        CRC32 got = new CRC32();
        long[] n = new long[1];
        peer.startRead((s, d, e) -> {
            assertNotNull(d);
            n[0] += d.remaining();
            got.update(d);
        });
        while (n[0] < 64L << 20 || done[0] < 64) {
            loop.run(RunMode.ONCE);
        }
        assertEquals(sent.getValue(), got.getValue());
        assertEquals(0, client.writeQueueSize());
        closePair();
    }

    /** Writes a fresh direct buffer and keeps nothing but a weak reference to it. */
    private WeakReference<ByteBuffer> writeUnreferenced(int size, boolean[] called) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) (i * 7 + 3));
        }
        client.write(b, (s, e) -> {
            assertNull(e);
            called[0] = true;
        });
        return new WeakReference<>(b);
    }

    @Test
    void aDirectBufferWrittenInPlaceStaysAliveUntilItsCallback() {
        connect();
        int size = 16 << 20; // more than the socket buffers take: the write stays queued
        boolean[] called = new boolean[1];
        WeakReference<ByteBuffer> ref = writeUnreferenced(size, called);
        assertTrue(client.writeQueueSize() > 0, "the direct write is queued");
        for (int i = 0; i < 10; i++) {
            byte[][] garbage = new byte[64][];
            for (int k = 0; k < garbage.length; k++) {
                garbage[k] = new byte[1 << 16];
            }
            System.gc();
        }
        assertNotNull(ref.get(), "the buffer of a pending write was collected");
        assertTrue(!called[0]);
        byte[] wire = receive(size);
        while (!called[0]) {
            loop.run(RunMode.ONCE);
        }
        for (int i = 0; i < size; i++) {
            if (wire[i] != (byte) (i * 7 + 3)) {
                throw new AssertionError("byte " + i + " differs on the wire");
            }
        }
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
        }
        assertNull(ref.get(), "the buffer is still held after its callback");
        closePair();
    }

    @Test
    void closingTheCallersArenaRightAfterWrite() {
        connect();
        int size = 48 << 20; // above glibc's largest mmap threshold: freeing it unmaps it
        byte[] snapshot = new byte[size];
        new Random(2).nextBytes(snapshot);
        boolean[] called = new boolean[1];
        UvException[] error = new UvException[1];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(size);
            MemorySegment.copy(snapshot, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, size);
            client.write(seg.asByteBuffer(), (s, e) -> {
                error[0] = e;
                called[0] = true;
            });
            assertTrue(client.writeQueueSize() > 0, "the write is queued");
        } // the arena's memory is freed here, with the write still queued
        byte[] scribble = new byte[size];
        try (Arena other = Arena.ofConfined()) {
            other.allocate(size).fill((byte) 0x33); // likely to reuse what was freed
            byte[] wire = receive(size);
            while (!called[0]) {
                loop.run(RunMode.ONCE);
            }
            assertNull(error[0]);
            assertArrayEquals(snapshot, wire, "bytes on the wire differ from those given to write()");
        }
        assertEquals(size, scribble.length);
        closePair();
    }

    @Test
    void anAsynchronousFileReadIntoAnArenaThatClosesAtOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("in");
        java.nio.file.Files.write(file, new byte[1 << 20]);
        int fd = Fs.open(file.toString(), Fs.O_RDONLY, 0);
        int[] called = new int[1];
        try (Arena other = Arena.ofConfined()) {
            try (Arena arena = Arena.ofConfined()) {
                Fs.read(loop, fd, arena.allocate(1 << 20).asByteBuffer(), 0, (n, e) -> called[0]++);
            }
            // the pool thread reads into juv's own memory, never into the freed arena; handing the
            // bytes over then meets the closed segment, and that is the loop's exception
            other.allocate(1 << 20).fill((byte) 0x44);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, loop::run);
            assertTrue(String.valueOf(e.getMessage()).contains("closed"), e.toString());
        }
        Fs.close(fd);
        assertEquals(0, called[0], "the callback of a read whose buffer was freed");
        assertEquals(0, loop.outstandingRequests());
    }

    @Test
    void anAsynchronousFileWriteFromAnArenaThatClosesAtOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        int size = 48 << 20;
        byte[] snapshot = new byte[size];
        new Random(3).nextBytes(snapshot);
        String file = dir.resolve("out").toString();
        int fd = Fs.open(file, Fs.O_CREAT | Fs.O_WRONLY | Fs.O_TRUNC, 0600);
        Long[] written = new Long[1];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(size);
            MemorySegment.copy(snapshot, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, size);
            Fs.write(loop, fd, new ByteBuffer[] {seg.asByteBuffer()}, 0, (n, e) -> {
                assertNull(e);
                written[0] = n;
            });
        }
        try (Arena other = Arena.ofConfined()) {
            other.allocate(size).fill((byte) 0x33);
            loop.run();
        }
        Fs.close(fd);
        assertEquals(size, written[0]);
        assertArrayEquals(snapshot, java.nio.file.Files.readAllBytes(dir.resolve("out")),
                "the file differs from the bytes given to write()");
    }
}
