package dev.juv.support;

import dev.juv.Sys;
import java.lang.ref.WeakReference;
import java.util.List;

/** Small helpers the loop and handle tests share. */
public final class LoopTestSupport {
    private LoopTestSupport() {}

    /** Sends {@code signum} to this process. */
    public static void raise(int signum) {
        int r = TestLibc.kill(Sys.getpid(), signum);
        if (r != 0) {
            throw new IllegalStateException("kill failed: errno " + -r);
        }
    }

    /**
     * Calls {@code System.gc()} until every reference has cleared, a bounded number of times.
     * Returns whether they all cleared.
     */
    public static boolean gcUntilCleared(List<? extends WeakReference<?>> refs) {
        for (int attempt = 0; attempt < 50; attempt++) {
            if (refs.stream().allMatch(r -> r.get() == null)) {
                return true;
            }
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return refs.stream().allMatch(r -> r.get() == null);
    }

    /** Runs {@code action} on a new thread and waits for it; returns what it threw, or null. */
    public static Throwable onOtherThread(Runnable action) {
        Throwable[] out = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                out[0] = e;
            }
        }, "juv-test-foreign");
        t.start();
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            throw new AssertionError("the foreign thread did not finish");
        }
        return out[0];
    }
}
