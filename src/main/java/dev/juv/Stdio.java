package dev.juv;

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
    final Handle stream;

    private Stdio(int flags, int fd, Handle stream) {
        this.flags = flags;
        this.fd = fd;
        this.stream = stream;
    }

    /** The child's fd is closed (libuv opens /dev/null for fds 0, 1 and 2). Wraps UV_IGNORE. */
    public static Stdio ignore() {
        return IGNORE;
    }

    /**
     * The child gets a copy of this process's file descriptor {@code fd}. Wraps UV_INHERIT_FD.
     *
     * @throws IllegalArgumentException when {@code fd} is negative
     */
    public static Stdio inherit(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd " + fd);
        }
        return new Stdio(UV_INHERIT_FD, fd, null);
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
