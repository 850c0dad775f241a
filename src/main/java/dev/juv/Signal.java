package dev.juv;

import dev.juv.internal.Dispositions;
import dev.juv.internal.LibUv;
import dev.juv.internal.SignalNumbers;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
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
 *
 * <p>The {@code SIG*} constants hold the running platform's numbers, read from the JDK's table;
 * a signal the platform does not have is -1.
 */
public final class Signal extends Handle {
    /** Receives the signal handle and the signal number. */
    @FunctionalInterface
    public interface Callback {
        /**
         * Runs on the loop thread for each delivery of the watched signal.
         *
         * @param signal the handle watching the signal
         * @param signum the signal's number
         */
        void call(Signal signal, int signum);
    }

    /** {@code SIGHUP}: hangup of the controlling terminal, or the end of its controlling process. */
    public static final int SIGHUP = number("HUP");
    /** {@code SIGINT}: interrupt from the keyboard (Ctrl+C). */
    public static final int SIGINT = number("INT");
    /** {@code SIGQUIT}: quit from the keyboard; the JVM dumps its threads on it, so it cannot be watched. */
    public static final int SIGQUIT = number("QUIT");
    /** {@code SIGILL}: illegal instruction; the JVM needs it, so it cannot be watched. */
    public static final int SIGILL = number("ILL");
    /** {@code SIGTRAP}: trace or breakpoint trap. */
    public static final int SIGTRAP = number("TRAP");
    /** {@code SIGABRT}: abort, as {@code abort(3)} raises it. */
    public static final int SIGABRT = number("ABRT");
    /** {@code SIGBUS}: bus error (a bad memory access); the JVM needs it, so it cannot be watched. */
    public static final int SIGBUS = number("BUS");
    /** {@code SIGFPE}: arithmetic error; the JVM needs it, so it cannot be watched. */
    public static final int SIGFPE = number("FPE");
    /** {@code SIGKILL}: kill; it cannot be caught, so it cannot be watched. */
    public static final int SIGKILL = number("KILL");
    /** {@code SIGUSR1}: user-defined signal 1. */
    public static final int SIGUSR1 = number("USR1");
    /** {@code SIGSEGV}: invalid memory reference; the JVM needs it, so it cannot be watched. */
    public static final int SIGSEGV = number("SEGV");
    /** {@code SIGUSR2}: user-defined signal 2; the JVM needs it, so it cannot be watched. */
    public static final int SIGUSR2 = number("USR2");
    /** {@code SIGPIPE}: a write to a pipe or socket that nobody reads. */
    public static final int SIGPIPE = number("PIPE");
    /** {@code SIGALRM}: timer signal from {@code alarm(2)}. */
    public static final int SIGALRM = number("ALRM");
    /** {@code SIGTERM}: termination request. */
    public static final int SIGTERM = number("TERM");
    /** {@code SIGCHLD}: a child process stopped or ended. */
    public static final int SIGCHLD = number("CHLD");
    /** {@code SIGCONT}: continue a stopped process. */
    public static final int SIGCONT = number("CONT");
    /** {@code SIGSTOP}: stop the process; it cannot be caught, so it cannot be watched. */
    public static final int SIGSTOP = number("STOP");
    /** {@code SIGTSTP}: stop typed at the terminal (Ctrl+Z). */
    public static final int SIGTSTP = number("TSTP");
    /** {@code SIGTTIN}: terminal input for a background process. */
    public static final int SIGTTIN = number("TTIN");
    /** {@code SIGTTOU}: terminal output from a background process. */
    public static final int SIGTTOU = number("TTOU");
    /** {@code SIGWINCH}: the terminal window changed size. */
    public static final int SIGWINCH = number("WINCH");
    /** {@code SIGPROF}: profiling timer expired. */
    public static final int SIGPROF = number("PROF");
    /** {@code SIGXCPU}: CPU time limit exceeded. */
    public static final int SIGXCPU = number("XCPU");
    /** {@code SIGXFSZ}: file size limit exceeded. */
    public static final int SIGXFSZ = number("XFSZ");
    /** {@code SIGVTALRM}: virtual timer expired. */
    public static final int SIGVTALRM = number("VTALRM");
    /** {@code SIGSYS}: bad system call. */
    public static final int SIGSYS = number("SYS");

    private static final Set<Integer> RESERVED = Set.of(SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGQUIT, SIGUSR2);

    private static int number(String name) {
        return SignalNumbers.of(name);
    }

    private Callback callback;
    private int active; // the signal libuv watches for us, 0 when stopped
    private boolean oneshot;

    /**
     * Creates a stopped signal handle. Wraps uv_signal_init.
     *
     * @param loop the loop the handle belongs to
     */
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
     * @param callback runs on the loop thread for each delivery
     * @param signum the signal's number, such as {@link #SIGINT}
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
     * @param callback runs on the loop thread for the one delivery
     * @param signum the signal's number, such as {@link #SIGINT}
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
                int r = Dispositions.start(signum, () -> LibUv.uv_signal_start(ptr, SIGNAL_CB.address(), signum));
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

    /**
     * The signal the handle watches, or 0 when stopped.
     *
     * @return the watched signal's number, 0 when the handle is stopped
     */
    public int signum() {
        try (Loop.Claim _ = enter()) {
            return active;
        }
    }

    private void stopActive() {
        int s = active;
        if (s != 0) {
            active = 0;
            Dispositions.stop(s, () -> LibUv.uv_signal_stop(ptr), SIGNAL_CB.address());
        }
    }

    @Override
    void beforeClose() {
        // stopped here rather than by uv_close, so that the disposition is handed back safely
        stopActive();
    }

    /** {@code uv_signal_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub SIGNAL_CB = Upcalls.stub(MethodHandles.lookup(), "onSignal", "V:PI");

    private static void onSignal(long handle, int signum) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Signal h) {
                h.onUvSignal(signum);
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

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
