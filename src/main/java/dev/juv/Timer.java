package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.Objects;

/** A timer: libuv's {@code uv_timer_t}. Times are milliseconds, or {@link Duration}s. */
public final class Timer extends Handle {
    private HandleCallback<Timer> callback;

    /**
     * Creates a stopped timer. Wraps uv_timer_init.
     *
     * @param loop the loop the timer belongs to
     */
    public Timer(Loop loop) {
        super(loop, HandleType.TIMER, LibUv::uv_timer_init, "uv_timer_init");
    }

    /**
     * Starts the timer: {@code callback} runs on the loop thread after {@code timeoutMs}, then
     * every {@code repeatMs} if that is not 0. Restarts a running timer. Wraps uv_timer_start.
     *
     * @param callback runs on the loop thread each time the timer fires
     * @param timeoutMs the delay before the first run, in milliseconds; 0 runs it in the next
     *     iteration
     * @param repeatMs the interval between later runs, in milliseconds; 0 for a single run
     */
    public void start(HandleCallback<Timer> callback, long timeoutMs, long repeatMs) {
        Objects.requireNonNull(callback, "callback");
        if (timeoutMs < 0 || repeatMs < 0) {
            throw new IllegalArgumentException("timeout and repeat must not be negative: "
                    + timeoutMs + ", " + repeatMs);
        }
        try (Loop.Claim _ = enter()) {
            this.callback = callback;
            UvException.check(LibUv.uv_timer_start(ptr, TIMER_CB.address(), timeoutMs, repeatMs), "uv_timer_start");
        }
    }

    /**
     * {@link #start(HandleCallback, long, long)} with {@link Duration}s. A time that is not a whole
     * number of milliseconds is rounded up, so a timer never fires early and a positive repeat
     * never becomes 0 (a single run); one beyond {@code Long.MAX_VALUE} milliseconds is taken as
     * that (never, in practice).
     *
     * @param callback runs on the loop thread each time the timer fires
     * @param timeout the delay before the first run; {@link Duration#ZERO} runs it in the next
     *     iteration
     * @param repeat the interval between later runs; {@link Duration#ZERO} for a single run
     * @throws IllegalArgumentException if a duration is negative
     */
    public void start(HandleCallback<Timer> callback, Duration timeout, Duration repeat) {
        start(callback, millisUp(timeout, "timeout"), millisUp(repeat, "repeat"));
    }

    /**
     * The whole milliseconds of {@code d}, rounded up; saturated at {@code Long.MAX_VALUE}.
     *
     * @throws IllegalArgumentException if {@code d} is negative
     */
    static long millisUp(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        try {
            long ms = d.toMillis();
            return d.getNano() % 1_000_000 == 0 ? ms : Math.addExact(ms, 1);
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Stops the timer; the callback will not run. Wraps uv_timer_stop. */
    public void stop() {
        try (Loop.Claim _ = enter()) {
            LibUv.uv_timer_stop(ptr);
        }
    }

    /**
     * Restarts a repeating timer with its repeat value as the timeout. Wraps uv_timer_again.
     *
     * @throws UvException EINVAL if the timer was never started
     */
    public void again() {
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_timer_again(ptr), "uv_timer_again");
        }
    }

    /**
     * The repeat interval. Wraps uv_timer_get_repeat.
     *
     * @return the interval in milliseconds, 0 for a timer that does not repeat
     */
    public long repeat() {
        try (Loop.Claim _ = enter()) {
            return LibUv.uv_timer_get_repeat(ptr);
        }
    }

    /**
     * Sets the repeat interval, used from the next expiry on. Wraps uv_timer_set_repeat.
     *
     * @param repeatMs the interval in milliseconds, 0 to stop repeating
     */
    public void setRepeat(long repeatMs) {
        if (repeatMs < 0) {
            throw new IllegalArgumentException("repeat must not be negative: " + repeatMs);
        }
        try (Loop.Claim _ = enter()) {
            LibUv.uv_timer_set_repeat(ptr, repeatMs);
        }
    }

    /**
     * {@link #setRepeat(long)} with a {@link Duration}, rounded up to whole milliseconds as
     * {@link #start(HandleCallback, Duration, Duration)} does.
     *
     * @param repeat the interval, {@link Duration#ZERO} to stop repeating
     * @throws IllegalArgumentException if {@code repeat} is negative
     */
    public void setRepeat(Duration repeat) {
        setRepeat(millisUp(repeat, "repeat"));
    }

    /**
     * Milliseconds until the timer fires, measured against the loop's cached time; 0 if it is due
     * or stopped. Wraps uv_timer_get_due_in.
     *
     * @return the milliseconds left, 0 when due or stopped
     */
    public long dueIn() {
        try (Loop.Claim _ = enter()) {
            // libuv keeps a stopped timer's old due time; a stopped timer is due in nothing
            if (LibUv.uv_is_active(ptr) == 0) {
                return 0;
            }
            return LibUv.uv_timer_get_due_in(ptr);
        }
    }

    /** {@code uv_timer_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub TIMER_CB = Upcalls.stub(MethodHandles.lookup(), "onTimer", "V:P");

    private static void onTimer(long handle) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Timer h) {
                h.onUvCallback();
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    void onUvCallback() {
        HandleCallback<Timer> cb = callback;
        if (cb != null) {
            cb.call(this);
        }
    }
}
