package dev.juv.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A loop's write-buffer builder: it turns the bytes of a write into one native block holding the
 * write's {@code uv_buf_t} array followed by the copied heap bytes, and recycles those blocks so
 * that a steady stream of small writes does not call {@code malloc} each time. Blocks come in three
 * size classes; a larger request gets a block of its own that is freed when given back. The loop
 * creates its pool with itself and disposes of it when it closes; only a call holding the loop's
 * claim uses it, so one write is prepared at a time.
 *
 * <p>A write is built by one of the {@code prepare} methods, then either handed to its request
 * with {@link #detach} (which gives the block back with {@link #give} once libuv is done) or
 * dropped with {@link #drop}. {@link #vector} builds the same array, malloc'd, for callers without
 * a loop (vectored file writes).
 */
public final class WritePool {
    private static final long[] CLASSES = {512, 8 * 1024, 64 * 1024};
    /** How many free blocks each class keeps. */
    private static final int[] KEEP = {256, 32, 16};
    private static final int BUF = (int) Layouts.BUF_SIZE;

    private final long[][] free = new long[CLASSES.length][];
    private final int[] count = new int[CLASSES.length];
    private boolean disposed;

    /** The loop's read buffer, its view given to read callbacks, their dispatch, and its size. */
    private final long readBuffer;
    private final ByteBuffer readView;
    private final ReadBuffers.Dispatch readDispatch;
    private final int readSize;

    // the write being prepared: its block, the size it was asked with and its buffer count
    private long prepared;
    private long preparedSize;
    private int preparedCount;
    /** Per-buffer decisions of a several-buffer write (address, length), reused. */
    private long[] plan;

    /**
     * A pool for the loop whose read buffer is {@code readSize} bytes at {@code readBuffer}, seen by
     * read callbacks through {@code readView} while {@code readDispatch} names the calling thread.
     */
    public WritePool(long readBuffer, ByteBuffer readView, ReadBuffers.Dispatch readDispatch, int readSize) {
        for (int i = 0; i < CLASSES.length; i++) {
            free[i] = new long[KEEP[i]];
        }
        this.readBuffer = readBuffer;
        this.readView = readView;
        this.readDispatch = readDispatch;
        this.readSize = readSize;
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

    // ---- the write being prepared ----

    /** The prepared write's block: its {@code uv_buf_t} array first. */
    public long preparedBlock() {
        return prepared;
    }

    /** The size the prepared block was asked with, for {@link #give}. */
    public long preparedSize() {
        return preparedSize;
    }

    /** The number of {@code uv_buf_t} in the prepared block. */
    public int preparedCount() {
        return preparedCount;
    }

    /** Hands the prepared block over to its request, which gives it back with {@link #give}. */
    public long detach() {
        long b = prepared;
        prepared = 0;
        return b;
    }

    /** Gives the prepared block back: the write will not be made. */
    public void drop() {
        give(detach(), preparedSize);
    }

    private void take(long size, int buffers) {
        prepared = take(size);
        preparedSize = size;
        preparedCount = buffers;
    }

    /**
     * Checks the arguments of a write of {@code length} bytes of {@code data} from {@code offset}.
     *
     * @throws NullPointerException if the array is null
     * @throws IllegalArgumentException if offset or length is negative
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public static void checkRange(byte[] data, int offset, int length) {
        Objects.requireNonNull(data, "data");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        Objects.checkFromIndexSize(offset, length, data.length);
    }

    /**
     * Checks the arguments of a vectored write: an array of at least one buffer, none null.
     *
     * @throws NullPointerException if the array or one of its buffers is null
     * @throws IllegalArgumentException if there is no buffer
     */
    public static void checkBuffers(ByteBuffer[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            throw new IllegalArgumentException("no buffer to write");
        }
        for (ByteBuffer b : data) {
            Objects.requireNonNull(b, "a buffer to write is null");
        }
    }

    /**
     * Checks the arguments of a write of several arrays: at least one, none null.
     *
     * @throws NullPointerException if the array or one of its elements is null
     * @throws IllegalArgumentException if there is no array
     */
    public static void checkArrays(byte[][] data) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            throw new IllegalArgumentException("no array to write");
        }
        for (byte[] b : data) {
            Objects.requireNonNull(b, "an array to write is null");
        }
    }

    /** Prepares a copy of {@code length} bytes of {@code data} from {@code offset}. */
    public void prepare(byte[] data, int offset, int length) {
        checkRange(data, offset, length);
        take(BUF + (long) length, 1);
        long block = prepared;
        Layouts.setBuf(block, block + BUF, length);
        copy(data, offset, length, block + BUF);
    }

    /**
     * The address a buffer is written from in place, or 0 when its bytes are copied: a direct
     * buffer is used in place unless it lies in a loop's read buffer (this loop's or any other's),
     * which the next read overwrites (echoing a read's data is common), or is a view of an arena's
     * memory that its owner may free before the write is done. This loop's own read view, the
     * echo's case, is recognised by identity, without a lookup or an allocation.
     */
    private long inPlace(ByteBuffer b) {
        if (b == readView) {
            ReadBuffers.checkCurrent(readDispatch);
            return 0;
        }
        return inPlaceAddress(b);
    }

    /**
     * Prepares the bytes between the buffer's position and limit, its position unchanged.
     * Returns whether the buffer is used in place (and must be kept reachable until the write is done).
     */
    public boolean prepare(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        return prepare(data, inPlace(data));
    }

    /**
     * {@link #prepare(ByteBuffer)} for a write made during this call ({@code uv_try_write}), which
     * needs no copy of this loop's read view: the view's bytes stay put until the read callback
     * returns, and the write is over before this call does. Any other buffer as for {@code prepare}.
     */
    public void prepareForTry(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        long address;
        if (data == readView) {
            ReadBuffers.checkCurrent(readDispatch);
            int at = data.position();
            Objects.checkFromIndexSize(at, data.remaining(), readSize);
            address = readBuffer + at;
        } else {
            address = inPlace(data);
        }
        prepare(data, address);
    }

    private boolean prepare(ByteBuffer data, long address) {
        int n = data.remaining();
        take(address != 0 ? BUF : BUF + (long) n, 1);
        long block = prepared;
        try {
            if (address != 0) {
                Layouts.setBuf(block, address, n);
            } else {
                Layouts.setBuf(block, block + BUF, n);
                copyInto(data, block + BUF, n);
            }
        } catch (RuntimeException | Error e) {
            drop();
            throw e;
        }
        return address != 0;
    }

    /**
     * Copies {@code n} bytes from a buffer's position: this loop's read view by its known address
     * (the loop is open while its pool is used), an array directly, anything else through its
     * segment, whose access throws IllegalStateException once an arena has freed the memory.
     */
    private void copyInto(ByteBuffer b, long dst, int n) {
        if (b == readView) {
            int at = b.position();
            Objects.checkFromIndexSize(at, n, readSize);
            copyNative(readBuffer + at, dst, n);
        } else if (b.hasArray()) {
            copy(b.array(), b.arrayOffset() + b.position(), n, dst);
        } else {
            copy(b, dst, n);
        }
    }

    /**
     * Prepares several buffers, in order, as one write, their positions unchanged. Returns
     * whether one of them is used in place (and must be kept reachable until the write is done).
     */
    public boolean prepare(ByteBuffer[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            throw new IllegalArgumentException("no buffer to write");
        }
        // each buffer's address (0: copied) and length, decided once so that the block's size
        // and what is written into it agree
        int n = data.length;
        long[] p = plan;
        if (p == null || p.length < 2 * n) {
            p = new long[Math.max(16, 2 * n)];
            plan = p;
        }
        long copied = plan(this, data, p, "a buffer to write is null");
        take((long) BUF * n + copied, n);
        try {
            fill(this, data, p, prepared);
        } catch (RuntimeException | Error e) {
            drop();
            throw e;
        }
        for (int i = 0; i < n; i++) {
            if (p[2 * i] != 0) {
                return true;
            }
        }
        return false;
    }

    /** Prepares copies of several arrays, in order, as one write. */
    public void prepare(byte[][] data) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            throw new IllegalArgumentException("no array to write");
        }
        long total = 0;
        for (byte[] b : data) {
            total += Objects.requireNonNull(b, "an array to write is null").length;
        }
        long bufs = (long) BUF * data.length;
        take(bufs + total, data.length);
        long block = prepared;
        long at = block + bufs;
        for (int i = 0; i < data.length; i++) {
            byte[] b = data[i];
            Layouts.setBuf(block + (long) i * BUF, at, b.length);
            copy(b, 0, b.length, at);
            at += b.length;
        }
    }

    /**
     * A malloc'd block (free it with {@link Native#free}) holding a {@code uv_buf_t} for each
     * buffer, in order, followed by copies of the ones that cannot be used in place (see
     * {@link #inPlaceAddress}): for a vectored write with no loop's pool at hand, such as a file
     * write. The buffers' positions are unchanged.
     *
     * @throws NullPointerException (message "buffer") if one of the buffers is null
     */
    public static long vector(ByteBuffer[] buffers) {
        long[] p = new long[2 * buffers.length];
        long copied = plan(null, buffers, p, "buffer");
        long mem = Native.malloc((long) BUF * buffers.length + Math.max(1, copied));
        try {
            fill(null, buffers, p, mem);
        } catch (RuntimeException | Error e) {
            Native.free(mem);
            throw e;
        }
        return mem;
    }

    /**
     * Decides each buffer's in-place address (0: copied) and length into {@code plan}, as
     * {@code owner}'s writes do (or as any loop's, when null); returns the bytes to copy.
     */
    private static long plan(WritePool owner, ByteBuffer[] data, long[] plan, String nullMessage) {
        long copied = 0;
        for (int i = 0; i < data.length; i++) {
            ByteBuffer b = Objects.requireNonNull(data[i], nullMessage);
            int n = b.remaining();
            long address = owner != null ? owner.inPlace(b) : inPlaceAddress(b);
            plan[2 * i] = address;
            plan[2 * i + 1] = n;
            if (address == 0) {
                copied += n;
            }
        }
        return copied;
    }

    /** Writes the {@code uv_buf_t} array {@code plan} describes into {@code block}, the copies after it. */
    private static void fill(WritePool owner, ByteBuffer[] data, long[] plan, long block) {
        long at = block + (long) BUF * data.length;
        for (int i = 0; i < data.length; i++) {
            long address = plan[2 * i];
            int n = (int) plan[2 * i + 1];
            if (address != 0) {
                Layouts.setBuf(block + (long) i * BUF, address, n);
            } else {
                Layouts.setBuf(block + (long) i * BUF, at, n);
                if (owner != null) {
                    owner.copyInto(data[i], at, n);
                } else {
                    copy(data[i], at, n);
                }
                at += n;
            }
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
    private static void copyNative(long src, long dst, long len) {
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
