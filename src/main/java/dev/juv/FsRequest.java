package dev.juv;

import dev.juv.internal.CBlock;
import dev.juv.internal.LibUv;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An fs operation: libuv's {@code uv_fs_t}. libuv always runs it in its synchronous form (no loop,
 * no callback): on the calling thread for the synchronous API, on juv's pool for the asynchronous
 * one (see {@link PoolRequest}), whose result is read and cleaned up on the loop thread before
 * the user's callback runs. {@code uv_fs_req_cleanup} runs exactly once per request.
 */
final class FsRequest<T> extends PoolRequest {
    static final int SIZE = size("fs");
    /** uv_fs_t requests made, and uv_fs_req_cleanup calls: equal whenever none is in flight. */
    static final java.util.concurrent.atomic.AtomicLong MADE = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong CLEANED = new java.util.concurrent.atomic.AtomicLong();
    private static final int UV_FS = typeCode("fs");

    /** Issues the libuv call: loop and callback are 0 for the synchronous form. */
    @FunctionalInterface
    interface Submit {
        int call(long loop, long req, long cb);
    }

    /** Turns a successful request's result into the Java value; runs before the cleanup. */
    @FunctionalInterface
    interface Reader<T> {
        T read(long req, long result);
    }

    /** Runs when the request is over, whatever its outcome; runs after the cleanup. */
    @FunctionalInterface
    interface Finisher {
        void finish(boolean succeeded);
    }

    private final String operation;
    private final Submit submit;
    private final Reader<T> reader;
    private final Fs.Callback<? super T> callback;
    private CBlock held;
    private Object keep;
    private Finisher finisher;
    /** Set once an abandoned request's uv_fs_req_cleanup has been called. */
    private boolean abandonCleaned;
    private boolean cancellable = true;
    /** What the synchronous call returned on the pool thread. */
    private int returned;

    private FsRequest(Loop loop, String operation, Submit submit, Reader<T> reader, Fs.Callback<? super T> callback,
            CBlock held, Object keep, Finisher finisher) {
        super(loop, SIZE);
        this.operation = operation;
        this.submit = submit;
        this.reader = reader;
        this.callback = callback;
        this.held = held;
        this.keep = keep;
        this.finisher = finisher;
    }

    private static int typeCode(String name) {
        for (int i = 1; i < 64; i++) {
            String n = CBlock.stringAt(LibUv.uv_req_type_name(i));
            if (n == null) {
                break;
            }
            if (n.equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("libuv has no request type " + name);
    }

    /**
     * The synchronous form: issues the call without loop or callback and reads the result.
     *
     * @throws UvException naming {@code operation} when libuv reports an error
     */
    static <T> T sync(String operation, Submit submit, Reader<T> reader) {
        try (CBlock block = CBlock.zeroed(SIZE)) {
            long req = block.address();
            MADE.incrementAndGet();
            try {
                long result = outcome(req, submit.call(0, req, 0));
                if (result < 0) {
                    throw new UvException((int) result, operation);
                }
                return reader.read(req, result);
            } finally {
                cleanup(req);
            }
        }
    }

    /** The result of a synchronous call that returned {@code rc}. */
    private static long outcome(long req, int rc) {
        long result = LibUv.uv_req_get_type(req) == UV_FS ? LibUv.uv_fs_get_result(req) : rc;
        if (rc < 0 && (int) result != rc) {
            // libuv refused the arguments before it ran the operation
            result = rc;
        }
        return result;
    }

    /**
     * The asynchronous form: {@code submit} runs later on a pool thread, so every native argument
     * it reads must stay allocated until the request is over (pass it as {@code held}, or free it
     * in the {@code finisher}). Takes ownership of {@code held} (native memory freed once the
     * request is over, also when this method throws) and keeps {@code keep} reachable until then.
     * Given a {@link Pending} callback, queues the request through {@link Loop#startAsync} and
     * returns null.
     *
     * @throws UvException when libuv refuses to queue the request
     */
    static <T> FsRequest<T> async(Loop loop, String operation, Submit submit, Reader<T> reader,
            Fs.Callback<? super T> callback, CBlock held, Object keep, Finisher finisher) {
        Runnable abandon = () -> {
            if (held != null) {
                held.close();
            }
            if (finisher != null) {
                finisher.finish(false);
            }
        };
        try {
            Objects.requireNonNull(loop, "loop");
            Objects.requireNonNull(callback, "callback");
        } catch (Throwable t) {
            abandon.run();
            throw t;
        }
        return issue(loop, callback, cb -> {
            FsRequest<T> r;
            try {
                r = new FsRequest<>(loop, operation, submit, reader, cb, held, keep, finisher);
                r.arm();
            } catch (Throwable t) {
                abandon.run();
                throw t;
            }
            try {
                MADE.incrementAndGet();
                r.queue();
            } catch (Throwable t) {
                r.nextAbandoned = loop.abandoned; // field writes only: listed however little stack is left
                loop.abandoned = r;
                loop.finishAbandoned();
                throw t;
            }
            return r;
        }, abandon);
    }

    /**
     * Issues a request under the loop's claim: at once on this thread for a callback, through
     * {@link Loop#startAsync} (returning null) for a {@link Pending} one. {@code abandon}, if not
     * null, frees what the request would have owned when it is never issued.
     */
    static <T, R extends Request> R issue(Loop loop, Fs.Callback<T> callback, Function<Fs.Callback<T>, R> issue,
            Runnable abandon) {
        if (callback instanceof Pending<T> p) {
            p.start(loop, issue, abandon);
            return null;
        }
        Loop.Claim claim;
        try {
            claim = loop.enter();
        } catch (Throwable t) {
            if (abandon != null) {
                abandon.run();
            }
            throw t;
        }
        try (Loop.Claim _ = claim) {
            return issue.apply(callback);
        }
    }

    /**
     * The callback an {@code Fs.…Async} method hands to the callback form, whose argument checks
     * then run on the caller's thread: the request itself is issued later, on the loop thread
     * (or under the claim of an idle loop), and completes {@link #future}.
     */
    static final class Pending<T> implements Fs.Callback<T> {
        /** Set when the callback form has reached {@link #issue}. */
        LoopFuture<T> future;
        /** Frees a result that a cancelled future can no longer hand anyone (a descriptor), or null. */
        private final Consumer<? super T> discard;

        Pending(Consumer<? super T> discard) {
            this.discard = discard;
        }

        @Override
        public void call(T result, UvException error) {
            throw new AssertionError("a pending call completes its future, never this");
        }

        void start(Loop loop, Function<Fs.Callback<T>, ? extends Request> issue, Runnable abandon) {
            // whoever takes this first issues the request or frees what it would have owned
            AtomicBoolean taken = new AtomicBoolean();
            future = loop.startAsync(f -> {
                if (taken.compareAndSet(false, true)) {
                    if (f.isDone()) {
                        free(abandon);
                    } else {
                        f.attach(issue.apply((value, error) -> {
                            if (!f.settle(value, error) && value != null && discard != null) {
                                discard.accept(value);
                            }
                        }));
                    }
                }
            });
            if (future.isDone() && taken.compareAndSet(false, true)) {
                free(abandon); // refused: the loop is closed
            }
        }

        private static void free(Runnable abandon) {
            if (abandon != null) {
                abandon.run();
            }
        }
    }

    /**
     * A future of the call {@code call} makes with the callback it is given, which must be one of
     * {@link Fs}'s callback forms: its argument checks run here, the request is issued on the
     * loop thread.
     *
     * @throws NullPointerException if {@code loop} is null
     */
    static <T> CompletableFuture<T> future(Loop loop, Function<Fs.Callback<T>, ? extends Request> call) {
        return future(loop, null, call);
    }

    /**
     * {@link #future(Loop, Function)} for a call whose result holds a resource: {@code discard}
     * frees it, on the loop thread, when the future was cancelled while the call ran.
     */
    static <T> CompletableFuture<T> future(Loop loop, Consumer<? super T> discard,
            Function<Fs.Callback<T>, ? extends Request> call) {
        Objects.requireNonNull(loop, "loop");
        Pending<T> p = new Pending<>(discard);
        call.apply(p);
        if (p.future == null) {
            throw new AssertionError("the call did not reach FsRequest.issue");
        }
        return p.future;
    }

    /**
     * Refuses cancellation from now on: libuv's cleanup of a cancelled closedir frees the
     * {@code uv_dir_t} while its directory stream stays open.
     */
    FsRequest<T> notCancellable() {
        cancellable = false;
        return this;
    }

    @Override
    boolean cancellable() {
        return cancellable;
    }

    private static void cleanup(long req) {
        LibUv.uv_fs_req_cleanup(req);
        CLEANED.incrementAndGet();
    }

    @Override
    void freeAbandoned() {
        if (ptr != 0 && !abandonCleaned) {
            abandonCleaned = true;
            cleanup(ptr);
        }
        finished(false);
        release();
    }

    private void finished(boolean succeeded) {
        if (held != null) {
            held.close();
            held = null;
        }
        keep = null;
        Finisher f = finisher;
        finisher = null;
        if (f != null) {
            f.finish(succeeded);
        }
    }

    @Override
    void work(long scratchLoop) {
        returned = submit.call(0, ptr, 0);
    }

    @Override
    void complete(int status, Throwable thrown) {
        long req = ptr;
        T value = null;
        UvException error = null;
        boolean ok = false;
        try {
            long result = status < 0 ? status : thrown != null ? failureCode(thrown) : outcome(req, returned);
            if (result < 0) {
                error = UvException.async((int) result, operation);
            } else {
                value = reader.read(req, result);
            }
            ok = error == null;
        } finally {
            cleanup(req);
            release();
            finished(ok);
        }
        if (thrown != null) {
            loop.handleException(thrown);
        }
        callback.call(value, error);
    }

    @Override
    public String toString() {
        return "FsRequest[" + operation + (isDone() ? ", done]" : "]");
    }
}
