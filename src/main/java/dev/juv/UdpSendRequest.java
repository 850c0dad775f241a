package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.SendBlock;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.net.InetSocketAddress;

/**
 * A {@link Udp#send} in flight. The request and its {@link SendBlock} (payload copy, sockaddr,
 * {@code uv_buf_t}) stay allocated until libuv's send callback, which runs exactly once: with
 * the result, or with ECANCELED when the handle closed first.
 */
final class UdpSendRequest extends Request {
    private static final int SIZE = size("udp_send");

    private final Udp udp;
    private final Udp.SendCallback callback;
    private long block;

    private UdpSendRequest(Udp udp, long block, Udp.SendCallback callback) {
        super(udp.loop, SIZE);
        this.udp = udp;
        this.block = block;
        this.callback = callback;
    }

    /**
     * Submits a send of {@code block}'s payload to the address already in the block, or to the
     * connected peer when {@code address} is null. Takes ownership of the block: it is freed on every path.
     */
    static void submit(Udp udp, long block, InetSocketAddress address, Udp.SendCallback callback) {
        UdpSendRequest r;
        try {
            r = new UdpSendRequest(udp, block, callback);
            r.arm();
        } catch (RuntimeException | Error e) {
            SendBlock.free(block);
            throw e;
        }
        int rc;
        try {
            rc = LibUv.uv_udp_send(r.ptr, udp.ptr, SendBlock.buf(block), 1,
                    address != null ? SendBlock.sockaddr(block) : 0, SEND_CB.address());
        } catch (Throwable e) {
            // an overflow on the way to libuv: nothing was queued
            r.nextAbandoned = udp.loop.abandoned; // field writes only: listed however little stack is left
            udp.loop.abandoned = r;
            udp.loop.finishAbandoned();
            throw e;
        }
        if (rc < 0) {
            r.freeBlock();
            r.submitted(rc, Udp.operation("uv_udp_send", address));
        }
    }

    @Override
    void cleanUpAbandoned() {
        freeBlock();
        release();
    }

    private void freeBlock() {
        long b = block;
        block = 0;
        SendBlock.free(b);
    }

    /** {@code uv_udp_send_cb}: a send request completed. */
    static final Upcalls.Stub SEND_CB = Upcalls.stub(MethodHandles.lookup(), "onSend", "V:PI");

    private static void onSend(long req, int status) {
        Request.complete(req, status);
    }

    @Override
    void onDone(int status) {
        freeBlock();
        release();
        if (callback != null) {
            callback.call(udp, status < 0 ? UvException.async(status, "uv_udp_send") : null);
        }
    }
}
