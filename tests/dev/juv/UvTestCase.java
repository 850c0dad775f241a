package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.Native;
import dev.juv.support.CleanupGate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The base of every loop test, in the role of pyuv's TestLoop and tearDown: each test gets a
 * fresh loop whose default exception handler makes {@code run()} rethrow, so an assertion failing
 * inside a callback fails the test. After each test: no handle open, no request outstanding, the
 * loop closes, juv's native byte counter is back at its baseline, and the fd count is unchanged.
 */
@Timeout(30)
public abstract class UvTestCase {
    protected Loop loop;
    private long nativeBaseline;
    private java.util.Map<String, String> fdBaseline;

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
    public void openLoop() {
        fdBaseline = fdTable();
        nativeBaseline = Native.liveBytes();
        loop = new Loop();
    }

    @AfterEach
    public void checkClean() {
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
        assertEquals(nativeBaseline, Native.liveBytes(), "native bytes not back at the baseline");
        if (fdBaseline != null) {
            // a descriptor the test opened and left open; the JVM's own (jars, its libraries) and
            // ones closed meanwhile by other threads (child-process reapers) do not count
            java.util.Map<String, String> leaked = new java.util.TreeMap<>();
            for (int attempt = 0; attempt < 20; attempt++) {
                leaked.clear();
                fdTable().forEach((fd, target) -> {
                    if (!target.equals(fdBaseline.get(fd)) && !target.endsWith(".jar")
                            && !target.startsWith(System.getProperty("java.home"))) {
                        leaked.put(fd, target);
                    }
                });
                if (leaked.isEmpty()) {
                    break;
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            assertTrue(leaked.isEmpty(), "file descriptors left open: " + leaked);
        }
    }

    /** fd number → what it points at, from /proc/self/fd; null where /proc is absent. */
    protected static java.util.Map<String, String> fdTable() {
        return CleanupGate.fdTable();
    }

    /** The number of open file descriptors of this process, or -1 where /proc is absent. */
    protected static int openFds() {
        return CleanupGate.openFds();
    }
}
