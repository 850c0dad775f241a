package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.juv.programs.SignalRestore;
import dev.juv.support.Child;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signals and the JVM: the signals HotSpot needs are refused, and after a Signal handle lets go
 * of SIGTERM, SIGINT or SIGHUP, the JVM's handler is back, so the signal still runs the shutdown
 * hooks (a forked JVM each).
 */
@Timeout(120)
class SignalSafetyTest extends UvTestCase {
    static {
        Child.warmUp();
    }

    static Stream<Arguments> reserved() {
        return Stream.of(Arguments.of("SIGSEGV", Signal.SIGSEGV), Arguments.of("SIGBUS", Signal.SIGBUS),
                Arguments.of("SIGFPE", Signal.SIGFPE), Arguments.of("SIGILL", Signal.SIGILL),
                Arguments.of("SIGQUIT", Signal.SIGQUIT), Arguments.of("SIGUSR2", Signal.SIGUSR2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reserved")
    void startRefusesAJvmSignal(String name, int signum) {
        Signal s = new Signal(loop);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.start((h, n) -> {}, signum));
        assertTrue(e.getMessage().contains(String.valueOf(signum)), e.getMessage());
        assertEquals(0, s.signum());
        assertFalse(s.isActive());
        s.close();
        loop.run();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reserved")
    void startOneshotRefusesAJvmSignal(String name, int signum) {
        Signal s = new Signal(loop);
        assertThrows(IllegalArgumentException.class, () -> s.startOneshot((h, n) -> {}, signum));
        assertFalse(s.isActive());
        s.close();
        loop.run();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reserved")
    void aRunningWatcherCannotBeMovedToAJvmSignal(String name, int signum) {
        Signal s = new Signal(loop);
        s.start((h, n) -> {}, Signal.SIGUSR1);
        assertThrows(IllegalArgumentException.class, () -> s.start((h, n) -> {}, signum));
        assertEquals(Signal.SIGUSR1, s.signum(), "the refused start changed nothing");
        assertTrue(s.isActive());
        s.close();
        loop.run();
    }

    static Stream<Arguments> restored() {
        List<Arguments> out = new ArrayList<>();
        for (String mode : List.of("stop", "close", "oneshot", "oneshot-stop", "oneshot-rearm", "oneshot-then-start",
                "start-then-oneshot")) {
            out.add(Arguments.of("TERM", mode, Signal.SIGTERM));
        }
        for (String mode : List.of("stop", "oneshot")) {
            out.add(Arguments.of("INT", mode, Signal.SIGINT));
            out.add(Arguments.of("HUP", mode, Signal.SIGHUP));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "SIG{0} after {1}")
    @MethodSource("restored")
    void theJvmHandlerIsBackAfterTheWatcherLetsGo(String name, String mode, int signum) throws Exception {
        try (Child c = Child.start(SignalRestore.class.getName(), name, mode)) {
            boolean ready = c.awaitLine("READY", Duration.ofSeconds(30));
            assumeFalse(c.output().contains("IGNORED"), "SIG" + name + " is ignored in this environment,"
                    + " so the JVM installs no handler for it");
            assertTrue(ready, "no READY line:\n" + c.output());
            c.signal(signum);
            int status = c.waitFor(Duration.ofSeconds(30));
            assertEquals(128 + signum, status, "exit status; output:\n" + c.output());
            assertTrue(c.output().contains(SignalRestore.MARKER), "the shutdown hooks did not run:\n" + c.output());
            c.assertNoCrash();
        }
    }
}
