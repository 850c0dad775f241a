package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.juv.support.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_multihandles.py, and the order of a loop iteration's phases. */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class MultiHandlesTest extends UvTestCase {

    @Test
    void fourHandleKindsTogether() {
        AtomicInteger prepares = new AtomicInteger();
        AtomicInteger idles = new AtomicInteger();
        AtomicInteger checks = new AtomicInteger();
        AtomicInteger timers = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        HandleCallback<Handle> onClose = h -> closes.incrementAndGet();
        new Prepare(loop).start(p -> {
            prepares.incrementAndGet();
            p.stop();
            p.close(onClose);
        });
        new Idle(loop).start(i -> {
            idles.incrementAndGet();
            i.stop();
            i.close(onClose);
        });
        new Check(loop).start(c -> {
            checks.incrementAndGet();
            c.stop();
            c.close(onClose);
        });
        new Timer(loop).start(t -> {
            timers.incrementAndGet();
            t.stop();
            t.close(onClose);
        }, 100, 0);
        loop.run();
        assertEquals(1, prepares.get());
        assertEquals(1, idles.get());
        assertEquals(1, checks.get());
        assertEquals(1, timers.get());
        assertEquals(4, closes.get());
    }

    @Test
    void phasesRunInLibuvOrder() {
        // one iteration: timers, idle, prepare, poll, check, close callbacks
        List<String> order = new ArrayList<>();
        Timer timer = new Timer(loop);
        Idle idle = new Idle(loop);
        Prepare prepare = new Prepare(loop);
        Check check = new Check(loop);
        timer.start(t -> order.add("timer"), 0, 0);
        idle.start(i -> order.add("idle"));
        prepare.start(p -> order.add("prepare"));
        check.start(c -> {
            order.add("check");
            idle.close(h -> order.add("close"));
            prepare.close();
            c.close();
            timer.close();
        });
        loop.run();
        assertEquals(List.of("timer", "idle", "prepare", "check", "close"), order);
    }
}
