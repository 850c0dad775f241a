package dev.juv.internal;

import java.nio.ByteBuffer;

/**
 * One block of juv's counted native memory with a single owner: a C string, raw bytes or a
 * zeroed scratch area handed to libuv for the length of a call or of a request. Closing frees it
 * once; a second close does nothing. The public classes hold these instead of raw allocations.
 */
public final class CBlock implements AutoCloseable {
    private long address;
    private final long size;

    private CBlock(long address, long size) {
        this.address = address;
        this.size = size;
    }

    /**
     * A NUL-terminated UTF-8 copy of {@code s}.
     *
     * @throws IllegalArgumentException if {@code s} holds a NUL or an unpaired surrogate
     */
    public static CBlock string(String s) {
        byte[] b = Native.utf8(s);
        return new CBlock(Native.cbytes(b), b.length + 1L);
    }

    /** {@link #string}, or a block at address 0 (a C NULL) for a null {@code s}. */
    public static CBlock stringOrNull(String s) {
        return s == null ? new CBlock(0, 0) : string(s);
    }

    /**
     * A NUL-terminated copy of {@code b}.
     *
     * @throws IllegalArgumentException if {@code b} holds a NUL byte
     */
    public static CBlock bytes(byte[] b) {
        return new CBlock(Native.cbytes(b), b.length + 1L);
    }

    /** An exact copy of {@code b}, without terminator. */
    public static CBlock raw(byte[] b) {
        long p = Native.malloc(b.length);
        Native.putBytes(p, b, 0, b.length);
        return new CBlock(p, b.length);
    }

    /** {@code size} zeroed bytes. */
    public static CBlock zeroed(long size) {
        return new CBlock(Native.calloc(size), size);
    }

    /** {@code size} uninitialised bytes. */
    public static CBlock allocate(long size) {
        return new CBlock(Native.malloc(size), size);
    }

    /**
     * The block's address, to pass to libuv; 0 once closed.
     *
     * @return the address of the first byte
     */
    public long address() {
        return address;
    }

    /**
     * A copy of the first {@code n} bytes.
     *
     * @throws IndexOutOfBoundsException if {@code n} is outside the block
     */
    public byte[] read(long n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("reading " + n + " bytes of a " + size + "-byte block");
        }
        return Native.bytes(address, n);
    }

    /** Frees the block; later calls do nothing. */
    @Override
    public void close() {
        long p = address;
        address = 0;
        Native.free(p);
    }

    /**
     * A zeroed block whose owner keeps its address (a handle's or a request's memory) and gives
     * it back with {@link #free}.
     */
    public static long allocateOwned(long size) {
        return Native.calloc(size);
    }

    /** Frees a block from {@link #allocateOwned}; 0 is ignored. */
    public static void free(long address) {
        Native.free(address);
    }

    /** Bytes of juv's counted native memory allocated and not yet freed. */
    public static long liveBytes() {
        return Native.liveBytes();
    }

    /** The NUL-terminated UTF-8 string at {@code p} (a C string libuv owns), or null for 0. */
    public static String stringAt(long p) {
        return Native.string(p);
    }

    /** The raw bytes of the NUL-terminated string at {@code p}, or null for 0. */
    public static byte[] stringBytesAt(long p) {
        return Native.stringBytes(p);
    }

    /**
     * The UTF-8 bytes of {@code s}.
     *
     * @throws IllegalArgumentException if {@code s} holds an unpaired surrogate
     */
    public static byte[] utf8(String s) {
        return Native.utf8(s);
    }

    /** The address of a direct buffer's first byte (its position ignored). */
    public static long address(ByteBuffer direct) {
        return Native.address(direct);
    }
}
