package dev.juv;

/** How {@link Loop#run(RunMode)} runs: libuv's {@code uv_run_mode}. */
public enum RunMode {
    /** Run until no active and referenced handles or requests remain. */
    DEFAULT,
    /** Poll for I/O once, blocking if there is nothing pending. */
    ONCE,
    /** Poll for I/O once without blocking. */
    NOWAIT
}
