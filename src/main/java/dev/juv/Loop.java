package dev.juv;

import dev.juv.internal.Descriptors;
import dev.juv.internal.HandleTarget;
import dev.juv.internal.LibUv;
import dev.juv.internal.Native;
import dev.juv.internal.Registry;
import dev.juv.internal.Upcalls;
import dev.juv.internal.Version;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An event loop: libuv's {@code uv_loop_t}. Every handle belongs to one loop, and while the loop
 * runs, the loop and its handles may only be used from the thread inside {@link #run()} (except
 * {@link #execute}, {@link #stop} and {@link Async#send}, which are safe from any thread).
 */
public final class Loop implements AutoCloseable {
    static {
        Version.check();
    }

    static final int READ_BUFFER_SIZE = 64 * 1024;
    private static final Object DEFAULT_LOCK = new Object();
    private static Loop defaultLoop;

    final long ptr;
    final Registry registry;
    private final boolean isDefault;
    private final AtomicReference<Thread> runner = new AtomicReference<>();
    private volatile boolean closed;
    /** Handles whose close callback has not run (the internal wakeup handle excluded). */
    private int openHandles;

    /** The per-loop native buffer every read lands in, and its reused view. */
    final long readBuffer;
    final ByteBuffer readView;

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
    /** Work items in flight on juv's work pool: while any is, the wakeup keeps the loop alive. */
    private int holds;

    /** -Djuv.debug.gcEachIteration=true: a collection at every loop iteration (GC stress runs). */
    private static final boolean GC_EACH_ITERATION = Boolean.getBoolean("juv.debug.gcEachIteration");
    private long gcPrepare;
    private long gcPrepareId;

    /** Creates a new loop. Wraps uv_loop_init. */
    public Loop() {
        this(false);
    }

    private Loop(boolean useDefault) {
        this.isDefault = useDefault;
        if (useDefault) {
            long p = LibUv.uv_default_loop();
            if (p == 0) {
                throw new IllegalStateException("uv_default_loop failed");
            }
            ptr = p;
        } else {
            long p = Native.calloc(LibUv.uv_loop_size());
            int r = LibUv.uv_loop_init(p);
            if (r < 0) {
                Descriptors.loopInitFailed(p);
                Native.free(p);
                throw new UvException(r, "uv_loop_init");
            }
            ptr = p;
        }
        registry = Registry.create();
        readBuffer = Native.malloc(READ_BUFFER_SIZE);
        readView = Native.buffer(readBuffer, READ_BUFFER_SIZE);
        wakeup = Native.calloc(LibUv.uv_handle_size(HandleType.ASYNC.code()));
        wakeupId = registry.register(new WakeupTarget());
        LibUv.uv_handle_set_data(wakeup, wakeupId);
        int r = LibUv.uv_async_init(ptr, wakeup, Upcalls.ASYNC_CB);
        if (r < 0) {
            registry.unregister(wakeupId);
            Native.free(wakeup);
            Native.free(readBuffer);
            registry.dispose();
            if (!useDefault) {
                LibUv.uv_loop_close(ptr);
                Native.free(ptr);
            }
            throw new UvException(r, "uv_async_init");
        }
        LibUv.uv_unref(wakeup);
        if (GC_EACH_ITERATION) {
            startGcStress();
        }
        Descriptors.loopOpened(this, ptr);
    }

    private void startGcStress() {
        gcPrepare = Native.calloc(LibUv.uv_handle_size(HandleType.PREPARE.code()));
        gcPrepareId = registry.register(new HandleTarget() {
            @Override
            public void uvFail(Throwable t) {
                handleException(t);
            }

            @Override
            public void uvCallback() {
                System.gc();
            }

            @Override
            public void uvClose() {
                registry.unregister(gcPrepareId);
                Native.free(gcPrepare);
                gcPrepare = 0;
            }
        });
        LibUv.uv_handle_set_data(gcPrepare, gcPrepareId);
        LibUv.uv_prepare_init(ptr, gcPrepare);
        LibUv.uv_prepare_start(gcPrepare, Upcalls.PREPARE_CB);
        LibUv.uv_unref(gcPrepare);
    }

    /** The process's default loop (libuv's {@code uv_default_loop}); a new one after it was closed. */
    public static Loop defaultLoop() {
        synchronized (DEFAULT_LOCK) {
            if (defaultLoop == null || defaultLoop.closed) {
                defaultLoop = new Loop(true);
            }
            return defaultLoop;
        }
    }

    /** Runs the loop until nothing keeps it alive; see {@link #run(RunMode)}. */
    public boolean run() {
        return run(RunMode.DEFAULT);
    }

    /**
     * Runs the loop in the given mode on the calling thread. Returns whether work remains (more
     * handles or requests are active). If a callback threw and the exception handler did not deal
     * with it, the loop stops and this method rethrows it; the loop stays usable.
     * Wraps uv_run.
     *
     * @throws IllegalStateException if the loop is closed, already running, or re-entered from
     *     one of its own callbacks
     */
    public boolean run(RunMode mode) {
        Objects.requireNonNull(mode, "mode");
        checkOpen();
        Thread me = Thread.currentThread();
        if (!runner.compareAndSet(null, me)) {
            throw new IllegalStateException(runner.get() == me
                    ? "Loop.run() called from inside one of the loop's callbacks"
                    : "the loop is already running on thread " + runner.get().getName());
        }
        int r;
        try {
            if (!tasks.isEmpty()) {
                refWakeup();
            }
            r = LibUv.uv_run(ptr, mode.ordinal());
        } finally {
            runner.set(null);
        }
        Throwable p = pending;
        if (p != null) {
            pending = null;
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

    /** The loop's cached time in milliseconds. Wraps uv_now. */
    public long now() {
        checkThread();
        return LibUv.uv_now(ptr);
    }

    /** Refreshes the cached time. Wraps uv_update_time. */
    public void updateTime() {
        checkThread();
        LibUv.uv_update_time(ptr);
    }

    /** Whether active, referenced handles or requests remain. Wraps uv_loop_alive. */
    public boolean isAlive() {
        checkThread();
        return LibUv.uv_loop_alive(ptr) != 0;
    }

    /** The backend file descriptor (epoll, kqueue), or -1. Wraps uv_backend_fd. */
    public int backendFd() {
        checkThread();
        return LibUv.uv_backend_fd(ptr);
    }

    /** The poll timeout in milliseconds, -1 for none. Wraps uv_backend_timeout. */
    public int backendTimeout() {
        checkThread();
        return LibUv.uv_backend_timeout(ptr);
    }

    /** Whether the loop is closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Whether the calling thread is the one running this loop. */
    public boolean isLoopThread() {
        return runner.get() == Thread.currentThread();
    }

    /**
     * A snapshot of the user's handles whose close callback has not run yet (like uv_walk);
     * juv's internal handles are not listed.
     */
    public List<Handle> handles() {
        checkThread();
        List<Handle> out = new ArrayList<>(openHandles);
        for (Object target : registry.snapshot()) {
            Handle h = Handle.listedHandleOf(target);
            if (h != null) {
                out.add(h);
            }
        }
        return out;
    }

    /**
     * Runs {@code task} on the loop thread, during the loop's next iteration; safe from any
     * thread. A task queued while the loop is not running runs at the next {@link #run}.
     * Wraps uv_async_send.
     *
     * @throws RejectedExecutionException once the loop is closed
     */
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (taskLock) {
            if (!acceptingTasks) {
                throw new RejectedExecutionException("the loop is closed");
            }
            tasks.add(task);
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
     */
    public Request queueWork(Runnable work, WorkCallback after) {
        Objects.requireNonNull(work, "work");
        checkThread();
        return WorkRequest.queue(this, work, after);
    }

    /** Called with the loop after a work item: the error is null, or ECANCELED. */
    @FunctionalInterface
    public interface WorkCallback {
        void call(UvException error);
    }

    /**
     * Sets what happens to an exception thrown by a callback. The default ({@code null})
     * records the first one, stops the loop and makes {@link #run} rethrow it. A handler may log
     * and carry on instead; if it throws itself, both exceptions reach {@link #run}.
     * A {@link VirtualMachineError} always stops the loop and is rethrown.
     */
    public void setExceptionHandler(Consumer<? super Throwable> handler) {
        this.exceptionHandler = handler;
    }

    /**
     * Closes the loop. Idempotent.
     * Wraps uv_loop_close.
     *
     * @throws UvException EBUSY while handles are open or requests are outstanding
     * @throws IllegalStateException while the loop runs
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (runner.get() != null) {
            throw new IllegalStateException("Loop.close() while the loop runs");
        }
        if (openHandles > 0) {
            throw new UvException(Errno.EBUSY, "uv_loop_close: " + openHandles + " handle(s) still open");
        }
        if (registry.liveRequests() > 0) {
            throw new UvException(Errno.EBUSY, "uv_loop_close: " + registry.liveRequests()
                    + " request(s) outstanding");
        }
        synchronized (taskLock) {
            acceptingTasks = false;
        }
        // tasks queued before close still run, here, as the loop's last work
        runTasks();
        if (!wakeupClosed) {
            wakeupClosed = true;
            if (gcPrepare != 0) {
                LibUv.uv_close(gcPrepare, Upcalls.CLOSE_CB);
            }
            LibUv.uv_close(wakeup, Upcalls.CLOSE_CB);
            runner.set(Thread.currentThread());
            try {
                LibUv.uv_run(ptr, RunMode.DEFAULT.ordinal());
            } finally {
                runner.set(null);
            }
        }
        int r = Descriptors.loopClose(this, ptr);
        if (r < 0) {
            throw new UvException(r, "uv_loop_close");
        }
        closed = true;
        Native.free(readBuffer);
        registry.dispose();
        if (!isDefault) {
            Native.free(ptr);
        }
        Throwable p = pending;
        if (p != null) {
            pending = null;
            throw Loop.<RuntimeException>sneaky(p);
        }
    }

    // ---- package-private plumbing used by handles and requests ----

    /** Throws unless the loop is open and the caller may use it now. */
    void checkThread() {
        Thread r = runner.get();
        if (r != null && r != Thread.currentThread()) {
            throw new IllegalStateException("loop used from thread " + Thread.currentThread().getName()
                    + " while it runs on " + r.getName() + "; use Loop.execute()");
        }
        if (closed) {
            throw new HandleClosedException("the loop is closed");
        }
    }

    void checkOpen() {
        if (closed) {
            throw new HandleClosedException("the loop is closed");
        }
    }

    void addHandle() {
        openHandles++;
    }

    void removeHandle() {
        openHandles--;
    }

    /** Routes a callback's throwable; never throws. */
    void handleException(Throwable t) {
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

    private void refWakeup() {
        if (!wakeupRef && !wakeupClosed) {
            wakeupRef = true;
            LibUv.uv_ref(wakeup);
        }
    }

    private void runTasks() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            try {
                t.run();
            } catch (Throwable e) {
                handleException(e);
            }
        }
    }

    /** The internal async behind execute(): never listed, never counted by close(). */
    private final class WakeupTarget implements HandleTarget {
        @Override
        public void uvFail(Throwable t) {
            handleException(t);
        }

        @Override
        public void uvCallback() {
            runTasks();
            if (wakeupRef && holds == 0) {
                wakeupRef = false;
                LibUv.uv_unref(wakeup);
            }
        }

        @Override
        public void uvClose() {
            registry.unregister(wakeupId);
            Native.free(wakeup);
        }
    }

    @Override
    public String toString() {
        return "Loop[" + (isDefault ? "default" : Long.toHexString(ptr)) + (closed ? ", closed" : "") + "]";
    }
}
