package dev.juv.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * Puts the JVM's own signal handlers back after libuv lets go of a signal. libuv installs its
 * handler when a signal's first watcher starts and restores SIG_DFL (not what was there before)
 * when the last one stops; juv saves the action before the first start and reinstalls it then.
 * {@code struct sigaction} is handled as opaque bytes: saved by sigaction() and given back to it.
 */
public final class Dispositions {
    private Dispositions() {}

    private static final int MAX_SIGNAL = 128;
    private static final long ACTION_SIZE = 512; // larger than struct sigaction on every platform
    private static final MethodHandle SIGACTION = Native.LINKER.defaultLookup().find("sigaction")
            .map(s -> Native.LINKER.downcallHandle(s, FunctionDescriptor.of(Native.I, Native.I, Native.P, Native.P)))
            .orElse(null);
    private static final int[] COUNTS = new int[MAX_SIGNAL];
    private static final long[] SAVED = new long[MAX_SIGNAL];

    /** Call before a watcher for {@code signum} starts. */
    public static synchronized void acquire(int signum) {
        if (signum <= 0 || signum >= MAX_SIGNAL) {
            return;
        }
        if (COUNTS[signum]++ == 0 && SIGACTION != null) {
            long buf = Native.calloc(ACTION_SIZE);
            if (sigaction(signum, 0, buf) == 0) {
                SAVED[signum] = buf;
            } else {
                Native.free(buf);
            }
        }
    }

    /** Undoes a failed {@link #acquire} without touching the signal's action. */
    public static synchronized void cancel(int signum) {
        if (signum <= 0 || signum >= MAX_SIGNAL || COUNTS[signum] == 0) {
            return;
        }
        if (--COUNTS[signum] == 0) {
            Native.free(SAVED[signum]);
            SAVED[signum] = 0;
        }
    }

    /** Call after a watcher for {@code signum} has stopped in libuv. */
    public static synchronized void release(int signum) {
        if (signum <= 0 || signum >= MAX_SIGNAL || COUNTS[signum] == 0) {
            return;
        }
        if (--COUNTS[signum] == 0) {
            long buf = SAVED[signum];
            SAVED[signum] = 0;
            if (buf != 0) {
                sigaction(signum, buf, 0);
                Native.free(buf);
            }
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
