package dev.juv;

import dev.juv.internal.CBlock;
import dev.juv.internal.LibUv;
import dev.juv.internal.SizedString;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * Watches a file or directory for changes: libuv's {@code uv_fs_event_t} (inotify on Linux,
 * FSEvents or kqueue on macOS). The callback runs on the loop thread.
 */
public final class FsEvent extends Handle {
    /** Receives an event: the file name (null when libuv gives none), the event bits, an error. */
    @FunctionalInterface
    public interface Callback {
        /**
         * Called for each change.
         *
         * @param handle the watcher
         * @param filename the name of the file that changed, relative to a watched directory;
         *     null when libuv does not know it or on error
         * @param events {@link #RENAME} and/or {@link #CHANGE}
         * @param error null, or the watch's error
         */
        void call(FsEvent handle, String filename, int events, UvException error);
    }

    /** Event: a name appeared, disappeared or was renamed. */
    public static final int RENAME = 1;
    /** Event: a file's contents or metadata changed. */
    public static final int CHANGE = 2;

    /** Start flag: report only changes to a watched directory's own entry (no backend implements it yet). */
    public static final int WATCH_ENTRY = 1;
    /** Start flag: fall back to polling with stat (no backend implements it yet). */
    public static final int STAT = 2;
    /** Start flag: also watch subdirectories, on platforms that support it (macOS, Windows). */
    public static final int RECURSIVE = 4;

    private Callback callback;
    private String watched;

    /**
     * Creates a watcher that is not started. Wraps uv_fs_event_init.
     *
     * @param loop the loop whose thread runs the callback
     */
    public FsEvent(Loop loop) {
        super(loop, HandleType.FS_EVENT, LibUv::uv_fs_event_init, "uv_fs_event_init");
    }

    /**
     * Starts watching {@code path}; {@code callback} runs on the loop thread for each change.
     * Wraps uv_fs_event_start.
     *
     * @param flags 0, or {@link #WATCH_ENTRY}, {@link #STAT}, {@link #RECURSIVE} combined
     * @param path the file or directory to watch
     * @param callback runs on the loop thread for each change
     * @throws IllegalArgumentException for a path with a NUL byte, or unknown flags
     * @throws UvException such as ENOENT, or EINVAL when the watcher is already started
     */
    public void start(String path, int flags, Callback callback) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(callback, "callback");
        if ((flags & ~(WATCH_ENTRY | STAT | RECURSIVE)) != 0) {
            throw new IllegalArgumentException("unknown fs event flags: " + flags);
        }
        try (Loop.Claim _ = enter()) {
            try (CBlock p = CBlock.string(path)) {
                UvException.check(LibUv.uv_fs_event_start(ptr, EVENT_CB.address(), p.address(), flags),
                        "uv_fs_event_start " + path);
            }
            this.callback = callback;
            this.watched = path;
        }
    }

    /** Stops watching; the callback is not called any more. Wraps uv_fs_event_stop. */
    public void stop() {
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_fs_event_stop(ptr), "uv_fs_event_stop");
        }
    }

    /**
     * The path being watched. Wraps uv_fs_event_getpath.
     *
     * @return the path given to {@link #start}
     * @throws UvException EINVAL while the watcher is not started
     */
    public String path() {
        try (Loop.Claim _ = enter()) {
            return getPath(ptr, false);
        }
    }

    /** Reads a watcher's path with uv_fs_event_getpath or uv_fs_poll_getpath. */
    static String getPath(long handle, boolean poll) {
        String op = poll ? "uv_fs_poll_getpath" : "uv_fs_event_getpath";
        return SizedString.read(4096, Integer.MAX_VALUE, (buf, size) -> poll ? LibUv.uv_fs_poll_getpath(handle, buf, size)
                : LibUv.uv_fs_event_getpath(handle, buf, size), r -> UvException.check(r, op) >= 0);
    }

    /** {@code uv_fs_event_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub EVENT_CB = Upcalls.stub(MethodHandles.lookup(), "onEvent", "V:PPII");

    private static void onEvent(long handle, long filename, int events, int status) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof FsEvent h) {
                h.onUvFsEvent(filename, events, status);
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    void onUvFsEvent(long filename, int events, int status) {
        Callback cb = callback;
        if (cb == null) {
            return;
        }
        if (status < 0) {
            cb.call(this, null, events, UvException.async(status, "uv_fs_event " + watched));
        } else {
            cb.call(this, CBlock.stringAt(filename), events, null);
        }
    }
}
