package dev.juv;

/** A terminal mode for {@link Tty#setMode}: libuv's {@code uv_tty_mode_t}. */
public enum TtyMode {
    /** Line-buffered input with the terminal's own echo and processing. */
    NORMAL(0),
    /** Raw input: every key as it comes, no echo, no signals from control keys. */
    RAW(1),
    /** Binary-safe I/O mode for child-process pipes (Unix only). */
    IO(2);

    private final int code;

    TtyMode(int code) {
        this.code = code;
    }

    /** libuv's value for the mode. */
    int code() {
        return code;
    }
}
