package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thread model: one thread at a time is inside a loop's native state. The thread in run()
 * owns the loop while it runs; while no thread runs it, any thread may call, each call holding
 * the loop until it returns, so calls from several threads, run() and close() never overlap.
 * Every race here ends in success or a documented exception, and the loop stays consistent.
 */
@Timeout(60)
@Tag(Tags.THREADS)
class ThreadModelTest extends UvTestCase {

    /** Runs {@code body} on {@code threads} threads at once; returns what they threw unexpectedly. */
    private static List<Throwable> storm(int threads, Runnable body) throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    body.run();
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }, "storm-" + i);
            all.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : all) {
            t.join(40_000);
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
        }
        return new ArrayList<>(unexpected);
    }

    @Test
    void fourThreadsCreatingTimersOnAnIdleLoopNeverCorruptIt() throws InterruptedException {
        int perThread = 3000;
        AtomicInteger fired = new AtomicInteger();
        ConcurrentLinkedQueue<Timer> made = new ConcurrentLinkedQueue<>();
        List<Throwable> bad = storm(4, () -> {
            for (int i = 0; i < perThread; i++) {
                Timer t = new Timer(loop);
                if (i % 3 == 0) {
                    t.close();
                } else {
                    t.start(x -> {
                        fired.incrementAndGet();
                        x.close();
                    }, 0, 0);
                    made.add(t);
                }
            }
        });
        assertEquals(List.of(), bad);
        assertEquals(made.size(), loop.handles().stream().filter(h -> !h.isClosing()).count());
        loop.run();
        assertEquals(made.size(), fired.get());
        assertEquals(List.of(), loop.handles());
    }

    @Test
    void callsFromAnotherThreadRacingRunAreRefusedOrDoneNeverInterleaved() throws InterruptedException {
        Timer timer = new Timer(loop);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Thread caller = new Thread(() -> {
            while (!stop.get()) {
                try {
                    timer.start(t -> {}, 1, 0);
                    timer.stop();
                    done.incrementAndGet();
                } catch (IllegalStateException e) {
                    refused.incrementAndGet();
                }
            }
        });
        caller.start();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        int runs = 0;
        while (System.nanoTime() < end) {
            loop.run(RunMode.NOWAIT);
            runs++;
        }
        stop.set(true);
        caller.join(10_000);
        assertTrue(runs > 0 && done.get() + refused.get() > 0, runs + " runs, " + done + " done, " + refused + " refused");
        timer.close();
        loop.run();
    }

    @Test
    void closeRacingRunNowaitOnAnotherThreadClosesOnceAndRunThenRefuses() throws InterruptedException {
        Loop l = new Loop();
        AtomicBoolean closed = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> odd = new ConcurrentLinkedQueue<>();
        Thread runner = new Thread(() -> {
            while (true) {
                try {
                    l.run(RunMode.NOWAIT);
                } catch (HandleClosedException e) {
                    return; // the loop is closed: the expected end
                } catch (IllegalStateException e) {
                    // close() is inside the loop right now
                } catch (Throwable t) {
                    odd.add(t);
                    return;
                }
            }
        });
        runner.start();
        while (!closed.get()) {
            try {
                l.close();
                closed.set(true);
            } catch (IllegalStateException e) {
                Thread.onSpinWait(); // run() holds the loop
            }
        }
        runner.join(10_000);
        assertTrue(l.isClosed());
        assertEquals(List.of(), new ArrayList<>(odd));
        assertThrows(HandleClosedException.class, () -> new Timer(l));
    }

    @Test
    void manyThreadsStartingStoppingAndClosingSharedHandlesOfAnIdleLoop() throws InterruptedException {
        List<Timer> timers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            timers.add(new Timer(loop));
        }
        AtomicInteger closedByStorm = new AtomicInteger();
        List<Throwable> bad = storm(6, () -> {
            java.util.Random r = new java.util.Random(Thread.currentThread().getName().hashCode());
            for (int i = 0; i < 5000; i++) {
                Timer t = timers.get(r.nextInt(timers.size()));
                try {
                    switch (r.nextInt(6)) {
                        case 0 -> t.start(x -> {}, 1000, 0);
                        case 1 -> t.stop();
                        case 2 -> t.setRepeat(r.nextInt(5));
                        case 3 -> t.isActive();
                        case 4 -> loop.handles();
                        default -> {
                            if (r.nextInt(50) == 0) {
                                t.close();
                                closedByStorm.incrementAndGet();
                            }
                        }
                    }
                } catch (HandleClosedException e) {
                    // another thread closed it: documented
                }
            }
        });
        assertEquals(List.of(), bad);
        for (Handle h : loop.handles()) {
            h.close();
        }
        loop.run();
        assertEquals(List.of(), loop.handles());
    }

    @Test
    void loopCloseFromATaskThatCloseRunsIsRefusedAndTheLoopStillCloses() {
        Loop l = new Loop();
        AtomicInteger after = new AtomicInteger();
        l.execute(() -> {
            l.close();
            after.incrementAndGet();
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, l::close);
        assertTrue(e.getMessage().contains("task that Loop.close() runs"), e.getMessage());
        assertTrue(l.isClosed());
        assertEquals(0, after.get());
        l.close(); // idempotent
    }

    @Test
    void runFromATaskThatCloseRunsIsRefused() {
        Loop l = new Loop();
        l.execute(l::run);
        assertThrows(IllegalStateException.class, l::close);
        assertTrue(l.isClosed());
    }

    @Test
    void aTaskRunByCloseCannotStartWorkThatCloseWouldWaitForForever() {
        Loop l = new Loop();
        l.execute(() -> new Timer(l).start(t -> {}, 1, 1));
        HandleClosedException e = assertThrows(HandleClosedException.class, l::close);
        assertTrue(e.getMessage().contains("closing"), e.getMessage());
        assertTrue(l.isClosed());
    }

    @Test
    void queueWorkFromATaskRunByCloseIsRefusedAtOnce() {
        Loop l = new Loop();
        AtomicInteger ran = new AtomicInteger();
        l.execute(() -> l.queueWork(ran::incrementAndGet, err -> ran.incrementAndGet()));
        assertThrows(HandleClosedException.class, l::close);
        assertTrue(l.isClosed());
        assertEquals(0, ran.get());
    }

    @Test
    void aThrowingTaskRunByCloseSurfacesAsItselfAfterTheLoopClosed() {
        Loop l = new Loop();
        RuntimeException boom = new RuntimeException("boom");
        l.execute(() -> {
            throw boom;
        });
        RuntimeException e = assertThrows(RuntimeException.class, l::close);
        assertTrue(e == boom, "got " + e);
        assertTrue(l.isClosed());
    }

    @Test
    void anErrorThrownByATaskRunByCloseDoesNotLeaveTheLoopBusy() {
        Loop l = new Loop();
        for (int i = 0; i < 3; i++) {
            int k = i;
            l.execute(() -> {
                throw new IllegalStateException("task " + k);
            });
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, l::close);
        assertEquals("task 0", e.getMessage());
        assertEquals(2, e.getSuppressed().length);
        assertTrue(l.isClosed());
    }

    @Test
    void aForeignThreadWaitsForAnotherThreadsCallInsteadOfFailing() throws InterruptedException {
        // two threads using an idle loop take turns: neither sees the loop as "running"
        List<Throwable> bad = storm(2, () -> {
            for (int i = 0; i < 20_000; i++) {
                loop.now();
            }
        });
        assertEquals(List.of(), bad);
    }
}
