package dev.juv;

import dev.juv.internal.CBlock;
import dev.juv.internal.LibUv;

/** libuv's {@code uv_handle_type}; the numeric codes are read from the loaded libuv. */
public enum HandleType {
    /** {@code UV_UNKNOWN_HANDLE}: code 0, or a code libuv does not name. */
    UNKNOWN_HANDLE(null),
    /** {@code UV_ASYNC}: {@link Async}. */
    ASYNC("async"),
    /** {@code UV_CHECK}: {@link Check}. */
    CHECK("check"),
    /** {@code UV_FS_EVENT}: {@link FsEvent}. */
    FS_EVENT("fs_event"),
    /** {@code UV_FS_POLL}: {@link FsPoll}. */
    FS_POLL("fs_poll"),
    /** {@code UV_HANDLE}: libuv's base type, which no live handle has. */
    HANDLE("handle"),
    /** {@code UV_IDLE}: {@link Idle}. */
    IDLE("idle"),
    /** {@code UV_NAMED_PIPE}: {@link Pipe}. */
    NAMED_PIPE("pipe"),
    /** {@code UV_POLL}: {@link Poll}. */
    POLL("poll"),
    /** {@code UV_PREPARE}: {@link Prepare}. */
    PREPARE("prepare"),
    /** {@code UV_PROCESS}: {@link ChildProcess}. */
    PROCESS("process"),
    /** {@code UV_STREAM}: libuv's base type of streams, which no live handle has. */
    STREAM("stream"),
    /** {@code UV_TCP}: {@link Tcp}. */
    TCP("tcp"),
    /** {@code UV_TIMER}: {@link Timer}. */
    TIMER("timer"),
    /** {@code UV_TTY}: {@link Tty}. */
    TTY("tty"),
    /** {@code UV_UDP}: {@link Udp}. */
    UDP("udp"),
    /** {@code UV_SIGNAL}: {@link Signal}. */
    SIGNAL("signal"),
    /**
     * {@code UV_FILE}: a regular file, as {@code uv_guess_handle} reports one; no handle has it.
     */
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
            String n = CBlock.stringAt(LibUv.uv_handle_type_name(i));
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

    /**
     * libuv's numeric value for this type on the running platform.
     *
     * @return the code, which can differ between libuv versions and platforms
     */
    public int code() {
        return code;
    }

    /**
     * The type for a libuv code; UNKNOWN_HANDLE for codes libuv does not name.
     *
     * @param code a {@code uv_handle_type} value
     * @return the type with that code
     */
    public static HandleType of(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            return UNKNOWN_HANDLE;
        }
        return BY_CODE[code];
    }
}
