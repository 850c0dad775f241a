package dev.juv;

import dev.juv.internal.Descriptors;
import dev.juv.internal.LibUv;
import dev.juv.internal.Scratch;

/**
 * A terminal: libuv's {@code uv_tty_t}, a stream over a terminal descriptor.
 *
 * <p>On Unix, libuv reopens a terminal device and works on its own new descriptor, which it
 * closes with the handle; the descriptor given to the constructor stays open and stays the
 * caller's. A descriptor that is not a terminal (a pipe, a socket) is used as it is and is
 * closed with the handle, unless it is 0, 1 or 2.
 */
public final class Tty extends Stream<Tty> {
    /**
     * A terminal's size in character cells.
     *
     * @param width the number of columns
     * @param height the number of rows
     */
    public record Size(int width, int height) {}

    /**
     * Opens {@code fd} as a terminal stream; {@code readable} says whether it will be read.
     * Wraps uv_tty_init.
     *
     * @param loop the loop the handle belongs to
     * @param fd the terminal's descriptor, such as 0 for standard input
     * @param readable true if the stream will be read
     * @throws IllegalArgumentException if {@code fd} is negative, or owned by a live juv handle
     *     or loop (the message names the owner): a second stream on one descriptor would close it
     *     under the first
     * @throws UvException EBADF, EINVAL... as libuv reports
     */
    public Tty(Loop loop, int fd, boolean readable) {
        super(checked(loop, fd), HandleType.TTY, (SelfInit) self -> {
            synchronized (Descriptors.lock(fd)) {
                // another thread may have adopted fd since checked(): then refuse as libuv refuses
                // a descriptor its loop already watches
                if (Descriptors.settledOwner(fd) != null) {
                    return Errno.EEXIST;
                }
                int r = LibUv.uv_tty_init(self.loop.ptr, self.ptr, fd, readable ? 1 : 0);
                if (r == 0 && Descriptors.fileno(self.ptr) == fd) {
                    // not a terminal: libuv uses fd itself, and closes it with the handle
                    self.adopted(fd);
                    Descriptors.own(fd, self);
                }
                return r;
            }
        }, "uv_tty_init " + fd);
        // a terminal: libuv reopened it and works on its own new descriptor
        learnFd();
    }

    /** Checks the descriptor before the super constructor allocates the handle. */
    private static Loop checked(Loop loop, int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative file descriptor " + fd);
        }
        Descriptors.checkNotOwned(fd, "new Tty");
        return loop;
    }

    /**
     * Sets the terminal mode. Wraps uv_tty_set_mode.
     *
     * @param mode the mode to set, such as {@link TtyMode#RAW}
     * @throws UvException when the descriptor is not a terminal, or what libuv reports
     */
    public void setMode(TtyMode mode) {
        java.util.Objects.requireNonNull(mode, "mode");
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_tty_set_mode(ptr, mode.code()), "uv_tty_set_mode");
        }
    }

    /**
     * The terminal's current width and height. Wraps uv_tty_get_winsize.
     *
     * @return the width and height in character cells
     * @throws UvException when the size cannot be read
     */
    public Size winsize() {
        try (Loop.Claim _ = enter()) {
            int[] size = Scratch.readInts(
                    (width, height) -> UvException.check(LibUv.uv_tty_get_winsize(ptr, width, height), "uv_tty_get_winsize"));
            return new Size(size[0], size[1]);
        }
    }

    /**
     * Puts back the terminal mode that was in effect before the first {@link #setMode} of the
     * process; call it when the program ends. Safe to call at any time: when no mode was ever
     * set, or the terminal it was saved from is gone (EBADF, ENOTTY, EIO), there is nothing to
     * restore and it does nothing. Wraps uv_tty_reset_mode.
     *
     * @throws UvException EBUSY when another thread is changing the mode right now
     */
    public static void resetMode() {
        int r = LibUv.uv_tty_reset_mode();
        if (r == Errno.EBADF || r == Errno.ENOTTY || r == Errno.EIO) {
            return;
        }
        UvException.check(r, "uv_tty_reset_mode");
    }
}
