package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/** libuv's {@code uv_idle_t}: its callback runs once per loop iteration, before the loop polls for I/O; while active the loop does not block. */
public final class Idle extends Handle {
    private HandleCallback<Idle> callback;

    /**
     * Creates a stopped handle. Wraps uv_idle_init.
     *
     * @param loop the loop the handle belongs to
     */
    public Idle(Loop loop) {
        super(loop, HandleType.IDLE, LibUv::uv_idle_init, "uv_idle_init");
    }

    /**
     * Starts calling {@code callback} on the loop thread. Wraps uv_idle_start.
     *
     * @param callback runs once per loop iteration while the handle is active
     */
    public void start(HandleCallback<Idle> callback) {
        Objects.requireNonNull(callback, "callback");
        try (Loop.Claim _ = enter()) {
            this.callback = callback;
            UvException.check(LibUv.uv_idle_start(ptr, IDLE_CB.address()), "uv_idle_start");
        }
    }

    /** Stops the handle. Wraps uv_idle_stop. */
    public void stop() {
        try (Loop.Claim _ = enter()) {
            LibUv.uv_idle_stop(ptr);
        }
    }

    /** {@code uv_idle_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub IDLE_CB = Upcalls.stub(MethodHandles.lookup(), "onIdle", "V:P");

    private static void onIdle(long handle) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Idle h) {
                h.onUvCallback();
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    void onUvCallback() {
        HandleCallback<Idle> cb = callback;
        if (cb != null) {
            cb.call(this);
        }
    }
}
