package dev.juv.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One counted native block holding everything a datagram send needs until libuv is done with
 * it: a {@code uv_buf_t} describing the payload, room for the destination sockaddr, and a copy
 * of the payload itself. The caller frees it with {@link #free}.
 */
public final class SendBlock {
    private SendBlock() {}

    private static final long BUF = 0;
    private static final long ADDR = align(Layouts.BUF_SIZE);
    private static final long DATA = ADDR + Sockaddr.STORAGE;

    private static long align(long n) {
        return (n + 15) & ~15L;
    }

    /** A block holding a copy of {@code data[off, off + len)}. */
    public static long of(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        long block = Native.malloc(DATA + len);
        Native.seg(block, DATA).fill((byte) 0);
        if (len > 0) {
            MemorySegment.copy(data, off, Native.ALL, ValueLayout.JAVA_BYTE, block + DATA, len);
        }
        Layouts.setBuf(block + BUF, block + DATA, len);
        return block;
    }

    /**
     * A block holding a copy of the buffer's remaining bytes; its position is left as it was. The
     * copy goes through the buffer's segment, so a view of memory an arena has freed (such as a
     * kept read view of a closed loop) is an IllegalStateException, and no block is left behind.
     */
    public static long of(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        ReadBuffers.checkCurrent(buffer);
        int n = buffer.remaining();
        long block = Native.malloc(DATA + n);
        try {
            Native.seg(block, DATA).fill((byte) 0);
            if (n > 0) {
                MemorySegment.copy(MemorySegment.ofBuffer(buffer), 0, Native.seg(block + DATA, n), 0, n);
            }
        } catch (RuntimeException | Error e) {
            Native.free(block);
            throw e;
        }
        Layouts.setBuf(block + BUF, block + DATA, n);
        return block;
    }

    /**
     * A block holding the remaining bytes of every buffer, one after the other. The buffers'
     * positions are left as they were.
     *
     * @throws NullPointerException if the array or one of its elements is null
     * @throws IllegalArgumentException if the total exceeds {@link Integer#MAX_VALUE}
     */
    public static long of(ByteBuffer[] buffers) {
        Objects.requireNonNull(buffers, "buffers");
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += Objects.requireNonNull(b, "buffer").remaining();
            ReadBuffers.checkCurrent(b);
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("datagram too large: " + total + " bytes");
        }
        long block = Native.malloc(DATA + total);
        long at = block + DATA;
        try {
            Native.seg(block, DATA).fill((byte) 0);
            long end = at + total;
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                if (n > end - at) {
                    throw new java.util.ConcurrentModificationException("a buffer grew while it was copied");
                }
                if (n > 0) {
                    MemorySegment.copy(MemorySegment.ofBuffer(b), 0, Native.seg(at, n), 0, n);
                    at += n;
                }
            }
        } catch (RuntimeException | Error e) {
            Native.free(block);
            throw e;
        }
        Layouts.setBuf(block + BUF, block + DATA, at - (block + DATA));
        return block;
    }

    /** The block's {@code uv_buf_t}. */
    public static long buf(long block) {
        return block + BUF;
    }

    /** The block's sockaddr area ({@link Sockaddr#STORAGE} bytes). */
    public static long sockaddr(long block) {
        return block + ADDR;
    }

    /**
     * Writes {@code address} into the block's sockaddr area.
     *
     * @throws IllegalArgumentException if the address is unresolved or libuv refuses it
     */
    public static void address(long block, InetSocketAddress address) {
        Sockaddr.encode(block + ADDR, address);
    }

    /** Frees a block; 0 is ignored. */
    public static void free(long block) {
        Native.free(block);
    }
}
