package dev.juv;

import dev.juv.internal.Descriptors;
import dev.juv.internal.Layouts;
import dev.juv.internal.LibUv;
import dev.juv.internal.Native;
import dev.juv.internal.Registry;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;

/**
 * The base of every handle: libuv's {@code uv_handle_t}. A handle stays reachable from its loop
 * from creation until its close callback has run, so an open handle is never collected. Its
 * native memory is freed in libuv's close callback.
 */
public abstract sealed class Handle implements AutoCloseable
        permits Timer, Idle, Prepare, Check, Async, Signal, Poll, Stream, Udp, ChildProcess, FsEvent, FsPoll {
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    final Loop loop;
    final HandleType type;
    /** The uv_handle_t; 0 once the close callback has freed it. */
    long ptr;
    private long id;
    private int state = OPEN;
    /** Set only right after libuv took the close (no call in between): never uv_close twice. */
    boolean closeIssued;
    private boolean afterCloseRan;
    /** The descriptor this handle owns, recorded in {@link Descriptors}; -1 while it has none. */
    private int ownedFd = -1;
    /** What the native initialisation returned; {@link #NOT_RETURNED} until it has. */
    private int initResult = NOT_RETURNED;
    private static final int NOT_RETURNED = Integer.MIN_VALUE;
    private Object data;
    private HandleCallback<Handle> closeCallback;
    /** Run once the handle is closed, after the close callback: closeAsync and owners (ChildProcess). */
    private List<Runnable> closeWaiters;
    /** Only fully built user handles are listed by {@link Loop#handles()}. */
    private boolean listed;
    /** While above 0, the native memory outlives the close callback (libuv still points at it). */
    private int memoryPins;
    private long deferredFree;

    /** A libuv initialisation function: {@code uv_timer_init(loop, handle)} and the like. */
    @FunctionalInterface
    interface Init {
        int init(long loop, long handle);
    }

    /**
     * An initialisation that needs the handle itself (to record it as a descriptor's owner in
     * the same step). It runs before the subclass's field initialisers, which would overwrite
     * what it set in a field that has one.
     */
    @FunctionalInterface
    interface SelfInit {
        int init(Handle self);
    }

    /**
     * Allocates and initialises the native handle, holding the loop for the whole construction.
     * The handle becomes visible (listed and counted by its loop) only once libuv has initialised
     * it; an Error at any step leaves nothing behind: what was done is undone here, or, if the
     * undoing fails too, by the loop's next {@link Loop#reapEmbryo()}.
     */
    Handle(Loop loop, HandleType type, Init init, String operation) {
        this(loop, type, (SelfInit) self -> init.init(self.loop.ptr, self.ptr), operation);
    }

    /** Like {@link #Handle(Loop, HandleType, Init, String)} with an initialisation given the handle. */
    Handle(Loop loop, HandleType type, SelfInit init, String operation) {
        Objects.requireNonNull(loop, "loop");
        this.loop = loop;
        this.type = type;
        try (Loop.Claim _ = loop.enter()) {
            loop.checkNotClosing();
            loop.reapEmbryo();
            loop.embryo = this;
            try {
                id = loop.registry.register(this);
                ptr = Native.calloc(size(type));
                LibUv.uv_handle_set_data(ptr, id);
                initResult = init.init(this);
                if (initResult < 0) {
                    throw new UvException(initResult, operation);
                }
            } catch (Throwable t) {
                abandon();
                throw t;
            }
            loop.openHandles++;
            listed = true;
            loop.embryo = null;
        }
    }

    /**
     * Undoes an unfinished construction: frees what libuv never initialised, and closes (unlisted)
     * what it did; a failed uv_spawn also needs uv_close.
     */
    final void abandon() {
        // every step is idempotent, and the embryo mark goes last: an Error in the middle of this
        // leaves the rest to the loop's next reapEmbryo()
        if (ptr != 0 && !closeIssued) {
            boolean initialised = initResult == NOT_RETURNED
                    ? LibUv.uv_handle_get_type(ptr) != 0
                    : initResult >= 0 || type == HandleType.PROCESS;
            if (initialised) {
                listed = false;
                state = CLOSING;
                LibUv.uv_handle_set_data(ptr, id);
                afterCloseRan = true; // an unlisted handle: nothing follows its close
                // forgets a descriptor the initialisation recorded, closes a Poll's duplicate
                closeNative();
            } else {
                Native.free(ptr);
                ptr = 0;
            }
        }
        if (ptr == 0 && id != 0) {
            loop.registry.unregister(id);
            id = 0;
            state = CLOSED;
        }
        if (loop.embryo == this) {
            loop.embryo = null;
        }
    }

    private static final long[] SIZES = new long[64];

    private static long size(HandleType type) {
        int c = type.code();
        long s = SIZES[c];
        if (s == 0) {
            s = LibUv.uv_handle_size(c);
            SIZES[c] = s;
        }
        return s;
    }

    /** The handle behind a registry target, if it is a listed user handle that is not closed. */
    static Handle listedHandleOf(Object target) {
        if (target instanceof Handle h && h.listed && h.state != CLOSED) {
            return h;
        }
        return null;
    }

    /** Issues the uv_close of every handle whose close an Error interrupted before libuv saw it. */
    static void finishStuckCloses(Registry registry) {
        for (Object target : registry.snapshot()) {
            if (target instanceof Handle h && h.state == CLOSING && !h.closeComplete()) {
                h.issueClose();
            }
        }
    }

    /**
     * The loop this handle belongs to.
     *
     * @return the loop given to the constructor
     */
    public final Loop loop() {
        return loop;
    }

    /**
     * The handle's libuv type. Wraps uv_handle_get_type.
     *
     * @return the type, such as {@link HandleType#TCP}
     */
    public final HandleType type() {
        return type;
    }

    /**
     * Closes the handle; idempotent. Callbacks stop; pending requests complete with ECANCELED
     * first; memory is freed when libuv's close callback runs. Wraps uv_close.
     */
    @Override
    public void close() {
        if (state == CLOSED || (state == CLOSING && closeComplete())) {
            return;
        }
        try (Loop.Claim _ = loop.enter()) {
            if (state == OPEN || (state == CLOSING && !closeComplete())) {
                beginClose();
            }
        }
    }

    /**
     * Closes the handle and runs {@code callback} on the loop thread once it is closed.
     *
     * @param callback runs on the loop thread once the handle is closed, or null
     * @throws HandleClosedException if the handle is already closing or closed
     */
    @SuppressWarnings("unchecked")
    public void close(HandleCallback<? extends Handle> callback) {
        Objects.requireNonNull(callback, "callback");
        try (Loop.Claim _ = enter()) {
            closeCallback = (HandleCallback<Handle>) callback;
            beginClose();
        }
    }

    /**
     * Closes the handle (if it is not already closing) and returns a future completed on the loop
     * thread once it is closed; safe from any thread. On a handle that is already closing or
     * closed it only waits for (or reports) the end of that close.
     *
     * @return completed with null once the handle is closed
     */
    public CompletableFuture<Void> closeAsync() {
        return loop.startAsync(f -> {
            whenClosed(() -> f.complete(null));
            close();
        });
    }

    /**
     * Runs {@code action} on the loop thread once the handle is closed, after its close callback;
     * at once if it already is. Call on the loop thread.
     */
    final void whenClosed(Runnable action) {
        if (state == CLOSED) {
            action.run();
            return;
        }
        if (closeWaiters == null) {
            closeWaiters = new ArrayList<>(2);
        }
        closeWaiters.add(action);
    }

    /** Marks the handle closing and calls uv_close, even when a hook before it throws. */
    void beginClose() {
        if (state != OPEN) {
            issueClose();
            return;
        }
        loop.unfinishedCloses++; // no call before the state change: nothing can throw between
        state = CLOSING;
        try {
            beforeClose();
        } finally {
            issueClose();
        }
    }

    /**
     * Issues the close once. {@link #closeIssued} is set by {@link #closeNative()} right after
     * libuv took the close, with no call in between, so a StackOverflowError thrown anywhere here
     * never makes a retry close the handle twice in libuv (which aborts the process).
     */
    private void issueClose() {
        if (!closeIssued) {
            closeNative();
        }
        if (!afterCloseRan) {
            afterCloseRan = true;
            loop.unfinishedCloses--;
            afterCloseStarted();
        }
    }

    /** Whether the close has reached libuv and its follow-up has run. */
    private boolean closeComplete() {
        return closeIssued && afterCloseRan;
    }

    /**
     * Starts libuv's close. uv_close closes the handle's descriptor at once (not at the close
     * callback): its owner is forgotten in the same critical section, once libuv took the close,
     * so the number is never refused after libuv let it go, nor free while libuv still has it.
     */
    void closeNative() {
        int fd = ownedFd;
        if (fd < 0) {
            closeHandle();
            return;
        }
        Descriptors.closing(fd, this, this::closeHandle, () -> closeIssued);
        ownedFd = -1;
    }

    /**
     * Calls uv_close and sets {@link #closeIssued} right after it, with no call in between; a
     * subclass may close another way (uv_tcp_close_reset), and must set the flag the same way.
     */
    void closeHandle() {
        LibUv.uv_close(ptr, CLOSE_CB.address());
        closeIssued = true;
    }

    // ---- the descriptor this handle owns ----

    /** Records the descriptor libuv has made for this handle, once; call after any call that may make one. */
    final void learnFd() {
        if (ownedFd < 0 && ptr != 0) {
            ownedFd = Descriptors.learn(ptr, this);
        }
    }

    /** Records {@code fd} as this handle's once a libuv call adopted it (see {@link Descriptors#adopt}). */
    final void adopted(int fd) {
        ownedFd = fd;
    }

    /** Keeps the native memory alive past the close callback until {@link #unpinMemory()}. */
    final void pinMemory() {
        memoryPins++;
    }

    /** Ends a {@link #pinMemory()}; frees memory whose close callback has already run. */
    final void unpinMemory() {
        if (--memoryPins == 0 && deferredFree != 0) {
            long p = deferredFree;
            deferredFree = 0;
            Native.free(p);
        }
    }

    /** Hook: runs just before uv_close. */
    void beforeClose() {}

    /** Hook: runs just after uv_close returned. */
    void afterCloseStarted() {}

    /** Hook: runs once the handle's memory is freed, before the user's close callback. */
    void onClosed() {}

    /**
     * Whether the handle is active (what that means depends on its type). Wraps uv_is_active.
     *
     * @return true while the handle is active: a timer or watcher started, a stream reading or
     *     listening, for example
     */
    public boolean isActive() {
        try (Loop.Claim _ = enter()) {
            return LibUv.uv_is_active(ptr) != 0;
        }
    }

    /**
     * True until {@link #close()}: the opposite of {@link #isClosing()}.
     *
     * @return true while the handle is open
     */
    public final boolean isOpen() {
        return state == OPEN;
    }

    /**
     * True from {@link #close()} on.
     *
     * @return true once closing has started, also after it has finished
     */
    public final boolean isClosing() {
        return state != OPEN;
    }

    /**
     * True once the close callback has run.
     *
     * @return true once the handle is fully closed
     */
    public final boolean isClosed() {
        return state == CLOSED;
    }

    /** Makes the handle keep the loop alive again. Wraps uv_ref. */
    public void ref() {
        try (Loop.Claim _ = enter()) {
            LibUv.uv_ref(ptr);
        }
    }

    /** Lets the loop end while this handle is active. Wraps uv_unref. */
    public void unref() {
        try (Loop.Claim _ = enter()) {
            LibUv.uv_unref(ptr);
        }
    }

    /**
     * Whether the handle is referenced. Wraps uv_has_ref.
     *
     * @return true while the handle keeps the loop running
     */
    public boolean hasRef() {
        try (Loop.Claim _ = enter()) {
            return LibUv.uv_has_ref(ptr) != 0;
        }
    }

    /**
     * The platform file descriptor behind the handle. It stays the handle's: until the handle is
     * closed, {@link Fs#close(int)} and the calls that adopt a descriptor ({@code open},
     * {@code new Tty}, {@code new Poll}) refuse it. Wraps uv_fileno.
     *
     * @return the descriptor (a socket, pipe or terminal descriptor on Unix)
     * @throws UvException EBADF when there is none yet, EINVAL for handle types without one
     */
    public int fileno() {
        try (Loop.Claim _ = enter()) {
            long out = Native.calloc(8);
            try {
                UvException.check(LibUv.uv_fileno(ptr, out), "uv_fileno");
                learnFd();
                return Native.getInt(out);
            } finally {
                Native.free(out);
            }
        }
    }

    /**
     * The socket's send buffer size. Wraps uv_send_buffer_size.
     *
     * @return the size in bytes, as the operating system reports it
     */
    public int sendBufferSize() {
        return bufferSize(true, 0);
    }

    /**
     * Sets the send buffer size (Linux stores twice the value). Wraps uv_send_buffer_size.
     *
     * @param size the size in bytes, positive
     */
    public void setSendBufferSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        bufferSize(true, size);
    }

    /**
     * The socket's receive buffer size. Wraps uv_recv_buffer_size.
     *
     * @return the size in bytes, as the operating system reports it
     */
    public int recvBufferSize() {
        return bufferSize(false, 0);
    }

    /**
     * Sets the receive buffer size. Wraps uv_recv_buffer_size.
     *
     * @param size the size in bytes, positive
     */
    public void setRecvBufferSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        bufferSize(false, size);
    }

    private int bufferSize(boolean send, int value) {
        try (Loop.Claim _ = enter()) {
            long v = Native.calloc(8);
            try {
                Native.putInt(v, value);
                int r = send ? LibUv.uv_send_buffer_size(ptr, v) : LibUv.uv_recv_buffer_size(ptr, v);
                UvException.check(r, send ? "uv_send_buffer_size" : "uv_recv_buffer_size");
                return Native.getInt(v);
            } finally {
                Native.free(v);
            }
        }
    }

    /**
     * The user's own object stored with {@link #setData}.
     *
     * @return the object last given to {@link #setData}, or null
     */
    public final Object data() {
        return data;
    }

    /**
     * Stores an object of the user's with the handle.
     *
     * @param data any object, or null; juv only keeps it for {@link #data()}
     */
    public final void setData(Object data) {
        this.data = data;
    }

    /**
     * Enters the loop for one call on this handle (see {@link Loop#enter()}) and checks that the
     * handle is open; the claim is released by try-with-resources.
     *
     * @throws HandleClosedException if the handle is closing or closed
     * @throws IllegalStateException while the loop runs on another thread
     */
    final Loop.Claim enter() {
        checkState();
        Loop.Claim c = loop.enter();
        if (state != OPEN) {
            c.close();
            checkState();
        }
        return c;
    }

    /** Throws unless the handle is open; the caller already holds the loop (or only asks). */
    final void checkState() {
        if (state != OPEN) {
            throw new HandleClosedException(getClass().getSimpleName()
                    + (state == CLOSING ? " is closing" : " is closed"));
        }
    }

    /** Routes a throwable from a callback of this handle to the loop; never throws. */
    final void fail(Throwable t) {
        loop.handleException(t);
    }

    // ---- callbacks from libuv ----

    /**
     * What a handle pointer's data field names: a {@link Handle}, a {@link Loop.Hidden} native
     * handle the loop keeps for itself, or null for a stale pointer (a handle already gone).
     */
    static Object target(long handle) {
        return Upcalls.target(LibUv.uv_handle_get_data(handle));
    }

    /** Routes a throwable out of a callback of {@code target} to its loop; never throws. */
    static void failed(Object target, Throwable e) {
        try {
            if (target instanceof Handle h) {
                h.fail(e);
            } else if (target instanceof Loop.Hidden x) {
                x.loop().handleException(e);
            } else {
                Upcalls.orphan(e);
            }
        } catch (Throwable ignored) {
            // handleException never throws by contract; a StackOverflowError here is dropped, not fatal
        }
    }

    /** {@code uv_close_cb}, given to every {@code uv_close}. */
    static final Upcalls.Stub CLOSE_CB = Upcalls.stub(MethodHandles.lookup(), "onClose", "V:P");

    private static void onClose(long handle) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Handle h) {
                h.onUvClose();
            } else if (t instanceof Loop.Hidden x) {
                x.closed();
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    /** {@code uv_alloc_cb} of {@code uv_read_start} and {@code uv_udp_recv_start}: the loop's read buffer. */
    static final Upcalls.Stub ALLOC_CB = Upcalls.stub(MethodHandles.lookup(), "onAlloc", "V:PSP");

    private static void onAlloc(long handle, long suggested, long buf) {
        try {
            if (target(handle) instanceof Handle h) {
                Layouts.setBuf(buf, h.loop.readBuffer, h.loop.readBufferSize);
            } else {
                Layouts.setBuf(buf, 0, 0);
            }
        } catch (Throwable e) {
            try {
                Layouts.setBuf(buf, 0, 0);
            } catch (Throwable ignored) {
                // nothing more can be done without escaping the upcall
            }
        }
    }

    final void onUvClose() {
        state = CLOSED;
        if (listed) {
            loop.openHandles--;
        }
        loop.registry.unregister(id);
        if (memoryPins > 0) {
            deferredFree = ptr;
        } else {
            Native.free(ptr);
        }
        ptr = 0;
        HandleCallback<Handle> cb = closeCallback;
        closeCallback = null;
        try {
            onClosed();
        } finally {
            try {
                if (cb != null) {
                    cb.call(this);
                }
            } finally {
                runCloseWaiters();
            }
        }
    }

    private void runCloseWaiters() {
        List<Runnable> waiters = closeWaiters;
        closeWaiters = null;
        if (waiters == null) {
            return;
        }
        Throwable first = null;
        for (Runnable w : waiters) {
            try {
                w.run();
            } catch (Throwable e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            loop.handleException(first);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + (isClosed() ? "[closed]" : isClosing() ? "[closing]" : "[open]");
    }
}
