package dev.juv;

import dev.juv.internal.AddrinfoLayout;
import dev.juv.internal.LibUv;
import dev.juv.internal.Native;
import dev.juv.internal.Sockaddr;
import dev.juv.internal.Upcalls;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;

/** A {@link Dns#getaddrinfo} in flight. libuv copies host, service and hints, so they are freed at once. */
final class GetaddrinfoRequest extends Request {
    private static final int SIZE = size("getaddrinfo");

    private final Dns.AddrinfoCallback callback;
    private final String operation;

    private GetaddrinfoRequest(Loop loop, String operation, Dns.AddrinfoCallback callback) {
        super(loop, SIZE);
        this.operation = operation;
        this.callback = callback;
    }

    /** Submits the lookup; the arguments are already checked. */
    static Request start(Loop loop, String host, String service, int family, int socktype, int protocol,
            int flags, Dns.AddrinfoCallback callback) {
        try (Loop.Claim claim = loop.enter()) {
            String op = "uv_getaddrinfo " + (host == null ? "" : host) + (service == null ? "" : " " + service);
            long node = 0;
            long serv = 0;
            long hints = 0;
            try {
                node = host == null ? 0 : Native.cstring(host);
                serv = service == null ? 0 : Native.cstring(service);
                hints = AddrinfoLayout.allocateHints(flags, family, socktype, protocol);
                GetaddrinfoRequest r = new GetaddrinfoRequest(loop, op, callback);
                r.submitted(LibUv.uv_getaddrinfo(loop.ptr, r.ptr, Upcalls.GETADDRINFO_CB, node, serv, hints), op);
                return r;
            } finally {
                Native.free(node);
                Native.free(serv);
                Native.free(hints);
            }
        }
    }

    @Override
    void onGetaddrinfo(int status, long res) {
        List<AddressInfo> list = null;
        try {
            if (status == 0) {
                list = read(res);
            }
        } finally {
            LibUv.uv_freeaddrinfo(res);
            release();
        }
        callback.call(list, status < 0 ? UvException.async(Dns.cancelAsEcanceled(status), operation) : null);
    }

    private static List<AddressInfo> read(long res) {
        List<AddressInfo> out = new ArrayList<>();
        for (long ai = res; ai != 0; ai = AddrinfoLayout.next(ai)) {
            int fam = AddrinfoLayout.family(ai);
            StandardProtocolFamily family = fam == Sockaddr.AF_INET ? StandardProtocolFamily.INET
                    : fam == Sockaddr.AF_INET6 ? StandardProtocolFamily.INET6 : null;
            InetSocketAddress address = Sockaddr.read(AddrinfoLayout.addr(ai));
            if (family == null || address == null) {
                continue;
            }
            out.add(new AddressInfo(family, AddrinfoLayout.socktype(ai), AddrinfoLayout.protocol(ai), address,
                    AddrinfoLayout.canonname(ai)));
        }
        return List.copyOf(out);
    }
}
