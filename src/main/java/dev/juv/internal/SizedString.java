package dev.juv.internal;

import dev.juv.Errno;
import java.nio.charset.StandardCharsets;

/**
 * The libuv calls that copy a string into a caller's buffer and its size through a
 * {@code size_t*} (uv_cwd, uv_os_homedir, uv_os_getenv, uv_fs_event_getpath, uv_pipe_getsockname...):
 * on {@code UV_ENOBUFS} libuv stores the size it needs, and the call is tried again with a buffer
 * that large. One implementation for all of them, with the libuv call passed in.
 */
public final class SizedString {
    private SizedString() {}

    /** The libuv call: fills {@code buf} and stores the string's length at {@code size}. */
    @FunctionalInterface
    public interface Call {
        int call(long buf, long size);
    }

    /** A call that fills a buffer of a fixed {@code capacity} without reporting a length. */
    @FunctionalInterface
    public interface FixedCall {
        int call(long buf, long capacity);
    }

    /**
     * What the caller makes of a status other than {@code UV_ENOBUFS} (and of {@code UV_ENOBUFS}
     * once the attempts are used up): throws for an error, returns false when there is no value
     * (the result is then null), true to read the string.
     */
    @FunctionalInterface
    public interface Verdict {
        boolean accept(int status);
    }

    /**
     * Calls {@code call} with a buffer of {@code capacity} bytes, growing it on
     * {@code UV_ENOBUFS} to what libuv asks for (at least double) for up to {@code attempts}
     * calls, and returns the string it wrote (decoded as UTF-8, embedded NULs kept), or null
     * when {@code verdict} says there is none.
     */
    public static String read(int capacity, int attempts, Call call, Verdict verdict) {
        long cap = capacity;
        for (int attempt = 0; attempt < attempts; attempt++) {
            long mem = Native.calloc(cap + 8);
            try {
                long size = mem + cap;
                Native.putLong(size, cap);
                int r = call.call(mem, size);
                if (r == Errno.ENOBUFS) {
                    cap = Math.max(cap * 2, Native.getLong(size) + 1);
                    continue;
                }
                if (!verdict.accept(r)) {
                    return null;
                }
                return new String(Native.bytes(mem, Native.getLong(size)), StandardCharsets.UTF_8);
            } finally {
                Native.free(mem);
            }
        }
        verdict.accept(Errno.ENOBUFS); // throws: the string never fitted
        return null;
    }

    /**
     * Calls {@code call} with a zeroed buffer of {@code capacity} bytes and returns the
     * NUL-terminated string it wrote, or null when {@code verdict} refuses the status.
     */
    public static String readFixed(int capacity, FixedCall call, Verdict verdict) {
        long buf = Native.calloc(capacity);
        try {
            return verdict.accept(call.call(buf, capacity)) ? Native.string(buf) : null;
        } finally {
            Native.free(buf);
        }
    }
}
