package dev.juv;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Loop#queueWork} item: runs on juv's work pool (daemon Java threads), then reports on
 * the loop thread. It is not a libuv request: a libuv pool thread that ran Java code stays
 * attached to the JVM, and libuv's exit-time destructor joins its pool threads, which then block
 * forever in the JVM's thread detach once System.exit has begun. Java work therefore never runs
 * on libuv's pool; fs, dns and random requests still use it, in C only.
 */
final class WorkRequest extends Request {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;

    private final Runnable work;
    private final Loop.WorkCallback after;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final Runnable task = this::runOnPool;
    private volatile Throwable thrown;

    private WorkRequest(Loop loop, Runnable work, Loop.WorkCallback after) {
        super(loop, 8); // bookkeeping only: counted by the loop until its callback has run
        this.work = work;
        this.after = after;
    }

    static Request queue(Loop loop, Runnable work, Loop.WorkCallback after) {
        WorkRequest w = new WorkRequest(loop, work, after);
        loop.holdAlive();
        try {
            Pool.EXECUTOR.execute(w.task);
        } catch (Throwable t) {
            loop.releaseHold();
            w.release();
            throw t;
        }
        return w;
    }

    private void runOnPool() {
        if (!state.compareAndSet(QUEUED, RUNNING)) {
            return;
        }
        try {
            work.run();
        } catch (Throwable t) {
            thrown = t;
        }
        // the loop cannot be closed meanwhile: this request keeps Loop.close() at EBUSY
        loop.execute(() -> finish(0));
    }

    /** Cancels the item if it has not started; its callback then runs with ECANCELED. */
    @Override
    public boolean cancel() {
        try (Loop.Claim claim = loop.enter()) {
            if (!state.compareAndSet(QUEUED, CANCELLED)) {
                return false;
            }
            Pool.EXECUTOR.remove(task);
            loop.execute(() -> finish(Errno.ECANCELED));
            return true;
        }
    }

    private void finish(int status) {
        loop.releaseHold();
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

    /** The shared work pool, made on first use. */
    private static final class Pool {
        static final ThreadPoolExecutor EXECUTOR = create();

        private static ThreadPoolExecutor create() {
            int n = 4;
            String env = System.getenv("UV_THREADPOOL_SIZE");
            if (env != null) {
                try {
                    n = Math.max(1, Math.min(1024, Integer.parseInt(env.trim())));
                } catch (NumberFormatException ignored) {
                    // libuv ignores a malformed value too
                }
            }
            AtomicInteger count = new AtomicInteger();
            ThreadFactory f = r -> {
                Thread t = new Thread(r, "juv-work-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            ThreadPoolExecutor e = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), f);
            e.allowCoreThreadTimeOut(true);
            return e;
        }
    }
}
