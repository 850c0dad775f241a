package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/** libuv's {@code uv_check_t}: its callback runs once per loop iteration, right after the loop polled for I/O. */
public final class Check extends Handle {
    private HandleCallback<Check> callback;

    /**
     * Creates a stopped handle. Wraps uv_check_init.
     *
     * @param loop the loop the handle belongs to
     */
    public Check(Loop loop) {
        super(loop, HandleType.CHECK, LibUv::uv_check_init, "uv_check_init");
    }

    /**
     * Starts calling {@code callback} on the loop thread. Wraps uv_check_start.
     *
     * @param callback runs once per loop iteration, right after the loop has polled for I/O
     */
    public void start(HandleCallback<Check> callback) {
        Objects.requireNonNull(callback, "callback");
        try (Loop.Claim _ = enter()) {
            this.callback = callback;
            UvException.check(LibUv.uv_check_start(ptr, CHECK_CB.address()), "uv_check_start");
        }
    }

    /** Stops the handle. Wraps uv_check_stop. */
    public void stop() {
        try (Loop.Claim _ = enter()) {
            LibUv.uv_check_stop(ptr);
        }
    }

    /** {@code uv_check_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub CHECK_CB = Upcalls.stub(MethodHandles.lookup(), "onCheck", "V:P");

    private static void onCheck(long handle) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Check h) {
                h.onUvCallback();
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    void onUvCallback() {
        HandleCallback<Check> cb = callback;
        if (cb != null) {
            cb.call(this);
        }
    }
}
