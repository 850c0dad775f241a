package dev.juv.adversary;

import static dev.juv.adversary.Kit.check;

import dev.juv.ChildProcess;
import dev.juv.Loop;
import dev.juv.ProcessOptions;
import dev.juv.RunMode;
import dev.juv.Signal;
import dev.juv.Sys;
import dev.juv.Tcp;
import dev.juv.Timer;
import dev.juv.UvException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every signal juv can watch, through start/stop, close, one-shot delivery, one-shot stop, two
 * watchers on one loop and watchers on two loops: after each step the signal's disposition
 * (caught, ignored or default, from /proc/self/status) is what it was before juv touched it, and
 * inside a one-shot callback there is no window at the default action for a signal the JVM
 * catches. Then the JVM still does its job: SIGPIPE is ignored, child processes are reaped and
 * reported, SIGTERM/SIGINT/SIGHUP run the shutdown hooks.
 */
final class SignalCases {
    private SignalCases() {}

    static final String[] WATCHABLE = {"HUP", "INT", "TRAP", "ABRT", "USR1", "PIPE", "ALRM", "TERM", "CHLD", "CONT",
        "TSTP", "TTIN", "TTOU", "WINCH", "PROF", "XCPU", "XFSZ", "VTALRM", "SYS"};

    static void register(Catalogue c) {
        for (String s : WATCHABLE) {
            c.add("sequences-SIG" + s, "SIG" + s + ": start/stop, close, one-shot delivered, one-shot stopped, two watchers, two loops; disposition back each time"
                    + (s.equals("PIPE") ? "; SIGPIPE then still harmless" : s.equals("CHLD") ? "; children still reported" : "")
                    + (s.equals("TERM") || s.equals("INT") || s.equals("HUP") ? "; SIG" + s + " then runs the shutdown hooks" : ""),
                    15, () -> sequences(s));
        }
        c.add("sigpipe-oneshot-then-reset-writes", "one-shot SIGPIPE watcher, then several writes to a reset peer in one callback: the JVM survives", 15,
                () -> sigpipeWrites(true));
        c.add("sigpipe-watcher-then-reset-writes", "lasting SIGPIPE watcher stopped, then writes to a reset peer: the JVM survives", 15,
                () -> sigpipeWrites(false));
        c.add("sigchld-stopped-while-child-runs", "SIGCHLD watcher started before a spawn, stopped while the child runs: the exit is reported", 15,
                () -> sigchldStopped("stop"));
        c.add("sigchld-closed-while-child-runs", "SIGCHLD watcher closed while the child runs: the exit is reported", 15,
                () -> sigchldStopped("close"));
        c.add("sigchld-oneshot-while-child-runs", "one-shot SIGCHLD watcher while children run: every exit is reported", 15,
                () -> sigchldStopped("oneshot"));
        c.add("sigchld-watcher-jdk-process", "after a SIGCHLD watcher stopped, java.lang.Process still sees its child's exit", 15,
                SignalCases::jdkProcessAfterChld);
        c.add("signal-numbers-beyond", "signal numbers glibc keeps (32, 33), real-time (34, 64) and past the last (65, 127): refused or watched, never a crash", 15,
                SignalCases::oddNumbers);
    }

    private static int number(String name) {
        return switch (name) {
            case "HUP" -> Signal.SIGHUP;
            case "INT" -> Signal.SIGINT;
            case "TRAP" -> Signal.SIGTRAP;
            case "ABRT" -> Signal.SIGABRT;
            case "USR1" -> Signal.SIGUSR1;
            case "PIPE" -> Signal.SIGPIPE;
            case "ALRM" -> Signal.SIGALRM;
            case "TERM" -> Signal.SIGTERM;
            case "CHLD" -> Signal.SIGCHLD;
            case "CONT" -> Signal.SIGCONT;
            case "TSTP" -> Signal.SIGTSTP;
            case "TTIN" -> Signal.SIGTTIN;
            case "TTOU" -> Signal.SIGTTOU;
            case "WINCH" -> Signal.SIGWINCH;
            case "PROF" -> Signal.SIGPROF;
            case "XCPU" -> Signal.SIGXCPU;
            case "XFSZ" -> Signal.SIGXFSZ;
            case "VTALRM" -> Signal.SIGVTALRM;
            case "SYS" -> Signal.SIGSYS;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void raise(int signum) {
        ChildProcess.kill(Sys.getpid(), signum);
    }

    static String sequences(String name) throws Exception {
        int sig = number(name);
        Loop loop = new Loop();
        String base = Kit.disposition(sig);
        List<String> bad = new ArrayList<>();
        // 1: start, delivery, stop
        int[] got = {0};
        Signal s = new Signal(loop);
        s.start((h, n) -> got[0]++, sig);
        check(Kit.disposition(sig).equals("caught"), "SIG" + name + " not caught while watched");
        raise(sig);
        check(Kit.runUntil(loop, () -> got[0] > 0, 3000), "SIG" + name + " raised at itself was not delivered");
        s.stop();
        same(bad, "start/deliver/stop", sig, base);
        // 2: start, close
        s.start((h, n) -> {}, sig);
        s.close();
        Kit.runBounded(loop, 50);
        same(bad, "start/close", sig, base);
        // 3: one-shot delivered: no window inside the callback for a signal the JVM catches
        Signal o = new Signal(loop);
        String[] inside = {null};
        o.startOneshot((h, n) -> inside[0] = Kit.disposition(sig), sig);
        raise(sig);
        check(Kit.runUntil(loop, () -> inside[0] != null, 3000), "one-shot SIG" + name + " was not delivered");
        // a signal the JVM catches must stay caught (no window at the default action); one it
        // does not catch may still be caught by the watcher here
        if (!inside[0].equals(base) && !inside[0].equals("caught")) {
            bad.add("inside the one-shot callback: " + inside[0] + " (was " + base + ")");
        }
        loop.run(RunMode.NOWAIT);
        loop.run(RunMode.NOWAIT);
        same(bad, "one-shot delivered", sig, base);
        // 4: one-shot stopped before delivery, then closed
        o.startOneshot((h, n) -> {}, sig);
        o.stop();
        same(bad, "one-shot stopped", sig, base);
        o.close();
        // 5: two watchers on one loop
        Signal w1 = new Signal(loop);
        Signal w2 = new Signal(loop);
        w1.start((h, n) -> {}, sig);
        w2.start((h, n) -> {}, sig);
        w1.stop();
        if (!Kit.disposition(sig).equals("caught")) {
            bad.add("one of two watchers stopped: " + Kit.disposition(sig));
        }
        w2.close();
        same(bad, "two watchers stopped", sig, base);
        w1.close();
        // 6: watchers on two loops
        Loop other = new Loop();
        Signal x1 = new Signal(loop);
        Signal x2 = new Signal(other);
        x1.start((h, n) -> {}, sig);
        x2.start((h, n) -> {}, sig);
        x2.close();
        Kit.runBounded(other, 50);
        if (!Kit.disposition(sig).equals("caught")) {
            bad.add("the other loop's watcher closed: " + Kit.disposition(sig));
        }
        x1.close();
        Kit.runBounded(loop, 50);
        same(bad, "two loops' watchers closed", sig, base);
        Kit.cleanUp(other);
        Kit.cleanUp(loop);
        check(bad.isEmpty(), "SIG" + name + " (was " + base + "): " + bad);
        return afterwards(name, sig, base);
    }

    private static void same(List<String> bad, String step, int sig, String base) {
        String now = Kit.disposition(sig);
        if (!now.equals(base)) {
            bad.add("after " + step + ": " + now);
        }
    }

    /** What the JVM still does for the signal; TERM, INT and HUP end the JVM from a shutdown hook. */
    private static String afterwards(String name, int sig, String base) throws Exception {
        switch (name) {
            case "PIPE" -> {
                raise(sig);
                Kit.sleep(200);
                sigpipeReset();
                return "SIGPIPE harmless afterwards";
            }
            case "CHLD" -> {
                reportExit();
                Process p = new ProcessBuilder("true").start();
                check(p.waitFor(5, TimeUnit.SECONDS), "java.lang.Process did not see its child exit");
                return "children reported afterwards";
            }
            case "TERM", "INT", "HUP" -> {
                if (base.equals("ignored")) {
                    return "SIG" + name + " is ignored in this environment (inherited), so the JVM installed no handler to check";
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    System.out.println(Cases.VERDICT + "pass signals/sequences-SIG" + name + " the shutdown hooks ran on SIG" + name);
                    System.out.flush();
                    Runtime.getRuntime().halt(0);
                }));
                raise(sig);
                Kit.sleep(5000);
                throw new Violation("SIG" + name + " raised afterwards did nothing in 5 s");
            }
            default -> {
                return "disposition " + base + " throughout";
            }
        }
    }

    private static void reportExit() {
        Loop loop = new Loop();
        long[] status = {-1};
        ChildProcess.spawn(loop, ProcessOptions.command("sh", "-c", "exit 7"), (p, st, sg) -> {
            status[0] = st;
            p.close();
        });
        check(Kit.runUntil(loop, () -> status[0] >= 0, 5000), "a child's exit was not reported");
        check(status[0] == 7, "exit status " + status[0]);
        Kit.cleanUp(loop);
    }

    static String sigpipeWrites(boolean oneshot) throws Exception {
        Loop loop = new Loop();
        Signal s = new Signal(loop);
        if (oneshot) {
            s.startOneshot((h, n) -> {}, Signal.SIGPIPE);
        } else {
            s.start((h, n) -> {}, Signal.SIGPIPE);
        }
        String r = sigpipeResetOn(loop, oneshot ? null : s);
        Kit.cleanUp(loop);
        check(Kit.disposition(Signal.SIGPIPE).equals("caught"), "SIGPIPE disposition afterwards: " + Kit.disposition(Signal.SIGPIPE));
        return r;
    }

    private static String sigpipeReset() {
        Loop loop = new Loop();
        String r = sigpipeResetOn(loop, null);
        Kit.cleanUp(loop);
        return r;
    }

    /** A peer resets the connection; then ten writes in one callback. Returns the errors seen. */
    private static String sigpipeResetOn(Loop loop, Signal stopFirst) {
        Tcp[] p = Kit.tcpPair(loop);
        boolean[] reset = {false};
        p[0].closeReset(h -> reset[0] = true);
        check(Kit.runUntil(loop, () -> reset[0], 3000), "no reset");
        Kit.sleep(50);
        List<String> errors = new ArrayList<>();
        boolean[] done = {false};
        new Timer(loop).start(h -> {
            if (stopFirst != null) {
                stopFirst.stop();
            }
            for (int i = 0; i < 10; i++) {
                try {
                    p[1].tryWrite(new byte[100]);
                } catch (UvException e) {
                    errors.add(e.name());
                } catch (IllegalStateException e) {
                    errors.add("ISE");
                }
            }
            h.close();
            done[0] = true;
        }, 0, 0);
        check(Kit.runUntil(loop, () -> done[0], 3000), "the writing callback did not run");
        p[1].close();
        return "writes: " + errors;
    }

    static String sigchldStopped(String how) throws Exception {
        Loop loop = new Loop();
        Signal s = new Signal(loop);
        int[] got = {0};
        if (how.equals("oneshot")) {
            s.startOneshot((h, n) -> got[0]++, Signal.SIGCHLD);
        } else {
            s.start((h, n) -> got[0]++, Signal.SIGCHLD);
        }
        int children = 3;
        int[] exits = {0};
        for (int i = 0; i < children; i++) {
            ChildProcess.spawn(loop, ProcessOptions.command("sleep", "0." + (2 + i)), (p, st, sg) -> {
                exits[0]++;
                p.close();
            });
        }
        if (how.equals("stop")) {
            s.stop();
        } else if (how.equals("close")) {
            s.close();
        }
        boolean all = Kit.runUntil(loop, () -> exits[0] == children, 5000);
        check(all, "only " + exits[0] + " of " + children + " child exits reported within 5 s (SIGCHLD watcher " + how + ")");
        Kit.cleanUp(loop);
        reportExit();
        return "all " + children + " exits reported";
    }

    static String jdkProcessAfterChld() throws Exception {
        Loop loop = new Loop();
        Signal s = new Signal(loop);
        s.start((h, n) -> {}, Signal.SIGCHLD);
        Process p = new ProcessBuilder("sleep", "0.3").start();
        s.stop();
        s.close();
        Kit.cleanUp(loop);
        check(p.waitFor(5, TimeUnit.SECONDS), "java.lang.Process never saw its child exit");
        check(p.exitValue() == 0, "exit value " + p.exitValue());
        return "ok";
    }

    static String oddNumbers() throws Exception {
        Loop loop = new Loop();
        List<String> seen = new ArrayList<>();
        for (int sig : new int[] {32, 33, 34, 64, 65, 127}) {
            Signal s = new Signal(loop);
            Throwable t = Kit.outcome("start(" + sig + ")", () -> s.start((h, n) -> {}, sig),
                    IllegalArgumentException.class, UvException.class);
            seen.add(sig + ":" + (t == null ? "watched" : t.getClass().getSimpleName()));
            s.close();
            Kit.runBounded(loop, 20);
        }
        Kit.cleanUp(loop);
        reportExit();
        return seen.toString();
    }
}
