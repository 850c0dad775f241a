package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_prepare.py, and when a prepare callback runs. */
@Timeout(30)
@Tag(Tags.PYUV)
class PrepareTest extends UvTestCase {

    @Test
    void prepareRunsOnce() {
        AtomicInteger calls = new AtomicInteger();
        new Prepare(loop).start(p -> {
            calls.incrementAndGet();
            p.stop();
            p.close();
        });
        loop.run();
        assertEquals(1, calls.get());
    }

    @Test
    void prepareRunsOncePerIterationBeforeThePoll() {
        // a 10 ms repeating timer drives the iterations: every tick follows a prepare call
        List<String> order = new ArrayList<>();
        Prepare prepare = new Prepare(loop);
        prepare.start(p -> order.add("prepare"));
        AtomicInteger ticks = new AtomicInteger();
        new Timer(loop).start(t -> {
            order.add("timer");
            if (ticks.incrementAndGet() == 3) {
                t.close();
                prepare.close();
            }
        }, 10, 10);
        loop.run();
        // uv_run runs due timers once before its first iteration: on a slow machine the 10 ms may
        // already have passed when run() starts, so at most one tick may come before the first prepare
        int first = order.indexOf("prepare");
        assertTrue(first == 0 || first == 1, "the first iteration polls after its prepare phase: " + order);
        int prepares = (int) order.stream().filter("prepare"::equals).count();
        assertTrue(prepares >= 2, "a prepare in every iteration that polls: " + order);
        for (int i = first + 1; i < order.size(); i++) {
            if (order.get(i).equals("timer")) {
                assertEquals("prepare", order.get(i - 1), "a prepare came before each tick: " + order);
            }
        }
    }
}
