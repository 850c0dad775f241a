package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.LoopTestSupport;
import dev.juv.support.Tags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pyuv's tests/test_excepthook.py, then every callback kind of the foundation throwing each kind
 * of throwable: the loop stops, run() rethrows the first, the rest are suppressed, the JVM lives.
 */
@Timeout(60)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class ExceptionHandlerTest extends UvTestCase {

    /** Starts an Idle whose callback stops and closes it, then runs {@code body}. */
    private void idleThat(Runnable body) {
        new Idle(loop).start(i -> {
            i.stop();
            i.close();
            body.run();
        });
    }

    // ---- pyuv parity ----

    @Test
    void defaultHandlerRethrowsFromRun() {
        RuntimeException bad = new RuntimeException("Bad");
        idleThat(() -> {
            throw bad;
        });
        RuntimeException thrown = assertThrows(RuntimeException.class, loop::run);
        assertSame(bad, thrown);
        assertFalse(loop.run(), "a second run() returns normally");
    }

    @Test
    void nullHandlerRestoresDefault() {
        List<Throwable> handled = new ArrayList<>();
        loop.setExceptionHandler(handled::add);
        loop.setExceptionHandler(null);
        RuntimeException bad = new RuntimeException("Bad");
        idleThat(() -> {
            throw bad;
        });
        assertSame(bad, assertThrows(RuntimeException.class, loop::run));
        assertEquals(List.of(), handled);
    }

    @Test
    void handlerNotCalledWithoutException() {
        List<Throwable> handled = new ArrayList<>();
        loop.setExceptionHandler(handled::add);
        idleThat(() -> {});
        assertFalse(loop.run());
        assertEquals(List.of(), handled);
    }

    @Test
    void handlerReceivesCallbackException() {
        List<Throwable> handled = new ArrayList<>();
        loop.setExceptionHandler(handled::add);
        RuntimeException bad = new RuntimeException("Bad");
        idleThat(() -> {
            throw bad;
        });
        assertFalse(loop.run());
        assertEquals(1, handled.size());
        assertSame(bad, handled.get(0));
    }

    @Test
    void handlerThrowsKeepsBoth() {
        RuntimeException bad = new RuntimeException("Bad");
        IllegalStateException inHandler = new IllegalStateException("in the handler");
        loop.setExceptionHandler(e -> {
            throw inHandler;
        });
        idleThat(() -> {
            throw bad;
        });
        Throwable thrown = assertThrows(Throwable.class, loop::run);
        List<Throwable> reachable = new ArrayList<>();
        reachable.add(thrown);
        reachable.addAll(Arrays.asList(thrown.getSuppressed()));
        assertTrue(reachable.contains(bad), "the callback's exception is kept");
        assertTrue(reachable.contains(inHandler), "the handler's exception is kept");
        assertFalse(loop.run());
    }

    @Test
    void handlerThatIgnoresKeepsQuiet() {
        loop.setExceptionHandler(e -> {});
        idleThat(() -> {
            throw new RuntimeException("Bad");
        });
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            assertFalse(loop.run());
        } finally {
            System.setErr(original);
        }
        assertEquals("", captured.toString());
    }

    // ---- beyond pyuv ----

    @Test
    void firstIsRethrownAndTheRestSuppressed() {
        // both idle callbacks run in the same iteration; libuv picks their order
        List<RuntimeException> thrownInOrder = new ArrayList<>();
        for (String name : List.of("one", "two")) {
            idleThat(() -> {
                RuntimeException e = new RuntimeException(name);
                thrownInOrder.add(e);
                throw e;
            });
        }
        RuntimeException thrown = assertThrows(RuntimeException.class, loop::run);
        assertEquals(2, thrownInOrder.size());
        assertSame(thrownInOrder.get(0), thrown, "the first one thrown is rethrown");
        assertEquals(List.of(thrownInOrder.get(1)), Arrays.asList(thrown.getSuppressed()));
    }

    @Test
    void virtualMachineErrorBypassesTheHandler() {
        List<Throwable> handled = new ArrayList<>();
        loop.setExceptionHandler(handled::add);
        idleThat(ExceptionHandlerTest::recurse);
        assertThrows(StackOverflowError.class, loop::run);
        assertEquals(List.of(), handled, "a VirtualMachineError always reaches run()");
        assertFalse(loop.run(), "the JVM and the loop live on");
    }

    @Test
    void loopStopsAtTheFirstException() {
        List<Integer> ticks = new ArrayList<>();
        Timer timer = new Timer(loop);
        timer.start(t -> {
            ticks.add(ticks.size());
            if (ticks.size() == 2) {
                throw new RuntimeException("stop here");
            }
        }, 1, 1);
        assertThrows(RuntimeException.class, loop::run);
        assertEquals(List.of(0, 1), ticks, "run() returned right after the throwing tick");
        timer.close();
        loop.run();
    }

    @Test
    void setExceptionHandlerMayChangeBetweenRuns() {
        List<Throwable> handled = new ArrayList<>();
        RuntimeException first = new RuntimeException("first");
        idleThat(() -> {
            throw first;
        });
        assertSame(first, assertThrows(RuntimeException.class, loop::run));
        loop.setExceptionHandler(handled::add);
        RuntimeException second = new RuntimeException("second");
        idleThat(() -> {
            throw second;
        });
        assertFalse(loop.run());
        assertEquals(List.of(second), handled);
    }

    // ---- every callback kind x every throwable ----

    /** Arms one callback of a kind; the callback closes its handle first, then runs {@code thrower}. */
    @FunctionalInterface
    interface Arm {
        void arm(Loop loop, Runnable thrower);
    }

    private static final Map<String, Arm> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("timer", (l, x) -> new Timer(l).start(t -> {
            t.close();
            x.run();
        }, 0, 0));
        KINDS.put("idle", (l, x) -> new Idle(l).start(i -> {
            i.close();
            x.run();
        }));
        KINDS.put("prepare", (l, x) -> new Prepare(l).start(p -> {
            p.close();
            x.run();
        }));
        KINDS.put("check", (l, x) -> {
            new Check(l).start(c -> {
                c.close();
                x.run();
            });
            new Timer(l).start(Timer::close, 0, 0); // wakes the poll phase so check runs
        });
        KINDS.put("async", (l, x) -> new Async(l, a -> {
            a.close();
            x.run();
        }).send());
        KINDS.put("signal", (l, x) -> {
            new Signal(l).start((s, n) -> {
                s.close();
                x.run();
            }, Signal.SIGWINCH);
            LoopTestSupport.raise(Signal.SIGWINCH);
        });
        KINDS.put("close", (l, x) -> new Timer(l).close(h -> x.run()));
        KINDS.put("execute", (l, x) -> l.execute(x));
        KINDS.put("work", (l, x) -> l.queueWork(x, null));
        KINDS.put("after work", (l, x) -> l.queueWork(() -> {}, e -> x.run()));
        KINDS.put("random", (l, x) -> Sys.random(l, 8, (b, e) -> x.run()));
    }

    private static final Map<String, Supplier<Runnable>> THROWERS = new LinkedHashMap<>();

    static {
        THROWERS.put("RuntimeException", () -> () -> {
            throw new IllegalArgumentException("thrown by a callback");
        });
        THROWERS.put("Error", () -> () -> {
            throw new AssertionError("thrown by a callback");
        });
        THROWERS.put("StackOverflowError", () -> ExceptionHandlerTest::recurse);
        THROWERS.put("OutOfMemoryError", () -> () -> {
            throw new OutOfMemoryError("thrown by a callback");
        });
    }

    private static final Map<String, Class<? extends Throwable>> EXPECTED = Map.of(
            "RuntimeException", IllegalArgumentException.class,
            "Error", AssertionError.class,
            "StackOverflowError", StackOverflowError.class,
            "OutOfMemoryError", OutOfMemoryError.class);

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : KINDS.keySet()) {
            for (String throwable : THROWERS.keySet()) {
                out.add(Arguments.of(kind, throwable));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} throws {1}")
    @MethodSource("matrix")
    void callbackThrowsIsRethrownFromRun(String kind, String throwable) {
        KINDS.get(kind).arm(loop, THROWERS.get(throwable).get());
        Throwable thrown = assertThrows(Throwable.class, loop::run);
        assertInstanceOf(EXPECTED.get(throwable), thrown);
        loop.run(); // whatever the stopped iteration left finishes; nothing is rethrown again
    }

    static Stream<String> kinds() {
        return KINDS.keySet().stream();
    }

    @ParameterizedTest(name = "{0}: the handler throws too")
    @MethodSource("kinds")
    void handlerThatThrowsKeepsBothForEveryKind(String kind) {
        RuntimeException inHandler = new RuntimeException("in the handler");
        IllegalArgumentException bad = new IllegalArgumentException("in the callback");
        loop.setExceptionHandler(e -> {
            throw inHandler;
        });
        KINDS.get(kind).arm(loop, () -> {
            throw bad;
        });
        Throwable thrown = assertThrows(Throwable.class, loop::run);
        List<Throwable> reachable = new ArrayList<>(List.of(thrown));
        reachable.addAll(Arrays.asList(thrown.getSuppressed()));
        assertTrue(reachable.contains(bad) && reachable.contains(inHandler), kind + ": " + reachable);
        loop.run();
    }

    @ParameterizedTest(name = "{0}: a handler that carries on")
    @MethodSource("kinds")
    void handlerThatCarriesOnSeesEveryKind(String kind) {
        List<Throwable> handled = new ArrayList<>();
        loop.setExceptionHandler(handled::add);
        IllegalArgumentException bad = new IllegalArgumentException(kind);
        KINDS.get(kind).arm(loop, () -> {
            throw bad;
        });
        assertFalse(loop.run());
        assertEquals(List.of(bad), handled);
    }

    private static int depth;

    static void recurse() {
        depth++;
        recurse();
    }
}
