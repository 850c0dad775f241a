package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_check.py, and when a check callback runs. */
@Timeout(30)
@Tag(Tags.PYUV)
class CheckTest extends UvTestCase {

    @Test
    void checkRunsOnce() {
        AtomicInteger checks = new AtomicInteger();
        new Check(loop).start(c -> {
            checks.incrementAndGet();
            c.stop();
            c.close();
        });
        new Timer(loop).start(t -> {
            t.stop();
            t.close();
        }, 100, 0);
        loop.run();
        assertEquals(1, checks.get());
    }

    @Test
    void checkRunsAfterTheLoopBlocked() {
        // the loop blocks in its poll phase until the 50 ms timer is due; check follows that poll
        AtomicLong firstCheckAfterMs = new AtomicLong(-1);
        long t0 = System.nanoTime();
        loop.updateTime();
        new Timer(loop).start(Timer::close, 50, 0);
        new Check(loop).start(c -> {
            firstCheckAfterMs.set((System.nanoTime() - t0) / 1_000_000);
            c.close();
        });
        loop.run();
        assertTrue(firstCheckAfterMs.get() >= 40, "check ran after the blocking poll: "
                + firstCheckAfterMs.get() + " ms");
    }

    @Test
    void activeCheckAloneKeepsTheLoopAlive() {
        Check check = new Check(loop);
        check.start(c -> {});
        assertTrue(loop.isAlive());
        assertTrue(loop.run(RunMode.NOWAIT));
        assertEquals(-1, loop.backendTimeout(), "nothing would wake a loop that only has a check handle");
        check.unref();
        assertFalse(loop.run());
        check.close();
        loop.run();
    }
}
