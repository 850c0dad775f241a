package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Handle.closeAsync and isOpen, from the loop thread, from other threads, and on closed handles. */
@Timeout(30)
class HandleFuturesTest extends UvTestCase {
    @Test
    void isOpenUntilClose() {
        try (Loop loop = new Loop()) {
            Timer t = new Timer(loop);
            assertTrue(t.isOpen());
            t.close();
            assertFalse(t.isOpen());
            loop.run();
            assertFalse(t.isOpen());
            assertTrue(t.isClosed());
        }
    }

    @Test
    void closeAsyncCompletesAfterTheCloseCallback() throws Exception {
        try (Loop loop = new Loop()) {
            Timer t = new Timer(loop);
            List<String> order = new ArrayList<>();
            CompletableFuture<Void> f = t.closeAsync();
            assertFalse(f.isDone(), "the close callback has not run before the loop runs");
            f.thenRun(() -> order.add("future"));
            loop.run();
            assertTrue(f.isDone());
            assertNull(f.get());
            assertTrue(t.isClosed());
            assertEquals(List.of("future"), order);
        }
    }

    @Test
    void closeAsyncOnClosingAndClosedHandlesWaitsOrReports() throws Exception {
        try (Loop loop = new Loop()) {
            Timer t = new Timer(loop);
            boolean[] cb = new boolean[1];
            t.close(h -> cb[0] = true);
            CompletableFuture<Void> closing = t.closeAsync();
            loop.run();
            assertTrue(cb[0]);
            assertTrue(closing.isDone());
            CompletableFuture<Void> closed = t.closeAsync();
            assertTrue(closed.isDone(), "a closed handle's future is complete at once on the loop's own thread");
        }
    }

    @Test
    void closeAsyncFromAnotherThreadOfAStartedLoop() throws Exception {
        Loop loop = Loop.start("close-async-loop");
        try {
            Timer t = loop.submit(() -> new Timer(loop)).get(10, TimeUnit.SECONDS);
            t.closeAsync().get(10, TimeUnit.SECONDS);
            assertTrue(t.isClosed());
            assertSame(Boolean.FALSE, loop.submit(t::isOpen).get(10, TimeUnit.SECONDS));
        } finally {
            loop.close();
        }
    }

    @Test
    void closeAsyncAfterTheLoopClosedFailsTheFuture() {
        Loop loop = Loop.start("close-async-closed");
        Timer t;
        try {
            t = loop.submit(() -> new Timer(loop)).join();
        } finally {
            loop.close();
        }
        // close() closed the timer; the loop takes no more work: the future says so, nothing throws
        ExecutionException e = assertThrows(ExecutionException.class, () -> t.closeAsync().get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RejectedExecutionException, e.toString());
    }

    @Test
    void aVirtualThreadOnAStartedLoopIsNamedInTheRefusal() throws Exception {
        Loop loop = Loop.start("named-loop");
        try {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread vt = Thread.ofVirtual().start(() -> {
                try {
                    new Timer(loop);
                } catch (Throwable e) {
                    seen.set(e);
                }
            });
            vt.join(10_000);
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, seen.get());
            assertTrue(e.getMessage().startsWith("loop used from virtual thread #" + vt.threadId()
                    + " while it runs on thread \"named-loop\""), e.getMessage());
        } finally {
            loop.close();
        }
    }
}
