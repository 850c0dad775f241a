package dev.juv.programs;

import dev.juv.Loop;
import dev.juv.Signal;
import dev.juv.support.TestLibc;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches a signal with juv and lets go of it again, then waits to be signalled: the JVM's own
 * handler must be back, so the signal runs the shutdown hooks and ends the JVM with 128 + signum.
 *
 * <p>Arguments: the signal name (TERM, INT, HUP) and a mode: {@code stop} (start, then stop),
 * {@code close} (start, then close while active), {@code oneshot} (a one-shot watcher that
 * receives the signal once, sent by this process to itself), {@code oneshot-stop} (a one-shot
 * watcher stopped before any signal), {@code oneshot-rearm} (a one-shot watcher re-armed from its
 * own callback receives a second signal), {@code oneshot-then-start} (a one-shot watcher
 * stopped, then started and stopped as a lasting one), {@code start-then-oneshot} (a lasting watcher switched to one-shot on
 * the same signal fires once and lets go). Prints {@code IGNORED} and exits 3 when the signal was
 * ignored at start-up (the JVM then installs no handler), else {@code READY} once it waits.
 */
public final class SignalRestore {
    private SignalRestore() {}

    public static final String MARKER = "shutdown hook ran";

    public static void main(String[] args) throws Exception {
        int signum = switch (args[0]) {
            case "TERM" -> Signal.SIGTERM;
            case "INT" -> Signal.SIGINT;
            case "HUP" -> Signal.SIGHUP;
            default -> throw new IllegalArgumentException(args[0]);
        };
        String mode = args[1];
        long pid = ProcessHandle.current().pid();
        if (TestLibc.isIgnored(pid, signum)) {
            System.out.println("IGNORED");
            System.exit(3);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(MARKER);
            System.out.flush();
        }));
        AtomicInteger received = new AtomicInteger();
        try (Loop loop = new Loop()) {
            Signal s = new Signal(loop);
            switch (mode) {
                case "stop" -> {
                    s.start((h, n) -> received.incrementAndGet(), signum);
                    s.stop();
                    s.close();
                }
                case "close" -> {
                    s.start((h, n) -> received.incrementAndGet(), signum);
                    s.close();
                }
                case "oneshot" -> {
                    s.startOneshot((h, n) -> {
                        received.incrementAndGet();
                        h.close();
                    }, signum);
                    if (TestLibc.kill(pid, signum) != 0) {
                        throw new IllegalStateException("kill failed");
                    }
                }
                case "oneshot-rearm" -> {
                    // re-armed from its own callback: the second signal must arrive too
                    s.startOneshot((h, n) -> {
                        received.incrementAndGet();
                        h.startOneshot((h2, n2) -> {
                            received.incrementAndGet();
                            h2.close();
                        }, signum);
                        new dev.juv.Timer(loop).start(t -> {
                            t.close();
                            TestLibc.kill(pid, signum);
                        }, 50, 0);
                    }, signum);
                    TestLibc.kill(pid, signum);
                }
                case "oneshot-then-start" -> {
                    // a one-shot watcher stopped, then the same handle started as a lasting one
                    s.startOneshot((h, n) -> received.incrementAndGet(), signum);
                    s.stop();
                    s.start((h, n) -> received.incrementAndGet(), signum);
                    s.stop();
                    s.close();
                }
                case "start-then-oneshot" -> {
                    // a lasting watcher turned one-shot on the same signal fires once, then lets go
                    s.start((h, n) -> received.addAndGet(100), signum);
                    s.startOneshot((h, n) -> {
                        received.incrementAndGet();
                        loop.execute(h::close);
                    }, signum);
                    TestLibc.kill(pid, signum);
                }
                case "oneshot-stop" -> {
                    s.startOneshot((h, n) -> received.incrementAndGet(), signum);
                    s.stop();
                    s.close();
                }
                default -> throw new IllegalArgumentException(mode);
            }
            loop.run();
        }
        int expected = switch (mode) {
            case "oneshot", "start-then-oneshot" -> 1;
            case "oneshot-rearm" -> 2;
            default -> 0;
        };
        if (received.get() != expected) {
            System.out.println("RECEIVED " + received.get() + ", expected " + expected);
            System.exit(4);
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(60_000);
        System.out.println("NOT SIGNALLED");
        System.exit(5);
    }
}
