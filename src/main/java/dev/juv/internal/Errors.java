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
            // UV_E* are negated errno values on Unix and fixed values from -4095 up on Windows;
            // getaddrinfo errors sit near -3000. Scanning the range finds every name libuv knows.
            for (int code = -1; code >= -4096; code--) {
                LibUv.uv_err_name_r(code, buf, 128);
                String n = Native.string(buf);
                if (n != null && !n.startsWith("Unknown") && !CODES.containsKey(n)) {
                    CODES.put(n, code);
                }
            }
        } finally {
            Native.free(buf);
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
