package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.Native;
import java.io.File;
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
    private int fdBaseline;

    static {
        // libuv and the JVM open a few process-wide descriptors on first use; take them first
        try (Loop warm = new Loop()) {
            new Timer(warm).close();
            warm.run();
        }
    }

    @BeforeEach
    void openLoop() {
        fdBaseline = openFds();
        nativeBaseline = Native.liveBytes();
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
        assertEquals(nativeBaseline, Native.liveBytes(), "native bytes not back at the baseline");
        int fds = openFds();
        if (fds >= 0 && fdBaseline >= 0) {
            assertEquals(fdBaseline, fds, "open file descriptors changed");
        }
    }

    /** The number of open file descriptors of this process, or -1 where /proc is absent. */
    protected static int openFds() {
        String[] list = new File("/proc/self/fd").list();
        return list == null ? -1 : list.length;
    }
}
