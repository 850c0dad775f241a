package dev.juv;

import dev.juv.internal.Descriptors;
import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches a file descriptor that other code owns for readability and writability: libuv's
 * {@code uv_poll_t}. The point is to drive sockets juv did not create. A {@code Poll} never owns
 * the caller's descriptor: closing the handle leaves it open, and the caller closes it.
 *
 * <p>On Unix, juv watches its own duplicate of the descriptor (a second descriptor for the same
 * open file, close-on-exec), made by the constructor and closed when the {@code Poll} closes. So
 * whatever the caller does with its descriptor, libuv never watches a closed or reused number:
 * closing it while the {@code Poll} is open, even active, cannot crash the process or mix it up
 * with another file. It does not end the socket either: the duplicate keeps the socket open (the
 * peer sees no end of stream) and the {@code Poll} keeps reporting its events until it is closed.
 *
 * <p>The order that does what one expects: first {@link #close()} the {@code Poll} (or
 * {@link #stop()} it, which ends its events at once, and close it later), then close the
 * descriptor. The descriptor may be closed as soon as {@code close()} has returned; there is no
 * need to wait for the close callback. On platforms without a duplicate (Windows) libuv watches
 * the descriptor itself: there this order is required, and the close callback must have run.
 *
 * <p>A descriptor that a live juv handle owns (the socket of a {@link Tcp}, {@link Udp},
 * {@link Pipe} or {@link Tty}) is refused: use that handle. A loop's
 * {@link Loop#backendFd() backend descriptor} may be watched from another loop (that is how one
 * loop is embedded in another), not from its own. libuv puts the descriptor into non-blocking mode (the duplicate shares that mode).
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
         * Runs on the loop thread.
         *
         * @param poll the handle
         * @param events the events that happened, a subset of those asked for (0 with an error)
         * @param error null, or the error (such as EBADF); libuv stops the handle then
         */
        void call(Poll poll, int events, UvException error);
    }

    private final int fd;
    /** The descriptor libuv watches: juv's duplicate of {@link #fd}, or fd itself; -1 once closed. */
    private int watched;
    private Callback callback;

    /**
     * Creates a stopped poll handle for {@code fd}. Wraps uv_poll_init.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd the descriptor to watch, such as a socket
     * @throws IllegalArgumentException if a live juv handle owns {@code fd} (the message names it)
     * @throws UvException EBADF for a negative or closed descriptor, EPERM for a descriptor
     *     that cannot be polled (a regular file), EEXIST when a Poll of this loop already
     *     watches it, EMFILE when no descriptor is left for the duplicate
     */
    public Poll(Loop loop, int fd) {
        super(checked(loop, fd), HandleType.POLL, (SelfInit) self -> {
            int w = fd;
            if (fd < 0) {
                return Errno.EBADF;
            } else if (watchedHere(loop, fd)) {
                return Errno.EEXIST;
            } else if (Descriptors.canDuplicate()) {
                synchronized (Descriptors.lock(fd)) {
                    // a handle may have taken fd since checked(): refuse as libuv refuses a watched one
                    w = Descriptors.ownedByHandle(fd) ? Errno.EEXIST : Descriptors.duplicate(fd);
                }
                if (w < 0) {
                    return w;
                }
            }
            int r = LibUv.uv_poll_init(self.loop.ptr, self.ptr, w);
            if (r < 0) {
                if (w != fd) {
                    Descriptors.closeQuietly(w);
                }
                return r;
            }
            // the field has no initialiser: what is set here stays
            ((Poll) self).watched = w;
            if (w != fd) {
                Descriptors.own(w, self);
            }
            return 0;
        }, "uv_poll_init " + fd);
        this.fd = fd;
        OPEN.compute(fd, (k, polls) -> with(polls, this, true));
    }

    /** Refuses a descriptor a juv handle owns before the super constructor allocates the handle. */
    private static Loop checked(Loop loop, int fd) {
        if (fd >= 0) {
            Descriptors.checkNotHandle(fd, "new Poll");
            Descriptors.checkNotBackendOf(fd, loop, "new Poll");
        }
        return loop;
    }

    /**
     * The open Polls of every loop by the caller's descriptor number, for the EEXIST check
     * (libuv sees only the duplicates); each value an immutable list, replaced atomically.
     */
    private static final ConcurrentHashMap<Integer, List<Poll>> OPEN = new ConcurrentHashMap<>();

    private static List<Poll> with(List<Poll> polls, Poll p, boolean add) {
        List<Poll> out = new ArrayList<>(polls == null ? List.of() : polls);
        if (add) {
            out.add(p);
        } else {
            out.remove(p);
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** Whether an open Poll of {@code loop} already watches the open file behind {@code fd}. */
    private static boolean watchedHere(Loop loop, int fd) {
        Stat file = null;
        for (Poll p : OPEN.getOrDefault(fd, List.of())) {
            if (p.loop == loop && !p.isClosing()) {
                if (p.watched == fd) {
                    return true;
                }
                try {
                    if (file == null) {
                        file = Fs.fstat(fd);
                    }
                    Stat other = Fs.fstat(p.watched);
                    if (other.dev() == file.dev() && other.ino() == file.ino()) {
                        return true;
                    }
                } catch (UvException closed) {
                    // fd is not open: uv_poll_init reports it
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * The descriptor this handle watches, as given to the constructor.
     *
     * @throws HandleClosedException once the handle is closing or closed
     */
    @Override
    public int fileno() {
        try (Loop.Claim _ = enter()) {
            return fd;
        }
    }

    /**
     * Starts watching for {@code events} ({@link #READABLE}, {@link #WRITABLE},
     * {@link #DISCONNECT}, {@link #PRIORITIZED} combined with {@code |}); calling it again
     * replaces the events and the callback. 0 stops the handle. Wraps uv_poll_start.
     *
     * @param events the events to watch for, or 0 to stop
     * @param callback runs on the loop thread when the descriptor is ready or on an error
     * @throws IllegalArgumentException for a bit outside those four
     * @throws UvException if libuv refuses
     */
    public void start(int events, Callback callback) {
        Objects.requireNonNull(callback, "callback");
        if ((events & ~ALL) != 0) {
            throw new IllegalArgumentException("unknown poll events: " + events);
        }
        try (Loop.Claim _ = enter()) {
            this.callback = callback;
            UvException.check(LibUv.uv_poll_start(ptr, events, POLL_CB.address()), "uv_poll_start");
        }
    }

    /** Stops watching; the callback will not run. Wraps uv_poll_stop. */
    public void stop() {
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_poll_stop(ptr), "uv_poll_stop");
        }
    }

    /** {@code uv_poll_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub POLL_CB = Upcalls.stub(MethodHandles.lookup(), "onPoll", "V:PII");

    private static void onPoll(long handle, int status, int events) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Poll h) {
                h.onUvPoll(status, events);
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    void onUvPoll(int status, int events) {
        Callback cb = callback;
        if (cb != null) {
            cb.call(this, status < 0 ? 0 : events, status < 0 ? UvException.async(status, "uv_poll") : null);
        }
    }

    /**
     * uv_close takes the descriptor out of the event loop at once (uv__poll_stop): the duplicate
     * can be closed right after, in the same critical section as forgetting its owner.
     */
    @Override
    void closeNative() {
        OPEN.computeIfPresent(fd, (k, polls) -> with(polls, this, false));
        int w = watched;
        if (w == fd || w < 0) {
            super.closeNative();
            return;
        }
        Descriptors.closing(w, this, () -> {
            super.closeNative();
            // only once libuv no longer watches it: closing it under a live watcher aborts libuv
            watched = -1;
            Descriptors.closeQuietly(w);
        }, () -> closeIssued);
    }

    @Override
    void onClosed() {
        callback = null;
    }
}
