package dev.juv.adversary;

import static dev.juv.adversary.Kit.check;

import dev.juv.Async;
import dev.juv.Check;
import dev.juv.ChildProcess;
import dev.juv.Fs;
import dev.juv.FsEvent;
import dev.juv.FsPoll;
import dev.juv.Handle;
import dev.juv.Idle;
import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.Poll;
import dev.juv.Prepare;
import dev.juv.ProcessOptions;
import dev.juv.Signal;
import dev.juv.Sys;
import dev.juv.Tcp;
import dev.juv.Timer;
import dev.juv.Tty;
import dev.juv.Udp;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Errors injected at every step: a StackOverflowError made to land at every depth of a
 * constructor, a close(), a start, a request or a write (deep recursion right before the call,
 * at each of a few hundred depths), and Errors thrown from callbacks, handlers and tasks. What
 * the loop lists is exactly what was fully built, everything listed closes, nothing is stuck
 * closing, and Loop.close() succeeds afterwards.
 */
final class ErrorCases {
    private ErrorCases() {}

    static final int ROUNDS = 1;
    static final int SPAN = 100;
    /** The interpreter checks the stack at every call, so every call is a place an overflow can land. */
    static final List<String> INTERPRETED = List.of("-Xint");

    /** Builds one handle and stores it in {@link #SLOTS} as soon as its constructor returns. */
    @FunctionalInterface
    interface Maker {
        void make(Loop loop) throws Exception;
    }

    static void register(Catalogue c) {
        type(c, "timer", loop -> SLOTS[filled++] = new Timer(loop));
        type(c, "timer-started", loop -> {
            Timer t = new Timer(loop);
            SLOTS[filled++] = t;
            t.start(h -> {}, 60_000, 0);
        });
        type(c, "idle", loop -> SLOTS[filled++] = new Idle(loop));
        type(c, "prepare", loop -> SLOTS[filled++] = new Prepare(loop));
        type(c, "check", loop -> SLOTS[filled++] = new Check(loop));
        type(c, "async", loop -> SLOTS[filled++] = new Async(loop, h -> {}));
        type(c, "signal", loop -> {
            Signal s = new Signal(loop);
            SLOTS[filled++] = s;
            s.start((h, n) -> {}, Signal.SIGUSR1);
        });
        type(c, "tcp", loop -> SLOTS[filled++] = new Tcp(loop));
        type(c, "tcp-inet", loop -> SLOTS[filled++] = new Tcp(loop, StandardProtocolFamily.INET));
        type(c, "tcp-listening", loop -> {
            Tcp t = new Tcp(loop);
            SLOTS[filled++] = t;
            t.bind(Kit.LOOPBACK);
            t.listen(4, (s, e) -> {});
        });
        type(c, "udp", loop -> SLOTS[filled++] = new Udp(loop));
        type(c, "udp-receiving", loop -> {
            Udp u = new Udp(loop, StandardProtocolFamily.INET);
            SLOTS[filled++] = u;
            u.bind(Kit.LOOPBACK);
            u.startRecv((x, f, d, fl, e) -> {});
        });
        type(c, "pipe", loop -> SLOTS[filled++] = new Pipe(loop));
        type(c, "pipe-ipc", loop -> SLOTS[filled++] = new Pipe(loop, true));
        type(c, "poll", loop -> {
            int fd = Fs.open(fifo().toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0);
            Poll p = new Poll(loop, fd);
            SLOTS[filled++] = p;
            p.start(Poll.READABLE, (h, ev, e) -> {});
        });
        type(c, "tty", loop -> SLOTS[filled++] = new Tty(loop, Fs.open(fifo().toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0), true));
        type(c, "fs-event", loop -> {
            FsEvent e = new FsEvent(loop);
            SLOTS[filled++] = e;
            e.start(dir().toString(), 0, (h, f, ev, err) -> {});
        });
        type(c, "fs-poll", loop -> {
            FsPoll p = new FsPoll(loop);
            SLOTS[filled++] = p;
            p.start(dir().toString(), 60_000, (h, a, b, err) -> {});
        });
        type(c, "child-process", loop -> SLOTS[filled++] = ChildProcess.spawn(loop, ProcessOptions.command("true"), (p, s, g) -> {}));
        c.add("first-link-sweep", "the first call of 15 Sys functions, each under a stack overflow at every depth until it succeeds: "
                + "the overflow is an error of that call, and the function works afterwards", 60, 10_000, INTERPRETED,
                ErrorCases::firstLinkSweep);
        c.add("new-loop-and-close-sweep", "new Loop() and Loop.close() under a stack overflow at every depth: every loop closes, no descriptor leaks", 25, 10_000, INTERPRETED,
                ErrorCases::loops);
        c.add("execute-sweep", "execute() under a stack overflow at every depth: each accepted task runs once, the loop closes", 20, 10_000, INTERPRETED,
                ErrorCases::executes);
        c.add("fs-request-sweep", "async Fs.stat under a stack overflow at every depth: no request stuck outstanding, the loop closes", 20, 10_000, INTERPRETED,
                ErrorCases::requests);
        c.add("write-sweep", "Stream.write under a stack overflow at every depth: what arrives is accepted writes in order, nothing else", 20, 10_000, INTERPRETED,
                ErrorCases::writes);
        c.add("tcp-connect-sweep", "Tcp.connect under a stack overflow at every depth: no connect request stuck outstanding, "
                + "at most one callback per connect, the loop closes", 20, 10_000, INTERPRETED, () -> connects(false));
        c.add("pipe-connect-sweep", "Pipe.connect under a stack overflow at every depth: no connect request stuck outstanding, "
                + "at most one callback per connect, the loop closes", 20, 10_000, INTERPRETED, () -> connects(true));
        c.add("shutdown-sweep", "Stream.shutdown under a stack overflow at every depth: no shutdown request stuck outstanding, "
                + "the loop closes", 20, 10_000, INTERPRETED, ErrorCases::shutdowns);
        c.add("udp-send-sweep", "Udp.send under a stack overflow at every depth: only whole, distinct datagrams arrive", 20, 10_000, INTERPRETED,
                ErrorCases::sends);
        c.add("close-callback-overflows", "close callbacks that overflow the stack: run() rethrows, every handle still closes", 15,
                ErrorCases::closeCallbackOverflow);
        c.add("exception-handler-overflows", "an exception handler that overflows the stack: run() rethrows, the loop carries on and closes", 15,
                ErrorCases::handlerOverflow);
        c.add("read-callback-overflows", "a read callback that overflows the stack on every chunk: run() rethrows, the stream and loop close", 15,
                ErrorCases::readOverflow);
        c.add("close-task-throws-oom", "a task run by close() throws OutOfMemoryError: close() surfaces it, close() again succeeds", 15,
                ErrorCases::closeTaskOom);
    }

    private static Path dir;
    private static Path fifo;

    private static synchronized Path dir() throws Exception {
        if (dir == null) {
            dir = Kit.tempDir();
        }
        return dir;
    }

    private static synchronized Path fifo() throws Exception {
        if (fifo == null) {
            fifo = Kit.fifo(dir(), "f");
        }
        return fifo;
    }

    private static void type(Catalogue c, String name, Maker maker) {
        c.add("construct-close-" + name, "a StackOverflowError at every step of building and closing a " + name
                + ": only whole handles listed, all close, none stuck, Loop.close() succeeds", 30, 10_000, INTERPRETED,
                () -> constructClose(maker));
    }

    // slots the sweeps fill without a call between the constructor's return and the store
    private static final Object[] SLOTS = new Object[Kit.sweepAttempts(ROUNDS, SPAN) * 2 + 8];
    private static int filled;
    private static int closing;
    private static int closeCallbacks;

    /**
     * juv links each libuv function the first time it is called, inside a holder class's
     * initialiser; an overflow there must not leave the function unusable for the life of the
     * JVM. Each Sys call below is the first use of its libuv function in this JVM, made from a
     * stack at its end (Sys itself, the string helpers and the JDK's native-memory access are
     * warmed first: a Java class first initialised at the stack's very end is unusable for ever
     * by the JVM's own rule, not juv's).
     */
    static String firstLinkSweep() throws Exception {
        new Loop().close(); // what a program does first, at the depth it starts at
        check(Sys.version() > 0 && !Sys.cwd().isEmpty(), "warm-up");
        // the JDK's own classes behind reading native memory, first used here, not in the sweep
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment m = a.allocate(64);
            m.set(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, 1.5);
            m.set(java.lang.foreign.ValueLayout.JAVA_INT, 8, 2);
            m.set(java.lang.foreign.ValueLayout.JAVA_LONG, 16, 3);
            m.setString(24, "w");
            check(m.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0) == 1.5
                    && m.get(java.lang.foreign.ValueLayout.JAVA_INT, 8) == 2
                    && m.get(java.lang.foreign.ValueLayout.JAVA_LONG, 16) == 3
                    && m.getString(24).equals("w"), "warm-up of native memory access");
        }
        Map<String, Runnable> cold = new LinkedHashMap<>();
        cold.put("Sys.hrtime", Sys::hrtime);
        cold.put("Sys.uptime", Sys::uptime);
        cold.put("Sys.freeMemory", Sys::freeMemory);
        cold.put("Sys.totalMemory", Sys::totalMemory);
        cold.put("Sys.constrainedMemory", Sys::constrainedMemory);
        cold.put("Sys.loadavg", Sys::loadavg);
        cold.put("Sys.residentSetSize", Sys::residentSetSize);
        cold.put("Sys.getpid", Sys::getpid);
        cold.put("Sys.getppid", Sys::getppid);
        cold.put("Sys.availableParallelism", Sys::availableParallelism);
        cold.put("Sys.getPriority", () -> Sys.getPriority(0));
        cold.put("Sys.hostname", Sys::hostname);
        cold.put("Sys.homedir", Sys::homedir);
        cold.put("Sys.tmpdir", Sys::tmpdir);
        cold.put("Sys.exepath", Sys::exepath);
        int attempts = 0;
        for (Map.Entry<String, Runnable> e : cold.entrySet()) {
            attempts += Kit.coldSweep(e.getKey(), e.getValue());
        }
        check(Sys.getpid() == ProcessHandle.current().pid(), "Sys.getpid after the sweep");
        check(Sys.hrtime() > 0 && Sys.totalMemory() > 0 && !Sys.hostname().isEmpty(), "Sys calls after the sweep");
        return cold.size() + " first calls, " + attempts + " attempts";
    }

    static String constructClose(Maker maker) throws Exception {
        Loop loop = new Loop();
        filled = 0;
        Kit.Sweep built = Kit.sweep(ROUNDS, SPAN, () -> {
            try {
                maker.make(loop);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Map<Handle, Boolean> listed = new IdentityHashMap<>();
        for (Handle h : loop.handles()) {
            listed.put(h, true);
        }
        int notListed = 0;
        for (int i = 0; i < filled; i++) {
            // a slot stays null when the constructor threw (the index is taken before it runs)
            if (SLOTS[i] != null && listed.remove(SLOTS[i]) == null) {
                notListed++;
            }
        }
        // handles whose constructor threw but that the loop lists must be whole: the clean-up
        // below closes them like any other
        int unreturned = listed.size();
        check(notListed == 0, notListed + " built handle(s) missing from loop.handles()");
        closing = 0;
        closeCallbacks = 0;
        int total = filled;
        Kit.Sweep closed = Kit.sweep(ROUNDS, SPAN, () -> {
            if (closing >= total) {
                return;
            }
            int i = closing++;
            Handle h = (Handle) SLOTS[i];
            if (h == null) {
                return;
            }
            if ((i & 1) == 0) {
                h.close();
            } else if (!h.isClosing()) {
                h.close(x -> closeCallbacks++);
            }
        });
        int reclosed = 0;
        for (int i = 0; i < total; i++) {
            Handle h = (Handle) SLOTS[i];
            if (h != null && !h.isClosing()) {
                h.close();
                reclosed++;
            }
        }
        // an fs-poll handle closes only once its stat in flight is back: on a loaded machine that can
        // take seconds for a few hundred of them, so the bound is generous (a stuck close never ends)
        Kit.runBounded(loop, 15_000);
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Handle h = (Handle) SLOTS[i];
            if (h != null && !h.isClosed()) {
                stuck.add(h.toString());
            }
            SLOTS[i] = null;
        }
        check(stuck.isEmpty(), stuck.size() + " handle(s) stuck closing after a StackOverflowError in close(): "
                + stuck.subList(0, Math.min(3, stuck.size())));
        String notes = Kit.cleanUp(loop);
        return "built " + built + " (" + unreturned + " listed whose constructor threw); closed " + closed + ", "
                + reclosed + " closed again " + notes;
    }

    static String loops() throws Exception {
        Loop warm = new Loop();
        warm.close();
        int before = Kit.fds();
        filled = 0;
        Kit.Sweep made = Kit.sweep(1, SPAN, () -> SLOTS[filled++] = new Loop());
        int total = filled;
        closing = 0;
        Kit.Sweep closed = Kit.sweep(1, SPAN, () -> {
            if (closing >= total) {
                return;
            }
            Loop l = (Loop) SLOTS[closing];
            if (l != null) {
                l.close();
            }
            closing++;
        });
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Loop l = (Loop) SLOTS[i];
            try {
                if (l != null && !l.isClosed()) {
                    l.close();
                }
            } catch (Throwable t) {
                bad.add(t.toString());
            }
            SLOTS[i] = null;
        }
        check(bad.isEmpty(), "loops that cannot close after an overflow in close(): " + bad.size() + " "
                + (bad.isEmpty() ? "" : bad.get(0)));
        int after = Kit.fds();
        check(after <= before, "descriptors leaked: " + before + " before, " + after + " after " + total + " loops");
        return "made " + made + "; closed " + closed;
    }

    static String executes() throws Exception {
        Loop loop = new Loop();
        int[] ran = {0};
        Kit.Sweep s = Kit.sweep(ROUNDS, SPAN, () -> loop.execute(() -> ran[0]++));
        Kit.runBounded(loop, 2000);
        Kit.cleanUp(loop);
        check(ran[0] >= s.ok() && ran[0] <= s.ok() + s.overflow() + s.otherErrors() + 1,
                ran[0] + " tasks ran for " + s);
        return s + ", " + ran[0] + " ran";
    }

    static String requests() throws Exception {
        Loop loop = new Loop();
        int[] done = {0};
        Kit.Sweep s = Kit.sweep(ROUNDS, SPAN, () -> Fs.stat(loop, ".", (st, e) -> done[0]++));
        Kit.runUntil(loop, () -> done[0] >= s.ok() + 1, 5000);
        String notes = Kit.cleanUp(loop);
        check(done[0] >= s.ok() + 1, done[0] + " callbacks for " + s);
        return s + ", " + done[0] + " callbacks " + notes;
    }

    static String writes() throws Exception {
        Loop loop = new Loop();
        Tcp[] p = Kit.tcpPair(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Kit.collect(p[0], got);
        int[] next = {0};
        boolean[] accepted = new boolean[Kit.sweepAttempts(ROUNDS, SPAN) + 2];
        Kit.Sweep s = Kit.sweep(ROUNDS, SPAN, () -> {
            int i = next[0]++;
            p[1].write(new byte[] {(byte) (i >> 8), (byte) i, (byte) 0x5a, (byte) 0xa5});
            accepted[i] = true;
        });
        Kit.runUntil(loop, () -> got.size() >= 4 * (s.ok() + 1), 5000);
        byte[] b = got.toByteArray();
        check(b.length % 4 == 0, "a torn write: " + b.length + " bytes");
        int last = -1;
        int seen = 0;
        for (int k = 0; k < b.length; k += 4) {
            int i = ((b[k] & 0xff) << 8) | (b[k + 1] & 0xff);
            check(b[k + 2] == 0x5a && b[k + 3] == (byte) 0xa5, "garbage at byte " + k);
            check(i > last || (last == -1 && i == 0), "write " + i + " after " + last);
            last = i;
            seen++;
        }
        int acceptedCount = 0;
        for (boolean a : accepted) {
            acceptedCount += a ? 1 : 0;
        }
        check(seen >= acceptedCount, seen + " writes arrived, " + acceptedCount + " accepted");
        Kit.cleanUp(loop);
        return s + ", " + seen + " arrived";
    }

    /**
     * Connects made at every depth to a server that closes each connection as it accepts it:
     * each connect that returned gets one callback, one that overflowed at most one (it may have
     * reached libuv before the overflow), and none is left for close() to find.
     */
    static String connects(boolean pipe) throws Exception {
        Loop loop = new Loop();
        String name = pipe ? Kit.tempDir().resolve("c" + System.nanoTime() % 100000).toString() : null;
        dev.juv.Stream<?> server;
        if (pipe) {
            Pipe p = new Pipe(loop);
            p.bind(name);
            p.listen(1024, (srv, e) -> acceptAndClose(srv, new Pipe(loop), e));
            server = p;
        } else {
            Tcp t = new Tcp(loop);
            t.bind(Kit.LOOPBACK);
            t.listen(1024, (srv, e) -> acceptAndClose(srv, new Tcp(loop), e));
            server = t;
        }
        InetSocketAddress at = pipe ? null : ((Tcp) server).localAddress();
        int[] called = {0};
        Kit.Sweep s = Kit.sweep(ROUNDS, SPAN, () -> {
            if (pipe) {
                new Pipe(loop).connect(name, (x, e) -> {
                    called[0]++;
                    x.close();
                });
            } else {
                new Tcp(loop).connect(at, (x, e) -> {
                    called[0]++;
                    x.close();
                });
            }
        });
        Kit.runUntil(loop, () -> called[0] >= s.ok(), 5000);
        String notes = Kit.cleanUp(loop);
        check(called[0] >= s.ok() && called[0] <= s.ok() + s.overflow() + s.otherErrors(),
                called[0] + " connect callbacks for " + s);
        return s + ", " + called[0] + " called back " + notes;
    }

    private static <S extends dev.juv.Stream<S>> void acceptAndClose(S server, dev.juv.Stream<?> conn,
            dev.juv.UvException error) {
        if (error == null) {
            server.accept(conn);
        }
        conn.close();
    }

    /**
     * A shutdown at every depth, each on a fresh connected pair made beforehand: each shutdown
     * that returned gets its callback, one that overflowed at most one, and none is left for
     * close() to find.
     */
    static String shutdowns() throws Exception {
        Loop loop = new Loop();
        int span = SPAN / 10;
        List<Tcp> clients = new ArrayList<>();
        for (int i = 0; i < Kit.sweepAttempts(ROUNDS, span) + 1; i++) {
            clients.add(Kit.tcpPair(loop)[1]);
        }
        int[] next = {0};
        int[] called = {0};
        Kit.Sweep s = Kit.sweep(ROUNDS, span, () -> clients.get(next[0]++).shutdown((x, e) -> called[0]++));
        Kit.runUntil(loop, () -> called[0] >= s.ok(), 5000);
        String notes = Kit.cleanUp(loop);
        check(called[0] >= s.ok() && called[0] <= s.ok() + s.overflow() + s.otherErrors(),
                called[0] + " shutdown callbacks for " + s);
        return s + ", " + called[0] + " called back " + notes;
    }

    static String sends() throws Exception {
        Loop loop = new Loop();
        Udp in = new Udp(loop);
        in.bind(Kit.LOOPBACK);
        InetSocketAddress to = in.localAddress();
        List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        List<String> bad = new ArrayList<>();
        in.startRecv((u, f, d, fl, e) -> {
            if (d != null) {
                byte[] x = Kit.bytes(d);
                if (x.length != 64 || x[63] != 0x33) {
                    bad.add("datagram of " + x.length);
                } else {
                    got.add(((x[0] & 0xff) << 8) | (x[1] & 0xff));
                }
            }
        });
        Udp out = new Udp(loop);
        int[] next = {0};
        Kit.Sweep s = Kit.sweep(ROUNDS, SPAN, () -> {
            int i = next[0]++;
            byte[] d = new byte[64];
            d[0] = (byte) (i >> 8);
            d[1] = (byte) i;
            d[63] = 0x33;
            out.send(to, d);
        });
        Kit.runBounded(loop, 1000);
        check(bad.isEmpty(), bad.toString());
        check(got.size() == new java.util.HashSet<>(got).size(), "a datagram arrived twice");
        Kit.cleanUp(loop);
        return s + ", " + got.size() + " datagrams";
    }

    static String closeCallbackOverflow() throws Exception {
        Loop loop = new Loop();
        List<Timer> ts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Timer t = new Timer(loop);
            ts.add(t);
            t.close(h -> Kit.overflow());
        }
        int rethrown = 0;
        for (int i = 0; i < 10 && !ts.stream().allMatch(Handle::isClosed); i++) {
            try {
                loop.run();
            } catch (StackOverflowError e) {
                rethrown++;
            }
        }
        check(rethrown > 0, "run() never rethrew the StackOverflowError");
        check(ts.stream().allMatch(Handle::isClosed), "handles not closed after their close callbacks overflowed");
        Kit.cleanUp(loop);
        return rethrown + " rethrown";
    }

    static String handlerOverflow() throws Exception {
        Loop loop = new Loop();
        loop.setExceptionHandler(t -> Kit.overflow());
        Timer t = new Timer(loop);
        int[] n = {0};
        t.start(h -> {
            if (n[0]++ < 3) {
                throw new IllegalArgumentException("on purpose");
            }
            h.close();
        }, 0, 1);
        int rethrown = 0;
        for (int i = 0; i < 10 && !t.isClosed(); i++) {
            try {
                loop.run();
            } catch (IllegalArgumentException | StackOverflowError e) {
                rethrown++;
            }
        }
        check(t.isClosed(), "the timer never reached its close");
        check(rethrown > 0, "run() never rethrew");
        Kit.cleanUp(loop);
        return rethrown + " rethrown";
    }

    static String readOverflow() throws Exception {
        Loop loop = new Loop();
        Tcp[] p = Kit.tcpPair(loop);
        int[] chunks = {0};
        p[0].startRead((s, d, e) -> {
            if (d != null) {
                chunks[0]++;
                Kit.overflow();
            }
        });
        for (int i = 0; i < 5; i++) {
            p[1].write(Kit.pattern(1000, i));
        }
        int rethrown = 0;
        long end = System.nanoTime() + 2_000_000_000L;
        while (chunks[0] < 1 && System.nanoTime() < end) {
            try {
                Kit.runBounded(loop, 100);
            } catch (StackOverflowError e) {
                rethrown++;
            }
        }
        check(chunks[0] > 0, "nothing read");
        check(rethrown > 0, "run() never rethrew the StackOverflowError");
        p[0].close();
        p[1].close();
        Kit.cleanUp(loop);
        return rethrown + " rethrown";
    }

    static String closeTaskOom() throws Exception {
        Loop loop = new Loop();
        OutOfMemoryError oom = new OutOfMemoryError("injected");
        loop.execute(() -> {
            throw oom;
        });
        Throwable t = Kit.mustThrow("close() with a task throwing OutOfMemoryError", loop::close, OutOfMemoryError.class,
                IllegalStateException.class, RuntimeException.class);
        check(t == oom, "close() threw " + t + " instead of the task's OutOfMemoryError");
        Throwable again = Kit.outcome("close() again", loop::close);
        check(again == null && loop.isClosed(), "the loop did not close afterwards: " + again);
        return "surfaced";
    }
}
