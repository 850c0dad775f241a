package dev.juv.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The C library's {@code struct addrinfo}, whose field order differs between systems:
 *
 * <pre>
 * Linux:       int flags, family, socktype, protocol; socklen_t addrlen; sockaddr* addr; char* canonname; addrinfo* next
 * macOS, BSD:  int flags, family, socktype, protocol; socklen_t addrlen; char* canonname; sockaddr* addr; addrinfo* next
 * Windows:     int flags, family, socktype, protocol; size_t addrlen;    char* canonname; sockaddr* addr; addrinfo* next
 * </pre>
 */
public final class AddrinfoLayout {
    private AddrinfoLayout() {}

    public static final StructLayout ADDRINFO;

    static {
        MemoryLayout flags = ValueLayout.JAVA_INT.withName("ai_flags");
        MemoryLayout family = ValueLayout.JAVA_INT.withName("ai_family");
        MemoryLayout socktype = ValueLayout.JAVA_INT.withName("ai_socktype");
        MemoryLayout protocol = ValueLayout.JAVA_INT.withName("ai_protocol");
        MemoryLayout addrlen = (Platform.WINDOWS ? ValueLayout.JAVA_LONG : ValueLayout.JAVA_INT).withName("ai_addrlen");
        MemoryLayout addr = ValueLayout.ADDRESS.withName("ai_addr");
        MemoryLayout canon = ValueLayout.ADDRESS.withName("ai_canonname");
        MemoryLayout next = ValueLayout.ADDRESS.withName("ai_next");
        ADDRINFO = Platform.WINDOWS || Platform.BSD
                ? CStructs.padded(flags, family, socktype, protocol, addrlen, canon, addr, next)
                : CStructs.padded(flags, family, socktype, protocol, addrlen, addr, canon, next);
    }

    public static final long SIZE = ADDRINFO.byteSize();
    private static final long FLAGS = CStructs.offset(ADDRINFO, "ai_flags");
    private static final long FAMILY = CStructs.offset(ADDRINFO, "ai_family");
    private static final long SOCKTYPE = CStructs.offset(ADDRINFO, "ai_socktype");
    private static final long PROTOCOL = CStructs.offset(ADDRINFO, "ai_protocol");
    private static final long ADDR = CStructs.offset(ADDRINFO, "ai_addr");
    private static final long CANONNAME = CStructs.offset(ADDRINFO, "ai_canonname");
    private static final long NEXT = CStructs.offset(ADDRINFO, "ai_next");

    /**
     * The arguments of one {@code uv_getaddrinfo} in counted memory: the host and service names
     * (0, C's NULL, for a null one) and the hints; {@link #close} frees them.
     */
    public static final class Arguments implements AutoCloseable {
        private long node;
        private long service;
        private long hints;

        private Arguments() {}

        /**
         * Copies the names and builds the hints; nothing is left allocated when it throws.
         *
         * @throws IllegalArgumentException if a name holds a NUL or an unpaired surrogate
         */
        public static Arguments of(String host, String service, int flags, int family, int socktype, int protocol) {
            Arguments a = new Arguments();
            try {
                a.node = host == null ? 0 : Native.cstring(host);
                a.service = service == null ? 0 : Native.cstring(service);
                a.hints = allocateHints(flags, family, socktype, protocol);
            } catch (RuntimeException | Error e) {
                a.close();
                throw e;
            }
            return a;
        }

        /** The host name, or 0. */
        public long node() {
            return node;
        }

        /** The service name, or 0. */
        public long service() {
            return service;
        }

        /** The hints. */
        public long hints() {
            return hints;
        }

        /** Frees what is held; a second call does nothing. */
        @Override
        public void close() {
            Native.free(hints);
            Native.free(service);
            Native.free(node);
            node = 0;
            service = 0;
            hints = 0;
        }
    }

    /** The length in UTF-8 bytes of a host name as {@link Arguments#of} passes it. */
    public static int hostLength(String host) {
        return Native.utf8(host).length;
    }

    /** A zeroed hints struct with the four input fields set, in counted memory; the caller frees it. */
    private static long allocateHints(int flags, int family, int socktype, int protocol) {
        long p = Native.calloc(SIZE);
        MemorySegment s = Native.seg(p, SIZE);
        s.set(ValueLayout.JAVA_INT, FLAGS, flags);
        s.set(ValueLayout.JAVA_INT, FAMILY, family);
        s.set(ValueLayout.JAVA_INT, SOCKTYPE, socktype);
        s.set(ValueLayout.JAVA_INT, PROTOCOL, protocol);
        return p;
    }

    public static int family(long ai) {
        return Native.seg(ai, SIZE).get(ValueLayout.JAVA_INT, FAMILY);
    }

    public static int socktype(long ai) {
        return Native.seg(ai, SIZE).get(ValueLayout.JAVA_INT, SOCKTYPE);
    }

    public static int protocol(long ai) {
        return Native.seg(ai, SIZE).get(ValueLayout.JAVA_INT, PROTOCOL);
    }

    /** The entry's {@code sockaddr*}. */
    public static long addr(long ai) {
        return Native.seg(ai, SIZE).get(ValueLayout.ADDRESS, ADDR).address();
    }

    /** The entry's canonical name, or null. */
    public static String canonname(long ai) {
        return Native.string(Native.seg(ai, SIZE).get(ValueLayout.ADDRESS, CANONNAME).address());
    }

    /** The next entry, 0 at the end of the list. */
    public static long next(long ai) {
        return Native.seg(ai, SIZE).get(ValueLayout.ADDRESS, NEXT).address();
    }

    // ---- where a synchronous uv_getaddrinfo / uv_getnameinfo leaves its result ----

    /*
     * libuv keeps a synchronous lookup's result only in the request, in fields uv.h declares after
     * the public ones. On Unix both requests start with UV_REQ_FIELDS (data, type, reserved[6]),
     * the loop and a struct uv__work (five pointers):
     *   uv_getaddrinfo_t: ... cb, hints, hostname, service, addrinfo, int retcode
     *   uv_getnameinfo_t: ... getnameinfo_cb, sockaddr_storage, int flags,
     *                     char host[NI_MAXHOST = 1025], char service[NI_MAXSERV = 32], int retcode
     * Each layout is checked against uv_req_size before use.
     */
    private static MemoryLayout[] requestFields(MemoryLayout... tail) {
        MemoryLayout[] head = {ValueLayout.ADDRESS.withName("data"), ValueLayout.JAVA_INT.withName("type"),
                MemoryLayout.sequenceLayout(6, ValueLayout.ADDRESS).withName("reserved"),
                ValueLayout.ADDRESS.withName("loop"), MemoryLayout.sequenceLayout(5, ValueLayout.ADDRESS).withName("work_req")};
        MemoryLayout[] all = new MemoryLayout[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static final StructLayout GETADDRINFO_REQ = CStructs.padded(requestFields(
            ValueLayout.ADDRESS.withName("cb"), ValueLayout.ADDRESS.withName("hints"),
            ValueLayout.ADDRESS.withName("hostname"), ValueLayout.ADDRESS.withName("service"),
            ValueLayout.ADDRESS.withName("addrinfo"), ValueLayout.JAVA_INT.withName("retcode")));
    private static final StructLayout GETNAMEINFO_REQ = CStructs.padded(requestFields(
            ValueLayout.ADDRESS.withName("getnameinfo_cb"),
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_LONG).withName("storage"),
            ValueLayout.JAVA_INT.withName("flags"), MemoryLayout.sequenceLayout(1025, ValueLayout.JAVA_BYTE).withName("host"),
            MemoryLayout.sequenceLayout(32, ValueLayout.JAVA_BYTE).withName("service"),
            ValueLayout.JAVA_INT.withName("retcode")));
    private static final long REQ_ADDRINFO = CStructs.offset(GETADDRINFO_REQ, "addrinfo");
    private static final long REQ_HOST = CStructs.offset(GETNAMEINFO_REQ, "host");
    private static final long REQ_SERVICE = CStructs.offset(GETNAMEINFO_REQ, "service");

    /**
     * Checks the request layouts above against the loaded libuv's sizes.
     *
     * @throws UnsupportedOperationException when they differ (a platform whose requests juv does
     *     not know, such as Windows)
     */
    public static void checkRequestSizes(long getaddrinfoSize, long getnameinfoSize) {
        if (Platform.WINDOWS || GETADDRINFO_REQ.byteSize() != getaddrinfoSize
                || GETNAMEINFO_REQ.byteSize() != getnameinfoSize) {
            throw new UnsupportedOperationException("uv_getaddrinfo_t is " + getaddrinfoSize + " bytes and uv_getnameinfo_t "
                    + getnameinfoSize + " here; juv knows the Unix layouts of " + GETADDRINFO_REQ.byteSize() + " and "
                    + GETNAMEINFO_REQ.byteSize());
        }
    }

    /** The result list a synchronous uv_getaddrinfo left in {@code req} (0 if none); free it with uv_freeaddrinfo. */
    public static long requestAddrinfo(long req) {
        return Native.seg(req, GETADDRINFO_REQ.byteSize()).get(ValueLayout.ADDRESS, REQ_ADDRINFO).address();
    }

    /** The host name a synchronous uv_getnameinfo left in {@code req}. */
    public static String requestHost(long req) {
        return Native.string(req + REQ_HOST);
    }

    /** The service name a synchronous uv_getnameinfo left in {@code req}. */
    public static String requestService(long req) {
        return Native.string(req + REQ_SERVICE);
    }
}
