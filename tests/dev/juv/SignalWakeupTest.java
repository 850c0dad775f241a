package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.juv.examples.SignalWakeup;
import dev.juv.support.Child;
import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * End to end, as a user runs it: the SignalWakeup example in its own JVM, blocked in its loop,
 * is woken by SIGINT through the JVM's shutdown hook and {@code Loop.execute}.
 */
@Timeout(120)
@Tag(Tags.THREADS)
class SignalWakeupTest {
    static {
        Child.warmUp();
    }

    @Test
    void sigintWakesTheBlockedLoop() throws Exception {
        try (Child c = Child.start(SignalWakeup.class.getName())) {
            assertTrue(c.awaitLine("Inside prepare_cb", Duration.ofSeconds(30)),
                    "no ready line:\n" + c.output());
            assumeFalse(TestLibc.isIgnored(c.pid(), Signal.SIGINT),
                    "SIGINT is ignored in this environment, so the JVM installs no handler for it");
            long sent = System.nanoTime();
            c.signal(Signal.SIGINT);
            int status = c.waitFor(Duration.ofSeconds(10));
            double seconds = (System.nanoTime() - sent) / 1e9;
            String out = c.output();
            assertEquals(130, status, "exit status; output:\n" + out);
            assertTrue(out.contains("Inside excepthook"), "the loop was not woken:\n" + out);
            assertTrue(out.indexOf("Inside excepthook") > out.indexOf("Inside prepare_cb"), out);
            assertTrue(seconds < 5, "took " + seconds + " s after SIGINT");
            c.assertNoCrash();
        }
    }
}
