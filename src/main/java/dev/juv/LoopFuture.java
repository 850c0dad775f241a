package dev.juv;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future completed on a loop's thread: waiting for it on that same thread, before it is
 * complete, would block the only thread that can complete it, so it throws
 * {@link IllegalStateException} instead. A complete future returns at once, on any thread.
 * Futures derived from it ({@code thenApply}...) keep the check.
 */
final class LoopFuture<T> extends CompletableFuture<T> {
    private final Loop loop;

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

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new LoopFuture<>(loop);
    }
}
