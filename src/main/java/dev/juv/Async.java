package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * Wakes the loop from any thread: libuv's {@code uv_async_t}. Several {@link #send()}s before
 * the loop gets to it may run the callback once.
 */
public final class Async extends Handle {
    private final HandleCallback<Async> callback;
    private final Object sendLock = new Object();

    /**
     * Creates an async handle whose callback runs on the loop thread. Wraps uv_async_init.
     *
     * @param loop the loop the handle belongs to
     * @param callback runs on the loop thread after one or more {@link #send()} calls
     */
    public Async(Loop loop, HandleCallback<Async> callback) {
        // the callback is checked before the native handle is allocated, so a null leaks nothing
        super(requireCallback(loop, callback), HandleType.ASYNC,
                (l, h) -> LibUv.uv_async_init(l, h, ASYNC_CB.address()), "uv_async_init");
        this.callback = callback;
    }

    private static Loop requireCallback(Loop loop, HandleCallback<Async> callback) {
        Objects.requireNonNull(callback, "callback");
        return loop;
    }

    /**
     * Wakes the loop and makes the callback run; safe from any thread. Wraps uv_async_send.
     *
     * @throws HandleClosedException once the handle is closing
     */
    public void send() {
        synchronized (sendLock) {
            if (isClosing()) {
                throw new HandleClosedException("Async is " + (isClosed() ? "closed" : "closing"));
            }
            UvException.check(LibUv.uv_async_send(ptr), "uv_async_send");
        }
    }

    @Override
    void beginClose() {
        synchronized (sendLock) {
            super.beginClose();
        }
    }

    /** {@code uv_async_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub ASYNC_CB = Upcalls.stub(MethodHandles.lookup(), "onAsync", "V:P");

    private static void onAsync(long handle) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Async h) {
                h.onUvCallback();
            } else if (t instanceof Loop.Hidden x) {
                x.fired();
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    void onUvCallback() {
        callback.call(this);
    }
}
