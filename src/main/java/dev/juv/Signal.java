package dev.juv;

import dev.juv.internal.Dispositions;
import dev.juv.internal.LibUv;
import dev.juv.internal.SignalNumbers;
import dev.juv.internal.Upcalls;
import java.util.Objects;
import java.util.Set;

/**
 * Watches a Unix signal: libuv's {@code uv_signal_t}. The callback runs on the loop thread.
 * Signals the JVM itself needs (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGQUIT, SIGUSR2) are refused.
 *
 * <p>When the last watcher of a signal stops (or closes), the action that was there before it
 * started is back, with no moment at the default action in between: the JVM's handlers (which
 * ignore SIGPIPE and SIGXFSZ, and run the shutdown hooks on SIGTERM, SIGINT and SIGHUP) and an
 * inherited SIG_IGN are replaced by libuv's handler and given back, never reset. SIGCHLD is the
 * exception: libuv's own child watcher shares it, so it stays libuv's while any
 * {@link ChildProcess} runs, and returns to the default action (the JVM's) after.
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

    private static int number(String name) {
        return SignalNumbers.of(name);
    }

    private Callback callback;
    private int active; // the signal libuv watches for us, 0 when stopped
    private boolean oneshot;

    /** Creates a stopped signal handle. Wraps uv_signal_init. */
    public Signal(Loop loop) {
        super(prepared(loop), HandleType.SIGNAL, LibUv::uv_signal_init, "uv_signal_init");
    }

    /** The private loop that keeps dispositions safe is made before the first Signal exists. */
    private static Loop prepared(Loop loop) {
        Dispositions.prepare();
        return loop;
    }

    /**
     * Starts watching {@code signum}; replaces what the handle watched before (a watcher started
     * with {@link #startOneshot} becomes a lasting one). Wraps uv_signal_start.
     *
     * @throws IllegalArgumentException for a signal the JVM needs, SIGKILL, SIGSTOP or a number
     *     out of range
     * @throws UvException if libuv refuses the signal; the handle is then stopped
     * @throws HandleClosedException once the handle is closing
     */
    public void start(Callback callback, int signum) {
        start(callback, signum, false);
    }

    /**
     * Watches {@code signum} for one delivery: the handle stops just before the callback runs,
     * which may start it again (with this method or {@link #start}). libuv's own one-shot mode is
     * not used, because it resets the signal to its default action as it is delivered: here the
     * signal keeps libuv's handler until the stop, which gives the previous action back at once.
     * Wraps uv_signal_start.
     *
     * @throws IllegalArgumentException for a signal the JVM needs, SIGKILL, SIGSTOP or a number
     *     out of range
     * @throws UvException if libuv refuses the signal; the handle is then stopped
     * @throws HandleClosedException once the handle is closing
     */
    public void startOneshot(Callback callback, int signum) {
        start(callback, signum, true);
    }

    private void start(Callback callback, int signum, boolean once) {
        Objects.requireNonNull(callback, "callback");
        checkSignum(signum);
        try (Loop.Claim _ = enter()) {
            if (active != signum) {
                stopActive();
                int r = Dispositions.start(signum, () -> LibUv.uv_signal_start(ptr, Upcalls.SIGNAL_CB, signum));
                if (r < 0) {
                    throw new UvException(r, once ? "uv_signal_start (one-shot)" : "uv_signal_start");
                }
                active = signum;
            }
            this.callback = callback;
            this.oneshot = once;
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
        try (Loop.Claim _ = enter()) {
            stopActive();
        }
    }

    /** The signal the handle watches, or 0 when stopped. */
    public int signum() {
        try (Loop.Claim _ = enter()) {
            return active;
        }
    }

    private void stopActive() {
        int s = active;
        if (s != 0) {
            active = 0;
            Dispositions.stop(s, () -> LibUv.uv_signal_stop(ptr));
        }
    }

    @Override
    void beforeClose() {
        // stopped here rather than by uv_close, so that the disposition is handed back safely
        stopActive();
    }

    @Override
    void onUvSignal(int signum) {
        Callback cb = callback;
        if (oneshot) {
            stopActive();
        }
        if (cb != null) {
            cb.call(this, signum);
        }
    }
}
