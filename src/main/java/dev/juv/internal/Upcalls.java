package dev.juv.internal;

import static dev.juv.internal.Native.I;
import static dev.juv.internal.Native.J;
import static dev.juv.internal.Native.P;
import static dev.juv.internal.Native.SIZE_T;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fixed set of upcall stubs: one per libuv callback typedef juv passes to libuv, made once in
 * the global arena. fs, DNS, random and work requests have none: they run libuv's synchronous
 * calls on juv's own pool (see {@code PoolRequest}).
 * Each target finds its Java object through the handle's or request's data field, and its whole
 * body is inside {@code try/catch (Throwable)}: nothing ever escapes into native code.
 */
public final class Upcalls {
    private Upcalls() {}

    private static final AtomicInteger STUBS = new AtomicInteger();
    /** Throwables that reached an upcall with no target to route them to. */
    private static final java.util.Queue<Throwable> ORPHANS = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** The stub for {@code uv_close_cb}. */
    public static final long CLOSE_CB;
    /** The stub for {@code uv_timer_cb}. */
    public static final long TIMER_CB;
    /** The stub for {@code uv_idle_cb}. */
    public static final long IDLE_CB;
    /** The stub for {@code uv_prepare_cb}. */
    public static final long PREPARE_CB;
    /** The stub for {@code uv_check_cb}. */
    public static final long CHECK_CB;
    /** The stub for {@code uv_async_cb}. */
    public static final long ASYNC_CB;
    /** The stub for {@code uv_signal_cb}. */
    public static final long SIGNAL_CB;
    /** The stub for {@code uv_poll_cb}. */
    public static final long POLL_CB;
    /** The stub for {@code uv_connection_cb}. */
    public static final long CONNECTION_CB;
    /** The stub for {@code uv_read_cb}. */
    public static final long READ_CB;
    /** The stub for {@code uv_udp_recv_cb}. */
    public static final long UDP_RECV_CB;
    /** The stub for {@code uv_exit_cb}. */
    public static final long EXIT_CB;
    /** The stub for {@code uv_fs_event_cb}. */
    public static final long FS_EVENT_CB;
    /** The stub for {@code uv_fs_poll_cb}. */
    public static final long FS_POLL_CB;
    /** The stub for {@code uv_write_cb}. */
    public static final long WRITE_CB;
    /** The stub for {@code uv_connect_cb}. */
    public static final long CONNECT_CB;
    /** The stub for {@code uv_shutdown_cb}. */
    public static final long SHUTDOWN_CB;
    /** The stub for {@code uv_udp_send_cb}. */
    public static final long UDP_SEND_CB;
    /** The stub for {@code uv_alloc_cb}. */
    public static final long ALLOC_CB;

    static {
        CLOSE_CB = stub("uv_close_cb", FunctionDescriptor.ofVoid(P), long.class);
        TIMER_CB = stub("uv_timer_cb", FunctionDescriptor.ofVoid(P), long.class);
        IDLE_CB = stub("uv_idle_cb", FunctionDescriptor.ofVoid(P), long.class);
        PREPARE_CB = stub("uv_prepare_cb", FunctionDescriptor.ofVoid(P), long.class);
        CHECK_CB = stub("uv_check_cb", FunctionDescriptor.ofVoid(P), long.class);
        ASYNC_CB = stub("uv_async_cb", FunctionDescriptor.ofVoid(P), long.class);
        SIGNAL_CB = stub("uv_signal_cb", FunctionDescriptor.ofVoid(P, I), long.class, int.class);
        POLL_CB = stub("uv_poll_cb", FunctionDescriptor.ofVoid(P, I, I), long.class, int.class, int.class);
        CONNECTION_CB = stub("uv_connection_cb", FunctionDescriptor.ofVoid(P, I), long.class, int.class);
        READ_CB = stub("uv_read_cb", FunctionDescriptor.ofVoid(P, J, P), long.class, long.class, long.class);
        UDP_RECV_CB = stub("uv_udp_recv_cb", FunctionDescriptor.ofVoid(P, J, P, P, I), long.class, long.class, long.class, long.class, int.class);
        EXIT_CB = stub("uv_exit_cb", FunctionDescriptor.ofVoid(P, J, I), long.class, long.class, int.class);
        FS_EVENT_CB = stub("uv_fs_event_cb", FunctionDescriptor.ofVoid(P, P, I, I), long.class, long.class, int.class, int.class);
        FS_POLL_CB = stub("uv_fs_poll_cb", FunctionDescriptor.ofVoid(P, I, P, P), long.class, int.class, long.class, long.class);
        WRITE_CB = stub("uv_write_cb", FunctionDescriptor.ofVoid(P, I), long.class, int.class);
        CONNECT_CB = stub("uv_connect_cb", FunctionDescriptor.ofVoid(P, I), long.class, int.class);
        SHUTDOWN_CB = stub("uv_shutdown_cb", FunctionDescriptor.ofVoid(P, I), long.class, int.class);
        UDP_SEND_CB = stub("uv_udp_send_cb", FunctionDescriptor.ofVoid(P, I), long.class, int.class);
        ALLOC_CB = stub("uv_alloc_cb", FunctionDescriptor.ofVoid(P, SIZE_T, P), long.class, long.class, long.class);
    }

    private static long stub(String name, FunctionDescriptor fd, Class<?>... params) {
        try {
            var mh = MethodHandles.lookup().findStatic(Upcalls.class, name, MethodType.methodType(void.class, params));
            MemorySegment s = Native.LINKER.upcallStub(mh, fd, Arena.global());
            STUBS.incrementAndGet();
            return s.address();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How many stubs exist (constant after class initialisation). */
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
