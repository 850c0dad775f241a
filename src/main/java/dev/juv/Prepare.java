package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/** libuv's {@code uv_prepare_t}: its callback runs once per loop iteration, right before the loop polls for I/O. */
public final class Prepare extends Handle {
    private HandleCallback<Prepare> callback;

    /**
     * Creates a stopped handle. Wraps uv_prepare_init.
     *
     * @param loop the loop the handle belongs to
     */
    public Prepare(Loop loop) {
        super(loop, HandleType.PREPARE, LibUv::uv_prepare_init, "uv_prepare_init");
    }

    /**
     * Starts calling {@code callback} on the loop thread. Wraps uv_prepare_start.
     *
     * @param callback runs once per loop iteration, right before the loop polls for I/O
     */
    public void start(HandleCallback<Prepare> callback) {
        Objects.requireNonNull(callback, "callback");
        try (Loop.Claim _ = enter()) {
            this.callback = callback;
            UvException.check(LibUv.uv_prepare_start(ptr, PREPARE_CB.address()), "uv_prepare_start");
        }
    }

    /** Stops the handle. Wraps uv_prepare_stop. */
    public void stop() {
        try (Loop.Claim _ = enter()) {
            LibUv.uv_prepare_stop(ptr);
        }
    }

    /** {@code uv_prepare_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub PREPARE_CB = Upcalls.stub(MethodHandles.lookup(), "onPrepare", "V:P");

    private static void onPrepare(long handle) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Prepare h) {
                h.onUvCallback();
            } else if (t instanceof Loop.Hidden x) {
                x.fired();
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    void onUvCallback() {
        HandleCallback<Prepare> cb = callback;
        if (cb != null) {
            cb.call(this);
        }
    }
}
