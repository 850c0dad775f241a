package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.LoopTestSupport;
import dev.juv.support.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_loop.py, and the rest of Loop's contract. */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class LoopTest extends UvTestCase {

    // ---- pyuv parity ----

    @Test
    void runOnceRepeatedly() {
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 500; i++) {
            new Prepare(loop).start(p -> {
                calls.incrementAndGet();
                p.close();
            });
            loop.run(RunMode.ONCE);
        }
        assertEquals(500, calls.get());
    }

    @Test
    void runNowaitDoesNotWait() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        loop.updateTime(); // the timeout counts from the cached time, which may be old by now
        timer.start(t -> calls.incrementAndGet(), 10, 10);
        assertTrue(loop.run(RunMode.NOWAIT), "work remains");
        assertEquals(0, calls.get());
        timer.close();
        loop.run();
    }

    @Test
    void stopThenRunAgain() {
        AtomicInteger ticks = new AtomicInteger();
        AtomicInteger prepares = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            int n = ticks.incrementAndGet();
            if (n == 1) {
                loop.stop();
            } else if (n == 10) {
                t.close();
            }
        }, 100, 100);
        Prepare prepare = new Prepare(loop);
        prepare.start(p -> {
            if (prepares.incrementAndGet() == 10) {
                p.close();
            }
        });
        loop.run();
        assertEquals(1, ticks.get());
        // libuv 1.45 moved the timer phase after the poll phase: the first tick then follows the
        // first prepare; before, the loop had run a prepare again by the time the timer was due
        int minimum = dev.juv.internal.Version.atLeast(1, 45) ? 1 : 2;
        assertTrue(prepares.get() >= minimum, "prepare calls: " + prepares.get());
        int before = prepares.get();
        loop.run(RunMode.NOWAIT);
        assertTrue(prepares.get() >= before + 1, "NOWAIT ran another iteration");
        loop.run();
        assertEquals(10, ticks.get());
        assertEquals(10, prepares.get());
    }

    @Test
    void aliveInsideCallback() {
        AtomicBoolean alive = new AtomicBoolean();
        new Prepare(loop).start(p -> {
            alive.set(loop.isAlive());
            p.close();
        });
        loop.run(RunMode.ONCE);
        assertTrue(alive.get());
        loop.run();
    }

    // ---- run modes and their return values ----

    @Test
    void emptyLoopReturnsFalseInEveryMode() {
        for (RunMode mode : RunMode.values()) {
            long t0 = System.nanoTime();
            assertFalse(loop.run(mode), mode.toString());
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, mode + " returned at once");
        }
        assertThrows(NullPointerException.class, () -> loop.run(null));
    }

    @Test
    @Tag(Tags.TIMING)
    void runOnceBlocksForTheTimerAndReportsWhatRemains() {
        AtomicInteger oneShot = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> oneShot.incrementAndGet(), 10, 0);
        assertFalse(loop.run(RunMode.ONCE), "the one-shot timer fired and nothing remains");
        assertEquals(1, oneShot.get());

        AtomicInteger repeating = new AtomicInteger();
        timer.start(t -> repeating.incrementAndGet(), 10, 10);
        assertTrue(loop.run(RunMode.ONCE), "a repeating timer remains");
        assertEquals(1, repeating.get());
        timer.close();
        loop.run();
    }

    @Test
    void runNowaitReportsReferencedWorkOnly() {
        Timer timer = new Timer(loop);
        timer.start(t -> {}, 60_000, 0);
        assertTrue(loop.run(RunMode.NOWAIT));
        timer.unref();
        assertFalse(loop.run(RunMode.NOWAIT), "an unreferenced timer is not work that remains");
        assertFalse(loop.run(), "nor does it keep run() going");
        timer.close();
        loop.run();
    }

    @Test
    void runReturnsTrueWhenStoppedWithWorkLeft() {
        Timer timer = new Timer(loop);
        timer.start(t -> loop.stop(), 1, 1);
        assertTrue(loop.run());
        timer.close();
        assertFalse(loop.run());
    }

    // ---- time ----

    @Test
    void nowIsCachedUntilUpdateTime() throws InterruptedException {
        long t0 = loop.now();
        Thread.sleep(50);
        assertEquals(t0, loop.now(), "now() is the cached loop time");
        loop.updateTime();
        long t1 = loop.now();
        assertTrue(t1 >= t0 + 40, "updateTime advanced by " + (t1 - t0) + " ms");
        assertTrue(t1 <= t0 + 10_000);
    }

    @Test
    void nowAdvancesWhileRunning() {
        AtomicReference<Long> seen = new AtomicReference<>();
        long start = loop.now();
        new Timer(loop).start(t -> {
            seen.set(loop.now());
            t.close();
        }, 30, 0);
        loop.run();
        assertTrue(seen.get() >= start + 30, "loop time in the callback: " + (seen.get() - start));
    }

    // ---- backend ----

    @Test
    void backendFdIsAnOpenDescriptor() {
        int fd = loop.backendFd();
        assertTrue(fd >= 0, "Linux and BSD loops have an epoll/kqueue fd: " + fd);
        assertEquals(fd, loop.backendFd());
        if (new java.io.File("/proc/self/fd").isDirectory()) {
            assertTrue(new java.io.File("/proc/self/fd/" + fd).exists());
        }
        try (Loop other = new Loop()) {
            assertTrue(other.backendFd() != fd, "each loop has its own backend");
        }
    }

    @Test
    void backendTimeoutFollowsTheHandles() {
        assertEquals(0, loop.backendTimeout(), "nothing active: no reason to block");
        Timer timer = new Timer(loop);
        timer.start(t -> {}, 1_000, 0);
        assertEquals(0, loop.backendTimeout(), "watchers not yet given to the backend: poll at once");
        assertTrue(loop.run(RunMode.NOWAIT));
        int timeout = loop.backendTimeout();
        assertTrue(timeout > 500 && timeout <= 1_000, "timeout " + timeout);
        timer.stop();
        Check check = new Check(loop);
        check.start(c -> {});
        assertEquals(-1, loop.backendTimeout(), "an active handle and no timer: block forever");
        Idle idle = new Idle(loop);
        idle.start(i -> {});
        assertEquals(0, loop.backendTimeout(), "an active idle handle means no blocking");
        idle.close();
        check.close();
        timer.close();
        assertEquals(0, loop.backendTimeout(), "closing handles are finished without blocking");
        loop.run();
    }

    // ---- isAlive ----

    @Test
    void isAliveFollowsReferencedActiveHandles() {
        assertFalse(loop.isAlive());
        Timer timer = new Timer(loop);
        assertFalse(loop.isAlive(), "an inactive handle does not keep the loop alive");
        timer.start(t -> {}, 60_000, 0);
        assertTrue(loop.isAlive());
        timer.unref();
        assertFalse(loop.isAlive());
        timer.ref();
        assertTrue(loop.isAlive());
        timer.stop();
        assertFalse(loop.isAlive());
        timer.close();
        loop.run();
        assertFalse(loop.isAlive());
    }

    // ---- the default loop ----

    @Test
    void defaultLoopIsOneLoopUntilClosed() {
        Loop first = Loop.defaultLoop();
        try {
            assertSame(first, Loop.defaultLoop());
            assertNotSame(loop, first);
            AtomicInteger calls = new AtomicInteger();
            new Timer(first).start(t -> {
                calls.incrementAndGet();
                t.close();
            }, 1, 0);
            assertFalse(first.run());
            assertEquals(1, calls.get());
        } finally {
            first.close();
        }
        assertTrue(first.isClosed());
        Loop second = Loop.defaultLoop();
        try {
            assertNotSame(first, second);
            assertFalse(second.isClosed());
            AtomicInteger calls = new AtomicInteger();
            new Idle(second).start(i -> {
                calls.incrementAndGet();
                i.close();
            });
            second.run();
            assertEquals(1, calls.get());
        } finally {
            second.close();
        }
    }

    // ---- execute ----

    @Test
    void executeFromAnotherThreadWakesBlockedLoop() throws InterruptedException {
        Timer keepAlive = new Timer(loop);
        keepAlive.start(t -> {}, 60_000, 0);
        CountDownLatch running = new CountDownLatch(1);
        new Prepare(loop).start(p -> {
            running.countDown();
            p.close();
        });
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                assertTrue(running.await(10, TimeUnit.SECONDS));
                Thread.sleep(50); // the loop is now blocked in its poll phase
            } catch (InterruptedException e) {
                return;
            }
            loop.execute(() -> {
                ranOn.set(Thread.currentThread());
                keepAlive.close();
            });
        });
        other.start();
        long t0 = System.nanoTime();
        loop.run();
        other.join(10_000);
        assertSame(Thread.currentThread(), ranOn.get(), "the task ran on the loop thread");
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "woken long before the 60 s timer");
    }

    @Test
    void executeFromInsideCallbackRunsInTheSameRun() {
        List<String> order = new ArrayList<>();
        new Timer(loop).start(t -> {
            loop.execute(() -> order.add("task"));
            order.add("timer");
            t.close();
        }, 0, 0);
        loop.run();
        assertEquals(List.of("timer", "task"), order);
    }

    @Test
    void executeFromTheLastCallbackStillRuns() {
        // a close callback runs at the very end of an iteration, and with nothing else active
        // the loop would end right after it: the queued task must keep it going
        List<String> order = new ArrayList<>();
        new Timer(loop).start(t -> t.close(h -> {
            loop.execute(() -> order.add("task"));
            order.add("closed");
        }), 0, 0);
        loop.run();
        assertEquals(List.of("closed", "task"), order, "the task ran before run() returned");
    }

    @Test
    void executeBeforeRunRunsAtTheNextRun() {
        AtomicInteger ran = new AtomicInteger();
        loop.execute(ran::incrementAndGet);
        loop.execute(ran::incrementAndGet);
        assertEquals(0, ran.get());
        assertFalse(loop.run());
        assertEquals(2, ran.get());
    }

    @Test
    void executeManyFromSeveralThreadsRunsEachOnce() throws InterruptedException {
        int threads = 4;
        int perThread = 2_000;
        AtomicInteger ran = new AtomicInteger();
        Timer keepAlive = new Timer(loop);
        keepAlive.start(t -> {}, 60_000, 0);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread s = new Thread(() -> {
                for (int k = 0; k < perThread; k++) {
                    loop.execute(() -> {
                        if (ran.incrementAndGet() == threads * perThread) {
                            keepAlive.close();
                        }
                    });
                }
            });
            senders.add(s);
            s.start();
        }
        loop.run();
        for (Thread s : senders) {
            s.join(10_000);
        }
        assertEquals(threads * perThread, ran.get());
    }

    @Test
    void executeOnClosedLoopIsRejected() {
        Loop other = new Loop();
        other.close();
        assertThrows(RejectedExecutionException.class, () -> other.execute(() -> {}));
        assertThrows(NullPointerException.class, () -> loop.execute(null));
    }

    @Test
    void tasksQueuedBeforeCloseRunAtClose() {
        Loop other = new Loop();
        AtomicInteger ran = new AtomicInteger();
        other.execute(ran::incrementAndGet);
        other.close();
        assertEquals(1, ran.get());
    }

    // ---- stop, re-entry, threads ----

    @Test
    void stopFromAnotherThreadEndsRun() throws InterruptedException {
        Timer keepAlive = new Timer(loop);
        keepAlive.start(t -> {}, 60_000, 0);
        CountDownLatch running = new CountDownLatch(1);
        new Prepare(loop).start(p -> {
            running.countDown();
            p.close();
        });
        Thread other = new Thread(() -> {
            try {
                if (running.await(10, TimeUnit.SECONDS)) {
                    Thread.sleep(50);
                    loop.stop();
                }
            } catch (InterruptedException ignored) {
                // the test ends anyway
            }
        });
        other.start();
        assertTrue(loop.run(), "stopped with the timer still active");
        other.join(10_000);
        keepAlive.close();
        loop.run();
    }

    @Test
    void runReenteredFromCallbackIsRefused() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        new Timer(loop).start(t -> {
            try {
                loop.run();
            } catch (Throwable e) {
                seen.set(e);
            }
            t.close();
        }, 0, 0);
        loop.run();
        assertInstanceOf(IllegalStateException.class, seen.get());
    }

    @Test
    void runOnASecondThreadIsRefused() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        new Timer(loop).start(t -> {
            seen.set(LoopTestSupport.onOtherThread(() -> loop.run()));
            t.close();
        }, 0, 0);
        loop.run();
        assertInstanceOf(IllegalStateException.class, seen.get());
    }

    @Test
    void loopUsedFromAnotherThreadWhileRunningIsRefused() {
        List<Throwable> seen = new ArrayList<>();
        new Timer(loop).start(t -> {
            seen.add(LoopTestSupport.onOtherThread(loop::now));
            seen.add(LoopTestSupport.onOtherThread(loop::updateTime));
            seen.add(LoopTestSupport.onOtherThread(loop::isAlive));
            seen.add(LoopTestSupport.onOtherThread(loop::handles));
            seen.add(LoopTestSupport.onOtherThread(loop::backendTimeout));
            seen.add(LoopTestSupport.onOtherThread(() -> new Timer(loop)));
            seen.add(LoopTestSupport.onOtherThread(() -> loop.queueWork(() -> {}, null)));
            seen.add(LoopTestSupport.onOtherThread(loop::close));
            t.close();
        }, 0, 0);
        loop.run();
        assertEquals(8, seen.size());
        for (Throwable e : seen) {
            assertInstanceOf(IllegalStateException.class, e);
        }
    }

    // ---- close ----

    @Test
    void closeFinishesHandlesAlreadyClosingWithTheirCallbacks() {
        AtomicInteger closed = new AtomicInteger();
        try (Loop l = new Loop()) {
            Timer t = new Timer(l);
            t.close(); // only closing until the loop runs once
            Tcp tcp = new Tcp(l);
            tcp.close(h -> closed.incrementAndGet());
            assertTrue(t.isClosing() && !t.isClosed());
        } // no EBUSY: close() lets libuv finish them
        assertEquals(1, closed.get(), "the close callback ran once, inside Loop.close()");
    }

    @Test
    void closeWithAnOpenHandleNamesItAndFinishesNothingElse() {
        try (Loop l = new Loop()) {
            Timer open = new Timer(l);
            Idle closing = new Idle(l);
            closing.close();
            UvException e = assertThrows(UvException.class, l::close);
            assertEquals(Errno.EBUSY, e.code());
            assertTrue(e.getMessage().contains("Timer") && !e.getMessage().contains("Idle"), e.getMessage());
            assertFalse(l.isClosed());
            open.close();
        }
    }

    @Test
    void closeWithOpenHandleIsEbusy() {
        Timer timer = new Timer(loop);
        UvException e = assertThrows(UvException.class, loop::close);
        assertEquals(Errno.EBUSY, e.code());
        assertFalse(loop.isClosed());
        AtomicInteger calls = new AtomicInteger();
        timer.start(t -> {
            calls.incrementAndGet();
            t.close();
        }, 0, 0);
        loop.run();
        assertEquals(1, calls.get(), "the loop is still usable after the refused close");
    }

    @Test
    void closeInsideCallbackIsRefused() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        new Timer(loop).start(t -> {
            t.close();
            try {
                loop.close();
            } catch (Throwable e) {
                seen.set(e);
            }
        }, 0, 0);
        loop.run();
        assertInstanceOf(IllegalStateException.class, seen.get());
        assertFalse(loop.isClosed());
    }

    @Test
    void closedLoopRefusesUse() {
        Loop other = new Loop();
        other.close();
        other.close(); // idempotent
        assertTrue(other.isClosed());
        assertThrows(HandleClosedException.class, other::run);
        assertThrows(HandleClosedException.class, () -> other.run(RunMode.NOWAIT));
        assertThrows(HandleClosedException.class, other::now);
        assertThrows(HandleClosedException.class, other::updateTime);
        assertThrows(HandleClosedException.class, other::isAlive);
        assertThrows(HandleClosedException.class, other::backendFd);
        assertThrows(HandleClosedException.class, other::backendTimeout);
        assertThrows(HandleClosedException.class, other::handles);
        assertThrows(HandleClosedException.class, () -> other.queueWork(() -> {}, null));
        assertThrows(HandleClosedException.class, () -> new Timer(other));
        assertThrows(HandleClosedException.class, () -> new Async(other, a -> {}));
        other.stop(); // harmless on a closed loop
    }

    @Test
    void closedLoopFreesItsMemory() {
        long before = dev.juv.internal.Native.liveBytes();
        int fds = openFds();
        for (int i = 0; i < 50; i++) {
            Loop other = new Loop();
            new Timer(other).close();
            other.run();
            other.close();
        }
        assertEquals(before, dev.juv.internal.Native.liveBytes());
        assertEquals(fds, openFds());
    }
}
