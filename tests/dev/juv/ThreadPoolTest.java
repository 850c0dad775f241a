package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_threadpool.py, and what queueWork does with exceptions and cancellation. */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class ThreadPoolTest extends UvTestCase {
    private static int zero = 0;

    /** The work pool's size, sized like libuv's: UV_THREADPOOL_SIZE, 4 by default, clamped to 1..1024. */
    private static int poolSize() {
        String env = System.getenv("UV_THREADPOOL_SIZE");
        int n = 4;
        if (env != null) {
            try {
                n = Integer.parseInt(env.trim());
            } catch (NumberFormatException ignored) {
                n = 4;
            }
        }
        return Math.max(1, Math.min(1024, n));
    }

    // ---- pyuv parity ----

    @Test
    void queueWorkRunsEveryItem() {
        Set<Integer> works = ConcurrentHashMap.newKeySet();
        AtomicInteger afters = new AtomicInteger();
        Set<Thread> workThreads = ConcurrentHashMap.newKeySet();
        List<Thread> afterThreads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            loop.queueWork(() -> {
                sleep(100);
                workThreads.add(Thread.currentThread());
                works.add(id);
            }, error -> {
                assertNull(error);
                afterThreads.add(Thread.currentThread());
                afters.incrementAndGet();
            });
        }
        loop.run();
        assertEquals(Set.of(0, 1, 2), works, "each work ran with its own captured value");
        assertEquals(3, afters.get());
        assertFalse(workThreads.contains(Thread.currentThread()), "work ran on the pool");
        assertEquals(Collections.nCopies(3, Thread.currentThread()), afterThreads, "after ran on the loop thread");
    }

    @Test
    void workKeepsItsOwnException() {
        AtomicReference<Throwable> stored = new AtomicReference<>();
        AtomicInteger afters = new AtomicInteger();
        loop.queueWork(() -> {
            try {
                stored.set(new RuntimeException("unreached " + (1 / zero)));
            } catch (ArithmeticException e) {
                stored.set(e);
            }
        }, error -> {
            assertNull(error);
            assertInstanceOf(ArithmeticException.class, stored.get());
            afters.incrementAndGet();
        });
        loop.run();
        assertEquals(1, afters.get());
    }

    @Test
    void queueWorkFromSeveralLoops() throws InterruptedException {
        Object lock = new Object();
        AtomicInteger works = new AtomicInteger();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                try (Loop own = new Loop()) {
                    own.queueWork(() -> {
                        synchronized (lock) {
                            sleep(200);
                            works.incrementAndGet();
                        }
                    }, null);
                    own.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            assertFalse(t.isAlive(), "every thread finishes within 5 s");
        }
        assertEquals(List.of(), failures);
        assertEquals(3, works.get());
    }

    // ---- exceptions escaping work ----

    @Test
    void workThatThrowsGoesToTheHandlerAndAfterStillRuns() {
        List<String> order = new ArrayList<>();
        List<Throwable> handled = new ArrayList<>();
        loop.setExceptionHandler(e -> {
            order.add("handler");
            handled.add(e);
        });
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicReference<UvException> afterError = new AtomicReference<>(new UvException(Errno.EINVAL, "marker"));
        loop.queueWork(() -> {
            throw boom;
        }, error -> {
            order.add("after");
            afterError.set(error);
        });
        assertFalse(loop.run());
        assertEquals(List.of(boom), handled);
        assertSame(boom, handled.get(0));
        assertNull(afterError.get(), "after runs with a null error");
        assertEquals(List.of("handler", "after"), order, "the handler sees the exception just before after runs");
    }

    @Test
    void workThatThrowsIsRethrownByDefault() {
        AtomicInteger afters = new AtomicInteger();
        Error boom = new AssertionError("boom");
        loop.queueWork(() -> {
            throw boom;
        }, error -> {
            assertNull(error);
            afters.incrementAndGet();
        });
        Throwable thrown = assertThrows(Throwable.class, loop::run);
        assertSame(boom, thrown);
        assertEquals(1, afters.get());
        assertFalse(loop.run(), "the loop is still usable");
    }

    @Test
    void workThatThrowsWithoutAfter() {
        List<Throwable> handled = new ArrayList<>();
        loop.setExceptionHandler(handled::add);
        RuntimeException boom = new RuntimeException("no after");
        loop.queueWork(() -> {
            throw boom;
        }, null);
        loop.run();
        assertEquals(List.of(boom), handled);
    }

    @Test
    void afterThatThrowsGoesToTheHandler() {
        List<Throwable> handled = new ArrayList<>();
        loop.setExceptionHandler(handled::add);
        RuntimeException boom = new RuntimeException("after");
        loop.queueWork(() -> {}, error -> {
            throw boom;
        });
        loop.run();
        assertEquals(List.of(boom), handled);
    }

    // ---- cancellation ----

    @Test
    void cancelQueuedWorkDeliversEcanceledOnce() throws InterruptedException {
        int pool = poolSize();
        CountDownLatch started = new CountDownLatch(pool);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger blockerAfters = new AtomicInteger();
        AtomicInteger victimRan = new AtomicInteger();
        AtomicInteger victimAfters = new AtomicInteger();
        AtomicReference<UvException> victimError = new AtomicReference<>();
        List<Request> blockers = new ArrayList<>();
        try {
            for (int i = 0; i < pool; i++) {
                blockers.add(loop.queueWork(() -> {
                    started.countDown();
                    await(release);
                }, error -> {
                    assertNull(error);
                    blockerAfters.incrementAndGet();
                }));
            }
            assertTrue(started.await(10, TimeUnit.SECONDS), "every pool thread is busy");
            Request victim = loop.queueWork(victimRan::incrementAndGet, error -> {
                victimAfters.incrementAndGet();
                victimError.set(error);
            });
            assertFalse(blockers.get(0).cancel(), "a running work item cannot be cancelled");
            assertTrue(victim.cancel(), "a queued work item can be cancelled");
            assertFalse(victim.isDone(), "its callback runs later, on the loop thread");
            release.countDown();
            loop.run();
            assertEquals(1, victimAfters.get());
            assertNotNull(victimError.get());
            assertEquals(Errno.ECANCELED, victimError.get().code());
            assertEquals("ECANCELED", victimError.get().name());
            assertEquals(0, victimRan.get(), "a cancelled work never runs");
            assertEquals(pool, blockerAfters.get());
            assertTrue(victim.isDone());
            assertFalse(victim.cancel(), "cancel after completion");
            assertFalse(blockers.get(0).cancel());
        } finally {
            release.countDown();
        }
    }

    @Test
    void cancelTwiceBeforeTheCallback() throws InterruptedException {
        int pool = poolSize();
        CountDownLatch started = new CountDownLatch(pool);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger victimAfters = new AtomicInteger();
        try {
            for (int i = 0; i < pool; i++) {
                loop.queueWork(() -> {
                    started.countDown();
                    await(release);
                }, null);
            }
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Request victim = loop.queueWork(() -> {}, error -> victimAfters.incrementAndGet());
            assertTrue(victim.cancel());
            victim.cancel(); // libuv refuses the second; either way the callback runs once
            release.countDown();
            loop.run();
            assertEquals(1, victimAfters.get());
        } finally {
            release.countDown();
        }
    }

    // ---- misuse ----

    @Test
    void closeWithOutstandingWorkIsEbusy() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger afters = new AtomicInteger();
        try {
            loop.queueWork(() -> await(release), error -> afters.incrementAndGet());
            UvException e = assertThrows(UvException.class, loop::close);
            assertEquals(Errno.EBUSY, e.code());
        } finally {
            release.countDown();
        }
        loop.run();
        assertEquals(1, afters.get());
    }

    @Test
    void nullWorkIsRejected() {
        assertThrows(NullPointerException.class, () -> loop.queueWork(null, error -> {}));
        assertFalse(loop.run());
    }

    @Test
    void manyItemsAllComplete() {
        int n = 2_000;
        AtomicInteger works = new AtomicInteger();
        AtomicInteger afters = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            loop.queueWork(works::incrementAndGet, error -> afters.incrementAndGet());
        }
        loop.run();
        assertEquals(n, works.get());
        assertEquals(n, afters.get());
    }

    @Test
    void afterRunsOnTheThreadThatRunsTheLoop() throws InterruptedException {
        AtomicReference<Thread> afterThread = new AtomicReference<>();
        loop.queueWork(() -> {}, error -> afterThread.set(Thread.currentThread()));
        Thread runner = new Thread(loop::run, "juv-test-runner");
        runner.start();
        runner.join(10_000);
        assertSame(runner, afterThread.get());
        assertNotSame(Thread.currentThread(), afterThread.get());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
