package dev.juv.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The address ranges of every live loop's read buffer, in the whole process. A loop registers
 * its buffer when it allocates it and unregisters it before freeing it; the write paths (stream,
 * UDP, fs) ask whether a buffer they are given lies in one, because such memory is overwritten by
 * the next read of its loop and must never be written (or read into) where it is.
 *
 * <p>Thread-safe: changes take a lock and publish a new sorted array; a lookup reads one
 * volatile field, does a binary search and allocates nothing.
 */
public final class ReadBuffers {
    private ReadBuffers() {}

    private static final Object LOCK = new Object();
    /** Start and end (exclusive) of each range, sorted by start; ranges never overlap. */
    private static volatile long[] ranges = new long[0];

    /**
     * Adds the range {@code [address, address + size)}.
     *
     * @throws IllegalArgumentException if the size is not positive or the range overlaps one
     *     already registered
     */
    public static void register(long address, long size) {
        if (size <= 0 || address == 0) {
            throw new IllegalArgumentException("bad read buffer range: " + address + ", " + size);
        }
        synchronized (LOCK) {
            long[] old = ranges;
            if (overlaps(old, address, size)) {
                throw new IllegalArgumentException("read buffer range already registered: " + address);
            }
            long[] next = new long[old.length + 2];
            int at = 0;
            while (at < old.length && old[at] < address) {
                at += 2;
            }
            System.arraycopy(old, 0, next, 0, at);
            next[at] = address;
            next[at + 1] = address + size;
            System.arraycopy(old, at, next, at + 2, old.length - at);
            ranges = next;
        }
    }

    /** Removes the range starting at {@code address}; does nothing when there is none. */
    public static void unregister(long address) {
        synchronized (LOCK) {
            long[] old = ranges;
            for (int i = 0; i < old.length; i += 2) {
                if (old[i] == address) {
                    long[] next = new long[old.length - 2];
                    System.arraycopy(old, 0, next, 0, i);
                    System.arraycopy(old, i + 2, next, i, old.length - i - 2);
                    ranges = next;
                    return;
                }
            }
        }
    }

    /** Whether {@code [address, address + length)} touches a registered range (length 0 counts as 1). */
    public static boolean overlaps(long address, long length) {
        return overlaps(ranges, address, Math.max(1, length));
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
        return ranges.length / 2;
    }

    private static boolean overlaps(long[] r, long address, long length) {
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
        return found >= 0 && r[2 * found + 1] > address;
    }
}
