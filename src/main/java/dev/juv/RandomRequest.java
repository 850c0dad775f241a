package dev.juv;

import dev.juv.internal.CBlock;
import dev.juv.internal.LibUv;

/**
 * A {@link Sys#random(Loop, int, Sys.RandomCallback)} in flight: {@code uv_random} without a
 * callback on juv's pool (see {@link PoolRequest}). Owns its native buffer until the callback.
 */
final class RandomRequest extends PoolRequest {
    private final Sys.RandomCallback callback;
    private final int length;
    private CBlock buf;
    private int returned;

    private RandomRequest(Loop loop, int length, Sys.RandomCallback callback) {
        super(loop, 8); // bookkeeping only: the synchronous uv_random needs no request
        this.callback = callback;
        this.length = length;
    }

    static Request start(Loop loop, int length, Sys.RandomCallback callback) {
        RandomRequest r = new RandomRequest(loop, length, callback);
        r.arm();
        try {
            r.buf = CBlock.allocate(Math.max(1, length));
            r.queue();
        } catch (Throwable t) {
            r.nextAbandoned = loop.abandoned; // field writes only: listed however little stack is left
            loop.abandoned = r;
            loop.finishAbandoned();
            throw t;
        }
        return r;
    }

    @Override
    void freeAbandoned() {
        CBlock b = buf;
        buf = null;
        if (b != null) {
            b.close();
        }
        release();
    }

    @Override
    void work(long scratchLoop) {
        // the synchronous form touches neither loop nor request
        returned = LibUv.uv_random(0, 0, buf.address(), length, 0, 0);
    }

    @Override
    void complete(int status, Throwable thrown) {
        int code = status < 0 ? status : thrown != null ? PoolRequest.failureCode(thrown) : returned;
        byte[] bytes = null;
        try {
            if (code == 0) {
                bytes = buf.read(length);
            }
        } catch (OutOfMemoryError e) {
            code = Errno.ENOMEM;
        } finally {
            buf.close();
            buf = null;
            release();
        }
        if (thrown != null) {
            loop.handleException(thrown);
        }
        callback.call(bytes, code < 0 ? UvException.async(code, "uv_random") : null);
    }
}
