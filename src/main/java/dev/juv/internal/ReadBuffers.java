package dev.juv.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The address ranges of every live loop's read buffer, in the whole process. A loop registers
 * its buffer when it allocates it and unregisters it before freeing it; the write paths (stream,
 * UDP, fs) ask whether a buffer they are given lies in one, because such memory is overwritten by
 * the next read of its loop and must never be written (or read into) where it is.
 *
 * <p>Each range has a {@link Dispatch}: the thread running a read callback over the buffer, if
 * any. Outside such a callback the buffer's bytes belong to whichever read comes next, so the
 * write paths refuse a view of it ({@link #checkCurrent}) instead of sending bytes that are no
 * longer the ones the callback saw.
 *
 * <p>Thread-safe: changes take a lock and publish a new sorted array; a lookup reads one
 * volatile field, does a binary search and allocates nothing.
 */
public final class ReadBuffers {
    private ReadBuffers() {}

    private static final Object LOCK = new Object();

    /** Which thread, if any, is running a read callback over one loop's buffer. */
    public static final class Dispatch {
        /** Set by the loop thread around each read callback; null outside one. */
        public Thread thread;
    }

    /** The ranges and their dispatches, published together. */
    private record Table(long[] ranges, Dispatch[] dispatch) {}

    /** Start and end (exclusive) of each range, sorted by start; ranges never overlap. */
    private static volatile Table table = new Table(new long[0], new Dispatch[0]);

    /**
     * Adds the range {@code [address, address + size)}.
     *
     * @throws IllegalArgumentException if the size is not positive or the range overlaps one
     *     already registered
     */
    public static void register(long address, long size, Dispatch dispatch) {
        if (size <= 0 || address == 0) {
            throw new IllegalArgumentException("bad read buffer range: " + address + ", " + size);
        }
        synchronized (LOCK) {
            Table t = table;
            long[] old = t.ranges;
            if (overlaps(old, address, size)) {
                throw new IllegalArgumentException("read buffer range already registered: " + address);
            }
            long[] next = new long[old.length + 2];
            Dispatch[] nextDispatch = new Dispatch[t.dispatch.length + 1];
            int at = 0;
            while (at < old.length && old[at] < address) {
                at += 2;
            }
            System.arraycopy(old, 0, next, 0, at);
            next[at] = address;
            next[at + 1] = address + size;
            System.arraycopy(old, at, next, at + 2, old.length - at);
            System.arraycopy(t.dispatch, 0, nextDispatch, 0, at / 2);
            nextDispatch[at / 2] = dispatch;
            System.arraycopy(t.dispatch, at / 2, nextDispatch, at / 2 + 1, t.dispatch.length - at / 2);
            table = new Table(next, nextDispatch);
        }
    }

    /** Removes the range starting at {@code address}; does nothing when there is none. */
    public static void unregister(long address) {
        synchronized (LOCK) {
            Table t = table;
            long[] old = t.ranges;
            for (int i = 0; i < old.length; i += 2) {
                if (old[i] == address) {
                    long[] next = new long[old.length - 2];
                    System.arraycopy(old, 0, next, 0, i);
                    System.arraycopy(old, i + 2, next, i, old.length - i - 2);
                    Dispatch[] nextDispatch = new Dispatch[t.dispatch.length - 1];
                    System.arraycopy(t.dispatch, 0, nextDispatch, 0, i / 2);
                    System.arraycopy(t.dispatch, i / 2 + 1, nextDispatch, i / 2, t.dispatch.length - i / 2 - 1);
                    table = new Table(next, nextDispatch);
                    return;
                }
            }
        }
    }

    /** Whether {@code [address, address + length)} touches a registered range (length 0 counts as 1). */
    public static boolean overlaps(long address, long length) {
        return find(table.ranges, address, Math.max(1, length)) >= 0;
    }

    /**
     * Throws {@link IllegalStateException} when {@code [address, address + length)} lies in a
     * loop's read buffer and the calling thread is not inside a read callback over it: the bytes
     * there are already another read's, or will be.
     */
    public static void checkCurrent(long address, long length) {
        Table t = table;
        int i = find(t.ranges, address, Math.max(1, length));
        if (i >= 0) {
            checkCurrent(t.dispatch[i]);
        }
    }

    /** {@link #checkCurrent(long, long)} for a buffer's remaining bytes; nothing for a heap buffer. */
    public static void checkCurrent(ByteBuffer b) {
        if (b.isDirect()) {
            checkCurrent(MemorySegment.ofBuffer(b).address(), b.remaining());
        }
    }

    /** {@link #checkCurrent(long, long)} for a buffer known to be the one {@code d} dispatches. */
    public static void checkCurrent(Dispatch d) {
        if (d.thread != Thread.currentThread()) {
            throw new IllegalStateException("a loop's read buffer used after its read callback returned: the next"
                    + " read overwrites it; copy the bytes inside the callback to keep them");
        }
    }

    /**
     * Whether the bytes between a direct buffer's position and limit lie (even partly) in a loop's
     * read buffer; false for a heap buffer. Only compares addresses: never touches the memory, so
     * it is safe on a buffer whose memory is already freed.
     */
    public static boolean holds(ByteBuffer b) {
        return b.isDirect() && overlaps(MemorySegment.ofBuffer(b).address(), b.remaining());
    }

    /** How many ranges are registered (for tests). */
    public static int count() {
        return table.ranges.length / 2;
    }

    private static boolean overlaps(long[] r, long address, long length) {
        return find(r, address, length) >= 0;
    }

    /** The index of the range {@code [address, address + length)} touches, or -1. */
    private static int find(long[] r, long address, long length) {
        long end = address + length;
        // the last range starting before end
        int lo = 0;
        int hi = r.length / 2 - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (r[2 * mid] < end) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && r[2 * found + 1] > address ? found : -1;
    }

    /**
     * A view of {@code length} bytes libuv received at {@code address}, inside a loop's read
     * buffer (one datagram of a several-datagram receive); valid while that buffer's bytes are.
     */
    public static ByteBuffer view(long address, long length) {
        return Native.buffer(address, length);
    }
}
