package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Native;

/** libuv's {@code uv_handle_type}; the numeric codes are read from the loaded libuv. */
public enum HandleType {
    UNKNOWN_HANDLE(null),
    ASYNC("async"),
    CHECK("check"),
    FS_EVENT("fs_event"),
    FS_POLL("fs_poll"),
    HANDLE("handle"),
    IDLE("idle"),
    NAMED_PIPE("pipe"),
    POLL("poll"),
    PREPARE("prepare"),
    PROCESS("process"),
    STREAM("stream"),
    TCP("tcp"),
    TIMER("timer"),
    TTY("tty"),
    UDP("udp"),
    SIGNAL("signal"),
    FILE("file");

    private final String uvName;
    private int code = -1;

    HandleType(String uvName) {
        this.uvName = uvName;
    }

    private static final HandleType[] BY_CODE;

    static {
        HandleType[] map = new HandleType[64];
        UNKNOWN_HANDLE.code = 0;
        map[0] = UNKNOWN_HANDLE;
        int last = 0;
        for (int i = 1; i < 63; i++) {
            String n = Native.string(LibUv.uv_handle_type_name(i));
            if (n == null) {
                break;
            }
            for (HandleType t : values()) {
                if (n.equals(t.uvName)) {
                    t.code = i;
                    map[i] = t;
                }
            }
            last = i;
        }
        if (FILE.code < 0) {
            // a libuv that does not name UV_FILE: in uv.h it follows the last named handle type
            FILE.code = last + 1;
            map[last + 1] = FILE;
        }
        BY_CODE = map;
    }

    /** libuv's numeric value for this type on the running platform. */
    public int code() {
        return code;
    }

    /** The type for a libuv code; UNKNOWN_HANDLE for codes libuv does not name. */
    public static HandleType of(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            return UNKNOWN_HANDLE;
        }
        return BY_CODE[code];
    }
}
