package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.util.Objects;

/**
 * Watches a file descriptor that other code owns for readability and writability: libuv's
 * {@code uv_poll_t}. The point is to drive sockets juv did not create. A {@code Poll} never owns
 * its descriptor: closing the handle leaves it open, and the caller closes it afterwards.
 *
 * <p>The descriptor must stay open until the {@code Poll} is closed (its close callback has run,
 * or {@link #isClosed()} is true). Closing it while the handle is open, and above all while it is
 * active, lets the number be reused by another file that libuv then confuses with this one; libuv
 * can abort the process in that state. libuv puts the descriptor into non-blocking mode.
 */
public final class Poll extends Handle {
    /** The descriptor is readable. Libuv's UV_READABLE. */
    public static final int READABLE = 1;
    /** The descriptor is writable. Libuv's UV_WRITABLE. */
    public static final int WRITABLE = 2;
    /** The peer closed its side of the connection. Libuv's UV_DISCONNECT. */
    public static final int DISCONNECT = 4;
    /** Urgent (out-of-band) data is available. Libuv's UV_PRIORITIZED. */
    public static final int PRIORITIZED = 8;

    private static final int ALL = READABLE | WRITABLE | DISCONNECT | PRIORITIZED;

    /** Called when the descriptor is ready, or on an error. */
    @FunctionalInterface
    public interface Callback {
        /**
         * @param poll the handle
         * @param events the events that happened, a subset of those asked for (0 with an error)
         * @param error null, or the error (such as EBADF); libuv stops the handle then
         */
        void call(Poll poll, int events, UvException error);
    }

    private final int fd;
    private Callback callback;

    /**
     * Creates a stopped poll handle for {@code fd}. Wraps uv_poll_init.
     *
     * @throws UvException EBADF for a negative or closed descriptor, EPERM for a descriptor
     *     that cannot be polled (a regular file), EEXIST when the loop already watches it
     */
    public Poll(Loop loop, int fd) {
        super(loop, HandleType.POLL, (l, h) -> fd < 0 ? Errno.EBADF : LibUv.uv_poll_init(l, h, fd),
                "uv_poll_init " + fd);
        this.fd = fd;
    }

    /**
     * The descriptor this handle watches, as given to the constructor.
     *
     * @throws HandleClosedException once the handle is closing or closed
     */
    @Override
    public int fileno() {
        try (Loop.Claim claim = enter()) {
            return fd;
        }
    }

    /**
     * Starts watching for {@code events} ({@link #READABLE}, {@link #WRITABLE},
     * {@link #DISCONNECT}, {@link #PRIORITIZED} combined with {@code |}); calling it again
     * replaces the events and the callback. 0 stops the handle. Wraps uv_poll_start.
     *
     * @throws IllegalArgumentException for a bit outside those four
     * @throws UvException if libuv refuses
     */
    public void start(int events, Callback callback) {
        Objects.requireNonNull(callback, "callback");
        if ((events & ~ALL) != 0) {
            throw new IllegalArgumentException("unknown poll events: " + events);
        }
        try (Loop.Claim claim = enter()) {
            this.callback = callback;
            UvException.check(LibUv.uv_poll_start(ptr, events, Upcalls.POLL_CB), "uv_poll_start");
        }
    }

    /** Stops watching; the callback will not run. Wraps uv_poll_stop. */
    public void stop() {
        try (Loop.Claim claim = enter()) {
            UvException.check(LibUv.uv_poll_stop(ptr), "uv_poll_stop");
        }
    }

    @Override
    void onUvPoll(int status, int events) {
        Callback cb = callback;
        if (cb != null) {
            cb.call(this, status < 0 ? 0 : events, status < 0 ? UvException.async(status, "uv_poll") : null);
        }
    }

    @Override
    void onClosed() {
        callback = null;
    }
}
