package dev.juv;

import java.time.Duration;
import java.util.Objects;

/**
 * How a new {@link Loop} is set up: idle-time accounting, a signal the loop's poll blocks, the
 * size of its read buffer and the threshold of the blocked-loop watchdog. Immutable: each
 * {@code with…} method returns a new object.
 *
 * <pre>{@code
 * Loop loop = new Loop(LoopOptions.defaults().withIdleTimeMetrics(true).withReadBufferSize(256 * 1024));
 * }</pre>
 *
 * @param idleTimeMetrics whether libuv measures the time the loop waits in its poll
 *     ({@code UV_METRICS_IDLE_TIME}), which {@link Loop#utilization()} and
 *     {@link LoopMetrics#idleTime()} report
 * @param blockedSignal a signal the loop's poll blocks ({@code UV_LOOP_BLOCK_SIGNAL}), or 0 for
 *     none
 * @param readBufferSize the size in bytes of the loop's read buffer, where every read of its
 *     streams and every datagram lands
 * @param blockedThreshold how long one callback may hold the loop before the watchdog warns;
 *     {@link Duration#ZERO} for no watchdog
 */
public record LoopOptions(boolean idleTimeMetrics, int blockedSignal, int readBufferSize, Duration blockedThreshold) {
    /** The default read buffer size: 64 KiB. */
    public static final int DEFAULT_READ_BUFFER_SIZE = 64 * 1024;
    /** The smallest read buffer size accepted: 1 KiB. */
    public static final int MIN_READ_BUFFER_SIZE = 1024;
    /** The largest read buffer size accepted: 64 MiB. */
    public static final int MAX_READ_BUFFER_SIZE = 64 * 1024 * 1024;
    /** The default watchdog threshold: 2 seconds. */
    public static final Duration DEFAULT_BLOCKED_THRESHOLD = Duration.ofSeconds(2);

    private static final LoopOptions DEFAULTS = new LoopOptions(false, 0, DEFAULT_READ_BUFFER_SIZE,
            defaultThreshold());

    /**
     * Checks the options; the {@code with…} methods and {@link #defaults()} are the usual way to
     * make them.
     *
     * @param idleTimeMetrics whether libuv measures the poll's idle time
     * @param blockedSignal a signal the poll blocks, or 0 for none
     * @param readBufferSize the read buffer's size in bytes
     * @param blockedThreshold the watchdog's threshold, {@link Duration#ZERO} for none
     * @throws IllegalArgumentException as the {@code with…} methods say
     * @throws NullPointerException if {@code blockedThreshold} is null
     */
    public LoopOptions {
        if (blockedSignal != 0) {
            Signal.checkSignum(blockedSignal);
        }
        if (readBufferSize < MIN_READ_BUFFER_SIZE || readBufferSize > MAX_READ_BUFFER_SIZE) {
            throw new IllegalArgumentException("read buffer size " + readBufferSize + " is outside ["
                    + MIN_READ_BUFFER_SIZE + ", " + MAX_READ_BUFFER_SIZE + "]");
        }
        Objects.requireNonNull(blockedThreshold, "blockedThreshold");
        if (blockedThreshold.isNegative()) {
            throw new IllegalArgumentException("negative watchdog threshold " + blockedThreshold);
        }
        if (!blockedThreshold.isZero() && blockedThreshold.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("watchdog threshold " + blockedThreshold + " is below 1 ms");
        }
    }

    /**
     * The defaults: no idle-time metrics, no blocked signal, a 64 KiB read buffer and a 2 second
     * watchdog threshold. The system property {@code juv.blockedThreshold} (milliseconds, 0 for
     * none) changes the default threshold for the whole process, read once.
     *
     * @return the default options
     */
    public static LoopOptions defaults() {
        return DEFAULTS;
    }

    private static Duration defaultThreshold() {
        String s = System.getProperty("juv.blockedThreshold");
        if (s == null || s.isBlank()) {
            return DEFAULT_BLOCKED_THRESHOLD;
        }
        try {
            long ms = Long.parseLong(s.trim());
            if (ms == 0) {
                return Duration.ZERO;
            }
            if (ms > 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException bad) {
            // falls through to the default below
        }
        System.getLogger("dev.juv").log(System.Logger.Level.WARNING,
                "juv.blockedThreshold=" + s + " is not a number of milliseconds; the default 2 s applies");
        return DEFAULT_BLOCKED_THRESHOLD;
    }

    /**
     * These options with idle-time accounting on or off ({@code uv_loop_configure} with
     * {@code UV_METRICS_IDLE_TIME}; libuv cannot turn it off again once on, so off means not
     * asked for).
     *
     * @param on whether libuv measures the time the loop waits in its poll
     * @return new options
     */
    public LoopOptions withIdleTimeMetrics(boolean on) {
        return new LoopOptions(on, blockedSignal, readBufferSize, blockedThreshold);
    }

    /**
     * These options with a signal that the loop's poll blocks ({@code uv_loop_configure} with
     * {@code UV_LOOP_BLOCK_SIGNAL}), so that a profiler's {@link Signal#SIGPROF} does not wake the
     * loop at every tick. libuv accepts only SIGPROF today: another signal makes
     * {@code new Loop(options)} throw {@link UvException} {@code EINVAL}.
     *
     * @param signum the signal number, or 0 for none
     * @return new options
     * @throws IllegalArgumentException for a signal the JVM needs (SIGSEGV, SIGBUS, SIGFPE,
     *     SIGILL, SIGQUIT, SIGUSR2), SIGKILL, SIGSTOP or a number that is no signal
     */
    public LoopOptions withBlockedSignal(int signum) {
        return new LoopOptions(idleTimeMetrics, signum, readBufferSize, blockedThreshold);
    }

    /**
     * These options with a read buffer of {@code bytes}: each read callback gets at most that
     * many bytes, and a datagram longer than it arrives truncated (its flags say so). Larger
     * buffers suit bulk transfers (256 KiB is common in C servers); the buffer is allocated once
     * per loop.
     *
     * @param bytes the size, from {@link #MIN_READ_BUFFER_SIZE} to {@link #MAX_READ_BUFFER_SIZE}
     * @return new options
     * @throws IllegalArgumentException if {@code bytes} is outside that range
     */
    public LoopOptions withReadBufferSize(int bytes) {
        return new LoopOptions(idleTimeMetrics, blockedSignal, bytes, blockedThreshold);
    }

    /**
     * These options with the watchdog's threshold: when one callback (or a task given to
     * {@link Loop#execute}) holds the loop longer, a warning with the loop thread's stack goes to
     * the {@link System.Logger} "dev.juv" at WARNING, once per blockage.
     *
     * @param threshold at least 1 ms, or {@link Duration#ZERO} for no watchdog
     * @return new options
     * @throws IllegalArgumentException if {@code threshold} is negative or between 0 and 1 ms
     * @throws NullPointerException if {@code threshold} is null
     */
    public LoopOptions withBlockedThreshold(Duration threshold) {
        return new LoopOptions(idleTimeMetrics, blockedSignal, readBufferSize, threshold);
    }
}
