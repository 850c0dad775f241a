package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Loop.queueWorkAsync: where the work and the completion run, failures, cancellation. */
@Timeout(60)
@Tag(Tags.THREADS)
class WorkFuturesTest extends UvTestCase {
    private static final long WAIT = 10;

    private static Loop started(String name, List<Throwable> handled) throws Exception {
        Loop l = Loop.start(name);
        l.submit(() -> {
            l.setExceptionHandler(handled::add);
            return null;
        }).get(WAIT, TimeUnit.SECONDS);
        return l;
    }

    @Test
    void runsOnThePoolAndCompletesOnTheLoopThread() throws Exception {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        try (Loop l = started("work-futures", handled)) {
            AtomicReference<String> completedOn = new AtomicReference<>();
            // the work waits until the dependent is registered, so the dependent runs where the
            // future completes and not on this thread (as it would for a future already complete)
            java.util.concurrent.CountDownLatch registered = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<String> f = l.queueWorkAsync(() -> {
                try {
                    registered.await(WAIT, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Thread.currentThread().getName();
            });
            CompletableFuture<String> g = f.whenComplete((v, e) -> completedOn.set(Thread.currentThread().getName()));
            registered.countDown();
            assertTrue(g.get(WAIT, TimeUnit.SECONDS).startsWith("juv-work-"), f.join());
            assertEquals("work-futures", completedOn.get());
            // from a virtual thread too
            AtomicReference<Object> got = new AtomicReference<>();
            Thread v = Thread.ofVirtual().start(() -> got.set(l.queueWorkAsync(() -> 6 * 7).join()));
            assertTrue(v.join(java.time.Duration.ofSeconds(WAIT)));
            assertEquals(42, got.get());
        }
        assertEquals(List.of(), handled);
    }

    @Test
    void whatTheWorkThrowsFailsTheFutureNotTheLoop() throws Exception {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        try (Loop l = started("work-futures-throw", handled)) {
            CompletableFuture<Integer> f = l.queueWorkAsync(() -> {
                throw boom;
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT, TimeUnit.SECONDS));
            assertSame(boom, e.getCause());
            assertEquals(7, l.queueWorkAsync(() -> 7).get(WAIT, TimeUnit.SECONDS), "the loop carries on");
        }
        assertEquals(List.of(), handled, "the exception handler saw nothing");
    }

    @Test
    void onAnIdleLoopAndRefusedOnTheLoopThread() throws Exception {
        CompletableFuture<Integer> f = loop.queueWorkAsync(() -> 1);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        loop.queueWorkAsync(() -> 2).thenAccept(x -> {
            // inside a completion on the loop thread: waiting for an unfinished future is refused
            CompletableFuture<Integer> pending = loop.queueWorkAsync(() -> 3);
            refused.set(assertThrows(IllegalStateException.class, pending::join));
        });
        loop.run();
        assertEquals(1, f.get());
        assertTrue(refused.get() != null);
    }

    @Test
    void cancelWhileQueuedFromAnotherThread() throws Exception {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        AtomicInteger ran = new AtomicInteger();
        try (Loop l = started("work-futures-cancel", handled)) {
            CompletableFuture<Integer> f;
            CompletableFuture<Integer> after;
            try (PoolGate _ = l.submit(() -> new PoolGate(l)).get(WAIT, TimeUnit.SECONDS)) {
                f = l.queueWorkAsync(ran::incrementAndGet);
                after = l.queueWorkAsync(() -> 5);
                assertTrue(f.cancel(true));
                // the starts handed to the loop before this have run: a cancel that came first reached them
                l.submit(() -> null).get(WAIT, TimeUnit.SECONDS);
            }
            assertEquals(5, after.get(WAIT, TimeUnit.SECONDS));
            assertTrue(f.isCancelled());
            assertEquals(0, ran.get(), "the cancelled work did not run");
            PoolGate.awaitDrained(l);
        }
        assertEquals(List.of(), handled);
    }

    @Test
    void aClosedLoopFailsTheFuture() {
        Loop l = new Loop();
        l.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> l.queueWorkAsync(() -> 1).get(WAIT, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RejectedExecutionException, e.toString());
        assertThrows(NullPointerException.class, () -> loop.queueWorkAsync(null));
    }
}
