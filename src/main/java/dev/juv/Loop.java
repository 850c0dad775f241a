package dev.juv;

import dev.juv.internal.Descriptors;
import dev.juv.internal.LibUv;
import dev.juv.internal.LoopClock;
import dev.juv.internal.Monitor;
import dev.juv.internal.Native;
import dev.juv.internal.ReadBuffers;
import dev.juv.internal.ReadMemory;
import dev.juv.internal.Registry;
import dev.juv.internal.Version;
import dev.juv.internal.WritePool;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * An event loop: libuv's {@code uv_loop_t}. Every handle belongs to one loop.
 *
 * <p>Threads: one thread at a time is inside a loop. While {@link #run} runs, the loop and its
 * handles and requests belong to that thread, and a call from any other thread throws
 * {@link IllegalStateException}; while no thread runs the loop, any thread may call, and each call
 * holds the loop until it returns, so calls from several threads, {@code run()} and
 * {@code close()} never overlap (a thread arriving during another thread's call waits for that
 * one call). {@link #execute}, {@link #submit}, {@link #stop} and {@link Async#send} are safe
 * from any thread at any time.
 *
 * <p>{@link #start(String)} makes a loop that runs on a thread of its own until {@link #close()}:
 * hand it work with {@link #execute}, {@link #submit} or an {@code …Async} method from any
 * thread. Such a loop counts as running for every other thread until it is closed, even in the
 * moments between two of its thread's runs.
 */
public final class Loop implements AutoCloseable, Executor {
    static {
        Version.check();
    }

    private static final Object DEFAULT_LOCK = new Object();
    private static Loop defaultLoop;

    final long ptr;
    final Registry registry;
    private final boolean isDefault;
    /**
     * The thread inside the loop's native state, or null: the thread in {@link #run}, or, while
     * no thread runs the loop, the thread inside one call on it. Taken by compare-and-set, so two
     * threads are never inside the loop's native state together; see {@link #enter()}.
     */
    private volatile Thread holder;
    /** The thread inside uv_run (run(), or close() while it drains), or null. */
    private volatile Thread runner;
    /** Set once close() has passed its checks: nothing new may start on the loop. */
    private boolean closing;
    private volatile boolean closed;
    /** Handles whose close callback has not run (the internal wakeup handle excluded). */
    int openHandles;
    /** A handle whose constructor has not finished, or null; see {@link Handle}. */
    Handle embryo;
    private final Claim claim = new Held();

    /** The per-loop native buffer every read lands in, and its reused view. */
    private final ReadMemory readMemory;
    final long readBuffer;
    final ByteBuffer readView;
    /** The size of {@link #readBuffer}, from the loop's options. */
    final int readBufferSize;
    private final LoopOptions options;
    /** What the loop thread publishes about its callbacks, for the watchdog, metrics and JFR. */
    final LoopClock clock;
    /** Tasks queued with execute() that have not started. */
    private final AtomicInteger queuedTasks = new AtomicInteger();
    /**
     * Guards the native loop against metrics() and utilization() from other threads while
     * close() closes it: uv_loop_close frees libuv's metrics state.
     */
    private final Object metricsLock = new Object();
    private boolean metricsClosed;
    private LoopMetrics finalMetrics;
    /** A uv_metrics_t for uv_metrics_info (libuv 1.45+), made at the first metrics(); under metricsLock. */
    private long metricsInfo;
    private long utilizationWall;
    private long utilizationIdle;
    /** The thread inside a read callback over {@link #readView}, for the write paths' check. */
    final ReadBuffers.Dispatch readDispatch = new ReadBuffers.Dispatch();
    /** Builds and recycles the native blocks of its streams' writes; disposed of by close(). */
    final WritePool writes;
    /** Its streams' spare write requests; disposed of by close(). */
    final WriteRequest.Pool writeRequests = new WriteRequest.Pool();

    private Consumer<? super Throwable> exceptionHandler;
    private Throwable pending;

    // execute(): an internal async handle (unreferenced unless tasks wait) and a task queue
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Object taskLock = new Object();
    private boolean acceptingTasks = true;
    private final long wakeup;
    private final long wakeupId;
    private boolean wakeupRef;
    private boolean wakeupClosed;
    private boolean wakeupFreed;
    /** Work items in flight on juv's work pool: while any is, the wakeup keeps the loop alive. */
    int holds;

    /**
     * Requests whose hand-over threw, newest first, linked through {@code nextAbandoned}. The site
     * that made one lists it with two field writes (no call, so listing works with the stack
     * exhausted), then cleans it up; what an overflow leaves listed, run() and close() clean up.
     * Used only by the thread holding the loop.
     */
    Request abandoned;

    /** Cleans up every listed abandoned request ({@link #abandoned}). */
    void finishAbandoned() {
        Request r;
        while ((r = abandoned) != null) {
            if (r.armed) {
                r.cleanUpAbandoned();
            } else {
                r.release(); // its arm() did not finish: memory and registration, if it got them
            }
            abandoned = r.nextAbandoned;
            r.nextAbandoned = null;
        }
    }

    /** -Djuv.debug.gcEachIteration=true: a collection at every loop iteration (GC stress runs). */
    private static final boolean GC_EACH_ITERATION = Boolean.getBoolean("juv.debug.gcEachIteration");
    private long gcPrepare;
    private long gcPrepareId;

    /** The thread of a loop made by {@link #start}, or null. */
    private volatile Thread startedThread;
    /** Set by close() on a started loop: its thread closes every handle and ends. */
    private volatile boolean shutdownRequested;
    private boolean holdReleased;
    /** What the started thread's final close() threw, for the thread that asked for it. */
    private volatile Throwable startedCloseFailure;

    /**
     * A new loop already running on a new platform thread named {@code threadName}. The loop is
     * kept alive while it has nothing to do, until {@link #close()}, which may be called from any
     * thread: it closes every handle, lets the loop run until their close callbacks are done,
     * closes the loop and ends the thread. Give the loop work with {@link #execute} or
     * {@link #submit}; its handles belong to that thread like any loop's. An exception a callback
     * throws that the exception handler does not deal with is logged (System.Logger "dev.juv",
     * WARNING) and the loop carries on; {@link #stop()} ends one turn, and the thread runs the
     * loop again. The thread is not a daemon: the JVM stays up until the loop is closed.
     *
     * @param threadName the name of the loop's thread
     * @return the running loop
     * @throws UvException if the loop cannot be made (uv_loop_init)
     */
    public static Loop start(String threadName) {
        return start(threadName, LoopOptions.defaults());
    }

    /**
     * A new loop made with {@code options}, already running on a new platform thread named
     * {@code threadName}; otherwise as {@link #start(String)}.
     *
     * @param threadName the name of the loop's thread
     * @param options how the loop is set up
     * @return the running loop
     * @throws UvException if the loop cannot be made (uv_loop_init, uv_loop_configure)
     */
    public static Loop start(String threadName, LoopOptions options) {
        Objects.requireNonNull(threadName, "threadName");
        Objects.requireNonNull(options, "options");
        CompletableFuture<Loop> ready = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            Loop loop;
            try {
                loop = new Loop(options);
                loop.startedThread = Thread.currentThread();
                loop.holdAlive(); // no other thread knows the loop yet
            } catch (Throwable e) {
                ready.completeExceptionally(e);
                return;
            }
            ready.complete(loop);
            loop.runStarted();
        }, threadName);
        t.start();
        try {
            return ready.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw Loop.<RuntimeException>sneaky(e.getCause());
        }
    }

    /** The body of a started loop's thread. */
    private void runStarted() {
        for (int turns = 0; ; turns++) {
            try {
                run();
            } catch (Throwable e) {
                // the logger is asked for here, not with the class: its set-up costs a fresh JVM ~10 ms
                System.getLogger("dev.juv").log(System.Logger.Level.WARNING, "a callback of the loop on "
                        + describe(Thread.currentThread()) + " threw; the loop carries on", e);
            }
            if (shutdownRequested) {
                // what the shutdown closed is done; close what was opened since, and run again
                List<Handle> left = handles();
                if ((left.isEmpty() && outstandingRequests() == 0) || turns > 10_000) {
                    break;
                }
                for (Handle h : left) {
                    h.close();
                }
            }
        }
        try {
            close();
        } catch (Throwable e) {
            startedCloseFailure = e;
        }
    }

    /** On the loop thread: closes every handle and lets the loop end once they are closed. */
    private void shutdown() {
        for (Handle h : handles()) {
            h.close();
        }
        if (!holdReleased) {
            holdReleased = true;
            releaseHold();
        }
    }

    /**
     * Runs {@code task} on the loop thread, like {@link #execute}, and gives its result or
     * exception through the returned future; safe from any thread. Waiting for the future on the
     * loop thread itself ({@code join()} or {@code get()} inside a callback, before it completed)
     * would deadlock, and throws {@link IllegalStateException} instead.
     *
     * @param <T> the task's result type
     * @param task runs once on the loop thread
     * @return completed with the task's result, or exceptionally with what it threw
     * @throws RejectedExecutionException once the loop is closed
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        LoopFuture<T> f = new LoopFuture<>(this);
        execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /**
     * The common start of every {@code …Async} operation: a future of this loop, and
     * {@code start} run with it at once on the loop thread, or at once under the claim when no
     * thread runs the loop, else handed over with {@link #execute}. Whatever {@code start} throws completes the future exceptionally,
     * as does a loop that is closed; nothing reaches the caller's thread.
     */
    <T> LoopFuture<T> startAsync(java.util.function.Consumer<? super LoopFuture<T>> start) {
        LoopFuture<T> f = new LoopFuture<>(this);
        Runnable r = () -> {
            try {
                start.accept(f);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        };
        if (isLoopThread()) {
            r.run();
            return f;
        }
        Thread started = startedThread;
        if (runner == null && !closed && (started == null || !started.isAlive())) {
            // no thread runs the loop: take it for this one call, as any other method would
            Claim c = null;
            try {
                c = enter();
            } catch (IllegalStateException busyOrClosed) {
                // it started running elsewhere, or closed: hand over (or be refused) below
            }
            if (c != null) {
                try (Claim _ = c) {
                    r.run();
                }
                return f;
            }
        }
        try {
            execute(r);
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /** Creates a new loop with {@link LoopOptions#defaults()}. Wraps uv_loop_init. */
    public Loop() {
        this(false, LoopOptions.defaults());
    }

    /**
     * Creates a new loop set up as {@code options} say. Wraps uv_loop_init and uv_loop_configure.
     *
     * @param options idle-time metrics, a blocked signal, the read buffer size, the watchdog
     * @throws UvException if libuv refuses an option ({@code EINVAL} for a blocked signal other
     *     than SIGPROF) or the loop cannot be made
     */
    public Loop(LoopOptions options) {
        this(false, Objects.requireNonNull(options, "options"));
    }

    private Loop(boolean useDefault, LoopOptions options) {
        this.isDefault = useDefault;
        this.options = options;
        this.readBufferSize = options.readBufferSize();
        // the rollback below needs room to run: an overflow, if any, comes here, before anything
        ensureStack();
        long p = 0;
        boolean initialised = false;
        Registry reg = null;
        ReadMemory memory = null;
        long async = 0;
        long asyncId = 0;
        boolean asyncLive = false;
        LoopClock c = null;
        try {
            if (useDefault) {
                p = LibUv.uv_default_loop();
                if (p == 0) {
                    throw new IllegalStateException("uv_default_loop failed");
                }
                initialised = true;
            } else {
                p = Native.calloc(LibUv.uv_loop_size());
                int r = LibUv.uv_loop_init(p);
                initialised = r == 0;
                if (r < 0) {
                    Descriptors.loopInitFailed(p);
                    throw new UvException(r, "uv_loop_init");
                }
            }
            configure(p, options);
            ptr = p;
            reg = Registry.create();
            registry = reg;
            memory = new ReadMemory(readBufferSize);
            readMemory = memory;
            readBuffer = memory.address();
            readView = memory.view();
            writes = new WritePool(readBuffer, readView, readDispatch, readBufferSize);
            async = Native.calloc(LibUv.uv_handle_size(HandleType.ASYNC.code()));
            wakeup = async;
            asyncId = reg.register(new WakeupTarget());
            wakeupId = asyncId;
            LibUv.uv_handle_set_data(async, asyncId);
            int r = LibUv.uv_async_init(p, async, Async.ASYNC_CB.address());
            if (r < 0) {
                throw new UvException(r, "uv_async_init");
            }
            asyncLive = true;
            ReadBuffers.register(readBuffer, readBufferSize, readDispatch);
            LibUv.uv_unref(wakeup);
            if (GC_EACH_ITERATION) {
                startGcStress();
            }
            Descriptors.loopOpened(this, ptr);
            utilizationWall = LibUv.uv_hrtime();
            c = new LoopClock(toString(), options.blockedThreshold().toNanos(), this::metrics);
            clock = c;
            Monitor.add(c);
        } catch (Throwable t) {
            if (c != null) {
                Monitor.remove(c);
            }
            undoInit(p, initialised, reg, memory, async, asyncId, asyncLive, t);
            throw t;
        }
    }

    /** Applies the options libuv keeps (uv_loop_configure) to a loop just initialised. */
    private static void configure(long p, LoopOptions options) {
        if (options.idleTimeMetrics()) {
            int r = Native.loopConfigure(p, Native.UV_METRICS_IDLE_TIME);
            if (r < 0) {
                throw new UvException(r, "uv_loop_configure(UV_METRICS_IDLE_TIME)");
            }
        }
        if (options.blockedSignal() != 0) {
            int r = Native.loopConfigure(p, Native.UV_LOOP_BLOCK_SIGNAL, options.blockedSignal());
            if (r < 0) {
                throw new UvException(r, "uv_loop_configure(UV_LOOP_BLOCK_SIGNAL, " + options.blockedSignal() + ")");
            }
        }
    }

    /**
     * The options this loop was made with ({@link LoopOptions#defaults()} for the default loop).
     *
     * @return the loop's options
     */
    public LoopOptions options() {
        return options;
    }

    /** Undoes what a failed constructor did, in reverse order; a failure of a step is added to {@code t}. */
    private void undoInit(long p, boolean initialised, Registry reg, ReadMemory memory, long async, long asyncId,
            boolean asyncLive, Throwable t) {
        try {
            if (memory != null) {
                ReadBuffers.unregister(memory.address());
            }
            if (asyncLive) {
                // its close callback frees it
                LibUv.uv_close(async, Handle.CLOSE_CB.address());
                LibUv.uv_run(p, RunMode.NOWAIT.ordinal());
            } else {
                Native.free(async);
                if (reg != null && asyncId != 0) {
                    reg.unregister(asyncId);
                }
            }
            if (initialised && !isDefault) {
                LibUv.uv_loop_close(p);
            }
            if (memory != null) {
                memory.close();
            }
            if (reg != null) {
                reg.dispose();
            }
            if (p != 0 && !isDefault) {
                Native.free(p);
            }
        } catch (Throwable again) {
            t.addSuppressed(again);
        }
    }

    private void startGcStress() {
        gcPrepare = Native.calloc(LibUv.uv_handle_size(HandleType.PREPARE.code()));
        gcPrepareId = registry.register(new Hidden() {
            @Override
            public Loop loop() {
                return Loop.this;
            }

            @Override
            public void fired() {
                System.gc();
            }

            @Override
            public void closed() {
                registry.unregister(gcPrepareId);
                Native.free(gcPrepare);
                gcPrepare = 0;
            }
        });
        LibUv.uv_handle_set_data(gcPrepare, gcPrepareId);
        LibUv.uv_prepare_init(ptr, gcPrepare);
        LibUv.uv_prepare_start(gcPrepare, Prepare.PREPARE_CB.address());
        LibUv.uv_unref(gcPrepare);
    }

    /**
     * The process's default loop (libuv's {@code uv_default_loop}); a new one after it was closed.
     *
     * @return the default loop, the same object on every call until it is closed
     */
    public static Loop defaultLoop() {
        synchronized (DEFAULT_LOCK) {
            if (defaultLoop == null || defaultLoop.closed) {
                defaultLoop = new Loop(true, LoopOptions.defaults());
            }
            return defaultLoop;
        }
    }

    /**
     * Runs the loop until nothing keeps it alive; see {@link #run(RunMode)}.
     *
     * @return whether work remains, as {@link #run(RunMode)} returns it
     */
    public boolean run() {
        return run(RunMode.DEFAULT);
    }

    /**
     * Runs the loop in the given mode on the calling thread. Returns whether work remains (more
     * handles or requests are active). If a callback threw and the exception handler did not deal
     * with it, the loop stops and this method rethrows it; the loop stays usable.
     * Wraps uv_run.
     *
     * @param mode {@link RunMode#DEFAULT}, {@link RunMode#ONCE} or {@link RunMode#NOWAIT}
     * @return true if active handles or requests remain, false when nothing keeps the loop alive
     * @throws IllegalStateException if the loop is closed, already running, or re-entered from
     *     one of its own callbacks
     */
    public boolean run(RunMode mode) {
        Objects.requireNonNull(mode, "mode");
        Thread me = Thread.currentThread();
        if (holder == me && (runner == me || closing)) {
            throw new IllegalStateException(runner == me
                    ? "Loop.run() called from inside one of the loop's callbacks"
                    : "Loop.run() called from a task that Loop.close() runs");
        }
        ensureStack();
        acquire(me, "Loop.run()");
        int r;
        Throwable p;
        try {
            if (closed) {
                throw new HandleClosedException("the loop is closed");
            }
            reapEmbryo();
            if (unfinishedCloses > 0) {
                Handle.finishStuckCloses(registry);
            }
            if (abandoned != null) {
                finishAbandoned();
            }
            runner = me;
            LoopClock outer = clock.enterRun();
            try {
                if (!tasks.isEmpty()) {
                    refWakeup();
                }
                r = LibUv.uv_run(ptr, mode.ordinal());
            } finally {
                clock.leave(outer);
                runner = null;
            }
            p = pending;
            pending = null;
        } finally {
            holder = null;
        }
        if (p != null) {
            throw Loop.<RuntimeException>sneaky(p);
        }
        return r != 0;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** Stops the loop at its next chance; safe from any thread. Wraps uv_stop. */
    public void stop() {
        if (closed) {
            return;
        }
        if (isLoopThread()) {
            LibUv.uv_stop(ptr);
        } else {
            try {
                execute(() -> LibUv.uv_stop(ptr));
            } catch (RejectedExecutionException ignored) {
                // closed meanwhile: nothing to stop
            }
        }
    }

    /**
     * The loop's cached time in milliseconds. Wraps uv_now.
     *
     * @return the time the loop took at the start of its current iteration, in milliseconds from an
     *     arbitrary point
     */
    public long now() {
        try (Claim _ = enter()) {
            return LibUv.uv_now(ptr);
        }
    }

    /** Refreshes the cached time. Wraps uv_update_time. */
    public void updateTime() {
        try (Claim _ = enter()) {
            LibUv.uv_update_time(ptr);
        }
    }

    /**
     * Whether active, referenced handles or requests remain. Wraps uv_loop_alive.
     *
     * @return true while running the loop would have work to do
     */
    public boolean isAlive() {
        try (Claim _ = enter()) {
            return LibUv.uv_loop_alive(ptr) != 0;
        }
    }

    /**
     * The backend file descriptor (epoll, kqueue), or -1. Wraps uv_backend_fd.
     *
     * @return the descriptor the loop polls, or -1 where the platform has none
     */
    public int backendFd() {
        try (Claim _ = enter()) {
            return LibUv.uv_backend_fd(ptr);
        }
    }

    /**
     * The poll timeout in milliseconds, -1 for none. Wraps uv_backend_timeout.
     *
     * @return the time the next poll would wait, in milliseconds; 0 for none, -1 for no limit
     */
    public int backendTimeout() {
        try (Claim _ = enter()) {
            return LibUv.uv_backend_timeout(ptr);
        }
    }

    /**
     * Whether the loop is closed.
     *
     * @return true once {@link #close()} has closed the loop
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Whether the calling thread is the one running this loop.
     *
     * @return true on the thread inside {@link #run}, false on every other thread and while the
     *     loop is not running
     */
    public boolean isLoopThread() {
        return runner == Thread.currentThread();
    }

    /**
     * A snapshot of the user's handles whose close callback has not run yet (like uv_walk);
     * juv's internal handles are not listed.
     *
     * @return a new list, in no particular order
     */
    public List<Handle> handles() {
        try (Claim _ = enter()) {
            reapEmbryo();
            List<Handle> out = new ArrayList<>(openHandles);
            for (Object target : registry.snapshot()) {
                Handle h = Handle.listedHandleOf(target);
                if (h != null) {
                    out.add(h);
                }
            }
            return out;
        }
    }

    /**
     * The loop's counters now; cheap, and safe from any thread at any time, also while the loop
     * runs on another thread (it never waits for the loop). The idle time comes from libuv's
     * {@code uv_metrics_idle_time}, which libuv makes safe from any thread; the loop count and
     * event counts from {@code uv_metrics_info} (libuv 1.45 or newer; 0 on older libuv), which
     * copies counters that the loop thread writes: each is read whole, but the three may come from
     * different moments of an iteration. The callback, task and handle counts are those the loop
     * thread has published, at most a moment old. After {@link #close()}, the counters as they
     * were when the loop closed.
     *
     * @return the counters
     */
    public LoopMetrics metrics() {
        synchronized (metricsLock) {
            return metricsClosed ? finalMetrics : metricsNow();
        }
    }

    /** The counters, read from the open loop; under metricsLock. */
    private LoopMetrics metricsNow() {
        long idle = options.idleTimeMetrics() ? LibUv.uv_metrics_idle_time(ptr) : 0;
        long count = 0;
        long events = 0;
        long waiting = 0;
        if (LibUv.has_uv_metrics_info()) {
            if (metricsInfo == 0) {
                metricsInfo = Native.calloc(UV_METRICS_T_SIZE);
            }
            if (LibUv.uv_metrics_info(ptr, metricsInfo) == 0) {
                count = Native.getLong(metricsInfo);
                events = Native.getLong(metricsInfo + 8);
                waiting = Native.getLong(metricsInfo + 16);
            }
        }
        return new LoopMetrics(Duration.ofNanos(idle), count, events, waiting, clock.callbacks(),
                Math.max(0, queuedTasks.get()), openHandles, Native.liveBytes());
    }

    /** sizeof(uv_metrics_t): three uint64_t counters and 13 reserved pointers (public and stable since 1.45). */
    private static final int UV_METRICS_T_SIZE = 3 * 8 + 13 * 8;

    /**
     * The share of the time since the previous call (or since the loop was made) that the loop
     * spent outside its poll's wait: 0 for a loop that only waited, 1 for one that never waited
     * (Node's event-loop utilization). Time in which no thread ran the loop counts as not
     * waiting. Needs idle-time metrics ({@link LoopOptions#withIdleTimeMetrics(boolean)}):
     * without them, and after {@link #close()}, it returns {@link Double#NaN}. Safe from any
     * thread; each call starts the next interval, for every caller.
     *
     * @return a number from 0 to 1, or NaN without idle-time metrics
     */
    public double utilization() {
        if (!options.idleTimeMetrics()) {
            return Double.NaN;
        }
        synchronized (metricsLock) {
            if (metricsClosed) {
                return Double.NaN;
            }
            long idle = LibUv.uv_metrics_idle_time(ptr);
            long now = LibUv.uv_hrtime();
            long wall = now - utilizationWall;
            long waited = idle - utilizationIdle;
            utilizationWall = now;
            utilizationIdle = idle;
            if (wall <= 0) {
                return 0;
            }
            return Math.min(1.0, Math.max(0.0, (wall - waited) / (double) wall));
        }
    }

    /**
     * Runs {@code task} on the loop thread, during the loop's next iteration; safe from any
     * thread. A task queued while the loop is not running runs at the next {@link #run}.
     * Wraps uv_async_send.
     *
     * @param task runs once on the loop thread
     * @throws RejectedExecutionException once the loop is closed
     */
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (taskLock) {
            if (!acceptingTasks) {
                throw new RejectedExecutionException("the loop is closed");
            }
            tasks.add(task);
            queuedTasks.incrementAndGet();
            LibUv.uv_async_send(wakeup);
        }
        if (isLoopThread()) {
            // queued from a callback: keep this run() going until the task has run
            refWakeup();
        }
    }

    /**
     * Runs {@code work} on juv's work pool, then {@code after} on the loop thread with null
     * (or {@code ECANCELED} when it was cancelled). An exception thrown by {@code work} is given
     * to the exception handler just before {@code after} runs. The pool is made of daemon Java
     * threads, {@code UV_THREADPOOL_SIZE} of them (default 4), rather than libuv's own pool
     * (what uv_queue_work uses): a libuv pool thread that has run Java code cannot end once the
     * JVM exits, and libuv joins its pool threads at exit, so System.exit would never return.
     *
     * @param after may be null
     * @param work runs once on a thread of juv's pool
     * @return the request, which {@link Request#cancel()} can cancel while the work waits for a
     *     thread
     */
    public Request queueWork(Runnable work, WorkCallback after) {
        Objects.requireNonNull(work, "work");
        try (Claim _ = enter()) {
            checkNotClosing();
            return WorkRequest.queue(this, work, after);
        }
    }

    /**
     * Runs {@code work} on juv's pool and returns a future of its result, completed on the loop
     * thread; callable from any thread. What {@code work} throws completes the future
     * exceptionally (it does not reach the exception handler). Cancelling the future cancels the
     * item while it waits for a pool thread; one already running finishes, and its result is
     * dropped. A closed loop fails the future with {@link RejectedExecutionException}.
     *
     * @param work computes the result on a pool thread; must not use the loop
     * @param <T> the type of the result
     * @return a future of what {@code work} returns
     * @throws NullPointerException if {@code work} is null
     */
    public <T> CompletableFuture<T> queueWorkAsync(java.util.function.Supplier<? extends T> work) {
        Objects.requireNonNull(work, "work");
        return LoopFuture.ofRequest(this, f -> WorkRequest.supply(this, work, f));
    }

    /** Called with the loop after a work item: the error is null, or ECANCELED. */
    @FunctionalInterface
    public interface WorkCallback {
        /**
         * Runs on the loop thread once the work item is over.
         *
         * @param error null when the work ran (even if it threw), {@code ECANCELED} when it was
         *     cancelled first
         */
        void call(UvException error);
    }

    /**
     * Sets what happens to an exception thrown by a callback. The default ({@code null})
     * records the first one, stops the loop and makes {@link #run} rethrow it. A handler may log
     * and carry on instead; if it throws itself, both exceptions reach {@link #run}.
     * A {@link VirtualMachineError} always stops the loop and is rethrown.
     *
     * @param handler receives each exception a callback throws, or null for the default
     */
    public void setExceptionHandler(Consumer<? super Throwable> handler) {
        this.exceptionHandler = handler;
    }

    /**
     * Closes the loop. Idempotent. Tasks queued with {@link #execute} before this call run here,
     * as the loop's last work; from then on nothing new may start on the loop (a handle, a
     * request or a task created by such a task is refused), and an exception one of them throws
     * comes out of this method once the loop is closed.
     * Wraps uv_loop_close.
     *
     * @throws UvException EBUSY while handles the program has not closed are open (the message
     *     names them) or requests are outstanding; handles already closing are finished here,
     *     their close callbacks included
     * @throws IllegalStateException while the loop runs, or from a task this method runs
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Thread me = Thread.currentThread();
        Thread started = startedThread;
        if (started != null && (me != started || runner == me)) {
            closeStarted(started, me);
            return;
        }
        if (holder == me && (runner == me || closing)) {
            throw new IllegalStateException(runner == me
                    ? "Loop.close() called from inside one of the loop's callbacks"
                    : "Loop.close() called from a task that Loop.close() runs");
        }
        ensureStack();
        acquire(me, "Loop.close()");
        Throwable p;
        try {
            if (closed) {
                return; // another thread closed it meanwhile
            }
            reapEmbryo();
            if (abandoned != null) {
                finishAbandoned();
            }
            if (openHandles > 0) {
                Handle.finishStuckCloses(registry);
                if (openHandlesLeft().isEmpty()) {
                    // every handle left is closing: let libuv finish them, their callbacks included
                    runner = me;
                    LoopClock outer = clock.enterRun();
                    try {
                        for (int i = 0; openHandles > 0 && i < 16; i++) {
                            LibUv.uv_run(ptr, RunMode.NOWAIT.ordinal());
                        }
                    } finally {
                        clock.leave(outer);
                        runner = null;
                    }
                }
            }
            if (openHandles > 0) {
                List<Handle> open = openHandlesLeft();
                throw new UvException(Errno.EBUSY, "uv_loop_close: " + openHandles + " handle(s) still open"
                        + (open.isEmpty() ? "" : ", " + open.size() + " not closed by the program: " + open)
                        + "; close them first (handles already closing are finished here)");
            }
            if (registry.liveRequests() > 0) {
                throw new UvException(Errno.EBUSY, "uv_loop_close: " + registry.liveRequests()
                        + " request(s) outstanding: " + outstandingKinds());
            }
            closing = true;
            synchronized (taskLock) {
                acceptingTasks = false;
            }
            // tasks queued before close still run, here, as the loop's last work
            runTasks();
            if (!wakeupClosed) {
                wakeupClosed = true;
                if (gcPrepare != 0) {
                    LibUv.uv_close(gcPrepare, Handle.CLOSE_CB.address());
                }
                LibUv.uv_close(wakeup, Handle.CLOSE_CB.address());
            }
            runner = me;
            LoopClock outer = clock.enterRun();
            try {
                // a task that failed stopped the loop: that ends one uv_run before it starts
                for (int i = 0; (!wakeupFreed || gcPrepare != 0) && i < 16; i++) {
                    LibUv.uv_run(ptr, RunMode.DEFAULT.ordinal());
                }
            } finally {
                clock.leave(outer);
                runner = null;
            }
            int r;
            synchronized (metricsLock) {
                LoopMetrics last = metricsNow();
                r = Descriptors.loopClose(this, ptr);
                if (r >= 0) {
                    metricsClosed = true;
                    finalMetrics = last;
                    if (metricsInfo != 0) {
                        Native.free(metricsInfo);
                        metricsInfo = 0;
                    }
                }
            }
            if (r < 0) {
                throw new UvException(r, "uv_loop_close");
            }
            Monitor.remove(clock);
            closed = true;
            ReadBuffers.unregister(readBuffer);
            readMemory.close();
            registry.dispose();
            writes.dispose();
            writeRequests.dispose();
            if (!isDefault) {
                Native.free(ptr);
            }
            p = pending;
            pending = null;
        } finally {
            holder = null;
        }
        if (p != null) {
            throw Loop.<RuntimeException>sneaky(p);
        }
    }

    /**
     * close() of a loop made by {@link #start}: asks its thread to close every handle and end;
     * from another thread, waits for that thread and rethrows what its final close threw.
     */
    private void closeStarted(Thread started, Thread me) {
        shutdownRequested = true;
        try {
            execute(this::shutdown);
        } catch (RejectedExecutionException alreadyClosing) {
            // the thread is past its last turn
        }
        if (me == started) {
            return; // from a callback: the thread ends once this turn is over
        }
        boolean interrupted = false;
        while (started.isAlive()) {
            try {
                started.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            me.interrupt();
        }
        Throwable f = startedCloseFailure;
        if (f != null) {
            startedCloseFailure = null;
            throw Loop.<RuntimeException>sneaky(f);
        }
    }

    /** The kinds of this loop's outstanding requests, with how many of each: what close() names. */
    private Map<String, Integer> outstandingKinds() {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Object target : registry.snapshot()) {
            if (target instanceof Request r) {
                kinds.merge(r.toString(), 1, Integer::sum);
            }
        }
        return kinds;
    }

    /** The listed handles that are neither closing nor closed: what close() cannot finish itself. */
    private List<Handle> openHandlesLeft() {
        List<Handle> open = new ArrayList<>();
        for (Object target : registry.snapshot()) {
            Handle h = Handle.listedHandleOf(target);
            if (h != null && !h.isClosing()) {
                open.add(h);
            }
        }
        return open;
    }

    // ---- package-private plumbing used by handles and requests ----

    /**
     * Handles whose close has begun but not fully reached libuv: above 0 only after an Error
     * (a StackOverflowError, say) interrupted a close; run() then finishes them.
     */
    int unfinishedCloses;

    private static final int HEADROOM_FRAMES = 300;

    /**
     * Throws StackOverflowError here, before anything has changed, when the stack is nearly
     * exhausted. uv_run calls back into Java from native code, and an error thrown at the entry
     * of such an upcall cannot be caught: the JVM ends the process. Going a few hundred frames
     * deeper first proves there is room for libuv's frames and the upcall's own.
     */
    private static void ensureStack() {
        headroom(HEADROOM_FRAMES, 0, 0, 0, 0);
    }

    private static long headroom(int n, long a, long b, long c, long d) {
        return n == 0 ? a + b + c + d : headroom(n - 1, b, c, d, a + 1) + 1;
    }

    /**
     * The claim of one call on the loop, released by {@code close()} (try-with-resources). The
     * thread in {@link #run} already holds the loop, and gets {@link #NONE}, which releases
     * nothing.
     */
    static class Claim implements AutoCloseable {
        static final Claim NONE = new Claim();

        @Override
        public void close() {}
    }

    /** The claim a thread takes for one call while no thread runs the loop. */
    private final class Held extends Claim {
        @Override
        public void close() {
            holder = null;
        }
    }

    private static final VarHandle HOLDER;

    static {
        try {
            HOLDER = MethodHandles.lookup().findVarHandle(Loop.class, "holder", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Enters the loop for one call: from the thread inside {@link #run}, at no cost; from any
     * other thread, only while no thread runs the loop, and then holding it for the call, so that
     * a run(), a close() or another thread's call waits for this one to end.
     *
     * @throws IllegalStateException while the loop runs on another thread
     * @throws HandleClosedException once the loop is closed
     */
    Claim enter() {
        Thread me = Thread.currentThread();
        if (holder == me) {
            if (closed) {
                throw new HandleClosedException("the loop is closed");
            }
            return Claim.NONE;
        }
        acquire(me, null);
        if (closed) {
            holder = null;
            throw new HandleClosedException("the loop is closed");
        }
        return claim;
    }

    /**
     * A thread as messages name it, never empty: {@code thread "main"}, or for a thread without a
     * name (virtual threads have none by default) {@code virtual thread #42}.
     */
    static String describe(Thread t) {
        String name = t.getName();
        String kind = t.isVirtual() ? "virtual thread" : "thread";
        return name.isEmpty() ? kind + " #" + t.threadId() : kind + " \"" + name + "\"";
    }

    /** Takes the loop for {@code me}; waits while another thread is inside one call on it. */
    private void acquire(Thread me, String what) {
        Thread started = startedThread;
        if (started != null && started != me && started.isAlive()) {
            // a started loop belongs to its thread even between two of its runs: a call slipped
            // in there would race with the thread's own next step (its final close, say)
            if (closed) {
                throw new HandleClosedException("the loop is closed");
            }
            throw busy(me, what, started);
        }
        int spins = 0;
        while (!HOLDER.compareAndSet(this, (Thread) null, me)) {
            Thread h = holder;
            if (h == me || (h != null && !h.isAlive())) {
                // a claim whose release an Error cut short (a StackOverflowError can strike the
                // release itself): its thread holds the loop in no call now
                if (HOLDER.compareAndSet(this, h, me)) {
                    return;
                }
                continue;
            }
            Thread r = runner;
            if (r != null) {
                throw busy(me, what, r);
            }
            // another thread is inside one call on the idle loop: it ends soon
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** The refusal of a call from {@code me} while {@code owner} runs the loop. */
    private static IllegalStateException busy(Thread me, String what, Thread owner) {
        if (what != null) {
            return new IllegalStateException(what + ": the loop is already running on " + describe(owner));
        }
        return new IllegalStateException("loop used from " + describe(me)
                + " while it runs on " + describe(owner) + "; use Loop.execute() or an …Async method");
    }

    /** Throws once close() has begun: nothing new may start on the loop then. */
    void checkNotClosing() {
        if (closing) {
            throw new HandleClosedException("the loop is closing");
        }
    }

    /**
     * Finishes or undoes a handle whose constructor never returned (an Error between allocation
     * and initialisation): libuv's initialisation is seen in the handle's type field.
     */
    void reapEmbryo() {
        Handle h = embryo;
        if (h != null) {
            h.abandon(); // clears the mark once it is done
        }
    }

    /** Routes a callback's throwable; never throws. */
    void handleException(Throwable t) {
        LoopClock.exceptionThrown(t);
        try {
            if (t instanceof VirtualMachineError) {
                record(t, true);
                LibUv.uv_stop(ptr);
                return;
            }
            Consumer<? super Throwable> h = exceptionHandler;
            if (h == null) {
                record(t, false);
                LibUv.uv_stop(ptr);
                return;
            }
            try {
                h.accept(t);
            } catch (Throwable t2) {
                try {
                    if (t2 != t) {
                        t.addSuppressed(t2);
                    }
                } catch (Throwable ignored) {
                    // suppression disabled on t: t2 is recorded on its own below
                    record(t2, false);
                }
                record(t, t2 instanceof VirtualMachineError);
                LibUv.uv_stop(ptr);
            }
        } catch (Throwable last) {
            // StackOverflowError or similar while routing: keep the first, stop, never escape
            if (pending == null) {
                pending = t;
            }
            try {
                LibUv.uv_stop(ptr);
            } catch (Throwable ignored) {
                // nothing more to do
            }
        }
    }

    private void record(Throwable t, boolean primary) {
        Throwable p = pending;
        if (p == null) {
            pending = t;
        } else if (p != t) {
            if (primary && !(p instanceof VirtualMachineError)) {
                t.addSuppressed(p);
                pending = t;
            } else {
                p.addSuppressed(t);
            }
        }
    }

    /** Number of juv requests of this loop whose callback has not run. */
    int outstandingRequests() {
        return registry.liveRequests();
    }

    /** Keeps the loop alive until {@link #releaseHold}; loop thread only. */
    void holdAlive() {
        holds++;
        refWakeup();
    }

    /** Ends one {@link #holdAlive}; the wakeup is unreferenced after its callback. */
    void releaseHold() {
        holds--;
    }

    void refWakeup() {
        if (!wakeupRef && !wakeupClosed) {
            wakeupRef = true;
            LibUv.uv_ref(wakeup);
        }
    }

    private void runTasks() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            queuedTasks.decrementAndGet();
            try {
                t.run();
            } catch (Throwable e) {
                handleException(e);
            }
        }
    }

    /**
     * A native handle the loop (or a handle) keeps for itself: the async behind execute(), the
     * prepare of the GC stress mode, an fs-poll handle replaced on restart. Never listed, never
     * counted by close(). The callbacks of their kinds ({@code Async.onAsync},
     * {@code Prepare.onPrepare}, {@code Handle.onClose}) call these, since such a handle is not a
     * {@link Handle}; it is the one indirection left on the callback path, and only for them.
     */
    interface Hidden {
        /** The loop whose exception handler gets what the callbacks throw. */
        Loop loop();

        /** Its async or prepare callback ran. */
        default void fired() {}

        /** Its close callback ran: free its memory. */
        void closed();
    }

    /** The internal async behind execute(). */
    private final class WakeupTarget implements Hidden {
        @Override
        public Loop loop() {
            return Loop.this;
        }

        @Override
        public void fired() {
            runTasks();
            if (wakeupRef && holds == 0) {
                wakeupRef = false;
                LibUv.uv_unref(wakeup);
            }
        }

        @Override
        public void closed() {
            registry.unregister(wakeupId);
            Native.free(wakeup);
            wakeupFreed = true;
        }
    }

    @Override
    public String toString() {
        return "Loop[" + (isDefault ? "default" : Long.toHexString(ptr)) + (closed ? ", closed" : "") + "]";
    }
}
