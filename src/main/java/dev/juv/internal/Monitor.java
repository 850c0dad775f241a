package dev.juv.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.FlightRecorder;

/**
 * The one daemon thread ("juv-watchdog") that watches every open loop: it wakes every quarter of
 * the smallest watchdog threshold (at most once a second), warns once per blockage when a loop
 * has run the same callback for longer than its threshold, and registers juv's JFR events as
 * soon as the JVM's flight recorder is initialised (so a program that never uses JFR never loads
 * it: loading JFR's event machinery costs a few hundred milliseconds).
 *
 * <p>A blockage is measured with this thread's clock: the time it keeps seeing the same odd
 * sequence number in the loop's {@link LoopClock}, first seen at most a tick after the callback
 * began: a warning comes between one threshold and one and a half thresholds after it began, and
 * only for a callback that has held the loop for at least the threshold.
 */
public final class Monitor {
    private Monitor() {}

    /** Where warnings go; made on the first warning (System.Logger's set-up costs a fresh JVM ~10 ms). */
    private static System.Logger log;
    private static final long MAX_TICK = TimeUnit.SECONDS.toNanos(1);
    private static final CopyOnWriteArrayList<LoopClock> CLOCKS = new CopyOnWriteArrayList<>();
    private static Thread thread;

    /** Watches {@code c} from now on; starts the thread with the first loop. */
    public static void add(LoopClock c) {
        CLOCKS.add(c);
        Thread t;
        synchronized (Monitor.class) {
            t = thread;
            if (t == null) {
                t = new Thread(Monitor::watch, "juv-watchdog");
                t.setDaemon(true);
                thread = t;
                t.start();
                return;
            }
        }
        LockSupport.unpark(t); // its tick may have to shrink, and JFR may have started since its last look
    }

    /**
     * Sends the watchdog's warnings to {@code logger} instead of System.Logger "dev.juv" (tests
     * capture them so); returns the logger used before.
     */
    public static synchronized System.Logger logTo(System.Logger logger) {
        System.Logger old = log();
        log = java.util.Objects.requireNonNull(logger, "logger");
        return old;
    }

    private static synchronized System.Logger log() {
        if (log == null) {
            log = System.getLogger("dev.juv");
        }
        return log;
    }

    /** Stops watching {@code c} (its loop closed). */
    public static void remove(LoopClock c) {
        CLOCKS.remove(c);
    }

    /** The clocks of the open loops, for the LoopStatistics event. */
    static Iterable<LoopClock> clocks() {
        return CLOCKS;
    }

    private static void watch() {
        while (true) {
            try {
                lookForJfr();
                long tick = MAX_TICK;
                long now = System.nanoTime();
                for (LoopClock c : CLOCKS) {
                    if (c.thresholdNanos > 0) {
                        tick = Math.min(tick, Math.max(c.thresholdNanos / 4, 250_000));
                        check(c, now);
                    }
                }
                LockSupport.parkNanos(tick);
            } catch (Throwable e) {
                // the watchdog outlives whatever one check throws (an OutOfMemoryError, a logger's failure)
                LockSupport.parkNanos(MAX_TICK);
            }
        }
    }

    /** Set when JFR cannot be used here (a runtime without the jdk.jfr module): never asked again. */
    private static boolean noJfr;

    /** Registers juv's JFR events once the flight recorder is initialised. */
    private static void lookForJfr() {
        if (LoopClock.jfr || noJfr) {
            return;
        }
        try {
            if (FlightRecorder.isInitialized()) {
                JfrEvents.register();
            }
        } catch (LinkageError | SecurityException | IllegalStateException e) {
            noJfr = true; // no jdk.jfr in this runtime, or JFR disabled: the watchdog goes on without it
        }
    }

    private static void check(LoopClock c, long now) {
        long s = c.seqAcquire();
        if ((s & 1) == 0) {
            c.seenSeq = -1; // between callbacks (or in the poll)
            return;
        }
        if (s != c.seenSeq) {
            c.seenSeq = s;
            c.seenSince = now;
            c.warned = false;
            return;
        }
        long held = now - c.seenSince;
        if (c.warned || held < c.thresholdNanos) {
            return;
        }
        c.warned = true;
        Thread t = c.thread;
        String kind = LoopClock.kindName(c.kind);
        String type = c.currentTypeHint();
        StackTraceElement[] stack = t != null ? t.getStackTrace() : new StackTraceElement[0];
        if (c.seqAcquire() != s) {
            return; // it ended while the stack was taken: that stack would mislead
        }
        String name = t != null ? t.getName() : "?";
        BlockedLoop where = new BlockedLoop("stack of the loop thread " + name);
        where.setStackTrace(stack);
        log().log(System.Logger.Level.WARNING, "juv: " + c.loopName + " blocked: one " + kind + " callback (" + type
                + ") has held the loop thread " + name + " for at least " + TimeUnit.NANOSECONDS.toMillis(held)
                + " ms (threshold " + TimeUnit.NANOSECONDS.toMillis(c.thresholdNanos)
                + " ms); nothing else runs on this loop until it returns", where);
        if (LoopClock.jfr) {
            JfrEvents.blocked(c, t, kind, type, held);
        }
    }

    /** Carries the loop thread's stack in the watchdog's warning. */
    static final class BlockedLoop extends Exception {
        private static final long serialVersionUID = 1L;

        BlockedLoop(String message) {
            super(message, null, false, true);
        }
    }
}
