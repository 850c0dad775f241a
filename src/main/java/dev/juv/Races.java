package dev.juv;

import java.util.concurrent.RejectedExecutionException;

/**
 * Network races are error values, not misuse: a write, shutdown or send on a handle that is
 * closing or closed (the peer went away, or another callback closed it) never throws. Its
 * callback gets {@code ECANCELED} on a later turn of the loop, never inside the call that
 * started it; without a callback the data is dropped.
 */
final class Races {
    private Races() {}

    /**
     * Claims the loop for an operation on {@code h}, or returns null when {@code h} is closing or
     * closed (also when its loop is closed). A call from a thread other than the one running the
     * loop still throws {@link IllegalStateException}: that is misuse, not a race.
     */
    static Loop.Claim claim(Handle h) {
        Loop.Claim c;
        try {
            c = h.loop.enter();
        } catch (HandleClosedException loopClosed) {
            return null;
        }
        if (h.isOpen()) {
            return c;
        }
        c.close();
        return null;
    }

    /** The error a raced operation reports. */
    static UvException cancelled(String operation) {
        return UvException.async(Errno.ECANCELED, operation + ": the handle is closing or closed");
    }

    /**
     * Runs {@code report} on the loop thread on a later turn. A closed loop runs no callback
     * (as for every other callback once {@code Loop.close()} has returned): the report is dropped.
     */
    static void later(Loop loop, Runnable report) {
        try {
            loop.execute(report);
        } catch (RejectedExecutionException loopClosed) {
            // a closed loop calls nothing back
        }
    }
}
