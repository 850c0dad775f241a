package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.CleanupGate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The base of every loop test, in the role of pyuv's TestLoop and tearDown: each test gets a
 * fresh loop whose default exception handler makes {@code run()} rethrow, so an assertion failing
 * inside a callback fails the test. After each test: no handle open and no request outstanding on
 * the test's loop, the loop closes, and then {@link CleanupGate} checks the process against the
 * baseline taken before the test: juv's native bytes exactly, requests on every loop, upcall
 * stubs, orphaned throwables and the fd table.
 *
 * <p>It lives in package {@code dev.juv}, beside the tests that extend it, because it reads the
 * loop's package-private request count.
 */
@Timeout(30)
abstract class UvTestCase {
    protected Loop loop;
    private CleanupGate.Baseline baseline;

    static {
        // libuv and the JVM open a few process-wide descriptors on first use; take them first
        try (Loop warm = new Loop()) {
            new Timer(warm).close();
            // the first Signal makes the private loop that keeps signal dispositions safe
            new Signal(warm).close();
            warm.run();
        }
    }

    @BeforeEach
    void openLoop() {
        baseline = CleanupGate.Baseline.take();
        loop = new Loop();
    }

    @AfterEach
    void checkClean() {
        List<Handle> left = loop.handles();
        if (!left.isEmpty()) {
            for (Handle h : left) {
                h.close();
            }
            loop.run();
        }
        assertTrue(left.isEmpty(), "handles left open: " + left);
        assertEquals(0, loop.outstandingRequests(), "requests outstanding");
        loop.close();
        CleanupGate.check(baseline, "after the test");
    }

    /** fd number → what it points at, from /proc/self/fd; null where /proc is absent. */
    protected static Map<String, String> fdTable() {
        return CleanupGate.fdTable();
    }

    /** The number of open file descriptors of this process, or -1 where /proc is absent. */
    protected static int openFds() {
        return CleanupGate.openFds();
    }
}
