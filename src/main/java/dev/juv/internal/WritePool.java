package dev.juv.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * Native blocks for stream writes, recycled within one loop so that a steady stream of small
 * writes does not call {@code malloc} each time. A block holds a write's {@code uv_buf_t} array
 * followed by the copied heap bytes. Blocks come in three size classes; a larger request gets a
 * block of its own that is freed when given back. Only the loop's thread uses a pool.
 */
public final class WritePool {
    private static final long[] CLASSES = {512, 8 * 1024, 64 * 1024};
    /** How many free blocks each class keeps. */
    private static final int[] KEEP = {256, 32, 16};

    private final long[][] free = new long[CLASSES.length][];
    private final int[] count = new int[CLASSES.length];
    private boolean disposed;

    public WritePool() {
        for (int i = 0; i < CLASSES.length; i++) {
            free[i] = new long[KEEP[i]];
        }
    }

    private static int classOf(long size) {
        for (int i = 0; i < CLASSES.length; i++) {
            if (size <= CLASSES[i]) {
                return i;
            }
        }
        return -1;
    }

    /** A block of at least {@code size} bytes (uninitialised); give it back with the same size. */
    public long take(long size) {
        int c = classOf(size);
        if (c < 0) {
            return Native.malloc(size);
        }
        if (count[c] > 0) {
            return free[c][--count[c]];
        }
        return Native.malloc(CLASSES[c]);
    }

    /** Returns a block from {@link #take} with the size it was asked for. */
    public void give(long block, long size) {
        if (block == 0) {
            return;
        }
        int c = classOf(size);
        if (c < 0 || disposed || count[c] == free[c].length) {
            Native.free(block);
            return;
        }
        free[c][count[c]++] = block;
    }

    /** Frees every cached block; blocks given back later are freed at once. */
    public void dispose() {
        disposed = true;
        for (int c = 0; c < CLASSES.length; c++) {
            for (int i = 0; i < count[c]; i++) {
                Native.free(free[c][i]);
                free[c][i] = 0;
            }
            count[c] = 0;
        }
    }

    /**
     * Copies {@code n} bytes from a buffer's position to {@code dst} through the buffer's segment
     * (a checked access: IllegalStateException once an arena freed the memory,
     * IndexOutOfBoundsException when fewer than {@code n} bytes remain); the position is kept.
     */
    public static void copy(ByteBuffer src, long dst, int n) {
        if (n == 0) {
            return;
        }
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, Native.seg(dst, n), 0, n);
    }

    /** Copies {@code len} bytes between native addresses. */
    public static void copyNative(long src, long dst, long len) {
        if (len > 0) {
            MemorySegment.copy(Native.ALL, src, Native.ALL, dst, len);
        }
    }

    /** Copies {@code len} bytes of an array to {@code dst}. */
    public static void copy(byte[] src, int off, int len, long dst) {
        if (len == 0) {
            return;
        }
        MemorySegment.copy(src, off, Native.ALL, ValueLayout.JAVA_BYTE, dst, len);
    }

    /** Scope kinds whose memory is freed only once nothing reaches it (the buffer included). */
    private static final java.util.List<Class<?>> HELD_SCOPES = java.util.List.of(
            MemorySegment.ofBuffer(java.nio.ByteBuffer.allocateDirect(1)).scope().getClass(),
            java.lang.foreign.Arena.ofAuto().allocate(1).scope().getClass(),
            MemorySegment.NULL.scope().getClass());

    /**
     * Throws IllegalStateException when a direct buffer's memory was already freed by its arena
     * (a kept read view of a closed loop, a view of a closed arena's segment), so an operation
     * that fills it later fails now instead of in its callback.
     */
    public static void checkAlive(ByteBuffer b) {
        if (b.isDirect() && !MemorySegment.ofBuffer(b).scope().isAlive()) {
            throw new IllegalStateException("the buffer's memory is already freed (its arena is closed)");
        }
    }

    /**
     * The address of a direct buffer's position when the buffer may be handed to libuv where it
     * is, for an operation that outlives the call: its memory lives as long as the buffer
     * ({@code allocateDirect}, mapped and automatic-arena buffers; not a view of a confined or
     * shared arena's segment, which its owner may free with {@code close()} while libuv still
     * reads or writes it) and is no loop's read buffer ({@link ReadBuffers}), which the next
     * read overwrites. Otherwise 0, and the caller copies the bytes through {@link #copy(ByteBuffer, long, int)},
     * a checked access that throws {@link IllegalStateException} once an arena freed the memory.
     */
    public static long inPlaceAddress(ByteBuffer b) {
        if (!b.isDirect()) {
            return 0;
        }
        MemorySegment s = MemorySegment.ofBuffer(b);
        if (!HELD_SCOPES.contains(s.scope().getClass())) {
            return 0;
        }
        long a = s.address();
        if (a == 0) {
            return 0;
        }
        if (ReadBuffers.overlaps(a, b.remaining())) {
            ReadBuffers.checkCurrent(a, b.remaining());
            return 0;
        }
        return a;
    }
}
