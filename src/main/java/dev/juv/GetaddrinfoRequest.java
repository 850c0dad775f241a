package dev.juv;

import dev.juv.internal.AddrinfoLayout;
import dev.juv.internal.CBlock;
import dev.juv.internal.LibUv;
import dev.juv.internal.Sockaddr;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Dns#getaddrinfo} in flight: {@code uv_getaddrinfo} without a callback, on juv's pool
 * (see {@link PoolRequest}). The synchronous call counts itself on the loop it is given, so it is
 * given the pool thread's scratch loop block, never a loop another thread runs. The request owns
 * host, service and hints until its callback.
 */
final class GetaddrinfoRequest extends PoolRequest {
    static final int SIZE = size("getaddrinfo");
    static final long LOOP_SIZE = LibUv.uv_loop_size();

    static {
        AddrinfoLayout.checkRequestSizes(SIZE, size("getnameinfo"));
    }

    private final Dns.AddrinfoCallback callback;
    private final String operation;
    private AddrinfoLayout.Arguments arguments;
    private int returned;

    private GetaddrinfoRequest(Loop loop, String operation, Dns.AddrinfoCallback callback) {
        super(loop, SIZE);
        this.operation = operation;
        this.callback = callback;
    }

    private static String operation(String host, String service) {
        return "uv_getaddrinfo " + (host == null ? "" : host) + (service == null ? "" : " " + service);
    }

    /** Queues the lookup; the arguments are already checked. */
    static Request start(Loop loop, String host, String service, int family, int socktype, int protocol,
            int flags, Dns.AddrinfoCallback callback) {
        try (Loop.Claim _ = loop.enter()) {
            String op = operation(host, service);
            if (host == null && service == null) {
                throw new UvException(Errno.EINVAL, op); // what libuv says, at once
            }
            GetaddrinfoRequest r = new GetaddrinfoRequest(loop, op, callback);
            r.arm();
            try {
                r.arguments = AddrinfoLayout.Arguments.of(host, service, flags, family, socktype, protocol);
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

    /** The lookup on the calling thread, with a loop block of its own; the arguments are already checked. */
    static List<AddressInfo> lookup(String host, String service, int family, int socktype, int protocol, int flags) {
        String op = operation(host, service);
        try (CBlock scratch = CBlock.zeroed(LOOP_SIZE);
                CBlock req = CBlock.zeroed(SIZE);
                AddrinfoLayout.Arguments a = AddrinfoLayout.Arguments.of(host, service, flags, family, socktype, protocol)) {
            int rc = LibUv.uv_getaddrinfo(scratch.address(), req.address(), 0, a.node(), a.service(), a.hints());
            long res = AddrinfoLayout.requestAddrinfo(req.address());
            try {
                if (rc < 0) {
                    throw new UvException(rc, op);
                }
                return read(res);
            } finally {
                LibUv.uv_freeaddrinfo(res);
            }
        }
    }

    @Override
    void work(long scratchLoop) {
        AddrinfoLayout.Arguments a = arguments;
        returned = LibUv.uv_getaddrinfo(scratchLoop, ptr, 0, a.node(), a.service(), a.hints());
    }

    private void freeArguments() {
        AddrinfoLayout.Arguments a = arguments;
        arguments = null;
        if (a != null) {
            a.close();
        }
    }

    @Override
    void freeAbandoned() {
        freeArguments();
        release();
    }

    @Override
    void complete(int status, Throwable thrown) {
        int code = status < 0 ? status : thrown != null ? failureCode(thrown) : returned;
        List<AddressInfo> list = null;
        long res = status < 0 ? 0 : AddrinfoLayout.requestAddrinfo(ptr);
        try {
            if (code == 0) {
                list = read(res);
            }
        } finally {
            LibUv.uv_freeaddrinfo(res);
            freeArguments();
            release();
        }
        if (thrown != null) {
            loop.handleException(thrown);
        }
        callback.call(list, code < 0 ? UvException.async(code, operation) : null);
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
