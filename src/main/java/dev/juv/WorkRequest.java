package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;

/** A {@link Loop#queueWork} item: runs on the pool, then reports on the loop thread. */
final class WorkRequest extends Request {
    private static final int SIZE = size("work");

    private final Runnable work;
    private final Loop.WorkCallback after;
    private volatile Throwable thrown;

    private WorkRequest(Loop loop, Runnable work, Loop.WorkCallback after) {
        super(loop, SIZE);
        this.work = work;
        this.after = after;
    }

    static Request queue(Loop loop, Runnable work, Loop.WorkCallback after) {
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
