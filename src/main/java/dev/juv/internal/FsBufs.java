package dev.juv.internal;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The {@code uv_buf_t} array of one uv_fs_read or uv_fs_write, in one counted block followed by
 * the bytes that are not read or written in place. Owned by the call or the request that uses
 * it; {@link #block()} frees it.
 */
public final class FsBufs {
    private final CBlock block;
    private final long base;
    private final int count;
    private final ByteBuffer[] srcs;

    private FsBufs(CBlock block, long base, int count, ByteBuffer[] srcs) {
        this.block = block;
        this.base = base;
        this.count = count;
        this.srcs = srcs;
    }

    /**
     * One buffer of {@code length} bytes to read into: at {@code inPlaceAt} when that is not 0,
     * else in the block itself.
     */
    public static FsBufs read(long inPlaceAt, int length) {
        boolean inPlace = inPlaceAt != 0;
        CBlock block = CBlock.allocate(Layouts.BUF_SIZE + (inPlace ? 0 : Math.max(1, length)));
        long base = inPlace ? inPlaceAt : block.address() + Layouts.BUF_SIZE;
        Layouts.setBuf(block.address(), base, length);
        return new FsBufs(block, base, 1, null);
    }

    /**
     * The buffers of a vectored write, each from its position up to its limit: a buffer that
     * {@link WritePool#inPlaceAddress} allows is written in place, any other is copied now.
     *
     * @throws IllegalArgumentException if {@code given} is empty
     */
    public static FsBufs write(ByteBuffer[] given) {
        Objects.requireNonNull(given, "buffers");
        if (given.length == 0) {
            throw new IllegalArgumentException("no buffers to write");
        }
        ByteBuffer[] srcs = given.clone();
        long copied = 0;
        // each buffer's in-place address (0: copied) and length, decided once
        long[] at = new long[srcs.length];
        int[] lengths = new int[srcs.length];
        for (int i = 0; i < srcs.length; i++) {
            ByteBuffer s = Objects.requireNonNull(srcs[i], "buffer");
            // copied: an arena's memory (its owner could free it before the write is done)
            // and any loop's read buffer (that loop's next read overwrites it)
            at[i] = WritePool.inPlaceAddress(s);
            lengths[i] = s.remaining();
            if (at[i] == 0) {
                copied += lengths[i];
            }
        }
        long table = Layouts.BUF_SIZE * srcs.length;
        CBlock block = CBlock.allocate(table + Math.max(1, copied));
        try {
            long mem = block.address();
            long next = mem + table;
            for (int i = 0; i < srcs.length; i++) {
                int len = lengths[i];
                long base;
                if (at[i] != 0) {
                    base = at[i];
                } else {
                    base = next;
                    WritePool.copy(srcs[i], next, len);
                    next += len;
                }
                Layouts.setBuf(mem + Layouts.BUF_SIZE * i, base, len);
            }
        } catch (RuntimeException | Error e) {
            block.close();
            throw e;
        }
        return new FsBufs(block, 0, srcs.length, srcs);
    }

    /** The block holding the {@code uv_buf_t} array; closing it frees everything. */
    public CBlock block() {
        return block;
    }

    /** The address of the {@code uv_buf_t} array. */
    public long table() {
        return block.address();
    }

    /** The number of {@code uv_buf_t} in the array. */
    public int count() {
        return count;
    }

    /** A copy of the first {@code n} bytes read. */
    public byte[] bytes(long n) {
        return Native.bytes(base, n);
    }

    /**
     * Moves the {@code n} bytes read to {@code dst}: advances its position when they were read
     * in place, else puts them; returns n.
     */
    public int fill(ByteBuffer dst, int n, boolean inPlace) {
        if (inPlace) {
            dst.position(dst.position() + n);
        } else if (n > 0) {
            dst.put(Native.buffer(base, n));
        }
        return n;
    }

    /** Advances the written buffers' positions by {@code n} bytes in order; returns n. */
    public long consumed(long n) {
        long left = n;
        for (ByteBuffer s : srcs) {
            int step = (int) Math.min(left, s.remaining());
            s.position(s.position() + step);
            left -= step;
        }
        return n;
    }
}
