package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.Monitor;
import dev.juv.support.Tags;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocked-loop watchdog: a callback or task that holds its loop past the threshold is reported
 * once, at WARNING, with the loop thread's stack; shorter callbacks, however many, are not; a
 * threshold of zero turns it off. The warnings are captured with a System.Logger of the test's.
 */
@Timeout(60)
@Tag(Tags.THREADS)
class WatchdogTest extends UvTestCase {
    private static final Duration THRESHOLD = Duration.ofMillis(100);

    /** One warning: its level, message and the stack it carries. */
    record Finding(System.Logger.Level level, String message, Throwable thrown) {}

    private final List<Finding> findings = new CopyOnWriteArrayList<>();
    private System.Logger previous;

    @BeforeEach
    void capture() {
        previous = Monitor.logTo(new System.Logger() {
            @Override
            public String getName() {
                return "dev.juv";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                findings.add(new Finding(level, msg, thrown));
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                findings.add(new Finding(level, format, null));
            }
        });
    }

    @AfterEach
    void release() {
        Monitor.logTo(previous);
    }

    private List<Finding> about(Loop l) {
        return findings.stream().filter(f -> f.message().contains(l.toString())).toList();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Loop watched(Duration threshold) {
        return new Loop(LoopOptions.defaults().withBlockedThreshold(threshold));
    }

    @Test
    void aCallbackPastTheThresholdIsReportedOnceWithTheLoopThreadsStack() {
        try (Loop l = watched(THRESHOLD)) {
            Timer t = new Timer(l);
            t.start(tt -> {
                sleep(600);
                tt.close();
            }, 1, 0);
            l.run();
            List<Finding> f = about(l);
            assertEquals(1, f.size(), "one blockage, one warning: " + f);
            Finding w = f.get(0);
            assertEquals(System.Logger.Level.WARNING, w.level());
            assertTrue(w.message().contains("timer callback (timer)"), w.message());
            assertTrue(w.message().contains(Thread.currentThread().getName()), w.message());
            assertNotNull(w.thrown());
            assertTrue(Arrays.stream(w.thrown().getStackTrace())
                    .anyMatch(e -> e.getClassName().startsWith(WatchdogTest.class.getName())),
                    "the loop thread's stack shows the callback: " + Arrays.toString(w.thrown().getStackTrace()));
            assertTrue(Arrays.stream(w.thrown().getStackTrace()).anyMatch(e -> e.getMethodName().equals("sleep")),
                    "and where it blocks");
        }
    }

    @Test
    void eachBlockageIsReportedOnce() {
        try (Loop l = watched(THRESHOLD)) {
            Timer t = new Timer(l);
            int[] n = {0};
            t.start(tt -> {
                sleep(400);
                if (++n[0] == 2) {
                    tt.close();
                }
            }, 1, 1);
            l.run();
            assertEquals(2, about(l).size(), "two blockages: " + about(l));
        }
    }

    @Test
    void manyShortCallbacksAreNoBlockage() {
        try (Loop l = watched(THRESHOLD)) {
            Timer t = new Timer(l);
            int[] n = {0};
            // 600 ms of callbacks, none of them anywhere near the threshold
            t.start(tt -> {
                sleep(20);
                if (++n[0] == 30) {
                    tt.close();
                }
            }, 0, 1);
            l.run();
            assertEquals(30, n[0]);
            assertEquals(List.of(), about(l));
        }
    }

    @Test
    void aZeroThresholdTurnsTheWatchdogOff() {
        try (Loop l = watched(Duration.ZERO)) {
            Timer t = new Timer(l);
            t.start(tt -> {
                sleep(400);
                tt.close();
            }, 1, 0);
            l.run();
            assertEquals(List.of(), about(l));
        }
    }

    @Test
    void aTaskThatHoldsAStartedLoopIsReported() throws Exception {
        try (Loop l = Loop.start("watchdog-test", LoopOptions.defaults().withBlockedThreshold(THRESHOLD))) {
            l.submit(() -> {
                sleep(500);
                return null;
            }).get(10, TimeUnit.SECONDS);
            List<Finding> f = about(l);
            assertEquals(1, f.size(), f.toString());
            assertTrue(f.get(0).message().contains("async callback"), f.get(0).message());
            assertTrue(f.get(0).message().contains("watchdog-test"), f.get(0).message());
        }
    }
}
