package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.Native;
import dev.juv.programs.ExitWithPending;
import dev.juv.support.Child;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exit never waits for a request: fs, dns and random requests run on juv's daemon pool, never on
 * libuv's (whose threads libuv's exit-time destructor joins), so a JVM with every pool thread
 * blocked in an open of a FIFO and more requests queued behind them still ends at once (a forked
 * JVM each). Also the bounds of {@link Sys#random(Loop, int, Sys.RandomCallback)}.
 */
@Timeout(120)
class ExitWithPendingTest extends UvTestCase {
    static {
        Child.warmUp();
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "System.exit from the {0}")
    @ValueSource(strings = {"callback", "main"})
    void exitReturnsWithEveryPoolThreadBlocked(String from) throws Exception {
        Path fifo = dir.resolve("fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available");
        try (Child c = Child.start(ExitWithPending.class.getName(), fifo.toString(), from)) {
            assertTrue(c.awaitLine("EXITING", Duration.ofSeconds(60)), "no EXITING line:\n" + c.output());
            long t0 = System.nanoTime();
            int status = c.waitFor(Duration.ofSeconds(20));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String out = c.output();
            assertEquals(0, status, "exit status; output:\n" + out);
            c.assertNoCrash();
            int blocked = number(out, "BLOCKED ");
            assertTrue(blocked >= 1, "no open of the FIFO had started:\n" + out);
            // the opens still block, and the lookups, random and work wait behind them
            assertEquals(blocked + 4, number(out, "PENDING "), out);
            assertTrue(ms < 5_000, "System.exit took " + ms + " ms");
        }
    }

    private static int number(String out, String prefix) {
        for (String l : out.split("\n")) {
            if (l.startsWith(prefix)) {
                return Integer.parseInt(l.substring(prefix.length()).trim());
            }
        }
        throw new AssertionError("no " + prefix + "line:\n" + out);
    }

    @Test
    void aRandomLongerThanTheLimitIsRefusedAndHoldsNothing() {
        long before = Native.liveBytes();
        AtomicInteger calls = new AtomicInteger();
        for (int n : new int[] {Integer.MAX_VALUE, Sys.MAX_RANDOM_LENGTH + 1, -1, Integer.MIN_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> Sys.random(loop, n, (b, e) -> calls.incrementAndGet()),
                    "length " + n);
            assertThrows(IllegalArgumentException.class, () -> Sys.random(n), "length " + n);
        }
        assertEquals(before, Native.liveBytes(), "nothing allocated");
        assertEquals(0, loop.outstandingRequests());
        assertFalse(loop.run(), "nothing keeps the loop alive");
        assertEquals(0, calls.get());
    }

    @Test
    void aRandomAtTheLimitGivesTheBytesOrEnomemAndFreesItsBuffer() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<byte[]> bytes = new AtomicReference<>();
        AtomicReference<UvException> error = new AtomicReference<>();
        Sys.random(loop, Sys.MAX_RANDOM_LENGTH, (b, e) -> {
            calls.incrementAndGet();
            bytes.set(b);
            error.set(e);
        });
        loop.run();
        assertEquals(1, calls.get());
        if (error.get() == null) {
            assertNotNull(bytes.get());
            assertEquals(Sys.MAX_RANDOM_LENGTH, bytes.get().length);
        } else {
            // a small heap (the GC stress run) cannot hold the array: the buffer is freed all the same
            assertNull(bytes.get());
            assertEquals(Errno.ENOMEM, error.get().code(), error.get().toString());
        }
        bytes.set(null);
    }

    @Test
    void aCancelledRandomRunsItsCallbackOnceWithEcanceled() throws Exception {
        // hold every pool thread, so the random request is still queued when cancelled
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<UvException> error = new AtomicReference<>();
        AtomicReference<byte[]> bytes = new AtomicReference<>();
        Request r;
        try (PoolGate _ = new PoolGate(loop)) {
            r = Sys.random(loop, 16, (b, e) -> {
                calls.incrementAndGet();
                error.set(e);
                bytes.set(b);
            });
            assertTrue(r.cancel(), "queued behind blocked pool threads");
            assertFalse(r.cancel(), "only once");
        }
        loop.run();
        assertEquals(1, calls.get());
        assertNull(bytes.get());
        assertEquals(Errno.ECANCELED, error.get().code());
        assertTrue(r.isDone());
    }
}
