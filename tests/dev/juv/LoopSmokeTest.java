package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoopSmokeTest extends UvTestCase {
    @Test
    void timerFires() {
        AtomicInteger n = new AtomicInteger();
        Timer t = new Timer(loop);
        t.start(h -> {
            n.incrementAndGet();
            h.close();
        }, 10, 0);
        loop.run();
        assertEquals(1, n.get());
    }
}
