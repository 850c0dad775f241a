package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link Loop#queueWork} item: runs on the pool, then reports on the loop thread. */
final class WorkRequest extends Request {
    private static final int SIZE = size("work");
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private final Runnable work;
    private final Loop.WorkCallback after;
    private volatile Throwable thrown;

    private WorkRequest(Loop loop, Runnable work, Loop.WorkCallback after) {
        super(loop, SIZE);
        this.work = work;
        this.after = after;
    }

    static Request queue(Loop loop, Runnable work, Loop.WorkCallback after) {
        refuseAfterShutdown();
        releasePoolAtExit();
        WorkRequest w = new WorkRequest(loop, work, after);
        long req = w.ptr;
        Upcalls.registerWork(req, w::runOnPool);
        int r = LibUv.uv_queue_work(loop.ptr, req, Upcalls.WORK_CB, Upcalls.AFTER_WORK_CB);
        if (r < 0) {
            Upcalls.unregisterWork(req);
        }
        w.submitted(r, "uv_queue_work");
        return w;
    }

    /**
     * A work item runs Java on a libuv pool thread, which attaches that thread to the JVM. At
     * process exit libuv's destructor joins its pool threads, and an attached thread that exits
     * after the JVM has shut down blocks forever detaching itself: the process would hang in
     * exit(). A shutdown hook therefore lets libuv join its threads while the JVM still runs.
     */
    private static void releasePoolAtExit() {
        if (!HOOKED.get() && HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(Signal::shutDownLibrary, "juv-release-libuv"));
        }
    }

    /** Throws once the JVM's shutdown released libuv's thread pool. */
    static void refuseAfterShutdown() {
        if (HOOKED.get() && Signal.libraryReleased()) {
            throw new IllegalStateException("the JVM is shutting down: libuv's thread pool has been released");
        }
    }

    private void runOnPool() {
        try {
            work.run();
        } catch (Throwable t) {
            thrown = t;
        }
    }

    @Override
    void onDone(int status) {
        long req = ptr;
        Upcalls.unregisterWork(req);
        release();
        Throwable t = thrown;
        UvException error = status < 0 ? UvException.async(status, "uv_queue_work") : null;
        try {
            if (t != null) {
                loop.handleException(t);
            }
        } finally {
            if (after != null) {
                after.call(error);
            }
        }
    }
}
