package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_idle.py, and what an idle handle does to the loop. */
@Timeout(30)
@Tag(Tags.PYUV)
class IdleTest extends UvTestCase {

    @Test
    void idleRunsOnce() {
        AtomicInteger calls = new AtomicInteger();
        new Idle(loop).start(i -> {
            calls.incrementAndGet();
            i.stop();
            i.close();
        });
        assertFalse(loop.run());
        assertEquals(1, calls.get());
    }

    @Test
    void activeIdleKeepsTheLoopSpinning() {
        // while an idle handle is active the loop polls without blocking: many idle calls
        // happen before a 50 ms timer is due
        AtomicInteger idles = new AtomicInteger();
        AtomicInteger idlesWhenDue = new AtomicInteger();
        Idle idle = new Idle(loop);
        idle.start(i -> idles.incrementAndGet());
        new Timer(loop).start(t -> {
            idlesWhenDue.set(idles.get());
            t.close();
            idle.close();
        }, 50, 0);
        loop.run();
        assertTrue(idlesWhenDue.get() > 1, "idle calls before the timer: " + idlesWhenDue.get());
    }

    @Test
    void unreferencedIdleDoesNotHoldTheLoop() {
        AtomicInteger calls = new AtomicInteger();
        Idle idle = new Idle(loop);
        idle.start(i -> calls.incrementAndGet());
        idle.unref();
        assertTrue(idle.isActive());
        assertFalse(loop.run());
        idle.close();
        loop.run();
    }
}
