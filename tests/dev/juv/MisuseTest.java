package dev.juv;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.Native;
import dev.juv.support.LoopChecks;
import dev.juv.support.Matrix;
import dev.juv.support.Tags;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Misuse is an exception, never a libuv assertion: every public method of every simple handle
 * after close(), while closing, inside its close callback and after Loop.close(); calls from a
 * foreign thread while the loop runs; Loop.close() with open handles; run() re-entered or run on
 * two threads; null callbacks and negative times.
 */
@Timeout(60)
@Tag(Tags.THREADS)
class MisuseTest extends UvTestCase {

    /** One public method of one handle kind, called with valid arguments. */
    record Op(String kind, String key, Function<Loop, Handle> make, Consumer<Handle> call) {
        @Override
        public String toString() {
            return kind + "." + key;
        }
    }

    /** How each kind is made. */
    static final Map<String, Function<Loop, Handle>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("Timer", Timer::new);
        KINDS.put("Idle", Idle::new);
        KINDS.put("Prepare", Prepare::new);
        KINDS.put("Check", Check::new);
        KINDS.put("Async", l -> new Async(l, a -> {}));
        KINDS.put("Signal", Signal::new);
    }

    static final Map<String, Class<? extends Handle>> CLASSES = Map.of("Timer", Timer.class, "Idle", Idle.class,
            "Prepare", Prepare.class, "Check", Check.class, "Async", Async.class, "Signal", Signal.class);

    /** Methods that are fine in any state and on any thread: they touch no native memory. */
    static final Set<String> ALWAYS_ALLOWED = Set.of("loop/0", "type/0", "close/0", "isClosing/0", "isClosed/0",
            "isOpen/0", "closeAsync/0", // a state flag, and a close handed to the loop thread: any state, any thread
            "data/0", "setData/1", "toString/0");

    @SuppressWarnings("unchecked")
    private static <H extends Handle> void add(List<Op> out, String kind, String key, Consumer<H> call) {
        out.add(new Op(kind, key, KINDS.get(kind), h -> call.accept((H) h)));
    }

    /** Every method that must refuse a closing or closed handle. */
    static List<Op> ops() {
        List<Op> out = new ArrayList<>();
        for (String kind : KINDS.keySet()) {
            add(out, kind, "isActive/0", Handle::isActive);
            add(out, kind, "ref/0", Handle::ref);
            add(out, kind, "unref/0", Handle::unref);
            add(out, kind, "hasRef/0", Handle::hasRef);
            add(out, kind, "fileno/0", Handle::fileno);
            add(out, kind, "sendBufferSize/0", Handle::sendBufferSize);
            add(out, kind, "setSendBufferSize/1", (Handle h) -> h.setSendBufferSize(4096));
            add(out, kind, "recvBufferSize/0", Handle::recvBufferSize);
            add(out, kind, "setRecvBufferSize/1", (Handle h) -> h.setRecvBufferSize(4096));
            add(out, kind, "close/1", (Handle h) -> h.close(x -> {}));
        }
        add(out, "Timer", "start/3", (Timer t) -> t.start(x -> {}, 1, 0));
        add(out, "Timer", "stop/0", Timer::stop);
        add(out, "Timer", "again/0", Timer::again);
        add(out, "Timer", "repeat/0", Timer::repeat);
        add(out, "Timer", "setRepeat/1", (Timer t) -> t.setRepeat(5));
        add(out, "Timer", "dueIn/0", Timer::dueIn);
        add(out, "Idle", "start/1", (Idle h) -> h.start(x -> {}));
        add(out, "Idle", "stop/0", Idle::stop);
        add(out, "Prepare", "start/1", (Prepare h) -> h.start(x -> {}));
        add(out, "Prepare", "stop/0", Prepare::stop);
        add(out, "Check", "start/1", (Check h) -> h.start(x -> {}));
        add(out, "Check", "stop/0", Check::stop);
        add(out, "Async", "send/0", Async::send);
        add(out, "Signal", "start/2", (Signal s) -> s.start((x, n) -> {}, Signal.SIGUSR1));
        add(out, "Signal", "startOneshot/2", (Signal s) -> s.startOneshot((x, n) -> {}, Signal.SIGUSR1));
        add(out, "Signal", "stop/0", Signal::stop);
        add(out, "Signal", "signum/0", Signal::signum);
        return out;
    }

    /** Every method that a foreign thread must not call while the loop runs. */
    static Stream<Op> foreignOps() {
        List<Op> out = new ArrayList<>();
        for (Op op : ops()) {
            if (!op.key().equals("send/0")) { // Async.send is the one thread-safe call
                out.add(op);
            }
        }
        for (String kind : KINDS.keySet()) {
            add(out, kind, "close/0", Handle::close);
        }
        return out.stream();
    }

    static Stream<String> kinds() {
        return KINDS.keySet().stream();
    }

    // ---- the matrix is complete ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyPublicMethodIsInTheMatrix(String kind) {
        Set<String> methods = new TreeSet<>();
        for (Method m : CLASSES.get(kind).getMethods()) {
            if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String key = m.getName() + "/" + m.getParameterCount();
            if (!ALWAYS_ALLOWED.contains(key)) {
                methods.add(key);
            }
        }
        Set<String> covered = new TreeSet<>();
        for (Op op : ops()) {
            if (op.kind().equals(kind)) {
                covered.add(op.key());
            }
        }
        assertEquals(methods, covered, "public methods of " + kind + " against the misuse matrix");
    }

    // ---- closed, closing, in the close callback, after Loop.close ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void afterClose(Op op) {
        Handle h = op.make().apply(loop);
        h.close();
        loop.run();
        assertTrue(h.isClosed());
        HandleClosedException e = assertThrows(HandleClosedException.class, () -> op.call().accept(h));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(loop.handles().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void whileClosing(Op op) {
        Handle h = op.make().apply(loop);
        h.close();
        assertTrue(h.isClosing());
        assertFalse(h.isClosed());
        HandleClosedException e = assertThrows(HandleClosedException.class, () -> op.call().accept(h));
        assertTrue(e.getMessage().contains("closing"), e.getMessage());
        loop.run();
        assertTrue(h.isClosed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void insideItsCloseCallback(Op op) {
        Handle h = op.make().apply(loop);
        AtomicReference<Throwable> got = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        h.close(x -> {
            calls.incrementAndGet();
            try {
                op.call().accept(x);
            } catch (Throwable t) {
                got.set(t);
            }
        });
        loop.run();
        assertEquals(1, calls.get());
        assertInstanceOf(HandleClosedException.class, got.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void afterLoopClose(Op op) {
        long base = Native.liveBytes();
        Loop other = new Loop();
        Handle h = op.make().apply(other);
        h.close();
        other.run();
        other.close();
        assertTrue(other.isClosed());
        assertThrows(HandleClosedException.class, () -> op.call().accept(h));
        assertDoesNotThrow(() -> h.close());
        assertEquals(base, Native.liveBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void closedInsideAnotherHandlesCallbackThenUsed(Op op) {
        Handle h = op.make().apply(loop);
        AtomicReference<Throwable> got = new AtomicReference<>();
        Timer t = new Timer(loop);
        t.start(x -> {
            x.close();
            h.close();
            try {
                op.call().accept(h);
            } catch (Throwable e) {
                got.set(e);
            }
        }, 0, 0);
        loop.run();
        assertInstanceOf(HandleClosedException.class, got.get());
        assertTrue(h.isClosed());
    }

    // ---- close itself ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void closeIsIdempotentAndTheCallbackRunsOnce(String kind) {
        Handle h = KINDS.get(kind).apply(loop);
        AtomicInteger calls = new AtomicInteger();
        h.close(x -> calls.incrementAndGet());
        h.close();
        h.close();
        assertThrows(HandleClosedException.class, () -> h.close(x -> calls.incrementAndGet()));
        loop.run();
        h.close();
        assertThrows(HandleClosedException.class, () -> h.close(x -> calls.incrementAndGet()));
        loop.run();
        assertEquals(1, calls.get());
        assertTrue(h.isClosed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void closeInsideItsOwnCloseCallbackIsANoOp(String kind) {
        Handle h = KINDS.get(kind).apply(loop);
        AtomicInteger calls = new AtomicInteger();
        h.close(x -> {
            calls.incrementAndGet();
            x.close();
        });
        loop.run();
        assertEquals(1, calls.get());
    }

    // ---- foreign threads ----

    /** Runs {@code action} on a new thread while the loop runs, and returns what it threw. */
    private Throwable fromForeignThreadWhileRunning(Runnable action, Handle... toClose) {
        AtomicReference<Throwable> got = new AtomicReference<>();
        AtomicInteger ran = new AtomicInteger();
        Timer driver = new Timer(loop);
        driver.start(t -> {
            Thread th = new Thread(() -> {
                try {
                    action.run();
                    ran.incrementAndGet();
                } catch (Throwable e) {
                    got.set(e);
                }
            }, "foreign");
            th.start();
            try {
                th.join(10_000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            t.close();
            for (Handle h : toClose) {
                h.close();
            }
        }, 0, 0);
        loop.run();
        assertEquals(0, ran.get(), "the foreign call returned normally");
        assertNotNull(got.get());
        return got.get();
    }

    private static void assertForeignRefusal(Throwable e) {
        assertInstanceOf(IllegalStateException.class, e);
        assertFalse(e instanceof HandleClosedException, "wrong refusal: " + e);
        assertTrue(e.getMessage().contains("thread"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignOps")
    void foreignThreadWhileTheLoopRuns(Op op) {
        Handle h = op.make().apply(loop);
        Throwable e = fromForeignThreadWhileRunning(() -> op.call().accept(h), h);
        assertForeignRefusal(e);
        assertTrue(h.isClosed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void foreignThreadCannotCreateAHandleWhileTheLoopRuns(String kind) {
        long base = Native.liveBytes();
        Throwable e = fromForeignThreadWhileRunning(() -> KINDS.get(kind).apply(loop));
        assertForeignRefusal(e);
        assertEquals(base, Native.liveBytes());
    }

    @Test
    void asyncSendIsFineFromAForeignThread() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Async a = new Async(loop, x -> {
            calls.incrementAndGet();
            x.close();
        });
        Thread th = new Thread(a::send);
        th.start();
        th.join();
        loop.run();
        assertEquals(1, calls.get());
    }

    @Test
    void handlesMayBeUsedFromAnotherThreadWhileTheLoopIsNotRunning() throws Exception {
        Timer t = new Timer(loop);
        AtomicReference<Throwable> got = new AtomicReference<>();
        Thread th = new Thread(() -> {
            try {
                t.start(x -> x.close(), 1, 0);
            } catch (Throwable e) {
                got.set(e);
            }
        });
        th.start();
        th.join();
        assertEquals(null, got.get());
        loop.run();
        assertTrue(t.isClosed());
    }

    /** A loop method a foreign thread may not call while the loop runs. */
    record LoopOp(String name, Consumer<Loop> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<LoopOp> loopOps() {
        return Stream.of(
                new LoopOp("now", Loop::now),
                new LoopOp("updateTime", Loop::updateTime),
                new LoopOp("isAlive", Loop::isAlive),
                new LoopOp("backendFd", Loop::backendFd),
                new LoopOp("backendTimeout", Loop::backendTimeout),
                new LoopOp("handles", Loop::handles),
                new LoopOp("queueWork", l -> l.queueWork(() -> {}, null)),
                new LoopOp("Sys.random", l -> Sys.random(l, 4, (b, e) -> {})),
                new LoopOp("run", Loop::run),
                new LoopOp("run(NOWAIT)", l -> l.run(RunMode.NOWAIT)),
                new LoopOp("close", Loop::close));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loopOps")
    void loopMethodFromAForeignThreadWhileItRuns(LoopOp op) {
        Throwable e = fromForeignThreadWhileRunning(() -> op.call().accept(loop));
        assertInstanceOf(IllegalStateException.class, e);
        assertFalse(e instanceof HandleClosedException, e.toString());
        assertFalse(loop.isClosed());
    }

    static Stream<LoopOp> loopOpsRefusedAfterClose() {
        return loopOps().filter(op -> !op.name().equals("close"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loopOpsRefusedAfterClose")
    void loopMethodAfterClose(LoopOp op) {
        Loop other = new Loop();
        other.close();
        assertThrows(HandleClosedException.class, () -> op.call().accept(other));
    }

    @Test
    void theOtherLoopMethodsAfterClose() {
        Loop other = new Loop();
        other.close();
        assertDoesNotThrow(() -> other.close());
        assertDoesNotThrow(() -> other.stop());
        assertTrue(other.isClosed());
        assertFalse(other.isLoopThread());
        assertThrows(RejectedExecutionException.class, () -> other.execute(() -> {}));
        for (Function<Loop, Handle> make : KINDS.values()) {
            assertThrows(HandleClosedException.class, () -> make.apply(other));
        }
    }

    @Test
    void stopAndExecuteAreFineFromAForeignThread() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        Async keep = new Async(loop, a -> {});
        CountDownLatch running = new CountDownLatch(1);
        Prepare p = new Prepare(loop);
        p.start(x -> running.countDown());
        Thread th = new Thread(() -> {
            try {
                running.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            loop.execute(() -> {
                ran.incrementAndGet();
                keep.close();
                p.close();
            });
        });
        th.start();
        loop.run();
        th.join();
        assertEquals(1, ran.get());
        Thread stopper = new Thread(loop::stop);
        stopper.start();
        stopper.join();
        loop.run(RunMode.NOWAIT);
    }

    // ---- Loop.close with handles open or requests outstanding ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void loopCloseWithAnOpenHandleIsBusy(String kind) {
        Loop other = new Loop();
        Handle h = KINDS.get(kind).apply(other);
        UvException e = assertThrows(UvException.class, other::close);
        assertEquals(Errno.EBUSY, e.code());
        assertFalse(other.isClosed());
        h.close();
        other.close(); // a handle that is only closing is finished by close() itself
        assertTrue(other.isClosed());
        assertTrue(h.isClosed(), "the closing handle's close callback ran inside Loop.close()");
    }

    @Test
    void loopCloseWithARequestOutstandingIsBusy() {
        Loop other = new Loop();
        AtomicInteger after = new AtomicInteger();
        other.queueWork(() -> {}, err -> after.incrementAndGet());
        UvException e = assertThrows(UvException.class, other::close);
        assertEquals(Errno.EBUSY, e.code());
        other.run();
        assertEquals(1, after.get());
        other.close();
    }

    @Test
    void loopCloseFromItsOwnCallbackIsRefused() {
        AtomicReference<Throwable> got = new AtomicReference<>();
        Timer t = new Timer(loop);
        t.start(x -> {
            x.close();
            try {
                loop.close();
            } catch (Throwable e) {
                got.set(e);
            }
        }, 0, 0);
        loop.run();
        assertInstanceOf(IllegalStateException.class, got.get());
        assertFalse(loop.isClosed());
    }

    // ---- run() re-entered, run() on two threads ----

    /** A callback kind that can call back into the loop. */
    enum Kind {
        TIMER, IDLE, PREPARE, CHECK, ASYNC, CLOSE, EXECUTE, WORK_AFTER, RANDOM
    }

    /** Arranges for {@code body} to run once inside a callback of the given kind. */
    static void inCallback(Loop loop, Kind kind, Runnable body) {
        switch (kind) {
            case TIMER -> new Timer(loop).start(t -> {
                t.close();
                body.run();
            }, 0, 0);
            case IDLE -> new Idle(loop).start(t -> {
                t.close();
                body.run();
            });
            case PREPARE -> new Prepare(loop).start(t -> {
                t.close();
                body.run();
            });
            case CHECK -> {
                Check c = new Check(loop);
                c.start(t -> {
                    t.close();
                    body.run();
                });
                new Timer(loop).start(Handle::close, 0, 0); // one iteration, so check runs
            }
            case ASYNC -> new Async(loop, a -> {
                a.close();
                body.run();
            }).send();
            case CLOSE -> new Timer(loop).close(t -> body.run());
            case EXECUTE -> loop.execute(body);
            case WORK_AFTER -> loop.queueWork(() -> {}, err -> body.run());
            case RANDOM -> Sys.random(loop, 8, (b, err) -> body.run());
        }
    }

    static Stream<Arguments> reentry() {
        return Matrix.pairs(Kind.values(), RunMode.values());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("reentry")
    void runReenteredFromACallbackReachesRun(Kind kind, RunMode mode) {
        AtomicInteger reached = new AtomicInteger();
        inCallback(loop, kind, () -> {
            reached.incrementAndGet();
            loop.run(mode);
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, loop::run);
        assertFalse(e instanceof HandleClosedException);
        assertTrue(e.getMessage().contains("inside"), e.getMessage());
        assertEquals(1, reached.get());
        // the loop is still usable
        loop.run();
        LoopChecks.assertStillRuns(loop);
    }

    @Test
    void runOnTwoThreadsAtOnce() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Async wake = new Async(loop, a -> a.close());
        Prepare p = new Prepare(loop);
        p.start(x -> {
            running.countDown();
            x.close();
        });
        AtomicReference<Throwable> inThread = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable t) {
                inThread.set(t);
            } finally {
                release.countDown();
            }
        }, "runner");
        runner.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        IllegalStateException e = assertThrows(IllegalStateException.class, loop::run);
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> loop.run(RunMode.NOWAIT));
        assertThrows(IllegalStateException.class, loop::close);
        wake.send();
        assertTrue(release.await(10, TimeUnit.SECONDS));
        runner.join();
        assertEquals(null, inThread.get());
        assertTrue(wake.isClosed());
    }

    @Test
    void runFromAForeignThreadInsideACallback() {
        Throwable e = fromForeignThreadWhileRunning(loop::run);
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
    }

    // ---- null and negative arguments ----

    record Bad(String name, Class<? extends Throwable> expected, Executable call) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Calls that must be refused before any native call, given a loop with one of each handle. */
    static List<Bad> bad(Loop loop, Timer t, Idle i, Prepare p, Check c, Signal s) {
        Class<NullPointerException> npe = NullPointerException.class;
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        HandleCallback<Timer> tcb = x -> {};
        Signal.Callback scb = (x, n) -> {};
        List<Bad> out = new ArrayList<>(List.of(
                new Bad("Timer.start(null)", npe, () -> t.start(null, 0, 0)),
                new Bad("Idle.start(null)", npe, () -> i.start(null)),
                new Bad("Prepare.start(null)", npe, () -> p.start(null)),
                new Bad("Check.start(null)", npe, () -> c.start(null)),
                new Bad("Signal.start(null)", npe, () -> s.start(null, Signal.SIGUSR1)),
                new Bad("Signal.startOneshot(null)", npe, () -> s.startOneshot(null, Signal.SIGUSR1)),
                new Bad("new Async(loop, null)", npe, () -> new Async(loop, null)),
                new Bad("new Timer(null)", npe, () -> new Timer(null)),
                new Bad("new Idle(null)", npe, () -> new Idle(null)),
                new Bad("new Prepare(null)", npe, () -> new Prepare(null)),
                new Bad("new Check(null)", npe, () -> new Check(null)),
                new Bad("new Async(null, cb)", npe, () -> new Async(null, a -> {})),
                new Bad("new Signal(null)", npe, () -> new Signal(null)),
                new Bad("Timer.close(null)", npe, () -> t.close(null)),
                new Bad("Idle.close(null)", npe, () -> i.close(null)),
                new Bad("Signal.close(null)", npe, () -> s.close(null)),
                new Bad("Loop.execute(null)", npe, () -> loop.execute(null)),
                new Bad("Loop.queueWork(null, after)", npe, () -> loop.queueWork(null, e -> {})),
                new Bad("Loop.run(null)", npe, () -> loop.run(null)),
                new Bad("Sys.random(loop, n, null)", npe, () -> Sys.random(loop, 4, null)),
                new Bad("Sys.random(null, n, cb)", npe, () -> Sys.random(null, 4, (b, e) -> {})),
                new Bad("Timer.start(timeout -1)", iae, () -> t.start(tcb, -1, 0)),
                new Bad("Timer.start(timeout MIN)", iae, () -> t.start(tcb, Long.MIN_VALUE, 0)),
                new Bad("Timer.start(repeat -1)", iae, () -> t.start(tcb, 0, -1)),
                new Bad("Timer.start(repeat MIN)", iae, () -> t.start(tcb, 0, Long.MIN_VALUE)),
                new Bad("Timer.setRepeat(-1)", iae, () -> t.setRepeat(-1)),
                new Bad("Timer.setSendBufferSize(0)", iae, () -> t.setSendBufferSize(0)),
                new Bad("Timer.setRecvBufferSize(-1)", iae, () -> t.setRecvBufferSize(-1)),
                new Bad("Sys.sleep(-1)", iae, () -> Sys.sleep(-1)),
                new Bad("Sys.random(-1)", iae, () -> Sys.random(-1)),
                new Bad("Sys.random(loop, -1, cb)", iae, () -> Sys.random(loop, -1, (b, e) -> {})),
                new Bad("Sys.guessHandle(-1)", iae, () -> Sys.guessHandle(-1)),
                new Bad("Signal.start(0)", iae, () -> s.start(scb, 0)),
                new Bad("Signal.start(-1)", iae, () -> s.start(scb, -1)),
                new Bad("Signal.start(128)", iae, () -> s.start(scb, 128)),
                new Bad("Signal.start(MAX)", iae, () -> s.start(scb, Integer.MAX_VALUE)),
                new Bad("Signal.start(SIGKILL)", iae, () -> s.start(scb, Signal.SIGKILL)),
                new Bad("Signal.start(SIGSTOP)", iae, () -> s.start(scb, Signal.SIGSTOP)),
                new Bad("Signal.startOneshot(SIGKILL)", iae, () -> s.startOneshot(scb, Signal.SIGKILL)),
                new Bad("Signal.startOneshot(0)", iae, () -> s.startOneshot(scb, 0))));
        return out;
    }

    static Stream<String> badNames() {
        List<String> names = new ArrayList<>();
        for (Bad b : bad(null, null, null, null, null, null)) {
            names.add(b.name());
        }
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badNames")
    void badArgumentsAreRefusedAndChangeNothing(String name) {
        Timer t = new Timer(loop);
        Idle i = new Idle(loop);
        Prepare p = new Prepare(loop);
        Check c = new Check(loop);
        Signal s = new Signal(loop);
        Bad b = bad(loop, t, i, p, c, s).stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        int handles = loop.handles().size();
        long bytes = Native.liveBytes();
        assertThrows(b.expected(), b.call());
        assertEquals(handles, loop.handles().size());
        assertEquals(bytes, Native.liveBytes(), "native memory left behind by a refused call");
        for (Handle h : loop.handles()) {
            assertFalse(h.isActive(), h + " became active");
            h.close();
        }
        loop.run();
    }

    @Test
    void aLastingStartAfterAOneshotStartIsALastingWatcher() {
        // juv emulates one-shot watchers, so libuv never marks the handle one-shot for good
        Signal s = new Signal(loop);
        s.startOneshot((x, n) -> {}, Signal.SIGUSR1);
        s.stop();
        assertEquals(0, s.signum());
        s.start((x, n) -> {}, Signal.SIGUSR1);
        assertEquals(Signal.SIGUSR1, s.signum());
        s.startOneshot((x, n) -> {}, Signal.SIGUSR1);
        assertEquals(Signal.SIGUSR1, s.signum());
        s.close();
        loop.run();
    }

    @ParameterizedTest
    @EnumSource(RunMode.class)
    void runOnAnEmptyLoopReturnsAtOnce(RunMode mode) {
        assertFalse(loop.run(mode));
    }
}
