package dev.juv;

import java.util.function.Supplier;

/**
 * A {@link Loop#queueWork} item: runs on juv's pool (daemon Java threads), then reports on the
 * loop thread. It is not a libuv request: a libuv pool thread that ran Java code stays attached
 * to the JVM, and libuv's exit-time destructor joins its pool threads, which then block forever
 * in the JVM's thread detach once System.exit has begun. See {@link PoolRequest}.
 */
final class WorkRequest extends PoolRequest {
    private final Runnable work;
    private final Loop.WorkCallback after;

    private WorkRequest(Loop loop, Runnable work, Loop.WorkCallback after) {
        super(loop, 8); // bookkeeping only: counted by the loop until its callback has run
        this.work = work;
        this.after = after;
    }

    static Request queue(Loop loop, Runnable work, Loop.WorkCallback after) {
        WorkRequest w = new WorkRequest(loop, work, after);
        w.arm();
        try {
            w.queue();
        } catch (Throwable t) {
            w.nextAbandoned = loop.abandoned; // field writes only: listed however little stack is left
            loop.abandoned = w;
            loop.finishAbandoned();
            throw t;
        }
        return w;
    }

    /**
     * Queues {@code work} to complete {@code future} with its result, or exceptionally with what it
     * threw (which then does not reach the loop's exception handler) or with ECANCELED's
     * exception when cancelled first. With the loop held.
     */
    static <T> Request supply(Loop loop, Supplier<? extends T> work, LoopFuture<T> future) {
        Outcome<T> o = new Outcome<>();
        return queue(loop, () -> {
            try {
                o.value = work.get();
            } catch (Throwable t) {
                o.thrown = t;
            }
        }, error -> future.settle(o.value, error != null ? error : o.thrown));
    }

    /** What a supplier gave or threw: written on the pool thread, read on the loop thread after the hand-over. */
    private static final class Outcome<T> {
        T value;
        Throwable thrown;
    }

    @Override
    void work(long scratchLoop) {
        work.run();
    }

    @Override
    void complete(int status, Throwable thrown) {
        release();
        UvException error = status < 0 ? UvException.async(status, "uv_queue_work") : null;
        try {
            if (thrown != null) {
                loop.handleException(thrown);
            }
        } finally {
            if (after != null) {
                after.call(error);
            }
        }
    }
}
