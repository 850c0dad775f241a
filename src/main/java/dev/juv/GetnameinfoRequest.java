package dev.juv;

import dev.juv.internal.AddrinfoLayout;
import dev.juv.internal.CBlock;
import dev.juv.internal.LibUv;
import dev.juv.internal.Sockaddr;
import java.net.InetSocketAddress;

/**
 * A {@link Dns#getnameinfo} in flight: {@code uv_getnameinfo} without a callback, on juv's pool,
 * given the pool thread's scratch loop block (see {@link GetaddrinfoRequest}). The request owns
 * the address until its callback.
 */
final class GetnameinfoRequest extends PoolRequest {
    private static final int SIZE = size("getnameinfo");

    static {
        AddrinfoLayout.checkRequestSizes(GetaddrinfoRequest.SIZE, SIZE);
    }

    private final Dns.NameinfoCallback callback;
    private final String operation;
    private final int flags;
    private Sockaddr addr;
    private int returned;

    private GetnameinfoRequest(Loop loop, String operation, int flags, Dns.NameinfoCallback callback) {
        super(loop, SIZE);
        this.operation = operation;
        this.flags = flags;
        this.callback = callback;
    }

    /** Queues the lookup; the address is already checked. */
    static Request start(Loop loop, InetSocketAddress address, int flags, Dns.NameinfoCallback callback) {
        try (Loop.Claim _ = loop.enter()) {
            GetnameinfoRequest r = new GetnameinfoRequest(loop, "uv_getnameinfo " + address, flags, callback);
            r.arm();
            try {
                r.addr = Sockaddr.of(address);
                r.queue();
            } catch (Throwable t) {
                r.nextAbandoned = loop.abandoned; // field writes only: listed however little stack is left
                loop.abandoned = r;
                loop.finishAbandoned();
                throw t;
            }
            return r;
        }
    }

    /** The lookup on the calling thread, with a loop block of its own; the address is already checked. */
    static Dns.NameInfo lookup(InetSocketAddress address, int flags) {
        try (CBlock scratch = CBlock.zeroed(GetaddrinfoRequest.LOOP_SIZE);
                CBlock req = CBlock.zeroed(SIZE);
                Sockaddr a = Sockaddr.of(address)) {
            int rc = LibUv.uv_getnameinfo(scratch.address(), req.address(), 0, a.address(), flags);
            if (rc < 0) {
                throw new UvException(rc, "uv_getnameinfo " + address);
            }
            return new Dns.NameInfo(AddrinfoLayout.requestHost(req.address()), AddrinfoLayout.requestService(req.address()));
        }
    }

    @Override
    void freeAbandoned() {
        freeAddress();
        release();
    }

    private void freeAddress() {
        Sockaddr a = addr;
        addr = null;
        if (a != null) {
            a.close();
        }
    }

    @Override
    void work(long scratchLoop) {
        returned = LibUv.uv_getnameinfo(scratchLoop, ptr, 0, addr.address(), flags);
    }

    @Override
    void complete(int status, Throwable thrown) {
        int code = status < 0 ? status : thrown != null ? failureCode(thrown) : returned;
        String h = null;
        String s = null;
        try {
            if (code == 0) {
                h = AddrinfoLayout.requestHost(ptr);
                s = AddrinfoLayout.requestService(ptr);
            }
        } finally {
            freeAddress();
            release();
        }
        if (thrown != null) {
            loop.handleException(thrown);
        }
        callback.call(h, s, code < 0 ? UvException.async(code, operation) : null);
    }
}
