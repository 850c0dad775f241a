package dev.juv.internal;

import dev.juv.HandleType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What one loop publishes about the callback it is in, for the watchdog thread, the metrics and
 * the JFR events. Every upcall stub's target is wrapped (see {@link #timed}) so that the loop
 * thread marks the start and the end of each callback: a sequence number, odd while a callback
 * runs, written with release semantics (a plain store on x86) and read by the watchdog with
 * acquire semantics. No clock is read on this path unless a JFR recording has the SlowCallback
 * event on: the watchdog measures a blockage with its own clock, as the time it keeps seeing the
 * same odd sequence number.
 *
 * <p>The loop thread finds its clock in a thread-local set by {@code Loop.run} (and restored
 * after it, so a callback that runs another loop nests correctly); upcalls outside any run find
 * none and only run their target.
 */
public final class LoopClock {
    private static final ThreadLocal<LoopClock> CURRENT = new ThreadLocal<>();

    /** A thread and the clock of the loop it runs. */
    private record Bound(Thread thread, LoopClock clock) {}

    private static final Bound NONE = new Bound(null, null);
    /**
     * The binding the last thread to enter or leave a run left: a program with one loop thread
     * finds its clock here with one comparison instead of a thread-local lookup per callback
     * (which profiles showed as the largest Java cost of a timer's callback). Each thread only
     * ever stores a binding naming itself, so a binding that names the calling thread is that
     * thread's latest; another thread's store only sends this one to the thread-local.
     */
    private static volatile Bound last = NONE;
    /** The binding {@link #enterRun} last made for this clock. */
    private Bound bound;

    /** The clock of the loop the calling thread runs, or null. */
    private static LoopClock current() {
        Bound b = last;
        Thread t = Thread.currentThread();
        return b.thread == t ? b.clock : CURRENT.get();
    }
    /** Set once the JFR events are registered (see {@link Monitor}): then callbacks ask JFR whether SlowCallback is on. */
    static volatile boolean jfr;

    private static final VarHandle SEQ;
    private static final MethodHandle ENTER;
    private static final MethodHandle EXIT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SEQ = l.findVarHandle(LoopClock.class, "seq", long.class);
            ENTER = l.findStatic(LoopClock.class, "enter", MethodType.methodType(void.class, int.class, long.class));
            EXIT = l.findStatic(LoopClock.class, "exit", MethodType.methodType(void.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- callback kinds: one per upcall target, named after libuv's callback (read, timer, close) ----

    private static final Object KINDS_LOCK = new Object();
    private static volatile String[] kindNames = new String[0];
    /** The handle type a kind always has, or null when it is read from the handle. */
    private static volatile String[] fixedTypes = new String[0];
    /** For kinds without a fixed type: whether the handle is read before the callback (close frees it). */
    private static volatile boolean[] typeBefore = new boolean[0];

    private static int kind(String owner, String target) {
        String name = target.startsWith("on") && target.length() > 2
                ? target.substring(2).toLowerCase(Locale.ROOT) : target;
        String fixed;
        boolean before = false;
        switch (owner) {
            case "Handle" -> {
                fixed = null;
                before = name.equals("close");
            }
            case "Stream" -> fixed = name.equals("read") || name.equals("connection") ? null : "stream";
            case "UdpSendRequest" -> fixed = "udp";
            case "ChildProcess" -> fixed = "process";
            case "FsPoll" -> fixed = "fs_poll";
            case "FsEvent" -> fixed = "fs_event";
            default -> fixed = owner.toLowerCase(Locale.ROOT);
        }
        synchronized (KINDS_LOCK) {
            int k = kindNames.length;
            String[] n = Arrays.copyOf(kindNames, k + 1);
            String[] f = Arrays.copyOf(fixedTypes, k + 1);
            boolean[] b = Arrays.copyOf(typeBefore, k + 1);
            n[k] = name;
            f[k] = fixed;
            b[k] = before;
            fixedTypes = f;
            typeBefore = b;
            kindNames = n;
            return k;
        }
    }

    /** The name of a callback kind: {@code read}, {@code alloc}, {@code timer}, {@code close}... */
    static String kindName(int kind) {
        String[] n = kindNames;
        return kind >= 0 && kind < n.length ? n[kind] : "?";
    }

    /**
     * {@code target}, a static upcall target of {@code owner} whose first parameter is the
     * handle's or request's pointer, wrapped so that its loop's clock marks its start and end.
     */
    static MethodHandle timed(MethodHandle target, Class<?> owner, String name) {
        int k = kind(owner.getSimpleName(), name);
        MethodHandle withExit = MethodHandles.filterReturnValue(target, MethodHandles.insertArguments(EXIT, 0, k));
        return MethodHandles.foldArguments(withExit, 0, MethodHandles.insertArguments(ENTER, 0, k));
    }

    // ---- one loop's clock ----

    /** The loop's name for messages, as its toString gives it. */
    final String loopName;
    /** The watchdog threshold in nanoseconds, 0 for none. */
    final long thresholdNanos;
    /** The loop's metrics, for the LoopStatistics event; any thread. */
    final Supplier<?> metrics;
    /** The thread inside the loop's run(), or null. */
    volatile Thread thread;

    /** Odd while a callback runs; two per callback. Written by the loop thread only. */
    @SuppressWarnings("unused") // through SEQ
    private long seq;
    private int depth;
    /**
     * The running callback's kind and first argument: plain fields the loop thread writes before
     * the release of {@link #seq}, so a watchdog that acquired an odd sequence number sees the kind.
     */
    int kind;
    private long arg;
    /**
     * This loop's JFR SlowCallback event, made the first time a recording has it on and begun
     * again for each callback while one does (the loop thread is its only user), so a recording
     * allocates nothing per callback.
     */
    private Object slowEvent;
    /** Whether {@link #slowEvent} was begun for the running callback. */
    private boolean timing;
    private String typeAtEntry;

    // the watchdog's own state, touched by its thread only
    long seenSeq = -1;
    long seenSince;
    boolean warned;

    /**
     * A clock for a loop named {@code loopName}.
     *
     * @param thresholdNanos the watchdog threshold, 0 for none
     * @param metrics the loop's metrics (a {@code LoopMetrics}), callable from any thread
     */
    public LoopClock(String loopName, long thresholdNanos, Supplier<?> metrics) {
        this.loopName = loopName;
        this.thresholdNanos = thresholdNanos;
        this.metrics = metrics;
    }

    /** How many callbacks have started on the loop. */
    public long callbacks() {
        long s = (long) SEQ.getAcquire(this);
        return (s + 1) >>> 1;
    }

    /** The sequence number as the watchdog reads it. */
    long seqAcquire() {
        return (long) SEQ.getAcquire(this);
    }

    /**
     * Marks the calling thread as running this clock's loop, until {@link #leave}; returns the
     * clock it ran before (another loop run from a callback), which {@code leave} restores.
     */
    public LoopClock enterRun() {
        LoopClock prev = CURRENT.get();
        CURRENT.set(this);
        Thread t = Thread.currentThread();
        thread = t;
        last = boundTo(t);
        return prev;
    }

    /** This clock bound to {@code t}, made once per thread that runs it (not per run). */
    private Bound boundTo(Thread t) {
        Bound b = bound;
        if (b == null || b.thread != t) {
            bound = b = new Bound(t, this);
        }
        return b;
    }

    /** Ends {@link #enterRun}. */
    public void leave(LoopClock prev) {
        thread = null;
        Thread t = Thread.currentThread();
        if (prev != null) {
            CURRENT.set(prev);
            last = prev.boundTo(t);
        } else {
            CURRENT.remove();
            if (last.thread == t) {
                last = NONE;
            }
        }
    }

    private static void enter(int kind, long arg) {
        try {
            LoopClock c = current();
            if (c == null || c.depth++ != 0) {
                return;
            }
            c.kind = kind;
            c.arg = arg;
            SEQ.setRelease(c, c.seq + 1);
            if (jfr && JfrEvents.slowOn()) {
                Object e = c.slowEvent;
                if (e == null) {
                    e = JfrEvents.newSlow();
                    c.slowEvent = e;
                }
                JfrEvents.begin(e);
                c.timing = true;
                if (typeBefore[kind]) {
                    c.typeAtEntry = handleType(arg); // the close callback frees the handle
                }
            }
        } catch (Throwable ignored) {
            // nothing may leave an upcall; a lost mark only blurs the metrics
        }
    }

    private static void exit(int kind) {
        try {
            LoopClock c = current();
            if (c == null || --c.depth != 0) {
                return;
            }
            SEQ.setRelease(c, c.seq + 1);
            if (c.timing) {
                c.timing = false;
                Object e = c.slowEvent;
                if (JfrEvents.endIsSlow(e)) {
                    String type = fixedTypes[kind];
                    if (type == null) {
                        type = typeBefore[kind] ? c.typeAtEntry : handleType(c.arg);
                    }
                    JfrEvents.commitSlow(e, kindName(kind), type);
                }
                c.typeAtEntry = null;
            }
        } catch (Throwable ignored) {
            // nothing may leave an upcall
        }
    }

    /** The type of the handle at {@code ptr}, which libuv still holds. */
    private static String handleType(long ptr) {
        return TYPE_NAMES[HandleType.of(LibUv.uv_handle_get_type(ptr)).ordinal()];
    }

    /** Each handle type's name in lower case, made once (not per callback of a recording). */
    private static final String[] TYPE_NAMES = Arrays.stream(HandleType.values())
            .map(t -> t.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    /** The handle type the running callback is known to have, for the watchdog's message (no native read). */
    String currentTypeHint() {
        String[] f = fixedTypes;
        int k = kind;
        return k >= 0 && k < f.length && f[k] != null ? f[k] : "stream or handle";
    }

    /** Whether juv's JFR events are registered: the watchdog thread does it once the flight recorder is initialised. */
    public static boolean jfrRegistered() {
        return jfr;
    }

    /** Reports an exception a callback threw to JFR (the CallbackException event), if it is on. */
    public static void exceptionThrown(Throwable t) {
        if (jfr) {
            try {
                JfrEvents.exception(t);
            } catch (Throwable ignored) {
                // reporting never fails the routing of the exception
            }
        }
    }
}
