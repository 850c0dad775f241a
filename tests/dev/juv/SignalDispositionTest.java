package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.juv.internal.Dispositions;
import dev.juv.programs.SignalKeep;
import dev.juv.support.Child;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signals the JVM depends on stay the JVM's: SIGPIPE never has its default action while juv
 * watches it, lets go of it, or fires a one-shot watcher (forked JVMs that raise SIGPIPE all the
 * while); SIGTERM still runs the shutdown hooks after thousands of watcher starts and stops; and
 * SIGCHLD is never taken from libuv's child watcher, so a child's exit is reported after a SIGCHLD
 * watcher stopped or closed while the child ran.
 */
@Timeout(120)
class SignalDispositionTest extends UvTestCase {
    static {
        Child.warmUp();
    }

    @ParameterizedTest(name = "SIGPIPE after {0}")
    @ValueSource(strings = {"oneshot", "stop", "close", "churn"})
    void sigpipeNeverHasItsDefaultAction(String mode) throws Exception {
        try (Child c = Child.start(SignalKeep.class.getName(), mode)) {
            int status = c.waitFor(Duration.ofSeconds(60));
            assertNotEquals(128 + Signal.SIGPIPE, status, "killed by SIGPIPE:\n" + c.output());
            assertEquals(0, status, "exit status; output:\n" + c.output());
            assertTrue(c.output().contains("SURVIVED"), c.output());
            c.assertNoCrash();
        }
    }

    @Test
    void sigtermRunsTheShutdownHooksAfterWatcherChurn() throws Exception {
        try (Child c = Child.start(SignalKeep.class.getName(), "term-churn")) {
            boolean ready = c.awaitLine("READY", Duration.ofSeconds(60));
            assumeFalse(c.output().contains("IGNORED"), "SIGTERM is ignored in this environment,"
                    + " so the JVM installs no handler for it");
            assertTrue(ready, "no READY line:\n" + c.output());
            c.signal(Signal.SIGTERM);
            int status = c.waitFor(Duration.ofSeconds(30));
            assertEquals(128 + Signal.SIGTERM, status, "exit status; output:\n" + c.output());
            assertTrue(c.output().contains(SignalKeep.MARKER), "the shutdown hooks did not run:\n" + c.output());
            c.assertNoCrash();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"start-stop", "start-close", "oneshot-stop", "stop-after-spawn-then-start-again"})
    void sigpipeActionIsTheSameAfterEveryWayOfLettingGo(String way) {
        long before = Dispositions.currentHandler(Signal.SIGPIPE);
        assertNotEquals(0L, before, "the JVM handles SIGPIPE");
        Signal s = new Signal(loop);
        switch (way) {
            case "start-stop" -> {
                s.start((h, n) -> { }, Signal.SIGPIPE);
                assertNotEquals(before, Dispositions.currentHandler(Signal.SIGPIPE), "libuv's handler while watched");
                s.stop();
            }
            case "start-close" -> {
                s.start((h, n) -> { }, Signal.SIGPIPE);
                s.close();
            }
            case "oneshot-stop" -> {
                s.startOneshot((h, n) -> { }, Signal.SIGPIPE);
                s.stop();
            }
            default -> {
                // a second cycle, when libuv sees juv's stand-in watcher and installs nothing itself
                s.start((h, n) -> { }, Signal.SIGPIPE);
                s.stop();
                s.start((h, n) -> { }, Signal.SIGPIPE);
                assertNotEquals(before, Dispositions.currentHandler(Signal.SIGPIPE), "libuv's handler again");
                s.stop();
            }
        }
        assertEquals(before, Dispositions.currentHandler(Signal.SIGPIPE));
        s.close();
        loop.run();
        assertEquals(before, Dispositions.currentHandler(Signal.SIGPIPE));
    }

    @Test
    void aSecondCycleStillDeliversTheSignal() throws Exception {
        // after the first watcher let go, juv reinstalls libuv's handler itself: it must work
        AtomicInteger got = new AtomicInteger();
        Signal s = new Signal(loop);
        s.start((h, n) -> got.incrementAndGet(), Signal.SIGPIPE);
        s.stop();
        s.start((h, n) -> {
            got.incrementAndGet();
            h.close();
        }, Signal.SIGPIPE);
        ChildProcess.kill((int) ProcessHandle.current().pid(), Signal.SIGPIPE);
        loop.run();
        assertEquals(1, got.get());
    }

    @ParameterizedTest(name = "SIGCHLD watcher {0} while the child runs")
    @ValueSource(strings = {"stopped", "closed", "one-shot, stopped", "switched to SIGUSR1"})
    void aChildsExitIsReportedAfterASigchldWatcherLetGo(String way) {
        Signal s = new Signal(loop);
        s.unref();
        if (way.startsWith("one-shot")) {
            s.startOneshot((h, n) -> { }, Signal.SIGCHLD);
        } else {
            s.start((h, n) -> { }, Signal.SIGCHLD);
        }
        AtomicLong status = new AtomicLong(-1);
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("sh", "-c", "sleep 0.3; exit 7"),
                (proc, st, term) -> {
                    status.set(st);
                    proc.close();
                });
        switch (way) {
            case "closed" -> s.close();
            case "switched to SIGUSR1" -> s.start((h, n) -> { }, Signal.SIGUSR1);
            default -> s.stop();
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        Timer guard = new Timer(loop);
        guard.start(t -> {
            timedOut.set(true);
            p.close();
        }, 20_000, 0);
        guard.unref();
        loop.run();
        guard.close();
        s.close();
        loop.run();
        assertFalse(timedOut.get(), "the child's exit was never reported");
        assertEquals(7, status.get());
    }
}
