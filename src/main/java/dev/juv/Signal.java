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

    /**
     * Guards libuv's process-wide signal state against {@link #shutDownLibrary}: every call that
     * makes libuv take its signal lock runs under it, and counts the watchers libuv holds.
     */
    private static final Object LIBRARY_LOCK = new Object();
    private static int watchers;
    private static boolean libraryShutDown;

    private Callback callback;
    private int active; // the signal libuv watches for us, 0 when stopped
    private boolean oneshot;
    private int lastSignum;

    /** Creates a stopped signal handle. Wraps uv_signal_init. */
    public Signal(Loop loop) {
        super(loop, HandleType.SIGNAL);
        init(LibUv.uv_signal_init(loop.ptr, ptr), "uv_signal_init");
    }

    /** Starts watching {@code signum}; replaces what the handle watched before. Wraps uv_signal_start. */
    public void start(Callback callback, int signum) {
        start(callback, signum, false);
    }

    /** Watches {@code signum} for one delivery, then stops. Wraps uv_signal_start_oneshot. */
    public void startOneshot(Callback callback, int signum) {
        start(callback, signum, true);
    }

    private void start(Callback callback, int signum, boolean once) {
        Objects.requireNonNull(callback, "callback");
        checkSignum(signum);
        checkOpen();
        synchronized (LIBRARY_LOCK) {
            if (libraryShutDown) {
                throw new IllegalStateException("the JVM is shutting down: libuv's signal handling has been released");
            }
            startLocked(callback, signum, once);
        }
    }

    private void startLocked(Callback callback, int signum, boolean once) {
        int previous = active;
        if (previous != signum) {
            Dispositions.acquire(signum);
        }
        int r = once ? LibUv.uv_signal_start_oneshot(ptr, Upcalls.SIGNAL_CB, signum)
                : LibUv.uv_signal_start(ptr, Upcalls.SIGNAL_CB, signum);
        if (r < 0) {
            if (previous != signum) {
                Dispositions.cancel(signum);
            }
            throw new UvException(r, once ? "uv_signal_start_oneshot" : "uv_signal_start");
        }
        if (previous != 0 && previous != signum) {
            Dispositions.release(previous);
        }
        if (previous == 0) {
            watchers++;
        }
        this.callback = callback;
        this.active = signum;
        this.oneshot = once;
        this.lastSignum = signum;
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
        checkOpen();
        synchronized (LIBRARY_LOCK) {
            if (active == 0) {
                return; // libuv's watcher is already stopped (never started, or a fired one-shot)
            }
            UvException.check(LibUv.uv_signal_stop(ptr), "uv_signal_stop");
            releaseActive();
        }
    }

    /** The signal the handle watches, or 0 when it is stopped. */
    public int signum() {
        checkOpen();
        return active != 0 ? active : 0;
    }

    private void releaseActive() {
        int s = active;
        active = 0;
        if (s != 0) {
            watchers--;
            Dispositions.release(s);
        }
    }

    @Override
    void beginClose() {
        // uv_close stops an active watcher synchronously, under libuv's signal lock
        synchronized (LIBRARY_LOCK) {
            super.beginClose();
        }
    }

    @Override
    void afterCloseStarted() {
        releaseActive();
    }

    /**
     * Releases libuv's global state (uv_library_shutdown) when no signal watcher is active, and
     * from then on refuses to start one. Runs in a JVM shutdown hook: libuv's own clean-up at
     * process exit joins its pool threads, which the JVM can no longer detach by then.
     * Returns whether libuv was released.
     */
    /** Whether {@link #shutDownLibrary} released libuv: the thread pool no longer runs anything. */
    static boolean libraryReleased() {
        synchronized (LIBRARY_LOCK) {
            return libraryShutDown;
        }
    }

    static boolean shutDownLibrary() {
        synchronized (LIBRARY_LOCK) {
            if (libraryShutDown) {
                return true;
            }
            if (watchers != 0) {
                return false;
            }
            libraryShutDown = true;
            LibUv.uv_library_shutdown();
            return true;
        }
    }

    @Override
    void onUvSignal(int signum) {
        Callback cb = callback;
        if (oneshot && active != 0) {
            // libuv stops a one-shot watcher once this callback returns; give the disposition
            // back on the loop's next turn, after libuv has reset it
            int s = active;
            active = 0;
            loop.execute(() -> {
                synchronized (LIBRARY_LOCK) {
                    watchers--;
                    Dispositions.release(s);
                }
            });
        }
        if (cb != null) {
            cb.call(this, signum);
        }
    }
}
