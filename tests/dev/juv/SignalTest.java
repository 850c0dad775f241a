package dev.juv;

import static dev.juv.support.LoopTestSupport.raise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.juv.support.Tags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pyuv's tests/test_signal.py, and the signal rules juv adds. A signal is only ever sent while a
 * handle watches it: SIGUSR1's default action would end the test JVM.
 */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class SignalTest extends UvTestCase {

    @BeforeEach
    void notOnWindows() {
        assumeFalse(System.getProperty("os.name").startsWith("Windows"), "Unix signals only, as in pyuv");
    }

    // ---- pyuv parity ----

    @Test
    void signalRunsCallbackOnLoopThread() throws InterruptedException {
        AtomicInteger signals = new AtomicInteger();
        AtomicInteger asyncs = new AtomicInteger();
        AtomicReference<Thread> signalThread = new AtomicReference<>();
        AtomicReference<Thread> asyncThread = new AtomicReference<>();
        AtomicReference<Integer> seenSignum = new AtomicReference<>();
        Signal signal = new Signal(loop);
        Async async = new Async(loop, a -> {
            asyncs.incrementAndGet();
            asyncThread.set(Thread.currentThread());
            a.close();
            signal.close();
        });
        signal.start((s, signum) -> {
            signals.incrementAndGet();
            signalThread.set(Thread.currentThread());
            seenSignum.set(signum);
            async.send();
        }, Signal.SIGUSR1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "juv-signal-loop");
        runner.start();
        raise(Signal.SIGUSR1);
        runner.join(20_000);
        assertFalse(runner.isAlive(), "the loop thread ended");
        assertEquals(null, failure.get());
        assertEquals(1, signals.get());
        assertEquals(1, asyncs.get());
        assertEquals(Signal.SIGUSR1, seenSignum.get());
        assertSame(runner, signalThread.get());
        assertSame(runner, asyncThread.get());
    }

    @Test
    void signalReachesEveryLoop() throws InterruptedException {
        int loops = 25;
        CountDownLatch ready = new CountDownLatch(loops);
        AtomicInteger callbacks = new AtomicInteger();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            Thread t = new Thread(() -> {
                try (Loop own = new Loop()) {
                    Signal s = new Signal(own);
                    s.start((h, signum) -> {
                        callbacks.incrementAndGet();
                        h.close();
                    }, Signal.SIGUSR1);
                    ready.countDown();
                    own.run();
                } catch (Throwable e) {
                    failures.add(e);
                    ready.countDown();
                }
            }, "juv-signal-loop-" + i);
            threads.add(t);
            t.start();
        }
        assertTrue(ready.await(20, TimeUnit.SECONDS), "every loop watches SIGUSR1");
        assertEquals(List.of(), failures);
        raise(Signal.SIGUSR1);
        for (Thread t : threads) {
            t.join(20_000);
            assertFalse(t.isAlive(), t.getName() + " finished");
        }
        assertEquals(List.of(), failures);
        assertEquals(loops, callbacks.get());
    }

    // ---- beyond pyuv ----

    @Test
    void jvmSignalsAreRefused() {
        Signal signal = new Signal(loop);
        for (int signum : new int[] {Signal.SIGSEGV, Signal.SIGBUS, Signal.SIGFPE, Signal.SIGILL,
                Signal.SIGQUIT, Signal.SIGUSR2, Signal.SIGKILL, Signal.SIGSTOP, 0, -1, 128, Integer.MAX_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> signal.start((s, n) -> {}, signum), "signal " + signum);
            assertThrows(IllegalArgumentException.class, () -> signal.startOneshot((s, n) -> {}, signum),
                    "signal " + signum);
        }
        assertFalse(signal.isActive());
        assertEquals(0, signal.signum());
        assertThrows(NullPointerException.class, () -> signal.start(null, Signal.SIGUSR1));
        signal.close();
        loop.run();
    }

    @Test
    void signalConstantsAreThePlatformsNumbers() {
        int[] all = {Signal.SIGHUP, Signal.SIGINT, Signal.SIGQUIT, Signal.SIGILL, Signal.SIGABRT, Signal.SIGFPE,
            Signal.SIGKILL, Signal.SIGUSR1, Signal.SIGSEGV, Signal.SIGUSR2, Signal.SIGPIPE, Signal.SIGALRM,
            Signal.SIGTERM, Signal.SIGCHLD, Signal.SIGCONT, Signal.SIGSTOP, Signal.SIGWINCH};
        for (int n : all) {
            assertTrue(n > 0 && n < 128, "signal number " + n);
        }
        assertEquals(all.length, java.util.Arrays.stream(all).distinct().count(), "numbers are distinct");
        // POSIX fixes these few everywhere
        assertEquals(1, Signal.SIGHUP);
        assertEquals(2, Signal.SIGINT);
        assertEquals(9, Signal.SIGKILL);
        assertEquals(15, Signal.SIGTERM);
    }

    @Test
    void signumFollowsStartAndStop() {
        Signal signal = new Signal(loop);
        assertEquals(0, signal.signum());
        signal.start((s, n) -> {}, Signal.SIGUSR1);
        assertEquals(Signal.SIGUSR1, signal.signum());
        assertTrue(signal.isActive());
        signal.start((s, n) -> {}, Signal.SIGWINCH);
        assertEquals(Signal.SIGWINCH, signal.signum(), "a restart replaces the watched signal");
        signal.stop();
        assertEquals(0, signal.signum());
        assertFalse(signal.isActive());
        signal.stop(); // stopping twice is fine
        signal.close();
        loop.run();
    }

    @Test
    void unreferencedSignalDoesNotHoldLoop() {
        Signal signal = new Signal(loop);
        signal.start((s, n) -> {}, Signal.SIGWINCH);
        signal.unref();
        assertFalse(loop.run());
        signal.close();
        loop.run();
    }

    @Test
    void oneshotFiresOnce() {
        // SIGWINCH is ignored by default, so a delivery after the one-shot watcher is harmless
        AtomicInteger once = new AtomicInteger();
        AtomicInteger every = new AtomicInteger();
        Signal oneshot = new Signal(loop);
        Signal regular = new Signal(loop);
        oneshot.startOneshot((s, n) -> {
            once.incrementAndGet();
            assertEquals(Signal.SIGWINCH, n);
        }, Signal.SIGWINCH);
        regular.start((s, n) -> {
            if (every.incrementAndGet() == 1) {
                raise(Signal.SIGWINCH);
            } else {
                s.close();
                oneshot.close();
            }
        }, Signal.SIGWINCH);
        raise(Signal.SIGWINCH);
        loop.run();
        assertEquals(2, every.get());
        assertEquals(1, once.get());
    }

    @Test
    void oneshotIsInactiveAfterItFired() {
        Signal oneshot = new Signal(loop);
        AtomicReference<Boolean> activeAfter = new AtomicReference<>();
        oneshot.startOneshot((s, n) -> {}, Signal.SIGWINCH);
        Check check = new Check(loop);
        check.start(c -> {
            if (!oneshot.isActive()) {
                activeAfter.set(false);
                c.close();
            }
        });
        raise(Signal.SIGWINCH);
        loop.run();
        assertEquals(false, activeAfter.get());
        assertEquals(0, oneshot.signum());
        oneshot.close();
        loop.run();
    }

    @Test
    void severalHandlesOnOneLoopAllFire() {
        AtomicInteger fired = new AtomicInteger();
        List<Signal> handles = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Signal s = new Signal(loop);
            s.start((h, n) -> {
                fired.incrementAndGet();
                h.close();
            }, Signal.SIGUSR1);
            handles.add(s);
        }
        raise(Signal.SIGUSR1);
        loop.run();
        assertEquals(3, fired.get());
        for (Signal s : handles) {
            assertTrue(s.isClosed());
        }
    }

    @Test
    void stoppedSignalDoesNotFire() {
        AtomicInteger stopped = new AtomicInteger();
        AtomicInteger watching = new AtomicInteger();
        Signal a = new Signal(loop);
        Signal b = new Signal(loop);
        a.start((s, n) -> stopped.incrementAndGet(), Signal.SIGUSR1);
        b.start((s, n) -> {
            watching.incrementAndGet();
            s.close();
            a.close();
        }, Signal.SIGUSR1);
        a.stop();
        raise(Signal.SIGUSR1);
        loop.run();
        assertEquals(0, stopped.get());
        assertEquals(1, watching.get());
    }
}
