package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pyuv's tests/test_basetype.py (what applies in Java: a handle is a Handle and carries the
 * user's own object), then what every handle type of the foundation offers and refuses.
 */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class HandleTypesTest extends UvTestCase {

    // ---- pyuv parity ----

    private void carriesUserData(Handle handle, HandleType type) {
        assertInstanceOf(Handle.class, handle);
        assertEquals(type, handle.type());
        assertSame(loop, handle.loop());
        assertNull(handle.data());
        Object mine = new Object();
        handle.setData(mine);
        assertSame(mine, handle.data());
        AtomicReference<Handle> closed = new AtomicReference<>();
        handle.close(h -> closed.set(h));
        loop.run();
        assertSame(handle, closed.get(), "the close callback gets the handle");
        assertTrue(handle.isClosed());
        assertSame(mine, handle.data(), "the user's object stays with the closed handle");
    }

    @Test
    void timerCarriesUserData() {
        carriesUserData(new Timer(loop), HandleType.TIMER);
    }

    @Test
    void tcpCarriesUserData() {
        Tcp tcp = new Tcp(loop);
        assertInstanceOf(dev.juv.Stream.class, tcp);
        carriesUserData(tcp, HandleType.TCP);
    }

    @Test
    void udpCarriesUserData() {
        carriesUserData(new Udp(loop), HandleType.UDP);
    }

    @Test
    void pollCarriesUserData() {
        int fd = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
        try {
            carriesUserData(new Poll(loop, fd), HandleType.POLL);
        } finally {
            assertEquals(0, TestLibc.close(fd));
        }
    }

    @Test
    void pipeCarriesUserData() {
        Pipe pipe = new Pipe(loop, false);
        assertInstanceOf(dev.juv.Stream.class, pipe);
        carriesUserData(pipe, HandleType.NAMED_PIPE);
    }

    @Test
    void asyncCarriesUserData() {
        carriesUserData(new Async(loop, a -> {}), HandleType.ASYNC);
    }

    @Test
    void prepareCarriesUserData() {
        carriesUserData(new Prepare(loop), HandleType.PREPARE);
    }

    @Test
    void idleCarriesUserData() {
        carriesUserData(new Idle(loop), HandleType.IDLE);
    }

    @Test
    void checkCarriesUserData() {
        carriesUserData(new Check(loop), HandleType.CHECK);
    }

    @Test
    void signalCarriesUserData() {
        carriesUserData(new Signal(loop), HandleType.SIGNAL);
    }

    @Test
    void fsPollCarriesUserData() {
        carriesUserData(new FsPoll(loop), HandleType.FS_POLL);
    }

    @Test
    void fsEventCarriesUserData() {
        carriesUserData(new FsEvent(loop), HandleType.FS_EVENT);
    }

    @Test
    void childProcessCarriesUserData() {
        // a ChildProcess exists only once spawned: the exit callback reads the data back and closes
        Object mine = new Object();
        AtomicReference<Object> seen = new AtomicReference<>();
        AtomicReference<Handle> closed = new AtomicReference<>();
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("true"), (proc, status, signal) -> {
            seen.set(proc.data());
            proc.close(h -> closed.set(h));
        });
        assertInstanceOf(Handle.class, p);
        assertEquals(HandleType.PROCESS, p.type());
        p.setData(mine);
        loop.run();
        assertSame(mine, seen.get(), "the exit callback sees the same instance");
        assertSame(p, closed.get());
        assertTrue(p.isClosed());
    }

    // ---- every type of the foundation (MisuseTest covers use after close and from other threads) ----

    /** One kind of handle and how to make it. */
    private record Kind(String name, Function<Loop, Handle> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(new Kind("Timer", Timer::new), new Kind("Idle", Idle::new),
                new Kind("Prepare", Prepare::new), new Kind("Check", Check::new),
                new Kind("Async", l -> new Async(l, a -> {})), new Kind("Signal", Signal::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void noDescriptorAndNoSocketBuffers(Kind kind) {
        Handle h = kind.make().apply(loop);
        assertEquals(Errno.EINVAL, assertThrows(UvException.class, h::fileno).code());
        assertEquals(Errno.ENOTSUP, assertThrows(UvException.class, h::sendBufferSize).code());
        assertEquals(Errno.ENOTSUP, assertThrows(UvException.class, h::recvBufferSize).code());
        assertThrows(IllegalArgumentException.class, () -> h.setSendBufferSize(0));
        assertThrows(IllegalArgumentException.class, () -> h.setRecvBufferSize(-1));
        h.close();
        loop.run();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void refFlagsAndCloseCallbackRules(Kind kind) {
        Handle h = kind.make().apply(loop);
        assertTrue(h.hasRef());
        h.unref();
        h.unref();
        assertFalse(h.hasRef());
        h.ref();
        assertTrue(h.hasRef());
        AtomicInteger closes = new AtomicInteger();
        h.close(x -> closes.incrementAndGet());
        assertThrows(HandleClosedException.class, () -> h.close(x -> closes.incrementAndGet()),
                "a second callback is never silently dropped");
        assertThrows(NullPointerException.class, () -> kind.make().apply(loop).close(null));
        for (Handle other : loop.handles()) {
            other.close();
        }
        loop.run();
        assertEquals(1, closes.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void createdOnOneThreadRunOnAnother(Kind kind) throws InterruptedException {
        Handle h = kind.make().apply(loop);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                new Timer(loop).start(t -> {
                    t.close();
                    h.close();
                }, 0, 0);
                loop.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        runner.start();
        runner.join(10_000);
        assertNull(failure.get());
        assertTrue(h.isClosed());
    }

    // ---- Idle, Prepare and Check share one shape ----

    /** Starts one of the three with a callback. */
    private interface Starter {
        void start(Handle h, Consumer<Handle> callback);
    }

    private static final Map<String, Starter> STARTERS = new LinkedHashMap<>();

    static {
        STARTERS.put("Idle", (h, cb) -> ((Idle) h).start(cb::accept));
        STARTERS.put("Prepare", (h, cb) -> ((Prepare) h).start(cb::accept));
        STARTERS.put("Check", (h, cb) -> ((Check) h).start(cb::accept));
    }

    private static final Map<String, Function<Loop, Handle>> MAKERS = Map.of(
            "Idle", Idle::new, "Prepare", Prepare::new, "Check", Check::new);

    private static final Map<String, Consumer<Handle>> STOPPERS = Map.of(
            "Idle", h -> ((Idle) h).stop(), "Prepare", h -> ((Prepare) h).stop(), "Check", h -> ((Check) h).stop());

    static Stream<String> iterationHandles() {
        return STARTERS.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("iterationHandles")
    void restartReplacesTheCallback(String name) {
        Handle h = MAKERS.get(name).apply(loop);
        List<String> calls = new ArrayList<>();
        STARTERS.get(name).start(h, x -> calls.add("first"));
        STARTERS.get(name).start(h, x -> {
            calls.add("second");
            x.close();
        });
        assertTrue(h.isActive());
        Timer wake = new Timer(loop); // lets the loop pass its poll phase, for Check
        wake.start(Timer::close, 0, 0);
        loop.run();
        assertEquals(List.of("second"), calls);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("iterationHandles")
    void stoppedHandleStaysQuiet(String name) {
        Handle h = MAKERS.get(name).apply(loop);
        AtomicInteger calls = new AtomicInteger();
        STARTERS.get(name).start(h, x -> calls.incrementAndGet());
        STOPPERS.get(name).accept(h);
        STOPPERS.get(name).accept(h);
        assertFalse(h.isActive());
        assertFalse(loop.run(), "a stopped handle does not keep the loop alive");
        assertEquals(0, calls.get());
        h.close();
        loop.run();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("iterationHandles")
    void nullCallbackIsRejected(String name) {
        Handle h = MAKERS.get(name).apply(loop);
        assertThrows(NullPointerException.class, () -> {
            switch (h) {
                case Idle i -> i.start(null);
                case Prepare p -> p.start(null);
                case Check c -> c.start(null);
                default -> throw new AssertionError(h);
            }
        });
        assertFalse(h.isActive());
        h.close();
        loop.run();
    }

    // ---- HandleType ----

    @Test
    void handleTypeCodesRoundTrip() {
        Set<Integer> codes = new HashSet<>();
        for (HandleType t : HandleType.values()) {
            if (t == HandleType.UNKNOWN_HANDLE) {
                assertEquals(0, t.code());
                continue;
            }
            assertTrue(t.code() > 0, t + " has a code");
            assertTrue(codes.add(t.code()), t + " has its own code");
            assertEquals(t, HandleType.of(t.code()));
        }
        assertEquals(HandleType.UNKNOWN_HANDLE, HandleType.of(-1));
        assertEquals(HandleType.UNKNOWN_HANDLE, HandleType.of(10_000));
    }
}
