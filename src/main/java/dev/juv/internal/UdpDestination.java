package dev.juv.internal;

import dev.juv.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Destinations the kernel refuses whatever the network does, found before a datagram joins
 * libuv's send queue. libuv up to 1.49 sends the queue in batches ({@code sendmmsg}) and gives
 * the error of a batch's first datagram to every datagram of that batch, so one bad destination
 * would fail the valid datagrams queued with it; libuv 1.50 and later report it to that datagram
 * only. Refusing these beforehand gives the same result on every version.
 *
 * <p>What is refused, with the error Linux's UDP send gives (checked with {@code sendto}):
 * port 0 ({@code EINVAL}); an IPv6 destination from an IPv4 socket ({@code EAFNOSUPPORT}); an
 * IPv6 destination from an IPv6 socket bound to an IPv4-mapped address ({@code EAFNOSUPPORT});
 * an IPv4 (or IPv4-mapped) destination from an IPv6 socket that is IPv6-only, which binding to a
 * specific IPv6 address implies on Linux ({@code ENETUNREACH}). A destination together with a
 * connected socket ({@code EISCONN}) and no destination with an unconnected one
 * ({@code EDESTADDRREQ}) are refused by libuv itself, at once, before queueing. What depends on
 * routes or on socket options set outside juv (no route, a broadcast without
 * {@code SO_BROADCAST}, a source address that cannot reach the destination, IPV6_V6ONLY set on
 * an adopted descriptor) cannot be told beforehand. Other systems keep their own rules and
 * codes, so the check runs on Linux only.
 */
public final class UdpDestination {
    private UdpDestination() {}

    /** Whether destinations are checked here (Linux, where the codes above were measured). */
    public static final boolean CHECKED = Platform.LINUX;

    private static final int KNOWN = 1;
    private static final int INET6 = 2;
    /** Bound to an IPv4-mapped IPv6 address. */
    private static final int MAPPED = 4;
    /** IPv6-only: bound with the IPV6ONLY flag, or to a specific (not wildcard, not mapped) IPv6 address. */
    private static final int V6ONLY = 8;
    private static final int CONNECTED = 16;

    /**
     * What the checks need to know about a UDP handle's socket, or 0 while it has no bound socket
     * (ask again later: the first send or receive binds it). Once bound, a socket's local address
     * never changes; its connection does, so the caller asks again after connect or disconnect.
     *
     * @param udp the {@code uv_udp_t}
     * @param boundV6Only whether juv bound it with the IPV6ONLY flag
     */
    public static int facts(long udp, boolean boundV6Only) {
        try (Sockaddr sa = Sockaddr.scratch()) {
            long addr = sa.address();
            if (LibUv.uv_udp_getsockname(udp, addr, sa.length()) != 0) {
                return 0;
            }
            MemorySegment m = Native.seg(addr, 28);
            int port = sa.port();
            int family = sa.family();
            if (port == 0 || (family != Sockaddr.AF_INET && family != Sockaddr.AF_INET6)) {
                return 0;
            }
            int f = KNOWN;
            if (family == Sockaddr.AF_INET6) {
                f |= INET6;
                long hi = m.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
                long lo = m.get(ValueLayout.JAVA_LONG_UNALIGNED, 16);
                boolean wildcard = hi == 0 && lo == 0;
                // ::ffff:a.b.c.d: ten zero bytes, two 0xff bytes, then the IPv4 address
                boolean mapped = hi == 0 && m.get(ValueLayout.JAVA_SHORT_UNALIGNED, 16) == 0
                        && m.get(ValueLayout.JAVA_SHORT_UNALIGNED, 18) == (short) 0xffff;
                if (mapped) {
                    f |= MAPPED;
                } else if (!wildcard || boundV6Only) {
                    f |= V6ONLY;
                }
            }
            if (LibUv.uv_udp_getpeername(udp, addr, sa.length()) == 0) {
                f |= CONNECTED;
            }
            return f;
        }
    }

    /**
     * The error a datagram to {@code address} would certainly get, or 0 to let libuv send it.
     *
     * @param facts from {@link #facts}, 0 when unknown
     * @param address the destination, or null for the connected peer
     */
    public static int refusal(int facts, InetSocketAddress address) {
        if (!CHECKED || address == null || (facts & CONNECTED) != 0) {
            return 0; // libuv decides at once (EDESTADDRREQ, EISCONN) or the peer was given to connect
        }
        if (address.getPort() == 0) {
            return Errno.EINVAL;
        }
        if (facts == 0) {
            return 0; // no bound socket yet: the send creates one of the destination's family
        }
        InetAddress ip = address.getAddress();
        if ((facts & INET6) == 0) {
            return ip instanceof Inet6Address ? Errno.EAFNOSUPPORT : 0;
        }
        boolean ipv4 = ip instanceof Inet4Address || mapped(ip.getAddress());
        if (!ipv4) {
            return (facts & MAPPED) != 0 ? Errno.EAFNOSUPPORT : 0;
        }
        return (facts & V6ONLY) != 0 ? Errno.ENETUNREACH : 0;
    }

    /** Why {@link #refusal} refused, for the error's message. */
    public static String reason(int code) {
        if (code == Errno.EINVAL) {
            return "port 0 is no destination";
        }
        if (code == Errno.EAFNOSUPPORT) {
            return "an IPv6 destination for an IPv4 socket";
        }
        return "an IPv4 destination for an IPv6-only socket";
    }

    private static boolean mapped(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
