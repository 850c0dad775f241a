package dev.juv.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.juv.Loop;
import dev.juv.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/** Assertions about a loop's state that several tests share. */
public final class LoopChecks {
    private LoopChecks() {}

    /** The loop still works: a new zero-timeout timer fires once and the loop ends. */
    public static void assertStillRuns(Loop loop) {
        AtomicInteger fired = new AtomicInteger();
        new Timer(loop).start(t -> {
            fired.incrementAndGet();
            t.close();
        }, 0, 0);
        loop.run();
        assertEquals(1, fired.get(), "a timer on the loop did not fire once");
    }
}
