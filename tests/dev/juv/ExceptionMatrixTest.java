package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.programs.ExitAfterWork;
import dev.juv.support.Child;
import dev.juv.support.LoopChecks;
import dev.juv.support.Matrix;
import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every callback kind juv has so far × every kind of throwable: the loop stops, run() rethrows
 * the first throwable with the others suppressed, nothing leaks, the JVM lives on; a handler
 * that swallows lets run() return normally.
 */
@Timeout(60)
@Tag(Tags.THREADS)
class ExceptionMatrixTest extends UvTestCase {
    static {
        Child.warmUp();
    }

    /** Where the throwing code runs. */
    enum Kind {
        TIMER, IDLE, PREPARE, CHECK, ASYNC, SIGNAL, CLOSE, EXECUTE, WORK, WORK_AFTER, RANDOM;

        /** Whether two of these reliably fire within one loop iteration. */
        boolean samePhase() {
            return this != WORK && this != WORK_AFTER && this != RANDOM;
        }

        /** Whether the source would fire again had the loop not stopped. */
        boolean repeats() {
            return this == TIMER || this == IDLE || this == PREPARE || this == CHECK;
        }
    }

    /** What the callback does wrong. */
    enum Throwing {
        RUNTIME, ERROR, STACK_OVERFLOW, OUT_OF_MEMORY, HANDLER_THROWS
    }

    /** An armed source: its handles and how often its callback ran. */
    static final class Source {
        final List<Handle> handles = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger afterCalls = new AtomicInteger();
        boolean closeFirst;
        Runnable body;

        void fire() {
            calls.incrementAndGet();
            if (closeFirst) {
                handles.forEach(Handle::close);
            }
            body.run();
        }

        void closeAll() {
            handles.forEach(Handle::close);
        }
    }

    /** Arms a source of {@code kind} whose callback runs {@code body}. */
    Source arm(Kind kind, Runnable body, boolean closeFirst) {
        Source s = new Source();
        s.body = body;
        s.closeFirst = closeFirst;
        switch (kind) {
            case TIMER -> {
                Timer t = new Timer(loop);
                s.handles.add(t);
                t.start(x -> s.fire(), 0, 1);
            }
            case IDLE -> {
                Idle i = new Idle(loop);
                s.handles.add(i);
                i.start(x -> s.fire());
            }
            case PREPARE -> {
                Prepare p = new Prepare(loop);
                s.handles.add(p);
                p.start(x -> s.fire());
            }
            case CHECK -> {
                Check c = new Check(loop);
                Idle spin = new Idle(loop); // keeps the poll from blocking, so check runs
                s.handles.add(c);
                s.handles.add(spin);
                c.start(x -> s.fire());
                spin.start(x -> {});
            }
            case ASYNC -> {
                Async a = new Async(loop, x -> s.fire());
                s.handles.add(a);
                a.send();
            }
            case SIGNAL -> {
                Signal sig = new Signal(loop);
                s.handles.add(sig);
                sig.start((x, n) -> s.fire(), Signal.SIGUSR1);
                assertEquals(0, TestLibc.kill(ProcessHandle.current().pid(), Signal.SIGUSR1));
            }
            case CLOSE -> new Timer(loop).close(x -> s.fire());
            case EXECUTE -> loop.execute(s::fire);
            case WORK -> loop.queueWork(s::fire, err -> {
                assertEquals(null, err);
                s.afterCalls.incrementAndGet();
            });
            case WORK_AFTER -> loop.queueWork(() -> {}, err -> s.fire());
            case RANDOM -> Sys.random(loop, 16, (bytes, err) -> {
                assertEquals(16, bytes.length);
                s.fire();
            });
        }
        return s;
    }

    static long recurse(long n) {
        return recurse(n + 1) + 1;
    }

    static Stream<Arguments> matrix() {
        return Matrix.pairs(Kind.values(), Throwing.values());
    }

    @ParameterizedTest(name = "{0} throws {1}")
    @MethodSource("matrix")
    void theLoopStopsAndRunRethrows(Kind kind, Throwing throwing) {
        Throwable planned = switch (throwing) {
            case RUNTIME, HANDLER_THROWS -> new IllegalArgumentException("from " + kind);
            case ERROR -> new Error("from " + kind);
            case OUT_OF_MEMORY -> new OutOfMemoryError("thrown by " + kind);
            case STACK_OVERFLOW -> null;
        };
        RuntimeException fromHandler = new IllegalStateException("the handler failed too");
        AtomicInteger handlerCalls = new AtomicInteger();
        if (throwing == Throwing.HANDLER_THROWS) {
            loop.setExceptionHandler(e -> {
                handlerCalls.incrementAndGet();
                throw fromHandler;
            });
        }
        Source s = arm(kind, () -> {
            if (planned == null) {
                recurse(0);
            }
            throw sneaky(planned);
        }, false);

        Throwable thrown = assertThrows(Throwable.class, loop::run);

        if (planned == null) {
            assertInstanceOf(StackOverflowError.class, thrown);
        } else {
            assertSame(planned, thrown);
        }
        if (throwing == Throwing.HANDLER_THROWS) {
            assertEquals(1, handlerCalls.get());
            assertTrue(Arrays.asList(thrown.getSuppressed()).contains(fromHandler),
                    "the handler's own exception is kept: " + Arrays.toString(thrown.getSuppressed()));
        }
        assertEquals(1, s.calls.get(), "the loop went on after the callback threw");
        if (kind == Kind.WORK) {
            assertEquals(1, s.afterCalls.get(), "the after callback still runs once");
        }
        for (Handle h : s.handles) {
            assertFalse(h.isClosing(), "the loop stopped, with " + h + " still open");
            if (kind.repeats()) {
                assertTrue(h.isActive());
            }
        }
        // nothing leaks: close what is left and the loop ends cleanly, and is still usable
        loop.setExceptionHandler(null);
        s.closeAll();
        loop.run();
        assertTrue(loop.handles().isEmpty());
        assertEquals(0, loop.outstandingRequests());
        LoopChecks.assertStillRuns(loop);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    static Stream<Arguments> swallowed() {
        return Matrix.pairs(Kind.values(), new Throwing[] {Throwing.RUNTIME, Throwing.ERROR});
    }

    @ParameterizedTest(name = "{0} throws {1}")
    @MethodSource("swallowed")
    void aHandlerThatSwallowsLetsRunReturn(Kind kind, Throwing throwing) {
        Throwable planned = throwing == Throwing.ERROR ? new Error("swallowed") : new RuntimeException("swallowed");
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        loop.setExceptionHandler(seen::add);
        Source s = arm(kind, () -> {
            throw sneaky(planned);
        }, true);
        loop.run();
        assertEquals(List.of(planned), seen);
        assertEquals(1, s.calls.get());
        assertTrue(loop.handles().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void aVirtualMachineErrorStopsTheLoopEvenWithAHandler(Kind kind) {
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        loop.setExceptionHandler(seen::add);
        Source s = arm(kind, () -> recurse(0), true);
        Throwable thrown = assertThrows(StackOverflowError.class, loop::run);
        assertTrue(seen.isEmpty(), "the handler is not asked about " + thrown);
        assertEquals(1, s.calls.get());
        loop.run();
        assertTrue(loop.handles().isEmpty());
    }

    static Stream<Kind> samePhaseKinds() {
        return Stream.of(Kind.values()).filter(Kind::samePhase);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samePhaseKinds")
    void theFirstThrowableWinsAndTheOthersAreSuppressed(Kind kind) {
        RuntimeException one = new RuntimeException("one");
        RuntimeException two = new RuntimeException("two");
        Source a = null;
        Source b;
        if (kind == Kind.SIGNAL) {
            // one signal reaches both watchers in the same dispatch
            Signal s1 = new Signal(loop);
            Signal s2 = new Signal(loop);
            AtomicInteger calls = new AtomicInteger();
            s1.start((x, n) -> {
                calls.incrementAndGet();
                throw one;
            }, Signal.SIGUSR1);
            s2.start((x, n) -> {
                calls.incrementAndGet();
                throw two;
            }, Signal.SIGUSR1);
            assertEquals(0, TestLibc.kill(ProcessHandle.current().pid(), Signal.SIGUSR1));
            // the handler may run on any thread: let it queue both messages before the loop reads
            sleep(100);
            Throwable thrown = assertThrows(RuntimeException.class, loop::run);
            assertFirstWithSuppressed(thrown, one, two);
            assertEquals(2, calls.get());
            s1.close();
            s2.close();
            loop.run();
            return;
        }
        a = arm(kind, () -> {
            throw one;
        }, false);
        b = arm(kind, () -> {
            throw two;
        }, false);
        Throwable thrown = assertThrows(RuntimeException.class, loop::run);
        assertFirstWithSuppressed(thrown, one, two);
        assertEquals(1, a.calls.get());
        assertEquals(1, b.calls.get());
        a.closeAll();
        b.closeAll();
        loop.run();
        assertTrue(loop.handles().isEmpty());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertFirstWithSuppressed(Throwable thrown, Throwable one, Throwable two) {
        Throwable other = thrown == one ? two : one;
        assertTrue(thrown == one || thrown == two, "unexpected " + thrown);
        assertEquals(List.of(other), Arrays.asList(thrown.getSuppressed()));
    }

    @Test
    void aVirtualMachineErrorOutranksAnEarlierException() {
        RuntimeException first = new RuntimeException("first");
        OutOfMemoryError second = new OutOfMemoryError("second");
        Timer t1 = new Timer(loop);
        Timer t2 = new Timer(loop);
        t1.start(x -> {
            x.close();
            throw first;
        }, 0, 0);
        t2.start(x -> {
            x.close();
            throw second;
        }, 0, 0);
        Throwable thrown = assertThrows(OutOfMemoryError.class, loop::run);
        assertSame(second, thrown);
        assertEquals(List.of(first), Arrays.asList(thrown.getSuppressed()));
        loop.run();
    }

    @Test
    void aHundredStackOverflowsInARow() {
        for (int i = 0; i < 100; i++) {
            Timer t = new Timer(loop);
            t.start(x -> {
                x.close();
                recurse(0);
            }, 0, 0);
            assertThrows(StackOverflowError.class, loop::run);
            loop.run();
        }
        assertTrue(loop.handles().isEmpty());
    }

    @Test
    void exceptionsFromEveryKindInOneRunAreAllKept() {
        List<Throwable> planned = new ArrayList<>();
        for (Kind k : Kind.values()) {
            RuntimeException e = new RuntimeException(k.name());
            planned.add(e);
            arm(k, () -> {
                throw e;
            }, true);
        }
        List<Throwable> got = new ArrayList<>();
        for (int round = 0; round < 50 && got.size() < planned.size(); round++) {
            try {
                loop.run();
            } catch (RuntimeException e) {
                got.add(e);
                got.addAll(Arrays.asList(e.getSuppressed()));
            }
        }
        assertEquals(planned.size(), got.size(), "every exception reaches run(), none twice: " + got);
        assertTrue(got.containsAll(planned));
        assertTrue(loop.handles().isEmpty());
    }

    // ---- the JVM lives, and ends ----

    @Test
    void theJvmExitsAfterWorkItems() throws Exception {
        try (Child c = Child.start(ExitAfterWork.class.getName())) {
            assertEquals(0, c.waitFor(Duration.ofSeconds(30)), c.output());
            assertTrue(c.output().contains("DONE 16"), c.output());
            c.assertNoCrash();
        }
    }

    @Test
    void systemExitWhileASignalIsWatchedAfterWorkItemsEndsTheJvm() throws Exception {
        try (Child c = Child.start(ExitAfterWork.class.getName(), "exit-watching")) {
            assertEquals(0, c.waitFor(Duration.ofSeconds(30)), c.output());
            assertTrue(c.output().contains("EXITING"), c.output());
            c.assertNoCrash();
        }
    }

    @Test
    void systemExitFromACallbackAfterWorkItemsEndsTheJvm() throws Exception {
        try (Child c = Child.start(ExitAfterWork.class.getName(), "exit")) {
            assertEquals(0, c.waitFor(Duration.ofSeconds(30)), c.output());
            assertTrue(c.output().contains("EXITING"), c.output());
            c.assertNoCrash();
        }
    }
}
