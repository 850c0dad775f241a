package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Native;
import dev.juv.internal.Upcalls;

/** A {@link Sys#random(Loop, int, Sys.RandomCallback)} in flight; owns its buffer until done. */
final class RandomRequest extends Request {
    private static final int SIZE = size("random");

    private final Sys.RandomCallback callback;
    private final long buf;
    private final int length;

    private RandomRequest(Loop loop, int length, Sys.RandomCallback callback) {
        super(loop, SIZE);
        this.callback = callback;
        this.length = length;
        this.buf = Native.calloc(Math.max(1, length));
    }

    static Request start(Loop loop, int length, Sys.RandomCallback callback) {
        RandomRequest r = new RandomRequest(loop, length, callback);
        int rc = LibUv.uv_random(loop.ptr, r.ptr, r.buf, length, 0, Upcalls.RANDOM_CB);
        if (rc < 0) {
            Native.free(r.buf);
        }
        r.submitted(rc, "uv_random");
        return r;
    }

    @Override
    void onRandom(int status, long b, long len) {
        byte[] bytes = status == 0 ? Native.bytes(buf, length) : null;
        Native.free(buf);
        release();
        callback.call(bytes, status < 0 ? UvException.async(status, "uv_random") : null);
    }
}
