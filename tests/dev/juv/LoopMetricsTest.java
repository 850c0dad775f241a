package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.LibUv;
import dev.juv.support.Tags;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * loop.metrics() and loop.utilization(): each counter against a loop whose work is known; an idle
 * loop and a busy one; the calls from a thread other than the loop's while it runs, and after
 * close.
 */
@Timeout(60)
class LoopMetricsTest extends UvTestCase {
    private static final LoopOptions IDLE_METRICS = LoopOptions.defaults().withIdleTimeMetrics(true);

    @Test
    void callbacksAndHandlesAreCounted() {
        LoopMetrics before = loop.metrics();
        assertEquals(0, before.openHandles());
        Timer t = new Timer(loop);
        Timer u = new Timer(loop);
        assertEquals(2, loop.metrics().openHandles());
        int[] fired = {0};
        t.start(tt -> {
            if (++fired[0] == 5) {
                tt.close();
            }
        }, 1, 1);
        u.close();
        loop.run();
        LoopMetrics after = loop.metrics();
        // five timer callbacks and two close callbacks at least
        assertTrue(after.callbacks() - before.callbacks() >= 7, before + " -> " + after);
        assertEquals(0, after.openHandles());
        assertTrue(after.nativeBytes() > 0, "the loop's own native memory counts: " + after);
        assertEquals(Duration.ZERO, after.idleTime(), "no idle-time metrics asked for");
    }

    /** Runs a loop whose one timer fires {@code times} times, and returns its callback count. */
    private static long countedCallbacks(Loop l, int times) {
        long before = l.metrics().callbacks();
        Timer t = new Timer(l);
        int[] fired = {0};
        t.start(tt -> {
            if (++fired[0] == times) {
                tt.close();
            }
        }, 0, 1);
        l.run();
        assertEquals(times, fired[0]);
        return l.metrics().callbacks() - before;
    }

    /**
     * Each loop counts its own callbacks only: two loops run on two threads at once, and a third
     * is run from inside a callback of the first (the thread's loop changes and changes back).
     */
    @Test
    void callbacksCountOnTheLoopTheyRanOnWhenLoopsRunOnSeveralThreads() throws Exception {
        try (Loop a = new Loop(); Loop b = new Loop(); Loop nested = new Loop()) {
            long[] counts = new long[3];
            Thread other = new Thread(() -> counts[1] = countedCallbacks(b, 3000), "metrics-b");
            long before = a.metrics().callbacks();
            Timer t = new Timer(a);
            int[] fired = {0};
            t.start(tt -> {
                if (++fired[0] == 500) {
                    counts[2] = countedCallbacks(nested, 200);
                } else if (fired[0] == 1000) {
                    tt.close();
                }
            }, 0, 1);
            other.start();
            a.run();
            other.join(TimeUnit.SECONDS.toMillis(30));
            counts[0] = a.metrics().callbacks() - before;
            // 1000 timer callbacks and a close on a, 3000 and a close on b, 200 and a close on nested
            assertTrue(counts[0] >= 1001 && counts[0] < 1001 + 20, "a counted " + counts[0]);
            assertTrue(counts[1] >= 3001 && counts[1] < 3001 + 20, "b counted " + counts[1]);
            assertTrue(counts[2] >= 201 && counts[2] < 201 + 20, "nested counted " + counts[2]);
        }
    }

    @Test
    void pendingTasksAreThoseNotStartedYet() {
        int[] ran = {0};
        for (int i = 0; i < 3; i++) {
            loop.execute(() -> ran[0]++);
        }
        assertEquals(3, loop.metrics().pendingTasks());
        loop.run();
        assertEquals(3, ran[0]);
        assertEquals(0, loop.metrics().pendingTasks());
    }

    @Test
    void iterationAndEventCountsFollowTheLibuvVersion() {
        try (Loop l = new Loop(IDLE_METRICS)) {
            Timer t = new Timer(l);
            t.start(Timer::close, 20, 0);
            l.run();
            LoopMetrics m = l.metrics();
            if (LibUv.has_uv_metrics_info()) {
                assertTrue(m.loopCount() > 0, m.toString());
                assertTrue(m.events() >= 0 && m.eventsWaiting() >= 0, m.toString());
            } else {
                assertEquals(0, m.loopCount());
                assertEquals(0, m.events());
                assertEquals(0, m.eventsWaiting());
            }
            assertTrue(m.idleTime().toMillis() >= 10, "waited ~20 ms in the poll: " + m);
        }
    }

    @Test
    void utilizationIsNaNWithoutIdleTimeMetrics() {
        assertTrue(Double.isNaN(loop.utilization()));
    }

    @Test
    @Tag(Tags.THREADS)
    void anIdleLoopIsNearZeroAndABusyOneNearOne() throws Exception {
        try (Loop l = Loop.start("metrics-test", IDLE_METRICS)) {
            l.utilization();
            Thread.sleep(300);
            double idle = l.utilization();
            assertTrue(idle >= 0 && idle < 0.3, "an idle loop's utilization: " + idle);
            l.submit(() -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                return null;
            }).get();
            double busy = l.utilization();
            assertTrue(busy > 0.7 && busy <= 1, "a loop that spun 300 ms: " + busy);
            LoopMetrics m = l.metrics(); // from this thread, while the loop runs on its own
            assertTrue(m.idleTime().toMillis() >= 200, m.toString());
            assertTrue(m.callbacks() >= 1, m.toString());
        }
    }

    @Test
    @Tag(Tags.THREADS)
    void metricsFromAnotherThreadWhileTheLoopRunsAndAfterClose() throws Exception {
        Loop l = Loop.start("metrics-race", IDLE_METRICS);
        try {
            race(l);
        } finally {
            l.close();
        }
        LoopMetrics closed = l.metrics();
        assertEquals(0, closed.openHandles());
        assertTrue(closed.callbacks() >= 200, closed.toString());
        assertEquals(closed, l.metrics(), "a closed loop's counters stay as they were");
        assertTrue(Double.isNaN(l.utilization()));
    }

    private static void race(Loop l) throws Exception {
        Thread reader = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                l.metrics();
                l.utilization();
            }
        });
        reader.start();
        for (int i = 0; i < 200; i++) {
            l.submit(() -> {
                new Timer(l).close();
                return null;
            }).get();
        }
        reader.join();
        // each task closes a timer: one close callback each (tasks may share an async callback,
        // and the close callbacks come once it returns, so wait for the handles to be gone)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        LoopMetrics open = l.metrics();
        while (open.openHandles() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
            open = l.metrics();
        }
        assertEquals(0, open.openHandles(), open.toString());
        assertTrue(open.callbacks() >= 200, open.toString());
    }
}
