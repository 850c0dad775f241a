package dev.juv.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A loop's read buffer: memory whose lifetime the JVM enforces. Every read of the loop lands
 * here; the view handed to read callbacks is a buffer over this memory, so a view kept past
 * {@link #close()} throws {@link IllegalStateException} on access instead of touching freed
 * memory. The arena is shared because a loop may run on different threads over its life.
 */
public final class ReadMemory {
    private final Arena arena = Arena.ofShared();
    private final long address;
    private final ByteBuffer view;

    public ReadMemory(int size) {
        MemorySegment s = arena.allocate(size, 16);
        this.address = s.address();
        this.view = s.asByteBuffer();
    }

    /** The native address libuv reads into. */
    public long address() {
        return address;
    }

    /** The reused view over the whole buffer. */
    public ByteBuffer view() {
        return view;
    }

    /** Frees the memory; views over it fail from now on. */
    public void close() {
        arena.close();
    }
}
