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
        assertEquals("prepare", order.get(0), "the first iteration polls after its prepare phase");
        int prepares = (int) order.stream().filter("prepare"::equals).count();
        assertTrue(prepares >= 3, "at least one prepare per tick: " + order);
        for (int i = 1; i < order.size(); i++) {
            if (order.get(i).equals("timer")) {
                assertEquals("prepare", order.get(i - 1), "a prepare came before each tick: " + order);
            }
        }
    }
}
