package dev.juv;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.LibUv;
import dev.juv.support.Tags;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control of ci/reliability's ThreadSanitizer run (R-X4): it breaks the thread-confinement
 * rule on purpose, below juv's checks, by calling {@code uv_timer_start} on a running loop's timer
 * from a foreign thread. On a TSan-built libuv this must produce at least one data-race report;
 * if it does not, a clean TSan run of the threading classes proves nothing. Enabled only with
 * {@code -Djuv.tsan.control=true}: the race is undefined behaviour on any other build.
 */
@Timeout(60)
@Tag(Tags.TSAN_CONTROL)
class TsanControlTest extends UvTestCase {

    @Test
    void foreignThreadTimerStartRacesTheLoop() throws InterruptedException {
        assumeTrue(Boolean.getBoolean("juv.tsan.control"),
                "a deliberate data race; only ci/reliability's TSan control run sets -Djuv.tsan.control=true");
        AtomicInteger spins = new AtomicInteger();
        AtomicReference<Throwable> loopFailure = new AtomicReference<>();
        // the loop thread only reads the timer heap (the timer is due in an hour) on every
        // iteration of a spinning idle handle, so the foreign writes below race with reads: TSan
        // reports them, and the heap, which only the foreign thread changes, cannot be corrupted
        Timer timer = new Timer(loop);
        timer.start(t -> {}, 3_600_000, 0);
        Idle idle = new Idle(loop);
        idle.start(i -> spins.incrementAndGet());
        Async stop = new Async(loop, a -> {
            timer.close();
            idle.close();
            a.close();
        });
        Thread runner = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable e) {
                loopFailure.set(e);
            }
        }, "juv-tsan-control-loop");
        runner.start();
        while (spins.get() < 5) {
            Thread.sleep(1);
        }
        int calls = 0;
        for (; calls < 5; calls++) {
            LibUv.uv_timer_start(timer.ptr, Timer.TIMER_CB.address(), 3_600_000, 0);
            Thread.sleep(10);
        }
        stop.send();
        runner.join(30_000);
        assertTrue(!runner.isAlive(), "the loop thread did not stop");
        if (loopFailure.get() != null) {
            throw new AssertionError(loopFailure.get());
        }
        assertTrue(calls == 5 && spins.get() > 5, "calls " + calls + ", loop iterations " + spins.get());
    }
}
