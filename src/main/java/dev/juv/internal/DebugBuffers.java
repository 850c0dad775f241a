package dev.juv.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * {@code -Djuv.debug.buffers=true}: each read view (a stream's read data, a UDP datagram) is a
 * copy in a confined arena that is closed as soon as the callback returns, so a view kept and
 * used later fails at once with {@link IllegalStateException} instead of reading bytes a later
 * read has put there. It allocates per read; it is for finding such bugs, not for production.
 * One instance lives for one callback: {@code try (DebugBuffers kept = DebugBuffers.open()) {…}}.
 */
public final class DebugBuffers implements AutoCloseable {
    /** Read once from the system property; tests may switch it. */
    public static boolean enabled = Boolean.getBoolean("juv.debug.buffers");

    private final Arena arena = Arena.ofConfined();

    private DebugBuffers() {}

    /** Memory for the copies one callback sees, freed by {@link #close()}. */
    public static DebugBuffers open() {
        return new DebugBuffers();
    }

    /** A copy of {@code view}'s remaining bytes, position 0, limit the count. */
    public ByteBuffer copy(ByteBuffer view) {
        MemorySegment seg = arena.allocate(Math.max(1, view.remaining()));
        ByteBuffer copy = seg.asByteBuffer();
        copy.put(view.duplicate());
        return copy.flip();
    }

    /** Frees the copies: any later use of them throws. */
    @Override
    public void close() {
        arena.close();
    }
}
