package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.LoopTestSupport;
import dev.juv.support.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_timer.py, and what a user meets with timers besides. */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class TimerTest extends UvTestCase {

    // ---- pyuv parity ----

    @Test
    void oneShotFiresOnce() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            calls.incrementAndGet();
            t.stop();
            t.close();
        }, 100, 0);
        loop.run();
        assertEquals(1, calls.get());
    }

    @Test
    void closedBeforeRunNeverFires() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> calls.incrementAndGet(), 10, 0);
        timer.close();
        loop.run();
        assertEquals(0, calls.get());
        assertTrue(timer.isClosed());
    }

    @Test
    void unstartedTimerDoesNotHoldLoop() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        long t0 = System.nanoTime();
        assertFalse(loop.run());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "run() should return at once");
        assertEquals(0, calls.get());
        timer.close();
        loop.run();
    }

    @Test
    void unrefTimerDoesNotHoldLoop() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            calls.incrementAndGet();
            t.close();
        }, 100, 0);
        timer.unref();
        assertFalse(timer.hasRef());
        loop.run();
        assertEquals(0, calls.get());
        timer.ref();
        assertTrue(timer.hasRef());
        loop.run();
        assertEquals(1, calls.get());
    }

    @Test
    void droppedActiveTimerStillFires() {
        AtomicInteger calls = new AtomicInteger();
        startUnreachableTimer(calls);
        System.gc();
        loop.run();
        assertEquals(1, calls.get());
    }

    private void startUnreachableTimer(AtomicInteger calls) {
        new Timer(loop).start(t -> {
            calls.incrementAndGet();
            t.close();
        }, 10, 0);
    }

    @Test
    void zeroTimeoutFiresOnce() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            calls.incrementAndGet();
            t.close();
        }, 0, 0);
        loop.run();
        assertEquals(1, calls.get());

        Timer other = new Timer(loop);
        assertThrows(IllegalArgumentException.class, () -> other.start(t -> {}, -1, 0));
        assertFalse(other.isActive(), "a rejected start must not reach libuv");
        other.close();
        loop.run();
    }

    // ---- beyond pyuv ----

    @Test
    void negativeRepeatRejected() {
        Timer timer = new Timer(loop);
        assertThrows(IllegalArgumentException.class, () -> timer.start(t -> {}, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> timer.start(t -> {}, Long.MIN_VALUE, 0));
        assertThrows(IllegalArgumentException.class, () -> timer.setRepeat(-5));
        assertThrows(NullPointerException.class, () -> timer.start(null, 0, 0));
        assertEquals(0, timer.repeat());
        assertFalse(timer.isActive());
        timer.close();
        loop.run();
    }

    @Test
    void repeatingTimerFiresUntilStopped() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            if (calls.incrementAndGet() == 5) {
                t.stop();
                assertFalse(t.isActive());
                t.close();
            } else {
                assertTrue(t.isActive(), "a repeating timer stays active between ticks");
            }
        }, 1, 1);
        assertTrue(timer.isActive());
        assertEquals(1, timer.repeat());
        loop.run();
        assertEquals(5, calls.get());
    }

    @Test
    void setRepeatTurnsOneShotIntoRepeating() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            if (calls.incrementAndGet() == 3) {
                t.close();
            }
        }, 5, 0);
        assertEquals(0, timer.repeat());
        timer.setRepeat(5);
        assertEquals(5, timer.repeat());
        loop.run();
        assertEquals(3, calls.get(), "setRepeat applies from the next expiry on");
    }

    @Test
    void setRepeatZeroEndsRepetition() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            calls.incrementAndGet();
            t.setRepeat(0);
        }, 1, 1);
        loop.run();
        // libuv re-arms a repeating timer before its callback runs: the tick already scheduled
        // still comes, and none after it
        assertEquals(2, calls.get());
        assertFalse(timer.isActive());
        timer.close();
        loop.run();
    }

    @Test
    void againOnNeverStartedTimerIsEinval() {
        Timer timer = new Timer(loop);
        UvException e = assertThrows(UvException.class, timer::again);
        assertEquals(Errno.EINVAL, e.code());
        assertEquals("EINVAL", e.name());
        assertFalse(timer.isActive());
        timer.close();
        loop.run();
    }

    @Test
    void againRestartsWithTheRepeatValue() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            calls.incrementAndGet();
            t.close();
        }, 60_000, 20);
        assertTrue(timer.dueIn() > 50_000);
        timer.again();
        assertTrue(timer.isActive());
        assertTrue(timer.dueIn() <= 20, "again() uses the repeat value as the timeout: " + timer.dueIn());
        long t0 = System.nanoTime();
        loop.run();
        assertEquals(1, calls.get());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "fired from the repeat, not the first timeout");
    }

    @Test
    void againWithoutRepeatLeavesTheTimerAlone() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> calls.incrementAndGet(), 50, 0);
        long due = timer.dueIn();
        timer.again(); // uv_timer_again only restarts a timer that has a repeat value
        assertTrue(timer.isActive());
        assertEquals(due, timer.dueIn());
        loop.run();
        assertEquals(1, calls.get());
        timer.close();
        loop.run();
    }

    @Test
    void againAfterStopWithRepeatRestarts() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            calls.incrementAndGet();
            t.close();
        }, 60_000, 0);
        timer.stop();
        timer.setRepeat(5);
        timer.again();
        assertTrue(timer.isActive());
        loop.run();
        assertEquals(1, calls.get());
    }

    @Test
    void dueInFollowsTheTimer() {
        Timer timer = new Timer(loop);
        assertEquals(0, timer.dueIn(), "a stopped timer is due in 0");
        timer.start(t -> {}, 500, 0);
        long due = timer.dueIn();
        assertTrue(due > 400 && due <= 500, "dueIn " + due);
        timer.stop();
        assertEquals(0, timer.dueIn());
        timer.start(t -> {}, Long.MAX_VALUE, 0);
        assertTrue(timer.dueIn() > 1_000_000_000L, "a huge timeout is kept, not wrapped: " + timer.dueIn());
        timer.close();
        loop.run();
    }

    @Test
    void dueInShrinksAsTimePasses() throws InterruptedException {
        Timer timer = new Timer(loop);
        timer.start(t -> {}, 1_000, 0);
        long before = timer.dueIn();
        Thread.sleep(50);
        assertEquals(before, timer.dueIn(), "dueIn is measured against the loop's cached time");
        loop.updateTime();
        assertTrue(timer.dueIn() <= before - 30, "after updateTime: " + timer.dueIn() + " vs " + before);
        timer.close();
        loop.run();
    }

    @Test
    void restartReplacesCallbackAndTimeout() {
        List<String> calls = new ArrayList<>();
        Timer timer = new Timer(loop);
        timer.start(t -> calls.add("first"), 60_000, 0);
        timer.start(t -> {
            calls.add("second");
            t.close();
        }, 1, 0);
        loop.run();
        assertEquals(List.of("second"), calls);
    }

    @Test
    void stoppedTimerNeverFires() {
        AtomicInteger calls = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> calls.incrementAndGet(), 1, 0);
        timer.stop();
        timer.stop(); // stopping a stopped timer is fine
        assertFalse(timer.isActive());
        assertFalse(loop.run());
        assertEquals(0, calls.get());
        timer.close();
        loop.run();
    }

    @Test
    void timersFireInTimeoutOrder() {
        List<Integer> order = new ArrayList<>();
        for (int ms : new int[] {30, 10, 20, 0}) {
            new Timer(loop).start(t -> {
                order.add(ms);
                t.close();
            }, ms, 0);
        }
        loop.run();
        assertEquals(List.of(0, 10, 20, 30), order);
    }

    @Test
    void timerNeverFiresEarly() {
        AtomicReference<Long> elapsed = new AtomicReference<>();
        long t0 = System.nanoTime();
        loop.updateTime(); // timeouts count from the loop's cached time
        new Timer(loop).start(t -> {
            elapsed.set((System.nanoTime() - t0) / 1_000_000);
            t.close();
        }, 100, 0);
        loop.run();
        // libuv's clock is the coarse monotonic one (a few ms of granularity)
        assertTrue(elapsed.get() >= 95, "fired after " + elapsed.get() + " ms");
    }

    @Test
    void closeInsideOwnCallbackStopsRepetition() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            calls.incrementAndGet();
            t.close(h -> closes.incrementAndGet());
            assertTrue(t.isClosing());
            assertFalse(t.isClosed());
        }, 1, 1);
        loop.run();
        assertEquals(1, calls.get());
        assertEquals(1, closes.get());
        assertTrue(timer.isClosed());
    }

    @Test
    void usedFromAnotherThreadWhileRunningIsRefused() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            seen.set(LoopTestSupport.onOtherThread(() -> t.start(x -> {}, 1, 0)));
            t.close();
        }, 0, 0);
        loop.run();
        assertInstanceOf(IllegalStateException.class, seen.get());
        assertFalse(seen.get() instanceof HandleClosedException);
    }
}
