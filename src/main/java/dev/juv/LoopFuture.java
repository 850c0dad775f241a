package dev.juv;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A future completed on a loop's thread: waiting for it on that same thread, before it is
 * complete, would block the only thread that can complete it, so it throws
 * {@link IllegalStateException} instead. A complete future returns at once, on any thread.
 * Futures derived from it ({@code thenApply}...) keep the check.
 *
 * <p>A future may stand for a cancellable {@link Request} ({@link #attach}): cancelling the
 * future then cancels the request too, from any thread, which takes effect while the request
 * still waits for a pool thread. The future is
 * cancelled at once either way; the request's own ECANCELED outcome then finds it done.
 */
final class LoopFuture<T> extends CompletableFuture<T> {
    private final Loop loop;
    /** The request this future stands for, once issued; read by cancel on any thread. */
    private volatile Request request;

    LoopFuture(Loop loop) {
        this.loop = loop;
    }

    private void checkNotBlockingLoop() {
        if (!isDone() && loop.isLoopThread()) {
            throw new IllegalStateException("waiting on the loop's own thread for a future only that thread can "
                    + "complete would deadlock: use thenAccept/whenComplete inside callbacks");
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        checkNotBlockingLoop();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        checkNotBlockingLoop();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        checkNotBlockingLoop();
        return super.join();
    }

    /**
     * A future of a request that {@code issue} makes on the loop thread (see
     * {@link Loop#startAsync}), completing the future it is given; cancelling the future cancels
     * the request.
     */
    static <T> LoopFuture<T> ofRequest(Loop loop, Function<? super LoopFuture<T>, ? extends Request> issue) {
        return loop.startAsync(f -> {
            if (!f.isDone()) { // not cancelled before it reached the loop thread
                f.attach(issue.apply(f));
            }
        });
    }

    /**
     * Makes {@code r} the request that {@link #cancel} cancels; on the loop thread, right after
     * issuing it. A cancel that came first reaches it now.
     */
    void attach(Request r) {
        request = r;
        if (r != null && isCancelled()) {
            r.cancelAnywhere();
        }
    }

    /**
     * Completes with {@code value}, or exceptionally with {@code error} when it is not null; false
     * when the future was already done (cancelled, say), so the value reached no one.
     */
    boolean settle(T value, Throwable error) {
        return error != null ? completeExceptionally(error) : complete(value);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        Request r = request;
        if (cancelled && r != null) {
            r.cancelAnywhere();
        }
        return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new LoopFuture<>(loop);
    }
}
