package dev.juv.internal;

/**
 * One block of counted native memory for the length of one call: a zeroed area for a call to
 * fill (a scratch loop or request), or a C string argument. Used with try-with-resources;
 * {@link #close} frees it.
 */
public final class Scratch implements AutoCloseable {
    private final long address;

    private Scratch(long address) {
        this.address = address;
    }

    /** {@code size} zeroed bytes. */
    public static Scratch calloc(long size) {
        return new Scratch(Native.calloc(size));
    }

    /**
     * A NUL-terminated UTF-8 copy of {@code s}, or a scratch at address 0 (passed as C's NULL)
     * when {@code s} is null.
     *
     * @throws IllegalArgumentException if {@code s} holds a NUL or an unpaired surrogate
     */
    public static Scratch cstring(String s) {
        return new Scratch(s == null ? 0 : Native.cstring(s));
    }

    /** Where the block is, to pass to libuv; 0 for a null string. */
    public long address() {
        return address;
    }

    /** Frees the block. */
    @Override
    public void close() {
        Native.free(address);
    }
}
