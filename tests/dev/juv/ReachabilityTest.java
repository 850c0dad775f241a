package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.LoopTestSupport;
import dev.juv.support.Tags;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pyuv's tests/test_gc.py. The JVM's guarantee is reachability: a closed handle can be
 * collected, cycles through its user data included, while an open one is kept by its loop.
 */
@Timeout(60)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class ReachabilityTest extends UvTestCase {

    /** User state that points back at its handle. */
    private static final class Owner {
        Timer timer;
    }

    @Test
    void closedHandleInCycleIsCollected() {
        WeakReference<Timer> ref = closedTimerInCycle();
        loop.run(); // the close callback runs
        assertTrue(LoopTestSupport.gcUntilCleared(List.of(ref)), "the closed timer was collected");
    }

    private WeakReference<Timer> closedTimerInCycle() {
        Timer timer = new Timer(loop);
        Owner owner = new Owner();
        owner.timer = timer;
        timer.setData(owner);
        timer.close();
        return new WeakReference<>(timer);
    }

    // ---- beyond pyuv ----

    @Test
    void droppedTimersAllFireUnderGcPressure() {
        int n = 10_000;
        AtomicInteger fired = new AtomicInteger();
        startDroppedTimers(n, fired);
        Timer gc = new Timer(loop);
        gc.start(t -> {
            System.gc();
            if (fired.get() == n) {
                t.close();
            }
        }, 5, 5);
        loop.run();
        assertEquals(n, fired.get(), "no active handle was collected");
    }

    private void startDroppedTimers(int n, AtomicInteger fired) {
        for (int i = 0; i < n; i++) {
            new Timer(loop).start(t -> {
                fired.incrementAndGet();
                t.close();
            }, i % 50, 0);
        }
    }

    @Test
    void droppedAsyncStillReceivesSends() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        Async[] holder = new Async[1];
        WeakReference<Async> ref = droppedAsync(calls, holder);
        System.gc();
        Thread sender = new Thread(() -> holder[0].send());
        sender.start();
        sender.join(10_000);
        holder[0] = null;
        loop.run();
        assertEquals(1, calls.get());
        assertTrue(LoopTestSupport.gcUntilCleared(List.of(ref)));
    }

    private WeakReference<Async> droppedAsync(AtomicInteger calls, Async[] holder) {
        Async a = new Async(loop, h -> {
            calls.incrementAndGet();
            h.close();
        });
        holder[0] = a;
        return new WeakReference<>(a);
    }
}
