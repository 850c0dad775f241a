package dev.juv;

import dev.juv.internal.CBlock;
import dev.juv.internal.Layouts;
import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.Objects;

/**
 * Watches a path by polling its status at an interval: libuv's {@code uv_fs_poll_t}. Works on
 * every file system, including network ones where {@link FsEvent} sees nothing. The callback
 * runs on the loop thread whenever the status changes, and when stat starts or stops failing.
 */
public final class FsPoll extends Handle {
    /** Receives a change: the status before and after, or an error. */
    @FunctionalInterface
    public interface Callback {
        /**
         * Called for each change.
         *
         * @param handle the poller
         * @param previous the status before the change; null on error
         * @param current the status now; null on error
         * @param error null, or stat's error (such as ENOENT while the path does not exist)
         */
        void call(FsPoll handle, Stat previous, Stat current, UvException error);
    }

    private Callback callback;
    private String watched;
    /** Stopped since the last start: a stat of the old poll may still be in flight. */
    private boolean stopped;

    /**
     * Creates a poller that is not started. Wraps uv_fs_poll_init.
     *
     * @param loop the loop whose thread runs the callback
     */
    public FsPoll(Loop loop) {
        super(loop, HandleType.FS_POLL, LibUv::uv_fs_poll_init, "uv_fs_poll_init");
    }

    /**
     * Starts polling {@code path} every {@code intervalMs} milliseconds. Starting a poller that
     * is already started does nothing. Wraps uv_fs_poll_start.
     *
     * @param path the file or directory to poll
     * @param intervalMs the time between two stats, in milliseconds
     * @param callback runs on the loop thread each time the status changes
     * @throws IllegalArgumentException for a path with a NUL byte, or an interval that is not
     *     in 0..2^32-1
     * @throws UvException when libuv cannot start
     */
    public void start(String path, long intervalMs, Callback callback) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(callback, "callback");
        if (intervalMs < 0 || intervalMs > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("interval must be in 0..4294967295 ms: " + intervalMs);
        }
        try (Loop.Claim _ = enter()) {
            if (LibUv.uv_is_active(ptr) != 0) {
                return;
            }
            if (stopped) {
                renew();
            }
            try (CBlock p = CBlock.string(path)) {
                UvException.check(LibUv.uv_fs_poll_start(ptr, POLL_CB.address(), p.address(), (int) intervalMs),
                        "uv_fs_poll_start " + path);
            }
            this.callback = callback;
            this.watched = path;
        }
    }

    /**
     * {@link #start(String, long, Callback)} with a {@link Duration}, rounded up to whole
     * milliseconds (so a positive interval never becomes 0).
     *
     * @param path the file or directory to poll
     * @param interval the time between two stats
     * @param callback runs on the loop thread each time the status changes
     * @throws IllegalArgumentException for a path with a NUL byte, or an interval that is
     *     negative or longer than 2^32-1 milliseconds
     * @throws UvException when libuv cannot start
     */
    public void start(String path, Duration interval, Callback callback) {
        start(path, Timer.millisUp(interval, "interval"), callback);
    }

    /** Stops polling; the callback is not called any more. Wraps uv_fs_poll_stop. */
    public void stop() {
        try (Loop.Claim _ = enter()) {
            if (LibUv.uv_is_active(ptr) != 0) {
                UvException.check(LibUv.uv_fs_poll_stop(ptr), "uv_fs_poll_stop");
                stopped = true;
            }
        }
    }

    /**
     * Replaces the stopped native handle with a fresh one and closes the old one. libuv (1.44 at
     * least) aborts in its timer callback when a poll is restarted while the stat of the stopped
     * poll is still running, because that stat then reschedules the old poll's timer. A closing
     * handle makes the old poll wind down instead.
     */
    private void renew() {
        long old = ptr;
        long fresh = CBlock.allocateOwned(LibUv.uv_handle_size(HandleType.FS_POLL.code()));
        int r = LibUv.uv_fs_poll_init(loop.ptr, fresh);
        if (r < 0) {
            CBlock.free(fresh);
            throw new UvException(r, "uv_fs_poll_init");
        }
        LibUv.uv_handle_set_data(fresh, LibUv.uv_handle_get_data(old));
        if (LibUv.uv_has_ref(old) == 0) {
            LibUv.uv_unref(fresh);
        }
        Retired retired = new Retired(loop, old);
        retired.id = loop.registry.register(retired);
        LibUv.uv_handle_set_data(old, retired.id);
        LibUv.uv_close(old, CLOSE_CB.address());
        ptr = fresh;
        stopped = false;
    }

    /** A replaced native handle on its way out: freed by its close callback. */
    private static final class Retired implements Loop.Hidden {
        private final Loop loop;
        private final long ptr;
        long id;

        Retired(Loop loop, long ptr) {
            this.loop = loop;
            this.ptr = ptr;
        }

        @Override
        public Loop loop() {
            return loop;
        }

        @Override
        public void closed() {
            loop.registry.unregister(id);
            CBlock.free(ptr);
        }
    }

    /**
     * The path being polled. Wraps uv_fs_poll_getpath.
     *
     * @return the path given to {@link #start}
     * @throws UvException EINVAL while the poller is not started
     */
    public String path() {
        try (Loop.Claim _ = enter()) {
            return FsEvent.getPath(ptr, true);
        }
    }

    /** {@code uv_fs_poll_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub POLL_CB = Upcalls.stub(MethodHandles.lookup(), "onPoll", "V:PIPP");

    private static void onPoll(long handle, int status, long prev, long curr) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof FsPoll h) {
                h.onUvFsPoll(status, prev, curr);
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    void onUvFsPoll(int status, long prev, long curr) {
        Callback cb = callback;
        if (cb == null) {
            return;
        }
        if (status < 0) {
            cb.call(this, null, null, UvException.async(status, "uv_fs_poll " + watched));
        } else {
            cb.call(this, Layouts.stat(prev), Layouts.stat(curr), null);
        }
    }
}
