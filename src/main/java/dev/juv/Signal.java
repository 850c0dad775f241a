package dev.juv;

import dev.juv.internal.Dispositions;
import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.util.Objects;
import java.util.Set;

/**
 * Watches a Unix signal: libuv's {@code uv_signal_t}. The callback runs on the loop thread.
 * Signals the JVM itself needs (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGQUIT, SIGUSR2) are refused.
 * When the last watcher of a signal stops, the handler that was there before (the JVM's, which
 * runs shutdown hooks on SIGTERM, SIGINT and SIGHUP) is put back.
 */
public final class Signal extends Handle {
    /** Receives the signal handle and the signal number. */
    @FunctionalInterface
    public interface Callback {
        void call(Signal signal, int signum);
    }

    public static final int SIGHUP = number("HUP");
    public static final int SIGINT = number("INT");
    public static final int SIGQUIT = number("QUIT");
    public static final int SIGILL = number("ILL");
    public static final int SIGTRAP = number("TRAP");
    public static final int SIGABRT = number("ABRT");
    public static final int SIGBUS = number("BUS");
    public static final int SIGFPE = number("FPE");
    public static final int SIGKILL = number("KILL");
    public static final int SIGUSR1 = number("USR1");
    public static final int SIGSEGV = number("SEGV");
    public static final int SIGUSR2 = number("USR2");
    public static final int SIGPIPE = number("PIPE");
    public static final int SIGALRM = number("ALRM");
    public static final int SIGTERM = number("TERM");
    public static final int SIGCHLD = number("CHLD");
    public static final int SIGCONT = number("CONT");
    public static final int SIGSTOP = number("STOP");
    public static final int SIGTSTP = number("TSTP");
    public static final int SIGTTIN = number("TTIN");
    public static final int SIGTTOU = number("TTOU");
    public static final int SIGWINCH = number("WINCH");
    public static final int SIGPROF = number("PROF");
    public static final int SIGXCPU = number("XCPU");
    public static final int SIGXFSZ = number("XFSZ");
    public static final int SIGVTALRM = number("VTALRM");
    public static final int SIGSYS = number("SYS");

    private static final Set<Integer> RESERVED = Set.of(SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGQUIT, SIGUSR2);

    /** The platform's number for a signal name without "SIG", or -1 (read from the JDK's table). */
    @SuppressWarnings("removal")
    static int number(String name) {
        try {
            return new sun.misc.Signal(name).getNumber();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private Callback callback;
    private int active; // the signal libuv watches for us, 0 when stopped
    private boolean oneshot;
    /** libuv never clears its one-shot flag: once started one-shot, the handle stays one-shot. */
    private boolean everOneshot;
    /** True while this handle's one-shot callback runs; libuv stops the handle right after it. */
    private boolean dispatching;
    /** A one-shot re-arm asked for from inside the one-shot callback, applied once libuv stopped. */
    private Callback pendingCallback;
    private int pendingSignum;

    /** Creates a stopped signal handle. Wraps uv_signal_init. */
    public Signal(Loop loop) {
        super(loop, HandleType.SIGNAL, LibUv::uv_signal_init, "uv_signal_init");
    }

    /**
     * Starts watching {@code signum}; replaces what the handle watched before. Wraps uv_signal_start.
     *
     * @throws IllegalArgumentException for a signal the JVM needs, SIGKILL, SIGSTOP or a number
     *     out of range
     * @throws IllegalStateException if this handle was ever started with {@link #startOneshot}:
     *     libuv keeps such a handle one-shot for good, so a lasting watcher needs a new Signal
     * @throws HandleClosedException once the handle is closing
     */
    public void start(Callback callback, int signum) {
        start(callback, signum, false);
    }

    /**
     * Watches {@code signum} for one delivery, then stops. May be called again from its own
     * callback to watch for the next delivery; that takes effect on the loop's next turn. From the
     * delivery until then, the signal has its default action (libuv resets it as it is delivered)
     * and then the JVM's handler again: a lasting watcher has no such gap. Wraps
     * uv_signal_start_oneshot.
     *
     * @throws IllegalArgumentException for a signal the JVM needs, SIGKILL, SIGSTOP or a number
     *     out of range
     * @throws HandleClosedException once the handle is closing
     */
    public void startOneshot(Callback callback, int signum) {
        start(callback, signum, true);
    }

    private void start(Callback callback, int signum, boolean once) {
        Objects.requireNonNull(callback, "callback");
        checkSignum(signum);
        try (Loop.Claim claim = enter()) {
            if (!once && everOneshot) {
                throw new IllegalStateException("this Signal was started with startOneshot, and libuv keeps it"
                        + " one-shot; use a new Signal for a lasting watcher");
            }
            if (dispatching) {
                // libuv stops this handle as soon as the callback returns, and ignores a start for
                // the signal it is dispatching: re-arm after that instead
                pendingCallback = callback;
                pendingSignum = signum;
                return;
            }
            int previous = active;
            if (previous == signum && once != oneshot) {
                // libuv ignores a start for the signal it already watches, so the mode would not
                // change: stop first (the disposition stays held, the signal being the same)
                UvException.check(LibUv.uv_signal_stop(ptr), "uv_signal_stop");
            }
            if (previous != signum) {
                Dispositions.acquire(signum);
            }
            int r = once ? LibUv.uv_signal_start_oneshot(ptr, Upcalls.SIGNAL_CB, signum)
                    : LibUv.uv_signal_start(ptr, Upcalls.SIGNAL_CB, signum);
            if (r < 0) {
                if (previous != signum) {
                    Dispositions.cancel(signum);
                } else if (once != oneshot) {
                    releaseActive(); // stopped above
                }
                throw new UvException(r, once ? "uv_signal_start_oneshot" : "uv_signal_start");
            }
            if (previous != 0 && previous != signum) {
                Dispositions.release(previous);
            }
            this.callback = callback;
            this.active = signum;
            this.oneshot = once;
            if (once) {
                everOneshot = true;
            }
        }
    }

    static void checkSignum(int signum) {
        if (signum <= 0 || signum >= 128) {
            throw new IllegalArgumentException("invalid signal number " + signum);
        }
        if (RESERVED.contains(signum)) {
            throw new IllegalArgumentException("signal " + signum
                    + " belongs to the JVM (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGQUIT and SIGUSR2 are refused)");
        }
        if (signum == SIGKILL || signum == SIGSTOP) {
            throw new IllegalArgumentException("SIGKILL and SIGSTOP cannot be caught");
        }
    }

    /** Stops watching. Wraps uv_signal_stop. */
    public void stop() {
        try (Loop.Claim claim = enter()) {
            pendingCallback = null;
            UvException.check(LibUv.uv_signal_stop(ptr), "uv_signal_stop");
            releaseActive();
        }
    }

    /** The signal the handle watches (or will, once re-armed from its callback), or 0 when stopped. */
    public int signum() {
        try (Loop.Claim claim = enter()) {
            return active != 0 ? active : pendingCallback != null ? pendingSignum : 0;
        }
    }

    private void releaseActive() {
        int s = active;
        active = 0;
        if (s != 0) {
            Dispositions.release(s);
        }
    }

    @Override
    void afterCloseStarted() {
        // uv_close stopped the watcher synchronously
        pendingCallback = null;
        releaseActive();
    }

    @Override
    void onUvSignal(int signum) {
        Callback cb = callback;
        if (!oneshot || active == 0) {
            if (cb != null) {
                cb.call(this, signum);
            }
            return;
        }
        // libuv stops a one-shot watcher once this callback returns; give the disposition back
        // on the loop's next turn, after libuv has reset it, then apply a re-arm asked for inside
        int s = active;
        active = 0;
        dispatching = true;
        try {
            if (cb != null) {
                cb.call(this, signum);
            }
        } finally {
            dispatching = false;
            loop.execute(() -> {
                Dispositions.release(s);
                rearm();
            });
        }
    }

    private void rearm() {
        Callback cb = pendingCallback;
        pendingCallback = null;
        if (cb != null && !isClosing() && active == 0) {
            start(cb, pendingSignum, true);
        }
    }
}
