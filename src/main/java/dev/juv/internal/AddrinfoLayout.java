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
        MemoryLayout addrlen = (CStructs.WINDOWS ? ValueLayout.JAVA_LONG : ValueLayout.JAVA_INT).withName("ai_addrlen");
        MemoryLayout addr = ValueLayout.ADDRESS.withName("ai_addr");
        MemoryLayout canon = ValueLayout.ADDRESS.withName("ai_canonname");
        MemoryLayout next = ValueLayout.ADDRESS.withName("ai_next");
        ADDRINFO = CStructs.WINDOWS || CStructs.BSD
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

    /** A zeroed hints struct with the four input fields set, in counted memory; the caller frees it. */
    public static long allocateHints(int flags, int family, int socktype, int protocol) {
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
}
