package dev.juv;

import dev.juv.internal.HandleTarget;
import dev.juv.internal.LibUv;
import dev.juv.internal.Native;
import dev.juv.internal.Upcalls;
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
    private final long id;
    private int state = OPEN;
    private Object data;
    private HandleCallback<Handle> closeCallback;
    /** Internal handles are not listed by {@link Loop#handles()}. */
    private boolean listed = true;
    /** While above 0, the native memory outlives the close callback (libuv still points at it). */
    private int memoryPins;
    private long deferredFree;

    /** Allocates the native handle; the subclass then calls {@link #init}. */
    Handle(Loop loop, HandleType type) {
        Objects.requireNonNull(loop, "loop");
        loop.checkThread();
        this.loop = loop;
        this.type = type;
        long p = Native.calloc(size(type));
        this.id = loop.registry.register(new Peer(this));
        LibUv.uv_handle_set_data(p, id);
        this.ptr = p;
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
        if (target instanceof Peer p && p.h.listed && p.h.state != CLOSED) {
            return p.h;
        }
        return null;
    }

    /** Finishes construction with the result of uv_*_init; on failure frees everything and throws. */
    final void init(int result, String operation) {
        if (result < 0) {
            loop.registry.unregister(id);
            Native.free(ptr);
            ptr = 0;
            state = CLOSED;
            throw new UvException(result, operation);
        }
        loop.addHandle();
    }

    /** For a handle libuv initialised even though the operation failed (uv_spawn): close, unlisted. */
    final void initFailedNeedsClose() {
        // init() never ran, so the loop never counted this handle
        listed = false;
        state = CLOSING;
        LibUv.uv_close(ptr, Upcalls.CLOSE_CB);
    }

    /** The loop this handle belongs to. */
    public final Loop loop() {
        return loop;
    }

    /** The handle's libuv type. Wraps uv_handle_get_type. */
    public final HandleType type() {
        return type;
    }

    /**
     * Closes the handle; idempotent. Callbacks stop; pending requests complete with ECANCELED
     * first; memory is freed when libuv's close callback runs. Wraps uv_close.
     */
    @Override
    public void close() {
        if (state != OPEN) {
            return;
        }
        loop.checkThread();
        beginClose();
    }

    /**
     * Closes the handle and runs {@code callback} on the loop thread once it is closed.
     *
     * @throws HandleClosedException if the handle is already closing or closed
     */
    @SuppressWarnings("unchecked")
    public void close(HandleCallback<? extends Handle> callback) {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        closeCallback = (HandleCallback<Handle>) callback;
        beginClose();
    }

    void beginClose() {
        state = CLOSING;
        beforeClose();
        closeNative();
        afterCloseStarted();
    }

    /** Starts libuv's close; a subclass may close another way (uv_tcp_close_reset). */
    void closeNative() {
        LibUv.uv_close(ptr, Upcalls.CLOSE_CB);
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

    /** Whether the handle is active (what that means depends on its type). Wraps uv_is_active. */
    public boolean isActive() {
        checkOpen();
        return LibUv.uv_is_active(ptr) != 0;
    }

    /** True from {@link #close()} on. */
    public final boolean isClosing() {
        return state != OPEN;
    }

    /** True once the close callback has run. */
    public final boolean isClosed() {
        return state == CLOSED;
    }

    /** Makes the handle keep the loop alive again. Wraps uv_ref. */
    public void ref() {
        checkOpen();
        LibUv.uv_ref(ptr);
    }

    /** Lets the loop end while this handle is active. Wraps uv_unref. */
    public void unref() {
        checkOpen();
        LibUv.uv_unref(ptr);
    }

    /** Whether the handle is referenced. Wraps uv_has_ref. */
    public boolean hasRef() {
        checkOpen();
        return LibUv.uv_has_ref(ptr) != 0;
    }

    /**
     * The platform file descriptor behind the handle.
     * Wraps uv_fileno.
     *
     * @throws UvException EBADF when there is none yet, EINVAL for handle types without one
     */
    public int fileno() {
        checkOpen();
        long out = Native.calloc(8);
        try {
            UvException.check(LibUv.uv_fileno(ptr, out), "uv_fileno");
            return Native.getInt(out);
        } finally {
            Native.free(out);
        }
    }

    /** The socket's send buffer size. Wraps uv_send_buffer_size. */
    public int sendBufferSize() {
        return bufferSize(true, 0);
    }

    /** Sets the send buffer size (Linux stores twice the value). Wraps uv_send_buffer_size. */
    public void setSendBufferSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        bufferSize(true, size);
    }

    /** The socket's receive buffer size. Wraps uv_recv_buffer_size. */
    public int recvBufferSize() {
        return bufferSize(false, 0);
    }

    /** Sets the receive buffer size. Wraps uv_recv_buffer_size. */
    public void setRecvBufferSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        bufferSize(false, size);
    }

    private int bufferSize(boolean send, int value) {
        checkOpen();
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

    /** The user's own object stored with {@link #setData}. */
    public final Object data() {
        return data;
    }

    /** Stores an object of the user's with the handle. */
    public final void setData(Object data) {
        this.data = data;
    }

    /** Throws unless the handle is open and the caller may use the loop now. */
    final void checkOpen() {
        if (state != OPEN) {
            throw new HandleClosedException(getClass().getSimpleName()
                    + (state == CLOSING ? " is closing" : " is closed"));
        }
        loop.checkThread();
    }

    /** Routes a throwable from a callback of this handle to the loop; never throws. */
    final void fail(Throwable t) {
        loop.handleException(t);
    }

    // ---- callbacks from libuv, through the peer ----

    final void onUvClose() {
        state = CLOSED;
        if (listed) {
            loop.removeHandle();
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
            if (cb != null) {
                cb.call(this);
            }
        }
    }

    void onUvCallback() {}

    void onUvSignal(int signum) {}

    void onUvPoll(int status, int events) {}

    void onUvConnection(int status) {}

    void onUvRead(long nread, long base) {}

    void onUvUdpRecv(long nread, long base, long addr, int flags) {}

    void onUvExit(long exitStatus, int termSignal) {}

    void onUvFsEvent(long filename, int events, int status) {}

    void onUvFsPoll(int status, long prev, long curr) {}

    @Override
    public String toString() {
        return getClass().getSimpleName() + (isClosed() ? "[closed]" : isClosing() ? "[closing]" : "[open]");
    }

    /** The upcall side of a handle: kept out of the public API. */
    private static final class Peer implements HandleTarget {
        private final Handle h;

        Peer(Handle h) {
            this.h = h;
        }

        @Override
        public void uvFail(Throwable t) {
            h.fail(t);
        }

        @Override
        public void uvClose() {
            h.onUvClose();
        }

        @Override
        public void uvCallback() {
            h.onUvCallback();
        }

        @Override
        public void uvSignal(int signum) {
            h.onUvSignal(signum);
        }

        @Override
        public void uvPoll(int status, int events) {
            h.onUvPoll(status, events);
        }

        @Override
        public void uvConnection(int status) {
            h.onUvConnection(status);
        }

        @Override
        public long uvReadBuffer() {
            return h.loop.readBuffer;
        }

        @Override
        public int uvReadBufferLength() {
            return Loop.READ_BUFFER_SIZE;
        }

        @Override
        public void uvRead(long nread, long base) {
            h.onUvRead(nread, base);
        }

        @Override
        public void uvUdpRecv(long nread, long base, long addr, int flags) {
            h.onUvUdpRecv(nread, base, addr, flags);
        }

        @Override
        public void uvExit(long exitStatus, int termSignal) {
            h.onUvExit(exitStatus, termSignal);
        }

        @Override
        public void uvFsEvent(long filename, int events, int status) {
            h.onUvFsEvent(filename, events, status);
        }

        @Override
        public void uvFsPoll(int status, long prev, long curr) {
            h.onUvFsPoll(status, prev, curr);
        }
    }
}
