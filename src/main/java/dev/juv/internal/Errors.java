package dev.juv.internal;

import java.util.HashMap;
import java.util.Map;

/** libuv error names and messages, and the table of codes read from the loaded libuv. */
public final class Errors {
    private Errors() {}

    private static final Map<String, Integer> CODES = new HashMap<>();

    static {
        long buf = Native.malloc(128);
        try {
            // UV_E* are negated errno values on Unix (below 200 on every platform juv runs on) and
            // fixed values from -4095 up on Windows; getaddrinfo errors sit at -3000 to -3013, and
            // libuv's own codes (UV_EOF, UV_UNKNOWN, UV_ECHARSET, UV_EFTYPE...) from -4095 up.
            // Scanning those three bands finds every name libuv knows in a tenth of the calls
            // the whole range would take.
            scan(buf, -1, -300);
            scan(buf, -2990, -3100);
            scan(buf, -3900, -4096);
        } finally {
            Native.free(buf);
        }
    }

    private static void scan(long buf, int from, int to) {
        for (int code = from; code >= to; code--) {
            LibUv.uv_err_name_r(code, buf, 128);
            String n = Native.string(buf);
            if (n != null && !n.startsWith("Unknown") && !CODES.containsKey(n)) {
                CODES.put(n, code);
            }
        }
    }

    /** The code of a libuv error name such as "ECONNREFUSED", or 0 when libuv has none. */
    public static int code(String name) {
        return CODES.getOrDefault(name, 0);
    }

    /** A copy of the whole table. */
    public static Map<String, Integer> all() {
        return Map.copyOf(CODES);
    }

    public static String name(int code) {
        long buf = Native.malloc(128);
        try {
            LibUv.uv_err_name_r(code, buf, 128);
            return Native.string(buf);
        } finally {
            Native.free(buf);
        }
    }

    public static String message(int code) {
        long buf = Native.malloc(256);
        try {
            LibUv.uv_strerror_r(code, buf, 256);
            return Native.string(buf);
        } finally {
            Native.free(buf);
        }
    }
}
