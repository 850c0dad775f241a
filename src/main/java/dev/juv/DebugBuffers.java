package dev.juv;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * {@code -Djuv.debug.buffers=true}: each read view (a stream's read data, a UDP datagram) is a
 * copy in a confined arena that is closed as soon as the callback returns, so a view kept and
 * used later fails at once with {@link IllegalStateException} instead of reading bytes a later
 * read has put there. It allocates per read; it is for finding such bugs, not for production.
 */
final class DebugBuffers {
    private DebugBuffers() {}

    /** Read once from the system property; tests in this package may switch it. */
    static boolean enabled = Boolean.getBoolean("juv.debug.buffers");

    /** A copy of {@code view}'s remaining bytes in {@code arena}, position 0, limit the count. */
    static ByteBuffer copy(Arena arena, ByteBuffer view) {
        MemorySegment seg = arena.allocate(Math.max(1, view.remaining()));
        ByteBuffer copy = seg.asByteBuffer();
        copy.put(view.duplicate());
        return copy.flip();
    }
}
