package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Native;
import dev.juv.internal.Sockaddr;
import dev.juv.internal.Upcalls;
import java.net.InetSocketAddress;

/** A {@link Dns#getnameinfo} in flight. libuv copies the address into the request, so it is freed at once. */
final class GetnameinfoRequest extends Request {
    private static final int SIZE = size("getnameinfo");

    private final Dns.NameinfoCallback callback;
    private final String operation;

    private GetnameinfoRequest(Loop loop, String operation, Dns.NameinfoCallback callback) {
        super(loop, SIZE);
        this.operation = operation;
        this.callback = callback;
    }

    /** Submits the lookup; the address is already checked. */
    static Request start(Loop loop, InetSocketAddress address, int flags, Dns.NameinfoCallback callback) {
        try (Loop.Claim claim = loop.enter()) {
            String op = "uv_getnameinfo " + address;
            long addr = Sockaddr.allocate(address);
            try {
                GetnameinfoRequest r = new GetnameinfoRequest(loop, op, callback);
                r.submitted(LibUv.uv_getnameinfo(loop.ptr, r.ptr, Upcalls.GETNAMEINFO_CB, addr, flags), op);
                return r;
            } finally {
                Native.free(addr);
            }
        }
    }

    @Override
    void onGetnameinfo(int status, long host, long service) {
        String h = null;
        String s = null;
        try {
            if (status == 0) {
                h = Native.string(host);
                s = Native.string(service);
            }
        } finally {
            release();
        }
        callback.call(h, s, status < 0 ? UvException.async(Dns.cancelAsEcanceled(status), operation) : null);
    }
}
