package dev.juv.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Remembers the last socket address a handle sent to and the last one it received from, so a
 * steady exchange with one peer neither re-encodes the destination nor builds a new
 * {@link InetSocketAddress} for every datagram. Owns one counted native block, freed by
 * {@link #free()}; confined to the loop thread like its handle.
 */
public final class AddressCache {
    private long encoded; // STORAGE bytes holding the encoding of dest
    private InetSocketAddress dest;
    private int destScope;

    private long s0;
    private long s1;
    private long s2;
    private int s3;
    private InetSocketAddress sender;

    /**
     * Writes the encoding of {@code address} into the sockaddr area of a {@link SendBlock}.
     *
     * @throws IllegalArgumentException if the address is unresolved or libuv refuses it
     */
    public void destination(long block, InetSocketAddress address) {
        if (encoded == 0) {
            encoded = Native.calloc(Sockaddr.STORAGE);
        }
        int scope = address.getAddress() instanceof Inet6Address a6 ? a6.getScopeId() : 0;
        if (dest == null || scope != destScope || !address.equals(dest)) {
            dest = null;
            Sockaddr.encode(encoded, address);
            dest = address;
            destScope = scope;
        }
        MemorySegment.copy(Native.seg(encoded, Sockaddr.STORAGE), 0,
                Native.seg(SendBlock.sockaddr(block), Sockaddr.STORAGE), 0, Sockaddr.STORAGE);
    }

    /** The address in the sockaddr at {@code addr} (as {@link Sockaddr#read}), reusing the last one when equal. */
    public InetSocketAddress sender(long addr) {
        if (addr == 0) {
            return null;
        }
        int family = Sockaddr.family(addr);
        MemorySegment m;
        long a;
        long b = 0;
        long c = 0;
        int d = 0;
        if (family == Sockaddr.AF_INET) {
            m = Native.seg(addr, 8);
            a = m.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        } else if (family == Sockaddr.AF_INET6) {
            m = Native.seg(addr, 28);
            a = m.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            b = m.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
            c = m.get(ValueLayout.JAVA_LONG_UNALIGNED, 16);
            d = m.get(ValueLayout.JAVA_INT_UNALIGNED, 24);
        } else {
            return null;
        }
        InetSocketAddress last = sender;
        if (last != null && a == s0 && b == s1 && c == s2 && d == s3) {
            return last;
        }
        InetSocketAddress fresh = Sockaddr.read(addr);
        s0 = a;
        s1 = b;
        s2 = c;
        s3 = d;
        sender = fresh;
        return fresh;
    }

    /** Frees the native block; the cache may be used again afterwards. */
    public void free() {
        Native.free(encoded);
        encoded = 0;
        dest = null;
        sender = null;
    }
}
