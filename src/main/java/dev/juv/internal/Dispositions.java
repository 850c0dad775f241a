package dev.juv.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.util.function.IntSupplier;

/**
 * Keeps the process's signal dispositions what the JVM needs while libuv watches signals for juv.
 *
 * <p>libuv installs its handler when a signal's first watcher starts and, when the last one
 * stops, sets {@code SIG_DFL} (not what was there before). For a signal whose action before juv
 * was not the default one (the JVM's handlers for SIGPIPE, SIGXFSZ, SIGTERM, SIGINT, SIGHUP; an
 * inherited SIG_IGN), a moment at SIG_DFL can kill the process (a write to a reset peer, a
 * SIGTERM without the shutdown hooks). So juv never lets libuv's last watcher of such a signal
 * stop: before it does, juv puts the saved action back with one {@code sigaction} (libuv's handler
 * is replaced, never removed), then starts a stand-in watcher on a private loop that never runs,
 * and only then stops the user's watcher, so libuv sees a watcher left and leaves the action
 * alone. When a watcher starts again, libuv sees the stand-in and installs nothing, so juv
 * reinstalls libuv's handler itself, after the stand-in has stopped. The stand-in is in libuv's
 * list only while libuv's handler is not installed, so it is never sent anything.
 *
 * <p>A signal whose action was the default is left to libuv (its reset to SIG_DFL is right),
 * and so is SIGCHLD always: libuv's own child watcher shares it, and resetting or replacing it
 * while a child runs would lose the child's exit.
 *
 * <p>Every juv start and stop of a libuv signal watcher goes through {@link #start} and
 * {@link #stop}, under one lock. {@code struct sigaction} is handled as opaque bytes (saved by
 * sigaction() and given back to it) whose first word is the handler on every Unix.
 */
public final class Dispositions {
    private Dispositions() {}

    private static final int MAX_SIGNAL = 128;
    private static final long ACTION_SIZE = 512; // larger than struct sigaction on every platform
    private static final long SIG_DFL = 0;
    private static final MethodHandle SIGACTION =
            Native.libc("sigaction", FunctionDescriptor.of(Native.I, Native.I, Native.P, Native.P));
    private static final int SIGCHLD = SignalNumbers.of("CHLD");

    /** juv's watchers of each signal in libuv's list. */
    private static final int[] WATCHERS = new int[MAX_SIGNAL];
    /** The action to put back when the last juv watcher stops; 0 where libuv's reset is right. */
    private static final long[] SAVED = new long[MAX_SIGNAL];
    /** libuv's own action for a signal, as it installed it; 0 until seen. */
    private static final long[] LIBUV_ACTION = new long[MAX_SIGNAL];
    /** The stand-in watcher of each signal (0 until needed) and whether it is in libuv's list. */
    private static final long[] STAND_IN = new long[MAX_SIGNAL];
    private static final boolean[] STAND_IN_ON = new boolean[MAX_SIGNAL];
    /** Memory that lives as long as the process: the private loop and the stand-ins. */
    private static final Arena FOREVER = Arena.global();
    private static long standInLoop;

    /**
     * Makes the private loop the stand-ins live on, if it does not exist yet: a loop holds a few
     * descriptors for the life of the process, taken here rather than in the middle of a stop.
     */
    public static synchronized void prepare() {
        if (standInLoop != 0 || SIGACTION == null) {
            return;
        }
        long loop = FOREVER.allocate(LibUv.uv_loop_size(), 16).address();
        int r = LibUv.uv_loop_init(loop);
        if (r == 0) {
            standInLoop = loop;
        }
    }

    /**
     * Starts a juv watcher of {@code signum}; {@code uvStart} makes the libuv call and returns
     * its status, which this returns.
     */
    public static synchronized int start(int signum, IntSupplier uvStart) {
        if (!managed(signum)) {
            return uvStart.getAsInt();
        }
        if (WATCHERS[signum] > 0) {
            int r = uvStart.getAsInt();
            if (r == 0) {
                WATCHERS[signum]++;
            }
            return r;
        }
        long current = Native.calloc(ACTION_SIZE);
        try {
            if (sigaction(signum, 0, current) != 0) {
                Native.free(current);
                current = 0;
            }
            int r = uvStart.getAsInt();
            if (r != 0) {
                return r;
            }
            WATCHERS[signum]++;
            if (STAND_IN_ON[signum]) {
                // libuv saw the stand-in and installed nothing: hand the signal to libuv now,
                // with the stand-in out of its list first so that it is never sent anything
                LibUv.uv_signal_stop(STAND_IN[signum]);
                STAND_IN_ON[signum] = false;
                sigaction(signum, LIBUV_ACTION[signum], 0);
            } else if (LIBUV_ACTION[signum] == 0) {
                long mine = Native.calloc(ACTION_SIZE);
                if (sigaction(signum, 0, mine) == 0 && current != 0 && handler(mine) != handler(current)) {
                    LIBUV_ACTION[signum] = copyForever(mine);
                }
                Native.free(mine);
            }
            boolean keep = current != 0 && handler(current) != SIG_DFL && LIBUV_ACTION[signum] != 0
                    && handler(current) != handler(LIBUV_ACTION[signum]);
            if (keep) {
                SAVED[signum] = current;
                current = 0;
            }
            return 0;
        } finally {
            Native.free(current);
        }
    }

    /**
     * Stops a juv watcher of {@code signum} that {@link #start} started; {@code uvStop} makes the
     * libuv call (uv_signal_stop), {@code signalCb} is the uv_signal_cb stub a stand-in watcher
     * gets (its data names nothing, so it does nothing).
     */
    public static synchronized void stop(int signum, Runnable uvStop, long signalCb) {
        if (!managed(signum) || WATCHERS[signum] == 0) {
            uvStop.run();
            return;
        }
        if (WATCHERS[signum] > 1 || SAVED[signum] == 0 || !standInReady(signum)) {
            WATCHERS[signum]--;
            uvStop.run();
            if (WATCHERS[signum] == 0) {
                restoreAfterReset(signum);
            }
            return;
        }
        // the last watcher of a signal the JVM needs: the saved action replaces libuv's, then the
        // stand-in keeps libuv from resetting it to SIG_DFL when the watcher leaves its list
        WATCHERS[signum] = 0;
        long saved = SAVED[signum];
        SAVED[signum] = 0;
        try {
            sigaction(signum, saved, 0);
            if (LibUv.uv_signal_start(STAND_IN[signum], signalCb, signum) == 0) {
                STAND_IN_ON[signum] = true;
            }
            uvStop.run();
            if (!STAND_IN_ON[signum]) {
                // no stand-in after all: libuv reset the action; give the saved one back at once
                sigaction(signum, saved, 0);
            }
        } finally {
            Native.free(saved);
        }
    }

    /** Without a stand-in, the best left: the saved action right after libuv's reset. */
    private static void restoreAfterReset(int signum) {
        long saved = SAVED[signum];
        SAVED[signum] = 0;
        if (saved != 0) {
            sigaction(signum, saved, 0);
            Native.free(saved);
        }
    }

    private static boolean standInReady(int signum) {
        if (STAND_IN[signum] != 0) {
            return true;
        }
        prepare();
        if (standInLoop == 0) {
            return false;
        }
        long h = FOREVER.allocate(LibUv.uv_handle_size(signalType()), 16).address();
        if (LibUv.uv_signal_init(standInLoop, h) != 0) {
            return false;
        }
        LibUv.uv_handle_set_data(h, 0);
        LibUv.uv_unref(h);
        STAND_IN[signum] = h;
        return true;
    }

    private static int signalType() {
        for (int i = 1; i < 64; i++) {
            String n = Native.string(LibUv.uv_handle_type_name(i));
            if (n == null) {
                break;
            }
            if (n.equals("signal")) {
                return i;
            }
        }
        throw new IllegalStateException("libuv has no handle type signal");
    }

    private static boolean managed(int signum) {
        return signum > 0 && signum < MAX_SIGNAL && signum != SIGCHLD && SIGACTION != null;
    }

    private static long handler(long action) {
        return Native.getLong(action);
    }

    private static long copyForever(long action) {
        long p = FOREVER.allocate(ACTION_SIZE, 16).address();
        Native.seg(p, ACTION_SIZE).copyFrom(Native.seg(action, ACTION_SIZE));
        return p;
    }

    /** The current handler of {@code signum} (SIG_DFL is 0, SIG_IGN 1), or -1 if unknown; for tests. */
    public static long currentHandler(int signum) {
        if (SIGACTION == null) {
            return -1;
        }
        long buf = Native.calloc(ACTION_SIZE);
        try {
            return sigaction(signum, 0, buf) == 0 ? handler(buf) : -1;
        } finally {
            Native.free(buf);
        }
    }

    private static int sigaction(int signum, long act, long old) {
        try {
            return (int) SIGACTION.invokeExact(signum, act, old);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
