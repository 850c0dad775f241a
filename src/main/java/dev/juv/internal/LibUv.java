package dev.juv.internal;

import static dev.juv.internal.Native.D;
import static dev.juv.internal.Native.I;
import static dev.juv.internal.Native.J;
import static dev.juv.internal.Native.P;
import static dev.juv.internal.Native.SIZE_T;
import static dev.juv.internal.Native.fn;
import static dev.juv.internal.Native.optFn;
import static dev.juv.internal.Native.rethrow;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Every libuv function juv binds: one handle per function, named exactly like it, and a static
 * wrapper returning libuv's raw result. Pointers are {@code long} addresses. Callers decide what a
 * status means. Keep in sync with include/uv.symbols.
 */
public final class LibUv {
    private LibUv() {}

    /** Every function name bound here, in declaration order. */
    public static final List<String> BOUND = List.of(
            "uv_version",
            "uv_version_string",
            "uv_library_shutdown",
            "uv_replace_allocator",
            "uv_default_loop",
            "uv_loop_init",
            "uv_loop_close",
            "uv_loop_size",
            "uv_loop_alive",
            "uv_loop_fork",
            "uv_run",
            "uv_stop",
            "uv_ref",
            "uv_unref",
            "uv_has_ref",
            "uv_update_time",
            "uv_now",
            "uv_backend_fd",
            "uv_backend_timeout",
            "uv_translate_sys_error",
            "uv_strerror",
            "uv_strerror_r",
            "uv_err_name",
            "uv_err_name_r",
            "uv_shutdown",
            "uv_handle_size",
            "uv_handle_get_type",
            "uv_handle_type_name",
            "uv_handle_get_data",
            "uv_handle_get_loop",
            "uv_handle_set_data",
            "uv_req_size",
            "uv_req_get_data",
            "uv_req_set_data",
            "uv_req_get_type",
            "uv_req_type_name",
            "uv_is_active",
            "uv_walk",
            "uv_close",
            "uv_send_buffer_size",
            "uv_recv_buffer_size",
            "uv_fileno",
            "uv_pipe",
            "uv_socketpair",
            "uv_stream_get_write_queue_size",
            "uv_listen",
            "uv_accept",
            "uv_read_start",
            "uv_read_stop",
            "uv_write",
            "uv_write2",
            "uv_try_write",
            "uv_try_write2",
            "uv_is_readable",
            "uv_is_writable",
            "uv_stream_set_blocking",
            "uv_is_closing",
            "uv_tcp_init",
            "uv_tcp_init_ex",
            "uv_tcp_open",
            "uv_tcp_nodelay",
            "uv_tcp_keepalive",
            "uv_tcp_simultaneous_accepts",
            "uv_tcp_bind",
            "uv_tcp_getsockname",
            "uv_tcp_getpeername",
            "uv_tcp_close_reset",
            "uv_tcp_connect",
            "uv_udp_init",
            "uv_udp_init_ex",
            "uv_udp_open",
            "uv_udp_bind",
            "uv_udp_connect",
            "uv_udp_getpeername",
            "uv_udp_getsockname",
            "uv_udp_set_membership",
            "uv_udp_set_source_membership",
            "uv_udp_set_multicast_loop",
            "uv_udp_set_multicast_ttl",
            "uv_udp_set_multicast_interface",
            "uv_udp_set_broadcast",
            "uv_udp_set_ttl",
            "uv_udp_send",
            "uv_udp_try_send",
            "uv_udp_recv_start",
            "uv_udp_using_recvmmsg",
            "uv_udp_recv_stop",
            "uv_udp_get_send_queue_size",
            "uv_udp_get_send_queue_count",
            "uv_tty_init",
            "uv_tty_set_mode",
            "uv_tty_reset_mode",
            "uv_tty_get_winsize",
            "uv_tty_set_vterm_state",
            "uv_tty_get_vterm_state",
            "uv_guess_handle",
            "uv_pipe_init",
            "uv_pipe_open",
            "uv_pipe_bind",
            "uv_pipe_bind2",
            "uv_pipe_connect",
            "uv_pipe_connect2",
            "uv_pipe_getsockname",
            "uv_pipe_getpeername",
            "uv_pipe_pending_instances",
            "uv_pipe_pending_count",
            "uv_pipe_pending_type",
            "uv_pipe_chmod",
            "uv_poll_init",
            "uv_poll_init_socket",
            "uv_poll_start",
            "uv_poll_stop",
            "uv_prepare_init",
            "uv_prepare_start",
            "uv_prepare_stop",
            "uv_check_init",
            "uv_check_start",
            "uv_check_stop",
            "uv_idle_init",
            "uv_idle_start",
            "uv_idle_stop",
            "uv_async_init",
            "uv_async_send",
            "uv_timer_init",
            "uv_timer_start",
            "uv_timer_stop",
            "uv_timer_again",
            "uv_timer_set_repeat",
            "uv_timer_get_repeat",
            "uv_timer_get_due_in",
            "uv_getaddrinfo",
            "uv_freeaddrinfo",
            "uv_getnameinfo",
            "uv_spawn",
            "uv_process_kill",
            "uv_kill",
            "uv_process_get_pid",
            "uv_queue_work",
            "uv_cancel",
            "uv_get_process_title",
            "uv_set_process_title",
            "uv_resident_set_memory",
            "uv_uptime",
            "uv_getrusage",
            "uv_os_homedir",
            "uv_os_tmpdir",
            "uv_os_get_passwd",
            "uv_os_free_passwd",
            "uv_os_getpid",
            "uv_os_getppid",
            "uv_os_getpriority",
            "uv_os_setpriority",
            "uv_available_parallelism",
            "uv_cpu_info",
            "uv_free_cpu_info",
            "uv_interface_addresses",
            "uv_free_interface_addresses",
            "uv_os_environ",
            "uv_os_free_environ",
            "uv_os_getenv",
            "uv_os_setenv",
            "uv_os_unsetenv",
            "uv_os_gethostname",
            "uv_os_uname",
            "uv_metrics_idle_time",
            "uv_fs_get_type",
            "uv_fs_get_result",
            "uv_fs_get_system_error",
            "uv_fs_get_ptr",
            "uv_fs_get_path",
            "uv_fs_get_statbuf",
            "uv_fs_req_cleanup",
            "uv_fs_close",
            "uv_fs_open",
            "uv_fs_read",
            "uv_fs_unlink",
            "uv_fs_write",
            "uv_fs_copyfile",
            "uv_fs_mkdir",
            "uv_fs_mkdtemp",
            "uv_fs_mkstemp",
            "uv_fs_rmdir",
            "uv_fs_scandir",
            "uv_fs_scandir_next",
            "uv_fs_opendir",
            "uv_fs_readdir",
            "uv_fs_closedir",
            "uv_fs_stat",
            "uv_fs_fstat",
            "uv_fs_rename",
            "uv_fs_fsync",
            "uv_fs_fdatasync",
            "uv_fs_ftruncate",
            "uv_fs_sendfile",
            "uv_fs_access",
            "uv_fs_chmod",
            "uv_fs_utime",
            "uv_fs_futime",
            "uv_fs_lutime",
            "uv_fs_lstat",
            "uv_fs_link",
            "uv_fs_symlink",
            "uv_fs_readlink",
            "uv_fs_realpath",
            "uv_fs_fchmod",
            "uv_fs_chown",
            "uv_fs_fchown",
            "uv_fs_lchown",
            "uv_fs_statfs",
            "uv_fs_poll_init",
            "uv_fs_poll_start",
            "uv_fs_poll_stop",
            "uv_fs_poll_getpath",
            "uv_signal_init",
            "uv_signal_start",
            "uv_signal_start_oneshot",
            "uv_signal_stop",
            "uv_loadavg",
            "uv_fs_event_init",
            "uv_fs_event_start",
            "uv_fs_event_stop",
            "uv_fs_event_getpath",
            "uv_ip4_addr",
            "uv_ip6_addr",
            "uv_ip4_name",
            "uv_ip6_name",
            "uv_ip_name",
            "uv_inet_ntop",
            "uv_inet_pton",
            "uv_random",
            "uv_if_indextoname",
            "uv_if_indextoiid",
            "uv_exepath",
            "uv_cwd",
            "uv_chdir",
            "uv_get_free_memory",
            "uv_get_total_memory",
            "uv_get_constrained_memory",
            "uv_get_available_memory",
            "uv_hrtime",
            "uv_sleep",
            "uv_disable_stdio_inheritance",
            "uv_gettimeofday",
            "uv_loop_get_data",
            "uv_loop_set_data",
            "uv_os_get_passwd2",
            "uv_os_get_group",
            "uv_os_free_group",
            "uv_metrics_info",
            "uv_clock_gettime",
            "uv_udp_try_send2");

    static final MethodHandle uv_version = fn("uv_version", FunctionDescriptor.of(I));

    public static int uv_version() {
        try {
            return (int) uv_version.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_version_string = fn("uv_version_string", FunctionDescriptor.of(P));

    public static long uv_version_string() {
        try {
            return (long) uv_version_string.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_library_shutdown = fn("uv_library_shutdown", FunctionDescriptor.ofVoid());

    public static void uv_library_shutdown() {
        try {
            uv_library_shutdown.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_replace_allocator = fn("uv_replace_allocator", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_replace_allocator(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_replace_allocator.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_default_loop = fn("uv_default_loop", FunctionDescriptor.of(P));

    public static long uv_default_loop() {
        try {
            return (long) uv_default_loop.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_loop_init = fn("uv_loop_init", FunctionDescriptor.of(I, P));

    public static int uv_loop_init(long a0) {
        try {
            return (int) uv_loop_init.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_loop_close = fn("uv_loop_close", FunctionDescriptor.of(I, P));

    public static int uv_loop_close(long a0) {
        try {
            return (int) uv_loop_close.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_loop_size = fn("uv_loop_size", FunctionDescriptor.of(SIZE_T));

    public static long uv_loop_size() {
        try {
            return (long) uv_loop_size.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_loop_alive = fn("uv_loop_alive", FunctionDescriptor.of(I, P));

    public static int uv_loop_alive(long a0) {
        try {
            return (int) uv_loop_alive.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_loop_fork = fn("uv_loop_fork", FunctionDescriptor.of(I, P));

    public static int uv_loop_fork(long a0) {
        try {
            return (int) uv_loop_fork.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_run = fn("uv_run", FunctionDescriptor.of(I, P, I));

    public static int uv_run(long a0, int a1) {
        try {
            return (int) uv_run.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_stop = fn("uv_stop", FunctionDescriptor.ofVoid(P));

    public static void uv_stop(long a0) {
        try {
            uv_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_ref = fn("uv_ref", FunctionDescriptor.ofVoid(P));

    public static void uv_ref(long a0) {
        try {
            uv_ref.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_unref = fn("uv_unref", FunctionDescriptor.ofVoid(P));

    public static void uv_unref(long a0) {
        try {
            uv_unref.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_has_ref = fn("uv_has_ref", FunctionDescriptor.of(I, P));

    public static int uv_has_ref(long a0) {
        try {
            return (int) uv_has_ref.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_update_time = fn("uv_update_time", FunctionDescriptor.ofVoid(P));

    public static void uv_update_time(long a0) {
        try {
            uv_update_time.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_now = fn("uv_now", FunctionDescriptor.of(J, P));

    public static long uv_now(long a0) {
        try {
            return (long) uv_now.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_backend_fd = fn("uv_backend_fd", FunctionDescriptor.of(I, P));

    public static int uv_backend_fd(long a0) {
        try {
            return (int) uv_backend_fd.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_backend_timeout = fn("uv_backend_timeout", FunctionDescriptor.of(I, P));

    public static int uv_backend_timeout(long a0) {
        try {
            return (int) uv_backend_timeout.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_translate_sys_error = fn("uv_translate_sys_error", FunctionDescriptor.of(I, I));

    public static int uv_translate_sys_error(int a0) {
        try {
            return (int) uv_translate_sys_error.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_strerror = fn("uv_strerror", FunctionDescriptor.of(P, I));

    public static long uv_strerror(int a0) {
        try {
            return (long) uv_strerror.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_strerror_r = fn("uv_strerror_r", FunctionDescriptor.of(P, I, P, SIZE_T));

    public static long uv_strerror_r(int a0, long a1, long a2) {
        try {
            return (long) uv_strerror_r.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_err_name = fn("uv_err_name", FunctionDescriptor.of(P, I));

    public static long uv_err_name(int a0) {
        try {
            return (long) uv_err_name.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_err_name_r = fn("uv_err_name_r", FunctionDescriptor.of(P, I, P, SIZE_T));

    public static long uv_err_name_r(int a0, long a1, long a2) {
        try {
            return (long) uv_err_name_r.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_shutdown = fn("uv_shutdown", FunctionDescriptor.of(I, P, P, P));

    public static int uv_shutdown(long a0, long a1, long a2) {
        try {
            return (int) uv_shutdown.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_handle_size = fn("uv_handle_size", FunctionDescriptor.of(SIZE_T, I));

    public static long uv_handle_size(int a0) {
        try {
            return (long) uv_handle_size.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_handle_get_type = fn("uv_handle_get_type", FunctionDescriptor.of(I, P));

    public static int uv_handle_get_type(long a0) {
        try {
            return (int) uv_handle_get_type.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_handle_type_name = fn("uv_handle_type_name", FunctionDescriptor.of(P, I));

    public static long uv_handle_type_name(int a0) {
        try {
            return (long) uv_handle_type_name.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_handle_get_data = fn("uv_handle_get_data", FunctionDescriptor.of(P, P));

    public static long uv_handle_get_data(long a0) {
        try {
            return (long) uv_handle_get_data.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_handle_get_loop = fn("uv_handle_get_loop", FunctionDescriptor.of(P, P));

    public static long uv_handle_get_loop(long a0) {
        try {
            return (long) uv_handle_get_loop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_handle_set_data = fn("uv_handle_set_data", FunctionDescriptor.ofVoid(P, P));

    public static void uv_handle_set_data(long a0, long a1) {
        try {
            uv_handle_set_data.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_req_size = fn("uv_req_size", FunctionDescriptor.of(SIZE_T, I));

    public static long uv_req_size(int a0) {
        try {
            return (long) uv_req_size.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_req_get_data = fn("uv_req_get_data", FunctionDescriptor.of(P, P));

    public static long uv_req_get_data(long a0) {
        try {
            return (long) uv_req_get_data.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_req_set_data = fn("uv_req_set_data", FunctionDescriptor.ofVoid(P, P));

    public static void uv_req_set_data(long a0, long a1) {
        try {
            uv_req_set_data.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_req_get_type = fn("uv_req_get_type", FunctionDescriptor.of(I, P));

    public static int uv_req_get_type(long a0) {
        try {
            return (int) uv_req_get_type.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_req_type_name = fn("uv_req_type_name", FunctionDescriptor.of(P, I));

    public static long uv_req_type_name(int a0) {
        try {
            return (long) uv_req_type_name.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_is_active = fn("uv_is_active", FunctionDescriptor.of(I, P));

    public static int uv_is_active(long a0) {
        try {
            return (int) uv_is_active.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_walk = fn("uv_walk", FunctionDescriptor.ofVoid(P, P, P));

    public static void uv_walk(long a0, long a1, long a2) {
        try {
            uv_walk.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_close = fn("uv_close", FunctionDescriptor.ofVoid(P, P));

    public static void uv_close(long a0, long a1) {
        try {
            uv_close.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_send_buffer_size = fn("uv_send_buffer_size", FunctionDescriptor.of(I, P, P));

    public static int uv_send_buffer_size(long a0, long a1) {
        try {
            return (int) uv_send_buffer_size.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_recv_buffer_size = fn("uv_recv_buffer_size", FunctionDescriptor.of(I, P, P));

    public static int uv_recv_buffer_size(long a0, long a1) {
        try {
            return (int) uv_recv_buffer_size.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fileno = fn("uv_fileno", FunctionDescriptor.of(I, P, P));

    public static int uv_fileno(long a0, long a1) {
        try {
            return (int) uv_fileno.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe = fn("uv_pipe", FunctionDescriptor.of(I, P, I, I));

    public static int uv_pipe(long a0, int a1, int a2) {
        try {
            return (int) uv_pipe.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_socketpair = fn("uv_socketpair", FunctionDescriptor.of(I, I, I, P, I, I));

    public static int uv_socketpair(int a0, int a1, long a2, int a3, int a4) {
        try {
            return (int) uv_socketpair.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_stream_get_write_queue_size = fn("uv_stream_get_write_queue_size", FunctionDescriptor.of(SIZE_T, P));

    public static long uv_stream_get_write_queue_size(long a0) {
        try {
            return (long) uv_stream_get_write_queue_size.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_listen = fn("uv_listen", FunctionDescriptor.of(I, P, I, P));

    public static int uv_listen(long a0, int a1, long a2) {
        try {
            return (int) uv_listen.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_accept = fn("uv_accept", FunctionDescriptor.of(I, P, P));

    public static int uv_accept(long a0, long a1) {
        try {
            return (int) uv_accept.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_read_start = fn("uv_read_start", FunctionDescriptor.of(I, P, P, P));

    public static int uv_read_start(long a0, long a1, long a2) {
        try {
            return (int) uv_read_start.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_read_stop = fn("uv_read_stop", FunctionDescriptor.of(I, P));

    public static int uv_read_stop(long a0) {
        try {
            return (int) uv_read_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_write = fn("uv_write", FunctionDescriptor.of(I, P, P, P, I, P));

    public static int uv_write(long a0, long a1, long a2, int a3, long a4) {
        try {
            return (int) uv_write.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_write2 = fn("uv_write2", FunctionDescriptor.of(I, P, P, P, I, P, P));

    public static int uv_write2(long a0, long a1, long a2, int a3, long a4, long a5) {
        try {
            return (int) uv_write2.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_try_write = fn("uv_try_write", FunctionDescriptor.of(I, P, P, I));

    public static int uv_try_write(long a0, long a1, int a2) {
        try {
            return (int) uv_try_write.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_try_write2 = optFn("uv_try_write2", FunctionDescriptor.of(I, P, P, I, P));

    public static int uv_try_write2(long a0, long a1, int a2, long a3) {
        if (uv_try_write2 == null) {
            throw unsupported("uv_try_write2", "1.42");
        }
        try {
            return (int) uv_try_write2.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the loaded libuv has {@code uv_try_write2} (libuv 1.42). */
    public static boolean has_uv_try_write2() {
        return uv_try_write2 != null;
    }

    static final MethodHandle uv_is_readable = fn("uv_is_readable", FunctionDescriptor.of(I, P));

    public static int uv_is_readable(long a0) {
        try {
            return (int) uv_is_readable.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_is_writable = fn("uv_is_writable", FunctionDescriptor.of(I, P));

    public static int uv_is_writable(long a0) {
        try {
            return (int) uv_is_writable.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_stream_set_blocking = fn("uv_stream_set_blocking", FunctionDescriptor.of(I, P, I));

    public static int uv_stream_set_blocking(long a0, int a1) {
        try {
            return (int) uv_stream_set_blocking.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_is_closing = fn("uv_is_closing", FunctionDescriptor.of(I, P));

    public static int uv_is_closing(long a0) {
        try {
            return (int) uv_is_closing.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_init = fn("uv_tcp_init", FunctionDescriptor.of(I, P, P));

    public static int uv_tcp_init(long a0, long a1) {
        try {
            return (int) uv_tcp_init.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_init_ex = fn("uv_tcp_init_ex", FunctionDescriptor.of(I, P, P, I));

    public static int uv_tcp_init_ex(long a0, long a1, int a2) {
        try {
            return (int) uv_tcp_init_ex.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_open = fn("uv_tcp_open", FunctionDescriptor.of(I, P, I));

    public static int uv_tcp_open(long a0, int a1) {
        try {
            return (int) uv_tcp_open.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_nodelay = fn("uv_tcp_nodelay", FunctionDescriptor.of(I, P, I));

    public static int uv_tcp_nodelay(long a0, int a1) {
        try {
            return (int) uv_tcp_nodelay.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_keepalive = fn("uv_tcp_keepalive", FunctionDescriptor.of(I, P, I, I));

    public static int uv_tcp_keepalive(long a0, int a1, int a2) {
        try {
            return (int) uv_tcp_keepalive.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_simultaneous_accepts = fn("uv_tcp_simultaneous_accepts", FunctionDescriptor.of(I, P, I));

    public static int uv_tcp_simultaneous_accepts(long a0, int a1) {
        try {
            return (int) uv_tcp_simultaneous_accepts.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_bind = fn("uv_tcp_bind", FunctionDescriptor.of(I, P, P, I));

    public static int uv_tcp_bind(long a0, long a1, int a2) {
        try {
            return (int) uv_tcp_bind.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_getsockname = fn("uv_tcp_getsockname", FunctionDescriptor.of(I, P, P, P));

    public static int uv_tcp_getsockname(long a0, long a1, long a2) {
        try {
            return (int) uv_tcp_getsockname.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_getpeername = fn("uv_tcp_getpeername", FunctionDescriptor.of(I, P, P, P));

    public static int uv_tcp_getpeername(long a0, long a1, long a2) {
        try {
            return (int) uv_tcp_getpeername.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_close_reset = fn("uv_tcp_close_reset", FunctionDescriptor.of(I, P, P));

    public static int uv_tcp_close_reset(long a0, long a1) {
        try {
            return (int) uv_tcp_close_reset.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tcp_connect = fn("uv_tcp_connect", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_tcp_connect(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_tcp_connect.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_init = fn("uv_udp_init", FunctionDescriptor.of(I, P, P));

    public static int uv_udp_init(long a0, long a1) {
        try {
            return (int) uv_udp_init.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_init_ex = fn("uv_udp_init_ex", FunctionDescriptor.of(I, P, P, I));

    public static int uv_udp_init_ex(long a0, long a1, int a2) {
        try {
            return (int) uv_udp_init_ex.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_open = fn("uv_udp_open", FunctionDescriptor.of(I, P, I));

    public static int uv_udp_open(long a0, int a1) {
        try {
            return (int) uv_udp_open.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_bind = fn("uv_udp_bind", FunctionDescriptor.of(I, P, P, I));

    public static int uv_udp_bind(long a0, long a1, int a2) {
        try {
            return (int) uv_udp_bind.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_connect = fn("uv_udp_connect", FunctionDescriptor.of(I, P, P));

    public static int uv_udp_connect(long a0, long a1) {
        try {
            return (int) uv_udp_connect.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_getpeername = fn("uv_udp_getpeername", FunctionDescriptor.of(I, P, P, P));

    public static int uv_udp_getpeername(long a0, long a1, long a2) {
        try {
            return (int) uv_udp_getpeername.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_getsockname = fn("uv_udp_getsockname", FunctionDescriptor.of(I, P, P, P));

    public static int uv_udp_getsockname(long a0, long a1, long a2) {
        try {
            return (int) uv_udp_getsockname.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_set_membership = fn("uv_udp_set_membership", FunctionDescriptor.of(I, P, P, P, I));

    public static int uv_udp_set_membership(long a0, long a1, long a2, int a3) {
        try {
            return (int) uv_udp_set_membership.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_set_source_membership = fn("uv_udp_set_source_membership", FunctionDescriptor.of(I, P, P, P, P, I));

    public static int uv_udp_set_source_membership(long a0, long a1, long a2, long a3, int a4) {
        try {
            return (int) uv_udp_set_source_membership.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_set_multicast_loop = fn("uv_udp_set_multicast_loop", FunctionDescriptor.of(I, P, I));

    public static int uv_udp_set_multicast_loop(long a0, int a1) {
        try {
            return (int) uv_udp_set_multicast_loop.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_set_multicast_ttl = fn("uv_udp_set_multicast_ttl", FunctionDescriptor.of(I, P, I));

    public static int uv_udp_set_multicast_ttl(long a0, int a1) {
        try {
            return (int) uv_udp_set_multicast_ttl.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_set_multicast_interface = fn("uv_udp_set_multicast_interface", FunctionDescriptor.of(I, P, P));

    public static int uv_udp_set_multicast_interface(long a0, long a1) {
        try {
            return (int) uv_udp_set_multicast_interface.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_set_broadcast = fn("uv_udp_set_broadcast", FunctionDescriptor.of(I, P, I));

    public static int uv_udp_set_broadcast(long a0, int a1) {
        try {
            return (int) uv_udp_set_broadcast.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_set_ttl = fn("uv_udp_set_ttl", FunctionDescriptor.of(I, P, I));

    public static int uv_udp_set_ttl(long a0, int a1) {
        try {
            return (int) uv_udp_set_ttl.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_send = fn("uv_udp_send", FunctionDescriptor.of(I, P, P, P, I, P, P));

    public static int uv_udp_send(long a0, long a1, long a2, int a3, long a4, long a5) {
        try {
            return (int) uv_udp_send.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_try_send = fn("uv_udp_try_send", FunctionDescriptor.of(I, P, P, I, P));

    public static int uv_udp_try_send(long a0, long a1, int a2, long a3) {
        try {
            return (int) uv_udp_try_send.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_recv_start = fn("uv_udp_recv_start", FunctionDescriptor.of(I, P, P, P));

    public static int uv_udp_recv_start(long a0, long a1, long a2) {
        try {
            return (int) uv_udp_recv_start.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_using_recvmmsg = fn("uv_udp_using_recvmmsg", FunctionDescriptor.of(I, P));

    public static int uv_udp_using_recvmmsg(long a0) {
        try {
            return (int) uv_udp_using_recvmmsg.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_recv_stop = fn("uv_udp_recv_stop", FunctionDescriptor.of(I, P));

    public static int uv_udp_recv_stop(long a0) {
        try {
            return (int) uv_udp_recv_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_get_send_queue_size = fn("uv_udp_get_send_queue_size", FunctionDescriptor.of(SIZE_T, P));

    public static long uv_udp_get_send_queue_size(long a0) {
        try {
            return (long) uv_udp_get_send_queue_size.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_udp_get_send_queue_count = fn("uv_udp_get_send_queue_count", FunctionDescriptor.of(SIZE_T, P));

    public static long uv_udp_get_send_queue_count(long a0) {
        try {
            return (long) uv_udp_get_send_queue_count.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tty_init = fn("uv_tty_init", FunctionDescriptor.of(I, P, P, I, I));

    public static int uv_tty_init(long a0, long a1, int a2, int a3) {
        try {
            return (int) uv_tty_init.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tty_set_mode = fn("uv_tty_set_mode", FunctionDescriptor.of(I, P, I));

    public static int uv_tty_set_mode(long a0, int a1) {
        try {
            return (int) uv_tty_set_mode.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tty_reset_mode = fn("uv_tty_reset_mode", FunctionDescriptor.of(I));

    public static int uv_tty_reset_mode() {
        try {
            return (int) uv_tty_reset_mode.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tty_get_winsize = fn("uv_tty_get_winsize", FunctionDescriptor.of(I, P, P, P));

    public static int uv_tty_get_winsize(long a0, long a1, long a2) {
        try {
            return (int) uv_tty_get_winsize.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tty_set_vterm_state = fn("uv_tty_set_vterm_state", FunctionDescriptor.ofVoid(I));

    public static void uv_tty_set_vterm_state(int a0) {
        try {
            uv_tty_set_vterm_state.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_tty_get_vterm_state = fn("uv_tty_get_vterm_state", FunctionDescriptor.of(I, P));

    public static int uv_tty_get_vterm_state(long a0) {
        try {
            return (int) uv_tty_get_vterm_state.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_guess_handle = fn("uv_guess_handle", FunctionDescriptor.of(I, I));

    public static int uv_guess_handle(int a0) {
        try {
            return (int) uv_guess_handle.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe_init = fn("uv_pipe_init", FunctionDescriptor.of(I, P, P, I));

    public static int uv_pipe_init(long a0, long a1, int a2) {
        try {
            return (int) uv_pipe_init.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe_open = fn("uv_pipe_open", FunctionDescriptor.of(I, P, I));

    public static int uv_pipe_open(long a0, int a1) {
        try {
            return (int) uv_pipe_open.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe_bind = fn("uv_pipe_bind", FunctionDescriptor.of(I, P, P));

    public static int uv_pipe_bind(long a0, long a1) {
        try {
            return (int) uv_pipe_bind.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe_bind2 = optFn("uv_pipe_bind2", FunctionDescriptor.of(I, P, P, SIZE_T, I));

    public static int uv_pipe_bind2(long a0, long a1, long a2, int a3) {
        if (uv_pipe_bind2 == null) {
            throw unsupported("uv_pipe_bind2", "1.46");
        }
        try {
            return (int) uv_pipe_bind2.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the loaded libuv has {@code uv_pipe_bind2} (libuv 1.46). */
    public static boolean has_uv_pipe_bind2() {
        return uv_pipe_bind2 != null;
    }

    static final MethodHandle uv_pipe_connect = fn("uv_pipe_connect", FunctionDescriptor.ofVoid(P, P, P, P));

    public static void uv_pipe_connect(long a0, long a1, long a2, long a3) {
        try {
            uv_pipe_connect.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe_connect2 = optFn("uv_pipe_connect2", FunctionDescriptor.of(I, P, P, P, SIZE_T, I, P));

    public static int uv_pipe_connect2(long a0, long a1, long a2, long a3, int a4, long a5) {
        if (uv_pipe_connect2 == null) {
            throw unsupported("uv_pipe_connect2", "1.46");
        }
        try {
            return (int) uv_pipe_connect2.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the loaded libuv has {@code uv_pipe_connect2} (libuv 1.46). */
    public static boolean has_uv_pipe_connect2() {
        return uv_pipe_connect2 != null;
    }

    static final MethodHandle uv_pipe_getsockname = fn("uv_pipe_getsockname", FunctionDescriptor.of(I, P, P, P));

    public static int uv_pipe_getsockname(long a0, long a1, long a2) {
        try {
            return (int) uv_pipe_getsockname.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe_getpeername = fn("uv_pipe_getpeername", FunctionDescriptor.of(I, P, P, P));

    public static int uv_pipe_getpeername(long a0, long a1, long a2) {
        try {
            return (int) uv_pipe_getpeername.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe_pending_instances = fn("uv_pipe_pending_instances", FunctionDescriptor.ofVoid(P, I));

    public static void uv_pipe_pending_instances(long a0, int a1) {
        try {
            uv_pipe_pending_instances.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe_pending_count = fn("uv_pipe_pending_count", FunctionDescriptor.of(I, P));

    public static int uv_pipe_pending_count(long a0) {
        try {
            return (int) uv_pipe_pending_count.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe_pending_type = fn("uv_pipe_pending_type", FunctionDescriptor.of(I, P));

    public static int uv_pipe_pending_type(long a0) {
        try {
            return (int) uv_pipe_pending_type.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_pipe_chmod = fn("uv_pipe_chmod", FunctionDescriptor.of(I, P, I));

    public static int uv_pipe_chmod(long a0, int a1) {
        try {
            return (int) uv_pipe_chmod.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_poll_init = fn("uv_poll_init", FunctionDescriptor.of(I, P, P, I));

    public static int uv_poll_init(long a0, long a1, int a2) {
        try {
            return (int) uv_poll_init.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_poll_init_socket = fn("uv_poll_init_socket", FunctionDescriptor.of(I, P, P, I));

    public static int uv_poll_init_socket(long a0, long a1, int a2) {
        try {
            return (int) uv_poll_init_socket.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_poll_start = fn("uv_poll_start", FunctionDescriptor.of(I, P, I, P));

    public static int uv_poll_start(long a0, int a1, long a2) {
        try {
            return (int) uv_poll_start.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_poll_stop = fn("uv_poll_stop", FunctionDescriptor.of(I, P));

    public static int uv_poll_stop(long a0) {
        try {
            return (int) uv_poll_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_prepare_init = fn("uv_prepare_init", FunctionDescriptor.of(I, P, P));

    public static int uv_prepare_init(long a0, long a1) {
        try {
            return (int) uv_prepare_init.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_prepare_start = fn("uv_prepare_start", FunctionDescriptor.of(I, P, P));

    public static int uv_prepare_start(long a0, long a1) {
        try {
            return (int) uv_prepare_start.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_prepare_stop = fn("uv_prepare_stop", FunctionDescriptor.of(I, P));

    public static int uv_prepare_stop(long a0) {
        try {
            return (int) uv_prepare_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_check_init = fn("uv_check_init", FunctionDescriptor.of(I, P, P));

    public static int uv_check_init(long a0, long a1) {
        try {
            return (int) uv_check_init.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_check_start = fn("uv_check_start", FunctionDescriptor.of(I, P, P));

    public static int uv_check_start(long a0, long a1) {
        try {
            return (int) uv_check_start.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_check_stop = fn("uv_check_stop", FunctionDescriptor.of(I, P));

    public static int uv_check_stop(long a0) {
        try {
            return (int) uv_check_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_idle_init = fn("uv_idle_init", FunctionDescriptor.of(I, P, P));

    public static int uv_idle_init(long a0, long a1) {
        try {
            return (int) uv_idle_init.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_idle_start = fn("uv_idle_start", FunctionDescriptor.of(I, P, P));

    public static int uv_idle_start(long a0, long a1) {
        try {
            return (int) uv_idle_start.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_idle_stop = fn("uv_idle_stop", FunctionDescriptor.of(I, P));

    public static int uv_idle_stop(long a0) {
        try {
            return (int) uv_idle_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_async_init = fn("uv_async_init", FunctionDescriptor.of(I, P, P, P));

    public static int uv_async_init(long a0, long a1, long a2) {
        try {
            return (int) uv_async_init.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_async_send = fn("uv_async_send", FunctionDescriptor.of(I, P));

    public static int uv_async_send(long a0) {
        try {
            return (int) uv_async_send.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_timer_init = fn("uv_timer_init", FunctionDescriptor.of(I, P, P));

    public static int uv_timer_init(long a0, long a1) {
        try {
            return (int) uv_timer_init.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_timer_start = fn("uv_timer_start", FunctionDescriptor.of(I, P, P, J, J));

    public static int uv_timer_start(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_timer_start.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_timer_stop = fn("uv_timer_stop", FunctionDescriptor.of(I, P));

    public static int uv_timer_stop(long a0) {
        try {
            return (int) uv_timer_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_timer_again = fn("uv_timer_again", FunctionDescriptor.of(I, P));

    public static int uv_timer_again(long a0) {
        try {
            return (int) uv_timer_again.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_timer_set_repeat = fn("uv_timer_set_repeat", FunctionDescriptor.ofVoid(P, J));

    public static void uv_timer_set_repeat(long a0, long a1) {
        try {
            uv_timer_set_repeat.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_timer_get_repeat = fn("uv_timer_get_repeat", FunctionDescriptor.of(J, P));

    public static long uv_timer_get_repeat(long a0) {
        try {
            return (long) uv_timer_get_repeat.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_timer_get_due_in = fn("uv_timer_get_due_in", FunctionDescriptor.of(J, P));

    public static long uv_timer_get_due_in(long a0) {
        try {
            return (long) uv_timer_get_due_in.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_getaddrinfo = fn("uv_getaddrinfo", FunctionDescriptor.of(I, P, P, P, P, P, P));

    public static int uv_getaddrinfo(long a0, long a1, long a2, long a3, long a4, long a5) {
        try {
            return (int) uv_getaddrinfo.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_freeaddrinfo = fn("uv_freeaddrinfo", FunctionDescriptor.ofVoid(P));

    public static void uv_freeaddrinfo(long a0) {
        try {
            uv_freeaddrinfo.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_getnameinfo = fn("uv_getnameinfo", FunctionDescriptor.of(I, P, P, P, P, I));

    public static int uv_getnameinfo(long a0, long a1, long a2, long a3, int a4) {
        try {
            return (int) uv_getnameinfo.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_spawn = fn("uv_spawn", FunctionDescriptor.of(I, P, P, P));

    public static int uv_spawn(long a0, long a1, long a2) {
        try {
            return (int) uv_spawn.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_process_kill = fn("uv_process_kill", FunctionDescriptor.of(I, P, I));

    public static int uv_process_kill(long a0, int a1) {
        try {
            return (int) uv_process_kill.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_kill = fn("uv_kill", FunctionDescriptor.of(I, I, I));

    public static int uv_kill(int a0, int a1) {
        try {
            return (int) uv_kill.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_process_get_pid = fn("uv_process_get_pid", FunctionDescriptor.of(I, P));

    public static int uv_process_get_pid(long a0) {
        try {
            return (int) uv_process_get_pid.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_queue_work = fn("uv_queue_work", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_queue_work(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_queue_work.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_cancel = fn("uv_cancel", FunctionDescriptor.of(I, P));

    public static int uv_cancel(long a0) {
        try {
            return (int) uv_cancel.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_get_process_title = fn("uv_get_process_title", FunctionDescriptor.of(I, P, SIZE_T));

    public static int uv_get_process_title(long a0, long a1) {
        try {
            return (int) uv_get_process_title.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_set_process_title = fn("uv_set_process_title", FunctionDescriptor.of(I, P));

    public static int uv_set_process_title(long a0) {
        try {
            return (int) uv_set_process_title.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_resident_set_memory = fn("uv_resident_set_memory", FunctionDescriptor.of(I, P));

    public static int uv_resident_set_memory(long a0) {
        try {
            return (int) uv_resident_set_memory.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_uptime = fn("uv_uptime", FunctionDescriptor.of(I, P));

    public static int uv_uptime(long a0) {
        try {
            return (int) uv_uptime.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_getrusage = fn("uv_getrusage", FunctionDescriptor.of(I, P));

    public static int uv_getrusage(long a0) {
        try {
            return (int) uv_getrusage.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_homedir = fn("uv_os_homedir", FunctionDescriptor.of(I, P, P));

    public static int uv_os_homedir(long a0, long a1) {
        try {
            return (int) uv_os_homedir.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_tmpdir = fn("uv_os_tmpdir", FunctionDescriptor.of(I, P, P));

    public static int uv_os_tmpdir(long a0, long a1) {
        try {
            return (int) uv_os_tmpdir.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_get_passwd = fn("uv_os_get_passwd", FunctionDescriptor.of(I, P));

    public static int uv_os_get_passwd(long a0) {
        try {
            return (int) uv_os_get_passwd.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_free_passwd = fn("uv_os_free_passwd", FunctionDescriptor.ofVoid(P));

    public static void uv_os_free_passwd(long a0) {
        try {
            uv_os_free_passwd.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_getpid = fn("uv_os_getpid", FunctionDescriptor.of(I));

    public static int uv_os_getpid() {
        try {
            return (int) uv_os_getpid.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_getppid = fn("uv_os_getppid", FunctionDescriptor.of(I));

    public static int uv_os_getppid() {
        try {
            return (int) uv_os_getppid.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_getpriority = fn("uv_os_getpriority", FunctionDescriptor.of(I, I, P));

    public static int uv_os_getpriority(int a0, long a1) {
        try {
            return (int) uv_os_getpriority.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_setpriority = fn("uv_os_setpriority", FunctionDescriptor.of(I, I, I));

    public static int uv_os_setpriority(int a0, int a1) {
        try {
            return (int) uv_os_setpriority.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_available_parallelism = fn("uv_available_parallelism", FunctionDescriptor.of(I));

    public static int uv_available_parallelism() {
        try {
            return (int) uv_available_parallelism.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_cpu_info = fn("uv_cpu_info", FunctionDescriptor.of(I, P, P));

    public static int uv_cpu_info(long a0, long a1) {
        try {
            return (int) uv_cpu_info.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_free_cpu_info = fn("uv_free_cpu_info", FunctionDescriptor.ofVoid(P, I));

    public static void uv_free_cpu_info(long a0, int a1) {
        try {
            uv_free_cpu_info.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_interface_addresses = fn("uv_interface_addresses", FunctionDescriptor.of(I, P, P));

    public static int uv_interface_addresses(long a0, long a1) {
        try {
            return (int) uv_interface_addresses.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_free_interface_addresses = fn("uv_free_interface_addresses", FunctionDescriptor.ofVoid(P, I));

    public static void uv_free_interface_addresses(long a0, int a1) {
        try {
            uv_free_interface_addresses.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_environ = fn("uv_os_environ", FunctionDescriptor.of(I, P, P));

    public static int uv_os_environ(long a0, long a1) {
        try {
            return (int) uv_os_environ.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_free_environ = fn("uv_os_free_environ", FunctionDescriptor.ofVoid(P, I));

    public static void uv_os_free_environ(long a0, int a1) {
        try {
            uv_os_free_environ.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_getenv = fn("uv_os_getenv", FunctionDescriptor.of(I, P, P, P));

    public static int uv_os_getenv(long a0, long a1, long a2) {
        try {
            return (int) uv_os_getenv.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_setenv = fn("uv_os_setenv", FunctionDescriptor.of(I, P, P));

    public static int uv_os_setenv(long a0, long a1) {
        try {
            return (int) uv_os_setenv.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_unsetenv = fn("uv_os_unsetenv", FunctionDescriptor.of(I, P));

    public static int uv_os_unsetenv(long a0) {
        try {
            return (int) uv_os_unsetenv.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_gethostname = fn("uv_os_gethostname", FunctionDescriptor.of(I, P, P));

    public static int uv_os_gethostname(long a0, long a1) {
        try {
            return (int) uv_os_gethostname.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_uname = fn("uv_os_uname", FunctionDescriptor.of(I, P));

    public static int uv_os_uname(long a0) {
        try {
            return (int) uv_os_uname.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_metrics_idle_time = fn("uv_metrics_idle_time", FunctionDescriptor.of(J, P));

    public static long uv_metrics_idle_time(long a0) {
        try {
            return (long) uv_metrics_idle_time.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_get_type = fn("uv_fs_get_type", FunctionDescriptor.of(I, P));

    public static int uv_fs_get_type(long a0) {
        try {
            return (int) uv_fs_get_type.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_get_result = fn("uv_fs_get_result", FunctionDescriptor.of(J, P));

    public static long uv_fs_get_result(long a0) {
        try {
            return (long) uv_fs_get_result.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_get_system_error = fn("uv_fs_get_system_error", FunctionDescriptor.of(I, P));

    public static int uv_fs_get_system_error(long a0) {
        try {
            return (int) uv_fs_get_system_error.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_get_ptr = fn("uv_fs_get_ptr", FunctionDescriptor.of(P, P));

    public static long uv_fs_get_ptr(long a0) {
        try {
            return (long) uv_fs_get_ptr.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_get_path = fn("uv_fs_get_path", FunctionDescriptor.of(P, P));

    public static long uv_fs_get_path(long a0) {
        try {
            return (long) uv_fs_get_path.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_get_statbuf = fn("uv_fs_get_statbuf", FunctionDescriptor.of(P, P));

    public static long uv_fs_get_statbuf(long a0) {
        try {
            return (long) uv_fs_get_statbuf.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_req_cleanup = fn("uv_fs_req_cleanup", FunctionDescriptor.ofVoid(P));

    public static void uv_fs_req_cleanup(long a0) {
        try {
            uv_fs_req_cleanup.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_close = fn("uv_fs_close", FunctionDescriptor.of(I, P, P, I, P));

    public static int uv_fs_close(long a0, long a1, int a2, long a3) {
        try {
            return (int) uv_fs_close.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_open = fn("uv_fs_open", FunctionDescriptor.of(I, P, P, P, I, I, P));

    public static int uv_fs_open(long a0, long a1, long a2, int a3, int a4, long a5) {
        try {
            return (int) uv_fs_open.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_read = fn("uv_fs_read", FunctionDescriptor.of(I, P, P, I, P, I, J, P));

    public static int uv_fs_read(long a0, long a1, int a2, long a3, int a4, long a5, long a6) {
        try {
            return (int) uv_fs_read.invokeExact(a0, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_unlink = fn("uv_fs_unlink", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_unlink(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_unlink.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_write = fn("uv_fs_write", FunctionDescriptor.of(I, P, P, I, P, I, J, P));

    public static int uv_fs_write(long a0, long a1, int a2, long a3, int a4, long a5, long a6) {
        try {
            return (int) uv_fs_write.invokeExact(a0, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_copyfile = fn("uv_fs_copyfile", FunctionDescriptor.of(I, P, P, P, P, I, P));

    public static int uv_fs_copyfile(long a0, long a1, long a2, long a3, int a4, long a5) {
        try {
            return (int) uv_fs_copyfile.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_mkdir = fn("uv_fs_mkdir", FunctionDescriptor.of(I, P, P, P, I, P));

    public static int uv_fs_mkdir(long a0, long a1, long a2, int a3, long a4) {
        try {
            return (int) uv_fs_mkdir.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_mkdtemp = fn("uv_fs_mkdtemp", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_mkdtemp(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_mkdtemp.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_mkstemp = fn("uv_fs_mkstemp", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_mkstemp(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_mkstemp.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_rmdir = fn("uv_fs_rmdir", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_rmdir(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_rmdir.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_scandir = fn("uv_fs_scandir", FunctionDescriptor.of(I, P, P, P, I, P));

    public static int uv_fs_scandir(long a0, long a1, long a2, int a3, long a4) {
        try {
            return (int) uv_fs_scandir.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_scandir_next = fn("uv_fs_scandir_next", FunctionDescriptor.of(I, P, P));

    public static int uv_fs_scandir_next(long a0, long a1) {
        try {
            return (int) uv_fs_scandir_next.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_opendir = fn("uv_fs_opendir", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_opendir(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_opendir.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_readdir = fn("uv_fs_readdir", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_readdir(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_readdir.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_closedir = fn("uv_fs_closedir", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_closedir(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_closedir.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_stat = fn("uv_fs_stat", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_stat(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_stat.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_fstat = fn("uv_fs_fstat", FunctionDescriptor.of(I, P, P, I, P));

    public static int uv_fs_fstat(long a0, long a1, int a2, long a3) {
        try {
            return (int) uv_fs_fstat.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_rename = fn("uv_fs_rename", FunctionDescriptor.of(I, P, P, P, P, P));

    public static int uv_fs_rename(long a0, long a1, long a2, long a3, long a4) {
        try {
            return (int) uv_fs_rename.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_fsync = fn("uv_fs_fsync", FunctionDescriptor.of(I, P, P, I, P));

    public static int uv_fs_fsync(long a0, long a1, int a2, long a3) {
        try {
            return (int) uv_fs_fsync.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_fdatasync = fn("uv_fs_fdatasync", FunctionDescriptor.of(I, P, P, I, P));

    public static int uv_fs_fdatasync(long a0, long a1, int a2, long a3) {
        try {
            return (int) uv_fs_fdatasync.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_ftruncate = fn("uv_fs_ftruncate", FunctionDescriptor.of(I, P, P, I, J, P));

    public static int uv_fs_ftruncate(long a0, long a1, int a2, long a3, long a4) {
        try {
            return (int) uv_fs_ftruncate.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_sendfile = fn("uv_fs_sendfile", FunctionDescriptor.of(I, P, P, I, I, J, SIZE_T, P));

    public static int uv_fs_sendfile(long a0, long a1, int a2, int a3, long a4, long a5, long a6) {
        try {
            return (int) uv_fs_sendfile.invokeExact(a0, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_access = fn("uv_fs_access", FunctionDescriptor.of(I, P, P, P, I, P));

    public static int uv_fs_access(long a0, long a1, long a2, int a3, long a4) {
        try {
            return (int) uv_fs_access.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_chmod = fn("uv_fs_chmod", FunctionDescriptor.of(I, P, P, P, I, P));

    public static int uv_fs_chmod(long a0, long a1, long a2, int a3, long a4) {
        try {
            return (int) uv_fs_chmod.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_utime = fn("uv_fs_utime", FunctionDescriptor.of(I, P, P, P, D, D, P));

    public static int uv_fs_utime(long a0, long a1, long a2, double a3, double a4, long a5) {
        try {
            return (int) uv_fs_utime.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_futime = fn("uv_fs_futime", FunctionDescriptor.of(I, P, P, I, D, D, P));

    public static int uv_fs_futime(long a0, long a1, int a2, double a3, double a4, long a5) {
        try {
            return (int) uv_fs_futime.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_lutime = fn("uv_fs_lutime", FunctionDescriptor.of(I, P, P, P, D, D, P));

    public static int uv_fs_lutime(long a0, long a1, long a2, double a3, double a4, long a5) {
        try {
            return (int) uv_fs_lutime.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_lstat = fn("uv_fs_lstat", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_lstat(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_lstat.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_link = fn("uv_fs_link", FunctionDescriptor.of(I, P, P, P, P, P));

    public static int uv_fs_link(long a0, long a1, long a2, long a3, long a4) {
        try {
            return (int) uv_fs_link.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_symlink = fn("uv_fs_symlink", FunctionDescriptor.of(I, P, P, P, P, I, P));

    public static int uv_fs_symlink(long a0, long a1, long a2, long a3, int a4, long a5) {
        try {
            return (int) uv_fs_symlink.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_readlink = fn("uv_fs_readlink", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_readlink(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_readlink.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_realpath = fn("uv_fs_realpath", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_realpath(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_realpath.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_fchmod = fn("uv_fs_fchmod", FunctionDescriptor.of(I, P, P, I, I, P));

    public static int uv_fs_fchmod(long a0, long a1, int a2, int a3, long a4) {
        try {
            return (int) uv_fs_fchmod.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_chown = fn("uv_fs_chown", FunctionDescriptor.of(I, P, P, P, I, I, P));

    public static int uv_fs_chown(long a0, long a1, long a2, int a3, int a4, long a5) {
        try {
            return (int) uv_fs_chown.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_fchown = fn("uv_fs_fchown", FunctionDescriptor.of(I, P, P, I, I, I, P));

    public static int uv_fs_fchown(long a0, long a1, int a2, int a3, int a4, long a5) {
        try {
            return (int) uv_fs_fchown.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_lchown = fn("uv_fs_lchown", FunctionDescriptor.of(I, P, P, P, I, I, P));

    public static int uv_fs_lchown(long a0, long a1, long a2, int a3, int a4, long a5) {
        try {
            return (int) uv_fs_lchown.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_statfs = fn("uv_fs_statfs", FunctionDescriptor.of(I, P, P, P, P));

    public static int uv_fs_statfs(long a0, long a1, long a2, long a3) {
        try {
            return (int) uv_fs_statfs.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_poll_init = fn("uv_fs_poll_init", FunctionDescriptor.of(I, P, P));

    public static int uv_fs_poll_init(long a0, long a1) {
        try {
            return (int) uv_fs_poll_init.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_poll_start = fn("uv_fs_poll_start", FunctionDescriptor.of(I, P, P, P, I));

    public static int uv_fs_poll_start(long a0, long a1, long a2, int a3) {
        try {
            return (int) uv_fs_poll_start.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_poll_stop = fn("uv_fs_poll_stop", FunctionDescriptor.of(I, P));

    public static int uv_fs_poll_stop(long a0) {
        try {
            return (int) uv_fs_poll_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_poll_getpath = fn("uv_fs_poll_getpath", FunctionDescriptor.of(I, P, P, P));

    public static int uv_fs_poll_getpath(long a0, long a1, long a2) {
        try {
            return (int) uv_fs_poll_getpath.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_signal_init = fn("uv_signal_init", FunctionDescriptor.of(I, P, P));

    public static int uv_signal_init(long a0, long a1) {
        try {
            return (int) uv_signal_init.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_signal_start = fn("uv_signal_start", FunctionDescriptor.of(I, P, P, I));

    public static int uv_signal_start(long a0, long a1, int a2) {
        try {
            return (int) uv_signal_start.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_signal_start_oneshot = fn("uv_signal_start_oneshot", FunctionDescriptor.of(I, P, P, I));

    public static int uv_signal_start_oneshot(long a0, long a1, int a2) {
        try {
            return (int) uv_signal_start_oneshot.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_signal_stop = fn("uv_signal_stop", FunctionDescriptor.of(I, P));

    public static int uv_signal_stop(long a0) {
        try {
            return (int) uv_signal_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_loadavg = fn("uv_loadavg", FunctionDescriptor.ofVoid(P));

    public static void uv_loadavg(long a0) {
        try {
            uv_loadavg.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_event_init = fn("uv_fs_event_init", FunctionDescriptor.of(I, P, P));

    public static int uv_fs_event_init(long a0, long a1) {
        try {
            return (int) uv_fs_event_init.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_event_start = fn("uv_fs_event_start", FunctionDescriptor.of(I, P, P, P, I));

    public static int uv_fs_event_start(long a0, long a1, long a2, int a3) {
        try {
            return (int) uv_fs_event_start.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_event_stop = fn("uv_fs_event_stop", FunctionDescriptor.of(I, P));

    public static int uv_fs_event_stop(long a0) {
        try {
            return (int) uv_fs_event_stop.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_fs_event_getpath = fn("uv_fs_event_getpath", FunctionDescriptor.of(I, P, P, P));

    public static int uv_fs_event_getpath(long a0, long a1, long a2) {
        try {
            return (int) uv_fs_event_getpath.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_ip4_addr = fn("uv_ip4_addr", FunctionDescriptor.of(I, P, I, P));

    public static int uv_ip4_addr(long a0, int a1, long a2) {
        try {
            return (int) uv_ip4_addr.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_ip6_addr = fn("uv_ip6_addr", FunctionDescriptor.of(I, P, I, P));

    public static int uv_ip6_addr(long a0, int a1, long a2) {
        try {
            return (int) uv_ip6_addr.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_ip4_name = fn("uv_ip4_name", FunctionDescriptor.of(I, P, P, SIZE_T));

    public static int uv_ip4_name(long a0, long a1, long a2) {
        try {
            return (int) uv_ip4_name.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_ip6_name = fn("uv_ip6_name", FunctionDescriptor.of(I, P, P, SIZE_T));

    public static int uv_ip6_name(long a0, long a1, long a2) {
        try {
            return (int) uv_ip6_name.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_ip_name = fn("uv_ip_name", FunctionDescriptor.of(I, P, P, SIZE_T));

    public static int uv_ip_name(long a0, long a1, long a2) {
        try {
            return (int) uv_ip_name.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_inet_ntop = fn("uv_inet_ntop", FunctionDescriptor.of(I, I, P, P, SIZE_T));

    public static int uv_inet_ntop(int a0, long a1, long a2, long a3) {
        try {
            return (int) uv_inet_ntop.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_inet_pton = fn("uv_inet_pton", FunctionDescriptor.of(I, I, P, P));

    public static int uv_inet_pton(int a0, long a1, long a2) {
        try {
            return (int) uv_inet_pton.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_random = fn("uv_random", FunctionDescriptor.of(I, P, P, P, SIZE_T, I, P));

    public static int uv_random(long a0, long a1, long a2, long a3, int a4, long a5) {
        try {
            return (int) uv_random.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_if_indextoname = fn("uv_if_indextoname", FunctionDescriptor.of(I, I, P, P));

    public static int uv_if_indextoname(int a0, long a1, long a2) {
        try {
            return (int) uv_if_indextoname.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_if_indextoiid = fn("uv_if_indextoiid", FunctionDescriptor.of(I, I, P, P));

    public static int uv_if_indextoiid(int a0, long a1, long a2) {
        try {
            return (int) uv_if_indextoiid.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_exepath = fn("uv_exepath", FunctionDescriptor.of(I, P, P));

    public static int uv_exepath(long a0, long a1) {
        try {
            return (int) uv_exepath.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_cwd = fn("uv_cwd", FunctionDescriptor.of(I, P, P));

    public static int uv_cwd(long a0, long a1) {
        try {
            return (int) uv_cwd.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_chdir = fn("uv_chdir", FunctionDescriptor.of(I, P));

    public static int uv_chdir(long a0) {
        try {
            return (int) uv_chdir.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_get_free_memory = fn("uv_get_free_memory", FunctionDescriptor.of(J));

    public static long uv_get_free_memory() {
        try {
            return (long) uv_get_free_memory.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_get_total_memory = fn("uv_get_total_memory", FunctionDescriptor.of(J));

    public static long uv_get_total_memory() {
        try {
            return (long) uv_get_total_memory.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_get_constrained_memory = fn("uv_get_constrained_memory", FunctionDescriptor.of(J));

    public static long uv_get_constrained_memory() {
        try {
            return (long) uv_get_constrained_memory.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_get_available_memory = optFn("uv_get_available_memory", FunctionDescriptor.of(J));

    public static long uv_get_available_memory() {
        if (uv_get_available_memory == null) {
            throw unsupported("uv_get_available_memory", "1.45");
        }
        try {
            return (long) uv_get_available_memory.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the loaded libuv has {@code uv_get_available_memory} (libuv 1.45). */
    public static boolean has_uv_get_available_memory() {
        return uv_get_available_memory != null;
    }

    static final MethodHandle uv_hrtime = fn("uv_hrtime", FunctionDescriptor.of(J));

    public static long uv_hrtime() {
        try {
            return (long) uv_hrtime.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_sleep = fn("uv_sleep", FunctionDescriptor.ofVoid(I));

    public static void uv_sleep(int a0) {
        try {
            uv_sleep.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_disable_stdio_inheritance = fn("uv_disable_stdio_inheritance", FunctionDescriptor.ofVoid());

    public static void uv_disable_stdio_inheritance() {
        try {
            uv_disable_stdio_inheritance.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_gettimeofday = fn("uv_gettimeofday", FunctionDescriptor.of(I, P));

    public static int uv_gettimeofday(long a0) {
        try {
            return (int) uv_gettimeofday.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_loop_get_data = fn("uv_loop_get_data", FunctionDescriptor.of(P, P));

    public static long uv_loop_get_data(long a0) {
        try {
            return (long) uv_loop_get_data.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_loop_set_data = fn("uv_loop_set_data", FunctionDescriptor.ofVoid(P, P));

    public static void uv_loop_set_data(long a0, long a1) {
        try {
            uv_loop_set_data.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final MethodHandle uv_os_get_passwd2 = optFn("uv_os_get_passwd2", FunctionDescriptor.of(I, P, I));

    public static int uv_os_get_passwd2(long a0, int a1) {
        if (uv_os_get_passwd2 == null) {
            throw unsupported("uv_os_get_passwd2", "1.45");
        }
        try {
            return (int) uv_os_get_passwd2.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the loaded libuv has {@code uv_os_get_passwd2} (libuv 1.45). */
    public static boolean has_uv_os_get_passwd2() {
        return uv_os_get_passwd2 != null;
    }

    static final MethodHandle uv_os_get_group = optFn("uv_os_get_group", FunctionDescriptor.of(I, P, I));

    public static int uv_os_get_group(long a0, int a1) {
        if (uv_os_get_group == null) {
            throw unsupported("uv_os_get_group", "1.45");
        }
        try {
            return (int) uv_os_get_group.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the loaded libuv has {@code uv_os_get_group} (libuv 1.45). */
    public static boolean has_uv_os_get_group() {
        return uv_os_get_group != null;
    }

    static final MethodHandle uv_os_free_group = optFn("uv_os_free_group", FunctionDescriptor.ofVoid(P));

    public static void uv_os_free_group(long a0) {
        if (uv_os_free_group == null) {
            throw unsupported("uv_os_free_group", "1.45");
        }
        try {
            uv_os_free_group.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the loaded libuv has {@code uv_os_free_group} (libuv 1.45). */
    public static boolean has_uv_os_free_group() {
        return uv_os_free_group != null;
    }

    static final MethodHandle uv_metrics_info = optFn("uv_metrics_info", FunctionDescriptor.of(I, P, P));

    public static int uv_metrics_info(long a0, long a1) {
        if (uv_metrics_info == null) {
            throw unsupported("uv_metrics_info", "1.45");
        }
        try {
            return (int) uv_metrics_info.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the loaded libuv has {@code uv_metrics_info} (libuv 1.45). */
    public static boolean has_uv_metrics_info() {
        return uv_metrics_info != null;
    }

    static final MethodHandle uv_clock_gettime = optFn("uv_clock_gettime", FunctionDescriptor.of(I, I, P));

    public static int uv_clock_gettime(int a0, long a1) {
        if (uv_clock_gettime == null) {
            throw unsupported("uv_clock_gettime", "1.45");
        }
        try {
            return (int) uv_clock_gettime.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the loaded libuv has {@code uv_clock_gettime} (libuv 1.45). */
    public static boolean has_uv_clock_gettime() {
        return uv_clock_gettime != null;
    }

    static final MethodHandle uv_udp_try_send2 = optFn("uv_udp_try_send2", FunctionDescriptor.of(I, P, I, P, P, P, I));

    public static int uv_udp_try_send2(long a0, int a1, long a2, long a3, long a4, int a5) {
        if (uv_udp_try_send2 == null) {
            throw unsupported("uv_udp_try_send2", "1.50");
        }
        try {
            return (int) uv_udp_try_send2.invokeExact(a0, a1, a2, a3, a4, a5);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the loaded libuv has {@code uv_udp_try_send2} (libuv 1.50). */
    public static boolean has_uv_udp_try_send2() {
        return uv_udp_try_send2 != null;
    }

    private static UnsupportedOperationException unsupported(String name, String version) {
        return new UnsupportedOperationException(name + " needs libuv " + version
                + " or newer; the loaded libuv is " + Version.string());
    }
}
