package dev.juv;

import java.util.Objects;

/**
 * What one of a child's file descriptors is connected to, for {@link ProcessOptions#stdio}:
 * libuv's {@code uv_stdio_container_t}. The n-th entry becomes the child's fd n.
 */
public final class Stdio {
    /** Pipe flag: the child reads from the pipe (its stdin, say). Wraps UV_READABLE_PIPE. */
    public static final int READABLE = 0x10;
    /** Pipe flag: the child writes to the pipe (its stdout, say). Wraps UV_WRITABLE_PIPE. */
    public static final int WRITABLE = 0x20;
    /** Pipe flag: the child's end is opened non-blocking. Wraps UV_NONBLOCK_PIPE. */
    public static final int NONBLOCK = 0x40;

    static final int UV_IGNORE = 0x00;
    static final int UV_CREATE_PIPE = 0x01;
    static final int UV_INHERIT_FD = 0x02;
    static final int UV_INHERIT_STREAM = 0x04;

    private static final Stdio IGNORE = new Stdio(UV_IGNORE, -1, null);

    /** libuv's uv_stdio_flags for this entry. */
    final int flags;
    /** The fd for UV_INHERIT_FD, else -1. */
    final int fd;
    /** The stream for UV_CREATE_PIPE and UV_INHERIT_STREAM, else null. */
    final Stream<?> stream;

    private Stdio(int flags, int fd, Stream<?> stream) {
        this.flags = flags;
        this.fd = fd;
        this.stream = stream;
    }

    /**
     * The child's fd is closed (libuv opens /dev/null for fds 0, 1 and 2). Wraps UV_IGNORE.
     *
     * @return the setting for one of the child's descriptors
     */
    public static Stdio ignore() {
        return IGNORE;
    }

    /**
     * The child gets a copy of this process's file descriptor {@code fd}. Wraps UV_INHERIT_FD.
     *
     * @param fd a descriptor open in this process
     * @return the setting for one of the child's descriptors
     * @throws IllegalArgumentException when {@code fd} is negative
     */
    public static Stdio inherit(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd " + fd);
        }
        return new Stdio(UV_INHERIT_FD, fd, null);
    }

    /**
     * libuv creates a socket pair between this process and the child: the child's end becomes its
     * fd, and {@code pipe} (which must be open and not yet opened on a descriptor) is opened on
     * this end when the spawn succeeds. {@code flags} say which way data flows, seen from the
     * child: {@link #READABLE} (the child reads, as from its stdin), {@link #WRITABLE} (the child
     * writes, as to its stdout), or both; {@link #NONBLOCK} may be added. When the program
     * cannot be executed, libuv may still have opened {@code pipe} (its other end then closed:
     * reads end at once); it cannot serve another spawn, so close it.
     * Wraps UV_CREATE_PIPE with UV_READABLE_PIPE, UV_WRITABLE_PIPE and UV_NONBLOCK_PIPE.
     *
     * @param pipe the pipe that becomes this process's end
     * @param flags {@link #READABLE}, {@link #WRITABLE} or both, optionally with {@link #NONBLOCK}
     * @return the setting for one of the child's descriptors
     * @throws IllegalArgumentException when {@code flags} has neither READABLE nor WRITABLE, or
     *     another bit (such as {@link Pipe#READABLE}, which is meant for {@link Pipe#chmod})
     */
    public static Stdio pipe(Pipe pipe, int flags) {
        Objects.requireNonNull(pipe, "pipe");
        if ((flags & ~(READABLE | WRITABLE | NONBLOCK)) != 0 || (flags & (READABLE | WRITABLE)) == 0) {
            throw new IllegalArgumentException("pipe flags must be Stdio.READABLE and/or Stdio.WRITABLE"
                    + " (optionally | Stdio.NONBLOCK), not 0x" + Integer.toHexString(flags));
        }
        return new Stdio(UV_CREATE_PIPE | flags, -1, pipe);
    }

    /**
     * The child gets a copy of the descriptor behind {@code stream} (a connected {@link Tcp},
     * an open {@link Pipe} or a {@link Tty}), which must be open on the spawning loop.
     * Wraps UV_INHERIT_STREAM.
     *
     * @param stream the stream whose descriptor the child inherits
     * @return the setting for one of the child's descriptors
     */
    public static Stdio inherit(Stream<?> stream) {
        Objects.requireNonNull(stream, "stream");
        return new Stdio(UV_INHERIT_STREAM, -1, stream);
    }

    /** Whether a stream handle is given to libuv (and must be open on the spawning loop). */
    boolean usesStream() {
        return stream != null;
    }

    /** Whether libuv creates a pipe into this entry's stream. */
    boolean createsPipe() {
        return (flags & UV_CREATE_PIPE) != 0;
    }

    @Override
    public String toString() {
        return switch (flags & 0x0f) {
            case UV_IGNORE -> "Stdio.ignore()";
            case UV_INHERIT_FD -> "Stdio.inherit(" + fd + ")";
            case UV_INHERIT_STREAM -> "Stdio.inherit(" + stream + ")";
            default -> "Stdio.pipe(" + stream + ", 0x" + Integer.toHexString(flags & ~UV_CREATE_PIPE) + ")";
        };
    }
}
