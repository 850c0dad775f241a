package dev.juv.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Which descriptors juv's handles and loops own, for every loop of the process: fd → owner.
 *
 * <p>A handle's descriptor is recorded on the loop's thread right after the libuv call that made
 * it (init_ex, bind, connect, open, accept, spawn, a UDP socket's implicit bind) and removed in
 * the same critical section as the {@code uv_close} that closes it: libuv closes stream and UDP
 * descriptors inside {@code uv_close} itself, so the number is free again from then on, before
 * the close callback. A loop's backend descriptor is recorded from {@code uv_loop_init} until a
 * successful {@code uv_loop_close}.
 *
 * <p>Every change and every check-then-act on a number holds that number's lock, so a
 * {@code Fs.close} on another thread sees either the owner (and refuses) or a number that libuv
 * has really closed (and may be someone else's now). {@code Fs.close} itself does not hold the
 * lock during {@code close(2)}, which may block (a network file system): it marks the number as
 * closing instead, and only calls on that same number wait for it. Lookups cost one map read;
 * only calls that make, adopt or close a descriptor come here, never reads and writes.
 *
 * <p>Not recorded: a loop's other internal descriptors (libuv's signal pipe, async eventfd,
 * inotify descriptor, the process-wide signal lock pipe), and connections or IPC descriptors that
 * libuv has received but the user has not accepted yet. Their numbers are only found by guessing.
 */
public final class Descriptors {
    private static final ConcurrentHashMap<Integer, Object> OWNERS = new ConcurrentHashMap<>();
    private static final Object[] LOCKS = new Object[64];

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new Object();
        }
    }

    private Descriptors() {}

    /** What owns a loop's backend descriptor: the loop, which may be watched by a Poll but not adopted. */
    private record Backend(Object loop) {
        @Override
        public String toString() {
            return "the backend (event poll) descriptor of " + loop;
        }
    }

    /** An {@code Fs.close} of the number in progress (the number's lock is not held meanwhile). */
    private static final class Closing {
        @Override
        public String toString() {
            return "an Fs.close in progress";
        }
    }

    /**
     * The one marker: one close of a number runs at a time. Made here, with the class, so that a
     * close needs no class loading (a process out of descriptors cannot open a class file, and
     * closing one is how it recovers).
     */
    private static final Closing CLOSING = new Closing();

    /** The lock that orders every change of {@code fd}'s owner against closes of {@code fd}. */
    public static Object lock(int fd) {
        return LOCKS[fd & (LOCKS.length - 1)];
    }

    /** The owner of {@code fd}, or null (also while an {@code Fs.close} of it is in progress). */
    public static Object owner(int fd) {
        if (fd < 0) {
            return null;
        }
        Object o = OWNERS.get(fd);
        return o instanceof Closing ? null : o;
    }

    /**
     * The owner of {@code fd} once no {@code Fs.close} of it is in progress; waits for one that
     * is. Without fd's lock held it does not wait: the caller checks again under the lock.
     */
    public static Object settledOwner(int fd) {
        Object lock = lock(fd);
        if (fd < 0 || !Thread.holdsLock(lock)) {
            return owner(fd);
        }
        boolean interrupted = false;
        Object o;
        while ((o = OWNERS.get(fd)) instanceof Closing) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return o;
    }

    /** Records that {@code owner} holds {@code fd}, a descriptor libuv has just made for it. */
    public static void own(int fd, Object owner) {
        synchronized (lock(fd)) {
            OWNERS.put(fd, owner);
        }
    }

    /** Forgets {@code owner}'s claim on {@code fd}; a claim someone else made since is kept. */
    public static void release(int fd, Object owner) {
        synchronized (lock(fd)) {
            OWNERS.remove(fd, owner);
        }
    }

    /**
     * Throws {@link IllegalArgumentException} naming the owner when a live handle or loop owns
     * {@code fd}. Call it holding {@link #lock(int)} when the check must stay true for an action.
     */
    public static void checkNotOwned(int fd, String operation) {
        Object o = settledOwner(fd);
        if (o != null) {
            throw new IllegalArgumentException(refusal(fd, o, operation));
        }
    }

    /**
     * Like {@link #checkNotOwned} but lets a loop's backend descriptor through: watching it from
     * another loop (embedding) is what libuv's uv_backend_fd is for.
     */
    public static void checkNotHandle(int fd, String operation) {
        Object o = settledOwner(fd);
        if (o != null && !(o instanceof Backend)) {
            throw new IllegalArgumentException(refusal(fd, o, operation));
        }
    }

    /**
     * Throws {@link IllegalArgumentException} when {@code fd} is {@code loop}'s own backend
     * descriptor: an event poll cannot watch itself (epoll refuses with EINVAL).
     */
    public static void checkNotBackendOf(int fd, Object loop, String operation) {
        Object o = settledOwner(fd);
        if (o instanceof Backend b && b.loop() == loop) {
            throw new IllegalArgumentException(operation + ": descriptor " + fd + " is " + o
                    + " itself; a loop cannot watch its own backend (another loop may)");
        }
    }

    /** Whether a live handle (not a loop) owns {@code fd}. */
    public static boolean ownedByHandle(int fd) {
        Object o = settledOwner(fd);
        return o != null && !(o instanceof Backend);
    }

    private static String refusal(int fd, Object owner, String operation) {
        if (owner instanceof Backend) {
            return operation + ": descriptor " + fd + " is " + owner + ", which closes it itself in Loop.close()";
        }
        return operation + ": descriptor " + fd + " belongs to " + owner
                + ", a live juv handle that closes it itself; close the handle instead";
    }

    /**
     * Runs {@code adopt}, a libuv call that takes {@code fd} over for {@code owner}, unless fd is
     * owned already; on success (0) records the new owner, all under fd's lock.
     *
     * @return what {@code adopt} returned
     * @throws IllegalArgumentException naming the owner when fd is owned
     */
    public static int adopt(int fd, Object owner, String operation, IntSupplier adopt) {
        synchronized (lock(fd)) {
            checkNotOwned(fd, operation);
            int r = adopt.getAsInt();
            if (r == 0) {
                OWNERS.put(fd, owner);
            }
            return r;
        }
    }

    /**
     * Runs {@code close}, a call that closes {@code fd}, unless a live handle or loop owns fd.
     * Meanwhile fd counts as closing: adopting it or closing it again waits until this is over.
     *
     * @throws IllegalArgumentException naming the owner when fd is owned
     */
    public static <T> T closeUnowned(int fd, String operation, java.util.function.Supplier<T> close) {
        Object lock = lock(fd);
        synchronized (lock) {
            checkNotOwned(fd, operation);
            OWNERS.put(fd, CLOSING);
        }
        try {
            return close.get();
        } finally {
            synchronized (lock) {
                OWNERS.remove(fd, CLOSING);
                lock.notifyAll();
            }
        }
    }

    /**
     * Records the descriptor libuv has for the handle at {@code handle} as {@code owner}'s, and
     * returns it; -1 (nothing recorded) while the handle has none.
     */
    public static int learn(long handle, Object owner) {
        int fd = fileno(handle);
        if (fd >= 0) {
            own(fd, owner);
        }
        return fd;
    }

    /**
     * Runs {@code close}, which closes {@code fd} (a uv_close that closes the handle's descriptor
     * at once), and forgets {@code owner}'s claim in the same critical section once {@code closed}
     * says libuv took the close, also when {@code close} threw after that.
     * With {@code fd} -1 (the handle has no descriptor) it just runs {@code close}.
     */
    public static void closing(int fd, Object owner, Runnable close, java.util.function.BooleanSupplier closed) {
        if (fd < 0) {
            close.run();
            return;
        }
        synchronized (lock(fd)) {
            try {
                close.run();
            } finally {
                // an Error before libuv took the close leaves the owner in place for the retry
                if (closed.getAsBoolean()) {
                    OWNERS.remove(fd, owner);
                }
            }
        }
    }

    /** The descriptor libuv has for the handle at {@code handle}, or -1 when it has none. */
    public static int fileno(long handle) {
        MemorySegment out = FILENO_OUT.get();
        return LibUv.uv_fileno(handle, out.address()) == 0 ? out.get(ValueLayout.JAVA_INT, 0) : -1;
    }

    /** uv_fileno's out parameter, one per thread (loop threads call it for every new descriptor). */
    private static final ThreadLocal<MemorySegment> FILENO_OUT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ValueLayout.JAVA_LONG));

    // ---- loops ----

    /** Records the backend descriptor of a loop that uv_loop_init has just set up. */
    public static void loopOpened(Object loop, long loopPtr) {
        int fd = LibUv.uv_backend_fd(loopPtr);
        if (fd >= 0) {
            own(fd, new Backend(loop));
        }
    }

    /** Runs uv_loop_close, which closes the backend descriptor, and forgets it if that worked. */
    public static int loopClose(Object loop, long loopPtr) {
        int fd = LibUv.uv_backend_fd(loopPtr);
        if (fd < 0) {
            return LibUv.uv_loop_close(loopPtr);
        }
        synchronized (lock(fd)) {
            int r = LibUv.uv_loop_close(loopPtr);
            if (r == 0) {
                OWNERS.remove(fd, new Backend(loop));
            }
            return r;
        }
    }

    /**
     * After a failed uv_loop_init: closes the event-poll descriptor that libuv up to 1.44 leaves
     * open when a later step fails (EMFILE creating the signal pipe or the async descriptor).
     * Later versions close it and set -1; before libuv sets the field it holds 0, which is never
     * closed here.
     */
    public static void loopInitFailed(long loopPtr) {
        int fd = LibUv.uv_backend_fd(loopPtr);
        if (fd > 2) {
            closeQuietly(fd);
        }
    }

    // ---- duplicates (Poll) ----

    private static final int F_DUPFD_CLOEXEC = dupfdCloexec();

    /**
     * close, linked with the class: it must work with the descriptors exhausted (a failed
     * uv_loop_init leaves one to close), when linking may not. A word call
     * ({@link Native#linkDescriptor}), so it shares the downcall class juv links first anyway.
     */
    private static final MethodHandle CLOSE = close();

    /**
     * fcntl, linked the first time a descriptor is duplicated (a Poll of a descriptor someone
     * else owns, a LoopGroup's hand-over), not with the first loop: its variadic signature with
     * errno captured costs a fresh JVM a downcall class of its own. Null until then.
     */
    private static volatile MethodHandle fcntl;

    private static MethodHandle fcntlHandle() {
        MethodHandle h = fcntl;
        if (h == null) {
            h = fcntl(); // two threads may both link it: the same function either way
            fcntl = h;
        }
        return h;
    }

    private static int dupfdCloexec() {
        if (Platform.LINUX) {
            return 1030;
        }
        if (Platform.MAC) {
            return 67;
        }
        if (Platform.FREEBSD) {
            return 17;
        }
        return -1;
    }

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static MethodHandle fcntl() {
        if (F_DUPFD_CLOEXEC < 0) {
            return null;
        }
        return Native.libc("fcntl", FunctionDescriptor.of(Native.I, Native.I, Native.I, Native.I),
                Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle close() {
        if (F_DUPFD_CLOEXEC < 0) {
            return null;
        }
        return Native.libc("close", Native.linkDescriptor("I:I"));
    }

    /** Whether {@link #duplicate} works on this platform. */
    public static boolean canDuplicate() {
        return CLOSE != null && F_DUPFD_CLOEXEC >= 0 && fcntlHandle() != null;
    }

    /**
     * A new close-on-exec descriptor for the same open file as {@code fd}, numbered 3 or above,
     * or a negative libuv error (EBADF for a descriptor that is not open, EMFILE).
     */
    public static int duplicate(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) fcntlHandle().invokeExact(state, fd, F_DUPFD_CLOEXEC, 3);
            // libuv's codes on Unix are the negated errno values
            return r >= 0 ? r : -(int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Closes a descriptor juv made itself (a duplicate), ignoring errors. */
    public static void closeQuietly(int fd) {
        if (CLOSE == null) {
            return;
        }
        try {
            long ignored = (long) CLOSE.invokeExact((long) fd, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
