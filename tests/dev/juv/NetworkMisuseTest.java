package dev.juv;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.CleanupGate;
import dev.juv.support.StandIns;
import dev.juv.support.TestLibc;
import dev.juv.support.TestPty;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R-M1 over the network and watcher handles: every public instance method of Tcp, Pipe, Tty, Udp,
 * Poll, FsEvent and FsPoll, found by reflection so none is forgotten, called with valid arguments
 * after close, while closing and after Loop.close must throw HandleClosedException; from a foreign
 * thread while the loop runs, IllegalStateException (and change nothing).
 */
@Timeout(60)
@ExtendWith(CleanupGate.class)
class NetworkMisuseTest extends UvTestCase {
    /** Methods any state allows: plain Java state, or documented as idempotent. */
    static final Set<String> ALWAYS_ALLOWED = Set.of("loop", "type", "data", "setData", "isClosing", "isClosed",
            "isIpc", "toString", "equals", "hashCode", "getClass", "notify", "notifyAll", "wait", "isOpen",
            "inputStream", "outputStream");
    /**
     * Writes, shutdowns and sends on a closing or closed handle are races of the network, not
     * misuse: they return (the callback gets ECANCELED later); the try forms report ECANCELED.
     */
    static final Set<String> RACES = Set.of("write", "shutdown", "send");
    static final Set<String> TRY_RACES = Set.of("tryWrite", "trySend");

    /** The {@code …Async} methods are safe from any thread and report through their future. */
    static boolean anyThread(Method m) {
        return m.getName().endsWith("Async") || ALWAYS_ALLOWED.contains(m.getName());
    }
    /** close() is idempotent once closing; from a foreign thread it is refused like the rest. */
    static final String CLOSE = "close";

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeExtras() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    static Stream<String> kinds() {
        return Stream.of("Tcp", "Pipe", "Tty", "Udp", "Poll", "FsEvent", "FsPoll");
    }

    private Handle make(String kind, Loop l) {
        return switch (kind) {
            case "Tcp" -> new Tcp(l);
            case "Pipe" -> new Pipe(l, true);
            case "Tty" -> {
                TestPty pty = TestPty.open(80, 24);
                assumeTrue(pty != null, "no pseudo-terminal here");
                cleanup.add(pty);
                int fd = pty.openSlave();
                // libuv reopens a terminal for itself: the descriptor given stays the caller's
                cleanup.add(() -> TestLibc.close(fd));
                yield new Tty(l, fd, true);
            }
            case "Udp" -> new Udp(l);
            case "Poll" -> {
                int fd = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_DGRAM);
                cleanup.add(() -> TestLibc.close(fd));
                yield new Poll(l, fd);
            }
            case "FsEvent" -> new FsEvent(l);
            case "FsPoll" -> new FsPoll(l);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** A valid value for each parameter type (callbacks are do-nothing stand-ins). */
    private Object argument(Class<?> type, Loop l, Handle self) {
        if (Handle.class.isAssignableFrom(type)) {
            Handle other = type == Handle.class || type == dev.juv.Stream.class || type == Tcp.class ? new Tcp(l)
                    : type == Pipe.class ? new Pipe(l) : type == Udp.class ? new Udp(l) : null;
            if (other == null) {
                throw new IllegalStateException("no handle argument for " + type);
            }
            return other;
        }
        Object v = StandIns.plain(type, 1, self instanceof Udp ? "239.255.0.1" : dir.resolve("name").toString());
        if (v == null) {
            throw new IllegalStateException("no argument for " + type);
        }
        return v;
    }

    /** Every public instance method the handle's class has, itself or inherited, but Object's. */
    static List<Method> methods(Class<?> c) {
        List<Method> out = new ArrayList<>();
        for (Method m : c.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class && !m.isSynthetic()
                    && !m.isBridge()) {
                out.add(m);
            }
        }
        return out;
    }

    /** Calls {@code m} on {@code h}; the exception it threw, or null. Handles made as arguments are listed. */
    private Throwable call(Handle h, Method m, Loop l, List<Handle> made) {
        Object[] args = new Object[m.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = argument(m.getParameterTypes()[i], l, h);
            if (args[i] instanceof Handle a) {
                made.add(a);
            }
        }
        try {
            m.invoke(h, args);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every guarded method of a closing or closed handle throws HandleClosedException. */
    private int assertAllRefused(Handle h, Loop argLoop, boolean closeIsIdempotent) {
        List<Handle> made = new ArrayList<>();
        int checked = 0;
        for (Method m : methods(h.getClass())) {
            if (anyThread(m)) {
                continue;
            }
            Throwable t = call(h, m, argLoop, made);
            if (m.getName().equals(CLOSE) && m.getParameterCount() == 0 && closeIsIdempotent) {
                assertTrue(t == null, "close() must be idempotent, got " + t);
                continue;
            }
            if (RACES.contains(m.getName())) {
                assertTrue(t == null, h + ": " + m + " is a race, not misuse; gave " + t);
                continue;
            }
            if (TRY_RACES.contains(m.getName())) {
                assertTrue(t instanceof UvException u && u.name().equals("ECANCELED"), h + ": " + m + " gave " + t);
                continue;
            }
            assertTrue(t instanceof HandleClosedException, h + ": " + m + " gave " + t);
            checked++;
        }
        for (Handle a : made) {
            a.close();
        }
        return checked;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyMethodAfterClose(String kind) {
        Handle h = make(kind, loop);
        h.close();
        loop.run();
        assertTrue(h.isClosed());
        int n = assertAllRefused(h, loop, true);
        loop.run();
        assertTrue(n >= 8, kind + ": only " + n + " methods checked");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyMethodWhileClosing(String kind) {
        Handle h = make(kind, loop);
        h.close();
        assertTrue(h.isClosing() && !h.isClosed());
        assertAllRefused(h, loop, true);
        loop.run();
        assertTrue(h.isClosed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyMethodAfterLoopClose(String kind) {
        Loop other = new Loop();
        Handle h = make(kind, other);
        h.close();
        other.run();
        other.close();
        // arguments that are handles come from the test's own loop, which is open
        assertAllRefused(h, loop, true);
        loop.run();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyMethodInsideItsOwnCloseCallback(String kind) {
        Handle h = make(kind, loop);
        int[] n = new int[1];
        h.close(x -> n[0] = assertAllRefused(x, loop, true));
        loop.run();
        assertTrue(n[0] >= 8, kind + ": only " + n[0] + " methods checked");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyMethodFromAForeignThreadWhileTheLoopRuns(String kind) throws Exception {
        Handle h = make(kind, loop);
        List<String> wrong = new ArrayList<>();
        int[] checked = new int[1];
        Timer t = new Timer(loop);
        t.start(x -> {
            Thread foreign = new Thread(() -> {
                for (Method m : methods(h.getClass())) {
                    if (anyThread(m)) {
                        continue;
                    }
                    Object[] args = new Object[m.getParameterCount()];
                    boolean handleArg = false;
                    for (int i = 0; i < args.length; i++) {
                        Class<?> p = m.getParameterTypes()[i];
                        // a handle cannot be made off the loop thread either: pass the handle itself
                        if (Handle.class.isAssignableFrom(p)) {
                            args[i] = p.isInstance(h) ? h : null;
                            handleArg = true;
                        } else {
                            args[i] = argument(p, loop, h);
                        }
                    }
                    Throwable e;
                    try {
                        m.invoke(h, args);
                        e = null;
                    } catch (InvocationTargetException ex) {
                        e = ex.getCause();
                    } catch (IllegalAccessException ex) {
                        e = ex;
                    }
                    boolean ok = e instanceof IllegalStateException && !(e instanceof HandleClosedException)
                            || handleArg && e instanceof NullPointerException;
                    if (!ok) {
                        wrong.add(m + " gave " + e);
                    }
                    checked[0]++;
                }
            }, "foreign");
            foreign.start();
            try {
                foreign.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        }, 0, 0);
        loop.run();
        assertTrue(wrong.isEmpty(), kind + ": " + wrong);
        assertFalse(h.isClosing(), "a refused call changed the handle");
        assertTrue(checked[0] >= 8);
        h.close();
        loop.run();
    }

    /** A sanity check of the reflection: it sees the methods a reader expects, inherited ones included. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void theReflectionSeesInheritedMethods(String kind) {
        Handle h = make(kind, loop);
        Function<String, Boolean> has = name -> methods(h.getClass()).stream().anyMatch(m -> m.getName().equals(name));
        for (String name : List.of("close", "ref", "unref", "hasRef", "isActive", "fileno", "setSendBufferSize")) {
            assertTrue(has.apply(name), kind + " lacks " + name);
        }
        if (h instanceof dev.juv.Stream) {
            assertTrue(has.apply("write") && has.apply("startRead") && has.apply("shutdown"));
        }
        h.close();
        loop.run();
    }
}
