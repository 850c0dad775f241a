package dev.juv;

import dev.juv.internal.CBlock;
import dev.juv.internal.Handoff;
import dev.juv.internal.LibUv;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request whose blocking part runs on juv's pool (daemon Java threads) and whose completion
 * runs on the loop thread: {@link Loop#queueWork} items, and the fs, dns and random requests,
 * which call libuv's synchronous form there ({@code uv_fs_*}, {@code uv_getaddrinfo},
 * {@code uv_getnameinfo} and {@code uv_random} without a callback).
 *
 * <p>juv never starts libuv's own thread pool: libuv's exit-time destructor joins those threads,
 * so one of them blocked in a system call (an open of a FIFO without a writer, a slow lookup)
 * would make {@code System.exit} wait forever. A daemon Java thread does not hold the exit up.
 *
 * <p>A pool thread touches the loop only through {@link Loop#execute}; the loop stays alive (and
 * {@link Loop#close()} refuses with EBUSY) until the completion has run.
 */
abstract class PoolRequest extends Request {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;
    /** Its hand-over threw: never to run, freed by {@link #cleanUpAbandoned}. */
    private static final int ABANDONED = 3;

    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final Runnable task = this::runOnPool;
    /** What {@link #work} threw, if anything; read on the loop thread after the hand-over. */
    private Throwable thrown;
    /** Whether this request holds its loop alive (counted in {@code Loop.holds}). */
    private boolean holding;

    PoolRequest(Loop loop, int reqSize) {
        super(loop, reqSize);
    }

    /**
     * The blocking part, on a pool thread. Must not touch the loop.
     *
     * @param scratchLoop a zeroed block of {@code uv_loop_size()} bytes owned by this pool thread,
     *     for libuv calls that count themselves on a loop even in their synchronous form
     */
    abstract void work(long scratchLoop);

    /**
     * Runs once on the loop thread: frees what the request holds and calls the user's callback.
     *
     * @param status 0 once {@link #work} has run, ECANCELED when cancelled before it started
     * @param thrown what {@link #work} threw, or null
     */
    abstract void complete(int status, Throwable thrown);

    /**
     * Hands the request to the pool; on the loop's thread (or with the loop's claim). When this
     * throws, the caller lists the request as abandoned: {@link #cleanUpAbandoned} frees it
     * unless its task got to the pool and started all the same.
     */
    final void queue() {
        loop.holds++; // with the record of it, in field writes that no overflow can part
        holding = true;
        loop.refWakeup();
        Handoff.pass(); // the request's native memory, written here, is read on the pool
        Pool.EXECUTOR.execute(task);
    }

    /**
     * Frees the request unless its task started after all (an overflow can strike after the pool
     * took the task); a task that runs later finds it abandoned and does nothing.
     */
    @Override
    final void cleanUpAbandoned() {
        if (state.get() != ABANDONED && !state.compareAndSet(QUEUED, ABANDONED)) {
            return; // it runs, or a cancel got it first: its completion frees it
        }
        if (holding) {
            holding = false;
            loop.holds--;
        }
        Pool.EXECUTOR.remove(task);
        freeAbandoned();
    }

    /** Frees what this kind of request holds, then the request ({@link #release}); idempotent. */
    void freeAbandoned() {
        release();
    }

    private void runOnPool() {
        if (!state.compareAndSet(QUEUED, RUNNING)) {
            return;
        }
        Handoff.pass();
        try {
            work(PoolThread.scratchLoop());
        } catch (Throwable t) {
            thrown = t;
        }
        Handoff.pass(); // what libuv wrote here is read on the loop thread
        // the loop cannot be closed meanwhile: this request keeps Loop.close() at EBUSY
        loop.execute(() -> finish(0));
    }

    /**
     * Cancels the request if it has not started; its callback then runs once with ECANCELED, on
     * the loop's next turn. False once it has started, finished or been cancelled.
     */
    @Override
    public boolean cancel() {
        try (Loop.Claim _ = loop.enter()) {
            return cancelQueued();
        }
    }

    /**
     * Cancels at once from any thread, without the loop's claim: the queued state is atomic, and
     * the completion reaches the loop through {@link Loop#execute}, which the request keeps open.
     */
    @Override
    void cancelAnywhere() {
        cancelQueued();
    }

    private boolean cancelQueued() {
        if (!cancellable() || !state.compareAndSet(QUEUED, CANCELLED)) {
            return false;
        }
        Pool.EXECUTOR.remove(task);
        loop.execute(() -> finish(Errno.ECANCELED));
        return true;
    }

    /** Whether this request may be cancelled at all; settled before it is handed to anyone. */
    boolean cancellable() {
        return true;
    }

    private void finish(int status) {
        if (holding) {
            holding = false;
            loop.holds--;
        }
        Handoff.pass();
        complete(status, thrown);
    }

    /** The error a callback gets when {@link #work} threw instead of reaching libuv. */
    static int failureCode(Throwable t) {
        return t instanceof OutOfMemoryError ? Errno.ENOMEM : Errno.EIO;
    }

    /** A pool thread, with the scratch loop block its libuv calls may count themselves on. */
    private static final class PoolThread extends Thread {
        private static final long LOOP_SIZE = LibUv.uv_loop_size();
        /** Zeroed, never initialised as a loop; freed by the GC once the thread has ended. */
        private final ByteBuffer scratch = ByteBuffer.allocateDirect((int) LOOP_SIZE);
        private final long scratchAddress = CBlock.address(scratch);

        PoolThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }

        static long scratchLoop() {
            return ((PoolThread) Thread.currentThread()).scratchAddress;
        }
    }

    /** The shared pool, made on first use: {@code UV_THREADPOOL_SIZE} threads (default 4), as libuv's. */
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
            ThreadPoolExecutor e = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> new PoolThread(r, "juv-work-" + count.incrementAndGet()));
            e.allowCoreThreadTimeOut(true);
            return e;
        }
    }
}
