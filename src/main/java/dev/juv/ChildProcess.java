package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.ProcessOptionsLayout;
import dev.juv.internal.Reaper;
import dev.juv.internal.Scratch;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A child process started by {@link #spawn}: libuv's {@code uv_process_t} (pyuv's
 * {@code Process}). The exit callback runs once on the loop thread when the child ends; the
 * handle stays open until {@link #close()}. Closing the handle before the child exits does not
 * stop the child; it only stops watching it: the exit callback will not run, and juv reaps the
 * child once it ends (it leaves no zombie), dropping its exit status. {@link #onExit()} and
 * {@link #onClose()} give the exit as a future, from any thread.
 */
public final class ChildProcess extends Handle {
    /** Receives the process, its exit status and the signal that ended it (0 when none did). */
    @FunctionalInterface
    public interface ExitCallback {
        /**
         * Runs once on the loop thread when the child has ended and been reaped.
         *
         * @param process the handle of the child that ended
         * @param exitStatus the child's exit status
         * @param termSignal the number of the signal that ended the child, 0 when none did
         */
        void call(ChildProcess process, long exitStatus, int termSignal);
    }

    /**
     * How a child ended: its exit status, and the number of the signal that ended it (0 when none
     * did).
     *
     * @param status the child's exit status
     * @param signal the number of the signal that ended the child, 0 when none did
     */
    public record Exit(long status, int signal) {}

    private final ExitCallback exitCallback;
    private int pid;
    private boolean exited;
    /** Completed on the loop thread at the exit, or failed when the handle closes first. */
    private final CompletableFuture<Exit> exit = new CompletableFuture<>();
    /** The pipes libuv made for the child's stdio ({@link Stdio#pipe}). */
    private List<Handle> pipes = List.of();

    /** Spawns the child as the handle's initialisation; a failed uv_spawn still needs uv_close. */
    private ChildProcess(Loop loop, long options, String program, ExitCallback exitCallback) {
        super(loop, HandleType.PROCESS, (l, h) -> LibUv.uv_spawn(l, h, options), "uv_spawn " + program);
        this.exitCallback = exitCallback;
    }

    /**
     * Spawns a child whose exit is not reported; see
     * {@link #spawn(Loop, ProcessOptions, ExitCallback)}.
     *
     * @param loop the loop that watches the child
     * @param options what to run and how
     * @return the handle of the running child
     */
    public static ChildProcess spawn(Loop loop, ProcessOptions options) {
        return spawn(loop, options, null);
    }

    /**
     * Starts a child process. All native memory for the options is freed before this returns.
     * {@code onExit} (may be null) runs on the loop thread once the child has ended.
     * Wraps uv_spawn.
     *
     * @param loop the loop that watches the child
     * @param options what to run and how
     * @param onExit runs on the loop thread once the child has ended, or null
     * @return the handle of the running child
     * @throws UvException when libuv cannot start the program (ENOENT, EACCES, a failed
     *     {@code setuid}, a missing working directory...); no handle is left open then
     * @throws IllegalArgumentException when neither program nor arguments are set, or a stdio
     *     entry's handle is closed, belongs to another loop, is listed twice, or is a pipe that is
     *     already open
     * @throws IllegalStateException from a foreign thread while the loop runs
     */
    public static ChildProcess spawn(Loop loop, ProcessOptions options, ExitCallback onExit) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(options, "options");
        try (Loop.Claim _ = loop.enter()) {
            String program = options.program();
            if (program == null) {
                throw new IllegalArgumentException("ProcessOptions names no program: set file or args");
            }
            List<Stdio> stdio = options.stdioList();
            checkStdio(loop, stdio);

            List<ProcessOptionsLayout.Container> containers = new ArrayList<>(stdio.size());
            for (Stdio s : stdio) {
                containers.add(new ProcessOptionsLayout.Container(s.flags, s.usesStream() ? s.stream.ptr : 0, s.fd));
            }
            ChildProcess p = ProcessOptionsLayout.withOptions(EXIT_CB.address(), program, options.argv(),
                    options.envStrings(), options.cwdValue(), options.flagsValue(), containers, options.uidValue(),
                    options.gidValue(), opts -> {
                        try {
                            return new ChildProcess(loop, opts, program, onExit);
                        } finally {
                            // the pipes libuv made for the child's stdio, also when the spawn then failed
                            stdio.forEach(e -> {
                                if (e.stream != null) {
                                    e.stream.learnFd();
                                }
                            });
                        }
                    });
            p.pid = LibUv.uv_process_get_pid(p.ptr);
            p.pipes = stdio.stream().filter(Stdio::createsPipe).map(e -> (Handle) e.stream).toList();
            return p;
        }
    }

    private static void checkStdio(Loop loop, List<Stdio> stdio) {
        Map<Handle, Boolean> seen = new IdentityHashMap<>();
        for (Stdio s : stdio) {
            if (!s.usesStream()) {
                continue;
            }
            Handle h = s.stream;
            if (h.isClosing()) {
                throw new IllegalArgumentException(s + ": the handle is closed");
            }
            if (h.loop != loop) {
                throw new IllegalArgumentException(s + ": the handle belongs to another loop");
            }
            if (seen.put(h, Boolean.TRUE) != null) {
                throw new IllegalArgumentException(s + ": the handle is listed twice");
            }
            if (s.createsPipe() && hasFd(h)) {
                throw new IllegalArgumentException(s + ": the pipe is already open");
            }
        }
    }

    private static boolean hasFd(Handle h) {
        return Scratch.status(out -> LibUv.uv_fileno(h.ptr, out)) == 0;
    }

    /**
     * The child's process id, also after it has exited. Wraps uv_process_get_pid.
     *
     * @return the child's pid
     */
    public int pid() {
        return pid;
    }

    /**
     * Whether the exit callback has run (the child has ended and was reaped).
     *
     * @return true once the child has ended, was reaped and the exit callback has run
     */
    public boolean hasExited() {
        return exited;
    }

    /**
     * A future of the child's end, completed on the loop thread once it has exited and been
     * reaped, whether or not {@link #spawn} was given an exit callback (after that callback);
     * complete at once when the child has already exited. Callable from any thread; each call
     * returns a new future. Closing the handle before the child exits stops watching it: the
     * future then fails with {@link HandleClosedException}, as does one asked for afterwards.
     *
     * @return a future of how the child ended
     */
    public CompletableFuture<Exit> onExit() {
        return loop.startAsync(f -> exit.whenComplete(f::settle));
    }

    /**
     * A future completed once the child has exited and every {@link Pipe} given to {@link #spawn}
     * through {@link Stdio#pipe} is closed (Node's {@code close} event): its output is then
     * all read. A pipe counts once it is closed, so close each one when its read reaches the end
     * of the stream. Completed on the loop thread; callable from any thread; fails as
     * {@link #onExit()} does.
     *
     * @return a future of how the child ended, completed after its pipes are closed
     */
    public CompletableFuture<Exit> onClose() {
        return loop.startAsync(f -> exit.whenComplete((e, failure) -> {
            if (failure != null) {
                f.completeExceptionally(failure);
                return;
            }
            int[] open = {pipes.size()};
            Runnable closedOne = () -> {
                if (--open[0] == 0) {
                    f.complete(e);
                }
            };
            if (open[0] == 0) {
                f.complete(e);
            }
            pipes.forEach(h -> h.whenClosed(closedOne));
        }));
    }

    /**
     * Sends {@code signum} to the child; 0 only checks that it exists. Wraps uv_process_kill.
     *
     * @param signum the signal's number, such as {@link Signal#SIGTERM}, or 0
     * @throws UvException ESRCH once the child has exited (its pid may already belong to another
     *     process, so no signal is sent), EINVAL for an unknown signal
     * @throws IllegalArgumentException for a negative signal number
     * @throws HandleClosedException once the handle is closing
     */
    public void kill(int signum) {
        checkSignal(signum);
        try (Loop.Claim _ = enter()) {
            if (exited) {
                throw new UvException(Errno.ESRCH, "uv_process_kill " + pid);
            }
            UvException.check(LibUv.uv_process_kill(ptr, signum), "uv_process_kill " + pid);
        }
    }

    /**
     * Sends {@code signum} to any process, as POSIX {@code kill(2)} does (0 checks that it exists;
     * a pid of 0 or below addresses a process group). Wraps uv_kill.
     *
     * @param pid the process id, or 0 or below for a process group as {@code kill(2)} reads it
     * @param signum the signal's number, such as {@link Signal#SIGTERM}, or 0
     * @throws UvException ESRCH when there is no such process, EPERM without the right
     * @throws IllegalArgumentException for a negative signal number
     */
    public static void kill(int pid, int signum) {
        checkSignal(signum);
        UvException.check(LibUv.uv_kill(pid, signum), "uv_kill " + pid);
    }

    private static void checkSignal(int signum) {
        if (signum < 0) {
            throw new IllegalArgumentException("negative signal number " + signum);
        }
    }

    @Override
    void afterCloseStarted() {
        // libuv stopped waiting for the child in uv_close: reap it when it ends
        if (!exited && pid > 0) {
            Reaper.reap(pid);
        }
        if (!exited) {
            exit.completeExceptionally(new HandleClosedException(
                    "the handle of child " + pid + " was closed before the child exited: its exit is not watched"));
        }
    }

    /** {@code uv_exit_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub EXIT_CB = Upcalls.stub(MethodHandles.lookup(), "onExit", "V:PJI");

    private static void onExit(long handle, long exitStatus, int termSignal) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof ChildProcess h) {
                h.onUvExit(exitStatus, termSignal);
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    void onUvExit(long exitStatus, int termSignal) {
        exited = true;
        ExitCallback cb = exitCallback;
        try {
            if (cb != null) {
                cb.call(this, exitStatus, termSignal);
            }
        } finally {
            exit.complete(new Exit(exitStatus, termSignal));
        }
    }

    @Override
    public String toString() {
        return "ChildProcess[pid " + pid + (exited ? ", exited" : "") + (isClosed() ? ", closed"
                : isClosing() ? ", closing" : "") + "]";
    }
}
