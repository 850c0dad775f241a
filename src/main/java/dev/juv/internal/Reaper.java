package dev.juv.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reaps children whose process handle was closed before they exited. libuv stops waiting for a
 * child when its {@code uv_process_t} closes, so without this the child would stay a zombie. Only
 * such pids are waited for, each with {@code waitpid(pid)}: libuv no longer waits for them, and a
 * child that has not been reaped keeps its pid, so no other process's status can be taken.
 *
 * <p>A child that has already ended is reaped at once; the others by one daemon thread that
 * checks them with {@code WNOHANG} a few times a second and ends when none is left. Their exit
 * statuses are dropped.
 */
public final class Reaper {
    private Reaper() {}

    private static final int WNOHANG = 1; // the same on Linux, macOS and the BSDs
    private static final MethodHandle WAITPID =
            Native.libc("waitpid", FunctionDescriptor.of(Native.I, Native.I, Native.P, Native.I));
    private static final Set<Integer> WAITING = new LinkedHashSet<>();
    private static Thread thread;

    /** Reaps {@code pid} once it has ended; call once libuv has stopped watching it. */
    public static void reap(int pid) {
        if (WAITPID == null || pid <= 0 || done(pid)) {
            return;
        }
        synchronized (Reaper.class) {
            WAITING.add(pid);
            if (thread == null) {
                thread = new Thread(Reaper::run, "juv-reaper");
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /** How many closed children have not been reaped yet; for tests. */
    public static synchronized int waiting() {
        return WAITING.size();
    }

    private static void run() {
        long pause = 5;
        while (true) {
            Integer[] pids;
            synchronized (Reaper.class) {
                if (WAITING.isEmpty()) {
                    thread = null;
                    return;
                }
                pids = WAITING.toArray(Integer[]::new);
            }
            for (int pid : pids) {
                if (done(pid)) {
                    synchronized (Reaper.class) {
                        WAITING.remove(pid);
                    }
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                // a daemon thread nobody interrupts; carry on
            }
            pause = Math.min(200, pause * 2);
        }
    }

    /** True once {@code pid} is reaped now, or cannot be waited for (ECHILD: someone else reaped it). */
    private static boolean done(int pid) {
        // not juv's counted allocator: this thread runs while tests compare its count
        try (Arena a = Arena.ofConfined()) {
            long status = a.allocate(ValueLayout.JAVA_INT).address();
            int r = (int) WAITPID.invokeExact(pid, status, WNOHANG);
            return r != 0;
        } catch (Throwable t) {
            return true;
        }
    }
}
