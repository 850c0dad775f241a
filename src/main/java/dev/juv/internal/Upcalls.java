package dev.juv.internal;

import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The fixed set of upcall stubs: one per libuv callback typedef juv passes to libuv, made in the
 * global arena the first time that kind of callback is needed, and never again. fs, DNS, random and work requests have none: they run libuv's synchronous
 * calls on juv's own pool (see {@code PoolRequest}).
 * Each target finds its Java object through the handle's or request's data field, and its whole
 * body is inside {@code try/catch (Throwable)}: nothing ever escapes into native code.
 */
public final class Upcalls {
    private Upcalls() {}

    private static final AtomicInteger STUBS = new AtomicInteger();
    /** Throwables that reached an upcall with no target to route them to. */
    private static final java.util.Queue<Throwable> ORPHANS = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Each callback kind: the C typedef (and the name of its Java target below), and its shape. */
    private static final String[] KIND = {
            "uv_close_cb", "V:P",
            "uv_timer_cb", "V:P",
            "uv_idle_cb", "V:P",
            "uv_prepare_cb", "V:P",
            "uv_check_cb", "V:P",
            "uv_async_cb", "V:P",
            "uv_signal_cb", "V:PI",
            "uv_poll_cb", "V:PII",
            "uv_connection_cb", "V:PI",
            "uv_read_cb", "V:PJP",
            "uv_udp_recv_cb", "V:PJPPI",
            "uv_exit_cb", "V:PJI",
            "uv_fs_event_cb", "V:PPII",
            "uv_fs_poll_cb", "V:PIPP",
            "uv_write_cb", "V:PI",
            "uv_connect_cb", "V:PI",
            "uv_shutdown_cb", "V:PI",
            "uv_udp_send_cb", "V:PI",
            "uv_alloc_cb", "V:PSP"};

    /** How many callback kinds there are: {@link #stubCount()} never exceeds it. */
    public static final int KINDS = KIND.length / 2;

    /** The stubs made so far, by kind; 0 for a kind not used yet. */
    private static final AtomicLongArray MADE = new AtomicLongArray(KINDS);

    /** The stub for {@code uv_close_cb}. */
    public static long closeCb() {
        return stub(0);
    }

    /** The stub for {@code uv_timer_cb}. */
    public static long timerCb() {
        return stub(1);
    }

    /** The stub for {@code uv_idle_cb}. */
    public static long idleCb() {
        return stub(2);
    }

    /** The stub for {@code uv_prepare_cb}. */
    public static long prepareCb() {
        return stub(3);
    }

    /** The stub for {@code uv_check_cb}. */
    public static long checkCb() {
        return stub(4);
    }

    /** The stub for {@code uv_async_cb}. */
    public static long asyncCb() {
        return stub(5);
    }

    /** The stub for {@code uv_signal_cb}. */
    public static long signalCb() {
        return stub(6);
    }

    /** The stub for {@code uv_poll_cb}. */
    public static long pollCb() {
        return stub(7);
    }

    /** The stub for {@code uv_connection_cb}. */
    public static long connectionCb() {
        return stub(8);
    }

    /** The stub for {@code uv_read_cb}. */
    public static long readCb() {
        return stub(9);
    }

    /** The stub for {@code uv_udp_recv_cb}. */
    public static long udpRecvCb() {
        return stub(10);
    }

    /** The stub for {@code uv_exit_cb}. */
    public static long exitCb() {
        return stub(11);
    }

    /** The stub for {@code uv_fs_event_cb}. */
    public static long fsEventCb() {
        return stub(12);
    }

    /** The stub for {@code uv_fs_poll_cb}. */
    public static long fsPollCb() {
        return stub(13);
    }

    /** The stub for {@code uv_write_cb}. */
    public static long writeCb() {
        return stub(14);
    }

    /** The stub for {@code uv_connect_cb}. */
    public static long connectCb() {
        return stub(15);
    }

    /** The stub for {@code uv_shutdown_cb}. */
    public static long shutdownCb() {
        return stub(16);
    }

    /** The stub for {@code uv_udp_send_cb}. */
    public static long udpSendCb() {
        return stub(17);
    }

    /** The stub for {@code uv_alloc_cb}. */
    public static long allocCb() {
        return stub(18);
    }

    /**
     * The stub of one kind, made the first time it is asked for. No holder classes: a stack
     * overflow while making a stub is an error of that call, and the next call tries again (on a
     * fresh thread when this one's stack is too deep: see {@code Native.onFreshThread}).
     */
    private static long stub(int kind) {
        long made = MADE.get(kind);
        if (made != 0) {
            return made;
        }
        synchronized (MADE) {
            if (MADE.get(kind) == 0) {
                Stub s = new Stub(KIND[2 * kind], KIND[2 * kind + 1]);
                s.run();
                MADE.set(kind, s.address);
                STUBS.incrementAndGet();
            }
            return MADE.get(kind);
        }
    }

    /** One upcall stub in the making; no lambda on this path (see {@code Native.Link}). */
    private static final class Stub implements Runnable {
        private final String name;
        private final String shape;
        private long address;

        Stub(String name, String shape) {
            this.name = name;
            this.shape = shape;
        }

        @Override
        public void run() {
            try {
                Class<?>[] params = new Class<?>[shape.length() - 2];
                for (int i = 0; i < params.length; i++) {
                    params[i] = shape.charAt(i + 2) == 'I' ? int.class : long.class;
                }
                var mh = MethodHandles.lookup().findStatic(Upcalls.class, name, MethodType.methodType(void.class, params));
                address = Native.LINKER.upcallStub(mh, Native.descriptor(shape), Arena.global()).address();
            } catch (StackOverflowError e) {
                if (Native.onLinkThread()) {
                    throw e;
                }
                Native.onFreshThread(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no upcall target " + name + " " + shape, e);
            }
        }
    }

    /** How many stubs exist: one per callback kind used so far, at most {@link #KINDS}. */
    public static int stubCount() {
        return STUBS.get();
    }

    /** Throwables that had no loop to go to (a stale target); drained by tests. */
    public static java.util.Queue<Throwable> orphans() {
        return ORPHANS;
    }

    private static void fail(HandleTarget t, Throwable e) {
        try {
            if (t != null) {
                t.uvFail(e);
            } else {
                ORPHANS.add(e);
            }
        } catch (Throwable ignored) {
            // uvFail never throws by contract; a StackOverflowError here is dropped, not fatal
        }
    }

    private static void fail(RequestTarget t, Throwable e) {
        try {
            if (t != null) {
                t.uvFail(e);
            } else {
                ORPHANS.add(e);
            }
        } catch (Throwable ignored) {
            // as above
        }
    }

    static void uv_alloc_cb(long handle, long suggested, long buf) {
        try {
            HandleTarget t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                Layouts.setBuf(buf, t.uvReadBuffer(), t.uvReadBufferLength());
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

    static void uv_close_cb(long handle) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvClose();
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_timer_cb(long handle) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvCallback();
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_idle_cb(long handle) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvCallback();
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_prepare_cb(long handle) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvCallback();
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_check_cb(long handle) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvCallback();
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_async_cb(long handle) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvCallback();
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_signal_cb(long handle, int signum) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvSignal(signum);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_poll_cb(long handle, int status, int events) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvPoll(status, events);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_connection_cb(long handle, int status) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvConnection(status);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_read_cb(long handle, long nread, long buf) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvRead(nread, nread > 0 ? Layouts.bufBase(buf) : 0);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_udp_recv_cb(long handle, long nread, long buf, long addr, int flags) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvUdpRecv(nread, Layouts.bufBase(buf), addr, flags);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_exit_cb(long handle, long exitStatus, int termSignal) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvExit(exitStatus, termSignal);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_fs_event_cb(long handle, long filename, int events, int status) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvFsEvent(filename, events, status);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_fs_poll_cb(long handle, int status, long prev, long curr) {
        HandleTarget t = null;
        try {
            t = (HandleTarget) Registry.lookup(LibUv.uv_handle_get_data(handle));
            if (t != null) {
                t.uvFsPoll(status, prev, curr);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_write_cb(long req, int status) {
        RequestTarget t = null;
        try {
            t = (RequestTarget) Registry.lookup(LibUv.uv_req_get_data(req));
            if (t != null) {
                t.uvDone(status);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_connect_cb(long req, int status) {
        RequestTarget t = null;
        try {
            t = (RequestTarget) Registry.lookup(LibUv.uv_req_get_data(req));
            if (t != null) {
                t.uvDone(status);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_shutdown_cb(long req, int status) {
        RequestTarget t = null;
        try {
            t = (RequestTarget) Registry.lookup(LibUv.uv_req_get_data(req));
            if (t != null) {
                t.uvDone(status);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

    static void uv_udp_send_cb(long req, int status) {
        RequestTarget t = null;
        try {
            t = (RequestTarget) Registry.lookup(LibUv.uv_req_get_data(req));
            if (t != null) {
                t.uvDone(status);
            }
        } catch (Throwable e) {
            fail(t, e);
        }
    }

}
