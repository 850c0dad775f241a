package dev.juv.adversary;

import dev.juv.Handle;
import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.RunMode;
import dev.juv.Stream;
import dev.juv.Tcp;
import dev.juv.Timer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small tools the cases share; everything goes through juv's public API or the JDK. */
final class Kit {
    private Kit() {}

    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new Violation(message);
        }
    }

    /** Something that may throw. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** Runs {@code a}: returns null on success, the throwable when it is one of {@code allowed}. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the classes are only read, never stored
    static Throwable outcome(String what, Action a, Class<? extends Throwable>... allowed) {
        try {
            a.run();
            return null;
        } catch (Throwable t) {
            for (Class<? extends Throwable> c : allowed) {
                if (c.isInstance(t)) {
                    return t;
                }
            }
            throw new Violation(what + " threw " + t + ", expected success or " + names(allowed), t);
        }
    }

    /** Runs {@code a}, which must throw one of {@code expected}. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the classes are only read, never stored
    static Throwable mustThrow(String what, Action a, Class<? extends Throwable>... expected) {
        Throwable t = outcome(what, a, expected);
        if (t == null) {
            throw new Violation(what + " was accepted, expected " + names(expected));
        }
        return t;
    }

    /**
     * Runs {@code a}, which must throw IllegalStateException (or, for a write, find the buffer
     * read-only); otherwise notes what happened in {@code bad}.
     */
    static void expectIse(List<String> bad, String what, Action a) {
        try {
            a.run();
            bad.add(what + " accepted");
        } catch (IllegalStateException | java.nio.ReadOnlyBufferException expected) {
            // the contract
        } catch (Throwable t) {
            bad.add(what + " threw " + t);
        }
    }

    private static String names(Class<?>[] cs) {
        StringBuilder sb = new StringBuilder();
        for (Class<?> c : cs) {
            sb.append(sb.length() == 0 ? "" : " or ").append(c.getSimpleName());
        }
        return sb.toString();
    }

    // ---- the process ----

    /** Open descriptors of this process. */
    static int fds() {
        String[] l = new java.io.File("/proc/self/fd").list();
        return l == null ? -1 : l.length;
    }

    /** The descriptors of this process, by number. */
    static List<Integer> fdList() {
        String[] l = new java.io.File("/proc/self/fd").list();
        List<Integer> out = new ArrayList<>();
        if (l != null) {
            for (String s : l) {
                out.add(Integer.parseInt(s));
            }
        }
        out.sort(null);
        return out;
    }

    /** What descriptor {@code fd} points at, from /proc/self/fd. */
    static String fdTarget(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The SigCgt and SigIgn masks of /proc/self/status. */
    static long[] signalMasks() {
        try {
            long cgt = 0;
            long ign = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigCgt:")) {
                    cgt = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                } else if (line.startsWith("SigIgn:")) {
                    ign = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
            return new long[] {cgt, ign};
        } catch (IOException e) {
            throw new Violation("cannot read /proc/self/status: " + e);
        }
    }

    /** "caught", "ignored" or "default" for {@code signum}, from /proc/self/status. */
    static String disposition(int signum) {
        long[] m = signalMasks();
        long bit = 1L << (signum - 1);
        return (m[0] & bit) != 0 ? "caught" : (m[1] & bit) != 0 ? "ignored" : "default";
    }

    /** Zombie children of this process (state Z), from /proc. */
    static List<Long> zombies() {
        List<Long> out = new ArrayList<>();
        long me = ProcessHandle.current().pid();
        String[] pids = new java.io.File("/proc").list();
        if (pids == null) {
            return out;
        }
        for (String p : pids) {
            if (!p.chars().allMatch(Character::isDigit)) {
                continue;
            }
            try {
                String stat = Files.readString(Path.of("/proc", p, "stat"));
                String rest = stat.substring(stat.lastIndexOf(')') + 2);
                String[] f = rest.split(" ");
                if (f[0].equals("Z") && Long.parseLong(f[1]) == me) {
                    out.add(Long.parseLong(p));
                }
            } catch (IOException | RuntimeException ignored) {
                // gone meanwhile
            }
        }
        return out;
    }

    static Path tempDir() throws IOException {
        return Files.createTempDirectory("juv-adv");
    }

    /** Makes a FIFO with the system's mkfifo (not juv). */
    static Path fifo(Path dir, String name) throws IOException, InterruptedException {
        Path p = dir.resolve(name);
        Process pr = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        if (!pr.waitFor(10, TimeUnit.SECONDS) || pr.exitValue() != 0) {
            throw new IOException("mkfifo " + p + " failed");
        }
        return p;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- loops ----

    /**
     * Runs the loop until {@code done} holds or {@code ms} pass; a 1 ms timer wakes it to look.
     * Returns whether {@code done} holds.
     */
    static boolean runUntil(Loop loop, BooleanSupplier done, long ms) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        Timer t = new Timer(loop);
        t.start(h -> {
            if (done.getAsBoolean() || System.nanoTime() > end) {
                loop.stop();
            }
        }, 1, 1);
        try {
            while (!done.getAsBoolean() && System.nanoTime() < end) {
                loop.run(RunMode.DEFAULT);
            }
        } finally {
            t.close();
            loop.run(RunMode.NOWAIT);
        }
        return done.getAsBoolean();
    }

    /** Runs the loop until it has nothing left to do, for at most {@code ms}. Returns whether it ended by itself. */
    static boolean runBounded(Loop loop, long ms) {
        Timer w = new Timer(loop);
        boolean[] fired = {false};
        w.unref();
        w.start(h -> {
            fired[0] = true;
            loop.stop();
        }, ms, 0);
        try {
            loop.run();
        } finally {
            w.close();
            loop.run(RunMode.NOWAIT);
        }
        return !fired[0];
    }

    /**
     * The contract's clean-up: every handle the loop lists can be closed, the loop then runs to
     * its end within a few seconds, nothing is listed any more, and {@link Loop#close()} succeeds.
     * Exceptions that callbacks left for run() are collected and returned in the detail.
     */
    static String cleanUp(Loop loop) {
        List<String> notes = new ArrayList<>();
        List<Handle> listed = loop.handles();
        for (Handle h : listed) {
            try {
                h.close();
            } catch (Throwable t) {
                throw new Violation("closing listed handle " + h + " threw " + t, t);
            }
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                if (runBounded(loop, 2000)) {
                    break;
                }
            } catch (VirtualMachineError | RuntimeException e) {
                notes.add("run() rethrew " + e);
            }
            if (System.nanoTime() > end) {
                throw new Violation("the loop does not end after closing " + listed.size()
                        + " listed handle(s); still listed: " + loop.handles());
            }
        }
        List<Handle> left = loop.handles();
        check(left.isEmpty(), "handles still listed after their close: " + left);
        try {
            loop.close();
        } catch (Throwable t) {
            throw new Violation("Loop.close() after cleaning up threw " + t, t);
        }
        check(loop.isClosed(), "Loop.close() returned but isClosed() is false");
        return notes.isEmpty() ? "" : notes.toString();
    }

    // ---- connections ----

    /** A connected TCP pair on {@code loop}: {accepted side, client side}. */
    static Tcp[] tcpPair(Loop loop) {
        Tcp server = new Tcp(loop);
        server.bind(LOOPBACK);
        Tcp[] accepted = new Tcp[1];
        boolean[] connected = {false};
        server.listen(8, (s, e) -> {
            Tcp c = new Tcp(loop);
            s.accept(c);
            accepted[0] = c;
        });
        Tcp client = new Tcp(loop);
        client.connect(server.localAddress(), (c, e) -> {
            if (e != null) {
                throw e;
            }
            connected[0] = true;
        });
        check(runUntil(loop, () -> accepted[0] != null && connected[0], 5000), "TCP pair did not connect");
        server.close();
        return new Tcp[] {accepted[0], client};
    }

    /** A connected pipe pair on {@code loop} through a socket in {@code dir}: {accepted, client}. */
    static Pipe[] pipePair(Loop loop, Path dir) {
        Pipe server = new Pipe(loop);
        server.bind(dir.resolve("p" + System.nanoTime() % 100000).toString());
        Pipe[] accepted = new Pipe[1];
        boolean[] connected = {false};
        server.listen(8, (s, e) -> {
            Pipe c = new Pipe(loop);
            s.accept(c);
            accepted[0] = c;
        });
        Pipe client = new Pipe(loop);
        client.connect(server.localName(), (c, e) -> {
            if (e != null) {
                throw e;
            }
            connected[0] = true;
        });
        check(runUntil(loop, () -> accepted[0] != null && connected[0], 5000), "pipe pair did not connect");
        server.close();
        return new Pipe[] {accepted[0], client};
    }

    /** Collects everything {@code s} reads into {@code sink} (copies, inside the callback). */
    static void collect(Stream<?> s, java.io.ByteArrayOutputStream sink) {
        s.startRead((st, data, err) -> {
            if (data != null) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                sink.write(b, 0, b.length);
            }
        });
    }

    /** {@code n} bytes of a seeded pattern. */
    static byte[] pattern(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    static String firstDifference(byte[] expected, byte[] actual) {
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (expected[i] != actual[i]) {
                return "first difference at byte " + i + " of " + expected.length + " (got " + actual.length + ")";
            }
        }
        return expected.length == actual.length ? "equal" : "length " + actual.length + " instead of " + expected.length;
    }

    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }

    static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /**
     * Takes juv's error paths once (an fs error, a closed handle, a busy and a closed loop), so
     * their classes are loaded and initialised before a case starves the JVM of stack or
     * descriptors: a class whose initialiser fails there stays unusable, which would hide what
     * the case looks for.
     */
    static void warmErrorPaths() {
        try {
            dev.juv.Fs.stat("/nonexistent/juv-adversary");
        } catch (dev.juv.UvException expected) {
            // ENOENT
        }
        Loop l = new Loop();
        Timer t = new Timer(l);
        Timer open = new Timer(l);
        t.close();
        try {
            t.start(h -> {}, 0, 0);
        } catch (IllegalStateException expected) {
            // closing
        }
        try {
            l.close();
        } catch (dev.juv.UvException expected) {
            // EBUSY: one timer is still open (a closing one alone would be finished by close())
        }
        open.close();
        l.run();
        l.close();
        try {
            l.run();
        } catch (IllegalStateException expected) {
            // closed
        }
        try {
            l.execute(() -> {});
        } catch (java.util.concurrent.RejectedExecutionException expected) {
            // closed
        }
    }

    // ---- stack depth ----

    private static int reached;

    private static void down(int left, int pad, Runnable op) {
        reached++;
        if (left <= 0) {
            switch (pad) {
                case 0 -> op.run();
                case 1 -> pad1(op);
                case 2 -> pad2(op);
                case 3 -> pad3(op);
                case 4 -> pad4(op);
                case 5 -> pad5(op);
                case 6 -> pad6(op);
                default -> pad7(op);
            }
            return;
        }
        down(left - 1, pad, op);
    }

    // frames one to seven slots larger than none, so the sweep moves in steps of one slot
    private static void pad1(Runnable op) {
        int a = 1;
        op.run();
        reached += a;
    }

    private static void pad2(Runnable op) {
        int a = 1;
        int b = 2;
        op.run();
        reached += a + b;
    }

    private static void pad3(Runnable op) {
        int a = 1;
        int b = 2;
        int c = 3;
        op.run();
        reached += a + b + c;
    }

    private static void pad4(Runnable op) {
        int a = 1;
        int b = 2;
        int c = 3;
        int d = 4;
        op.run();
        reached += a + b + c + d;
    }

    private static void pad5(Runnable op) {
        int a = 1;
        int b = 2;
        int c = 3;
        int d = 4;
        int e = 5;
        op.run();
        reached += a + b + c + d + e;
    }

    private static void pad6(Runnable op) {
        int a = 1;
        int b = 2;
        int c = 3;
        int d = 4;
        int e = 5;
        int f = 6;
        op.run();
        reached += a + b + c + d + e + f;
    }

    private static void pad7(Runnable op) {
        int a = 1;
        int b = 2;
        int c = 3;
        int d = 4;
        int e = 5;
        int f = 6;
        int g = 7;
        op.run();
        reached += a + b + c + d + e + f + g;
    }

    /**
     * Runs {@code op}, never run before in this JVM, at every depth from the stack's end upwards
     * (eight padded frames per depth) until it succeeds once, then once more at a shallow depth.
     * The first run is where juv links what {@code op} needs, so the overflow lands inside that
     * linking. Returns the attempts before the first success; any Error other than
     * StackOverflowError (an ExceptionInInitializerError or NoClassDefFoundError from a holder
     * class an overflow left unusable) is a violation.
     */
    static int coldSweep(String what, Runnable op) throws InterruptedException {
        int[] attempts = new int[1];
        Throwable[] bad = new Throwable[1];
        Thread t = new Thread(null, () -> {
            int d = limit();
            boolean done = false;
            for (int k = 1; k <= d && !done && bad[0] == null; k++) {
                for (int pad = 0; pad < 8 && !done && bad[0] == null; pad++) {
                    attempts[0]++;
                    try {
                        down(d - k, pad, op);
                        done = true;
                    } catch (StackOverflowError e) {
                        // landed somewhere in the first call: the next depth tries again
                    } catch (Throwable e) {
                        bad[0] = e;
                    }
                }
            }
            if (bad[0] == null) {
                try {
                    op.run();
                } catch (Throwable e) {
                    bad[0] = e;
                }
            }
        }, "cold-sweep", 256 * 1024);
        t.start();
        t.join();
        if (bad[0] != null) {
            throw new Violation(what + " after a stack overflow in its first call threw " + bad[0], bad[0]);
        }
        return attempts[0];
    }

    /** How deep {@link #down} recurses before the stack overflows, right now. */
    private static int limit() {
        reached = 0;
        try {
            down(Integer.MAX_VALUE, 0, null);
        } catch (StackOverflowError e) {
            // expected
        }
        return reached;
    }

    /** Outcome counts of a {@link #sweep}. */
    record Sweep(int ok, int overflow, int otherErrors) {
        @Override
        public String toString() {
            return ok + " ok, " + overflow + " StackOverflowError" + (otherErrors > 0 ? ", " + otherErrors + " other Error" : "");
        }
    }

    /** Attempts a {@link #sweep} makes: {@code rounds * span * 8}. */
    static int sweepAttempts(int rounds, int span) {
        return rounds * span * 8;
    }

    /**
     * Runs {@code op} at every depth from the stack's end up to {@code span} frames above it, in
     * steps of one stack slot (eight padded frames per depth), {@code rounds} times, on a thread
     * with a small stack, so a StackOverflowError lands at every step of the operation; with
     * -Xint every call is such a step. Each run ends in success or an Error; any other exception
     * is a violation.
     */
    static Sweep sweep(int rounds, int span, Runnable op) throws InterruptedException {
        int[] counts = new int[3];
        Throwable[] bad = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                warmErrorPaths();
                op.run(); // warm: classes loaded and initialised outside the sweep
            } catch (Throwable e) {
                bad[0] = e;
                return;
            }
            for (int r = 0; r < rounds && bad[0] == null; r++) {
                int d = limit();
                for (int k = 1; k <= span && bad[0] == null; k++) {
                    for (int pad = 0; pad < 8 && bad[0] == null; pad++) {
                        try {
                            down(d - k, pad, op);
                            counts[0]++;
                        } catch (StackOverflowError e) {
                            counts[1]++;
                        } catch (Error e) {
                            counts[2]++;
                        } catch (Throwable e) {
                            bad[0] = e;
                        }
                    }
                }
            }
        }, "sweep", 256 * 1024);
        t.start();
        t.join();
        if (bad[0] != null) {
            throw new Violation("an operation under a stack overflow sweep threw " + bad[0], bad[0]);
        }
        return new Sweep(counts[0], counts[1], counts[2]);
    }

    /** Recurses until the stack overflows, then rethrows the StackOverflowError. */
    static void overflow() {
        overflow(0);
    }

    private static int overflow(int d) {
        return overflow(d + 1) + 1;
    }
}
