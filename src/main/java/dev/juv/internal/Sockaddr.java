package dev.juv.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Socket addresses built and read only through libuv's {@code uv_ip4_addr}, {@code uv_ip6_addr}
 * and {@code uv_ip_name}; the family field's value for IPv6 is learnt from libuv at start-up.
 *
 * <p>An instance is one sockaddr in counted memory for one call, with room for any address and,
 * after it, the {@code int} length that {@code getsockname}-style calls read and update:
 * {@link #of} fills it with an address to pass in, {@link #scratch} leaves it for an
 * out-parameter; {@link #close} frees it.
 */
public final class Sockaddr implements AutoCloseable {
    /** {@link #STORAGE} bytes of sockaddr, then the int length. */
    private final long block;

    private Sockaddr(long block) {
        this.block = block;
    }

    /** An empty sockaddr for an out-parameter, such as {@code uv_tcp_getsockname}'s. */
    public static Sockaddr scratch() {
        return new Sockaddr(Native.calloc(STORAGE + 8L));
    }

    /**
     * A sockaddr holding {@code address}.
     *
     * @throws IllegalArgumentException if the address is unresolved or libuv refuses it
     */
    public static Sockaddr of(InetSocketAddress address) {
        Sockaddr s = scratch();
        try {
            encode(s.block, address);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The sockaddr, to pass to libuv. */
    public long address() {
        return block;
    }

    /**
     * Sets the length to the room there is and returns where it is: the in-out length argument of
     * a {@code getsockname}-style call.
     */
    public long length() {
        long len = block + STORAGE;
        Native.putInt(len, STORAGE);
        return len;
    }

    /** The family field's value (compare with {@link #AF_INET} and {@link #AF_INET6}). */
    public int family() {
        return family(block);
    }

    /** The family, INET or INET6; IllegalStateException for anything else. */
    public java.net.StandardProtocolFamily protocolFamily() {
        return protocolFamily(block);
    }

    /** The port held (IPv4 or IPv6), in host order. */
    public int port() {
        return port(block);
    }

    /** The port of an IPv4 or IPv6 sockaddr: the network-order 16 bits after the family field. */
    public static int port(long addr) {
        MemorySegment m = Native.seg(addr, 4);
        return ((m.get(ValueLayout.JAVA_BYTE, 2) & 0xff) << 8) | (m.get(ValueLayout.JAVA_BYTE, 3) & 0xff);
    }

    /** The address and port held; null for a family other than IPv4 and IPv6. */
    public InetSocketAddress socketAddress() {
        return read(block);
    }

    /** Frees the memory; the sockaddr is not used afterwards. */
    @Override
    public void close() {
        Native.free(block);
    }

    /** Big enough for any sockaddr ({@code sockaddr_storage}). */
    public static final int STORAGE = 128;
    /** The platform's AF_INET and AF_INET6, read back from addresses libuv built. */
    public static final int AF_INET;
    public static final int AF_INET6;
    /** BSD-derived systems store a length byte before a one-byte family. */
    private static final boolean LEN_BYTE;

    static {
        long a = Native.calloc(STORAGE);
        long s = Native.cstring("127.0.0.1");
        long s6 = Native.cstring("::1");
        try {
            LibUv.uv_ip4_addr(s, 0, a);
            MemorySegment m = Native.seg(a, STORAGE);
            // Linux/Windows: u16 family at 0. BSD/macOS: u8 length (16) then u8 family.
            LEN_BYTE = m.get(ValueLayout.JAVA_BYTE, 0) == 16;
            AF_INET = family(a);
            Native.seg(a, STORAGE).fill((byte) 0);
            LibUv.uv_ip6_addr(s6, 0, a);
            AF_INET6 = family(a);
        } finally {
            Native.free(a);
            Native.free(s);
            Native.free(s6);
        }
    }

    public static int family(long addr) {
        MemorySegment m = Native.ALL;
        if (LEN_BYTE) {
            return m.get(ValueLayout.JAVA_BYTE, addr + 1) & 0xff;
        }
        return m.get(ValueLayout.JAVA_SHORT_UNALIGNED, addr) & 0xffff;
    }

    /** The family of a socket address libuv filled in; IllegalStateException for anything else. */
    public static java.net.StandardProtocolFamily protocolFamily(long addr) {
        int f = family(addr);
        if (f == AF_INET) {
            return java.net.StandardProtocolFamily.INET;
        }
        if (f == AF_INET6) {
            return java.net.StandardProtocolFamily.INET6;
        }
        throw new IllegalStateException("unexpected address family " + f);
    }

    /** Checks an address the way every juv call does before any native call. */
    public static InetSocketAddress check(InetSocketAddress address) {
        if (address == null) {
            throw new NullPointerException("address");
        }
        if (address.isUnresolved() || address.getAddress() == null) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        return address;
    }

    /** Writes {@code address} into {@code out} (at least {@link #STORAGE} bytes); returns 0 or a libuv error. */
    public static int write(InetSocketAddress address, long out) {
        check(address);
        InetAddress ip = address.getAddress();
        int port = address.getPort();
        if (ip instanceof Inet4Address) {
            long s = Native.cstring(ip.getHostAddress());
            try {
                return LibUv.uv_ip4_addr(s, port, out);
            } finally {
                Native.free(s);
            }
        }
        Inet6Address ip6 = (Inet6Address) ip;
        String text = ip6.getHostAddress();
        int pct = text.indexOf('%');
        if (pct >= 0) {
            text = text.substring(0, pct);
        }
        if (ip6.getScopeId() != 0) {
            text = text + "%" + ip6.getScopeId();
        }
        long s = Native.cstring(text);
        try {
            int r = LibUv.uv_ip6_addr(s, port, out);
            if (r == 0 && ip6.getScopeId() != 0) {
                Native.seg(out, 28).set(ValueLayout.JAVA_INT_UNALIGNED, 24, ip6.getScopeId());
            }
            return r;
        } finally {
            Native.free(s);
        }
    }

    /**
     * Writes {@code address} into a sockaddr area of {@link #STORAGE} bytes.
     *
     * @throws IllegalArgumentException if the address is unresolved or libuv refuses it
     */
    public static void encode(long out, InetSocketAddress address) {
        int r = write(address, out);
        if (r != 0) {
            throw new IllegalArgumentException("malformed address " + address + ": " + Errors.name(r));
        }
    }

    /** Reads a sockaddr; null when the pointer is 0 or the family is neither IPv4 nor IPv6. */
    public static InetSocketAddress read(long addr) {
        if (addr == 0) {
            return null;
        }
        int fam = family(addr);
        if (fam != AF_INET && fam != AF_INET6) {
            return null;
        }
        MemorySegment m = Native.seg(addr, 28);
        int port = port(addr);
        try {
            if (fam == AF_INET) {
                byte[] b = new byte[4];
                MemorySegment.copy(m, ValueLayout.JAVA_BYTE, 4, b, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(b), port);
            }
            byte[] b = new byte[16];
            MemorySegment.copy(m, ValueLayout.JAVA_BYTE, 8, b, 0, 16);
            int scope = m.get(ValueLayout.JAVA_INT_UNALIGNED, 24);
            InetAddress ip = scope != 0 ? Inet6Address.getByAddress(null, b, scope) : InetAddress.getByAddress(b);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The text form libuv gives ({@code uv_ip_name}). */
    public static String name(long addr) {
        long buf = Native.calloc(64);
        try {
            int r = LibUv.uv_ip_name(addr, buf, 64);
            return r == 0 ? Native.string(buf) : null;
        } finally {
            Native.free(buf);
        }
    }
}
