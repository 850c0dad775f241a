package dev.juv;

import dev.juv.internal.AddressCache;
import dev.juv.internal.CBlock;
import dev.juv.internal.DebugBuffers;
import dev.juv.internal.Descriptors;
import dev.juv.internal.Layouts;
import dev.juv.internal.LibUv;
import dev.juv.internal.ReadBuffers;
import dev.juv.internal.SendBlock;
import dev.juv.internal.Sockaddr;
import dev.juv.internal.UdpDestination;
import dev.juv.internal.Upcalls;
import java.lang.invoke.MethodHandles;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A UDP socket: libuv's {@code uv_udp_t}. Addresses are {@link InetSocketAddress}es, IPv4 or
 * IPv6; an unresolved or malformed one is an {@link IllegalArgumentException} before any native
 * call. Every callback runs on the loop thread.
 *
 * <p>Payloads given to {@link #send} are copied into native memory at once, so the caller may
 * reuse its array or buffer as soon as {@code send} returns; the copy, the destination address
 * and the request stay allocated until the send callback has run. Closing the handle runs the
 * callback of every send still queued, once, with ECANCELED.
 */
public final class Udp extends Handle {
    /** Bind flag: an IPv6 socket accepts IPv6 only (no IPv4-mapped addresses). Libuv's UV_UDP_IPV6ONLY. */
    public static final int IPV6ONLY = 1;
    /** Receive flag: the datagram was larger than the buffer and was cut. Libuv's UV_UDP_PARTIAL. */
    public static final int PARTIAL = 2;
    /** Bind flag: allow several sockets to bind the same address and port. Libuv's UV_UDP_REUSEADDR. */
    public static final int REUSEADDR = 4;
    /** {@link #setMembership} action: leave a multicast group. Libuv's UV_LEAVE_GROUP. */
    public static final int LEAVE_GROUP = 0;
    /** {@link #setMembership} action: join a multicast group. Libuv's UV_JOIN_GROUP. */
    public static final int JOIN_GROUP = 1;

    private static final int BIND_FLAGS = IPV6ONLY | REUSEADDR;

    /** Called for each datagram received, or for a receive error. */
    @FunctionalInterface
    public interface RecvCallback {
        /**
         * Runs on the loop thread for each datagram or receive error.
         *
         * @param udp the handle
         * @param sender who sent the datagram; null with an error, or when libuv gives none
         * @param data the datagram, a view valid only during this call (empty for an empty
         *     datagram); null with an error
         * @param flags {@link Udp#PARTIAL} when the datagram was cut, else 0
         * @param error null, or the receive error
         */
        void call(Udp udp, InetSocketAddress sender, ByteBuffer data, int flags, UvException error);
    }

    /** Called once when a send completes. */
    @FunctionalInterface
    public interface SendCallback {
        /**
         * Runs once on the loop thread when the send is over.
         *
         * @param udp the handle
         * @param error null when the datagram was sent; ECANCELED when the handle closed first
         */
        void call(Udp udp, UvException error);
    }

    private final AddressCache addresses = new AddressCache();
    private RecvCallback recvCallback;
    private boolean receiving;
    /** What the destination checks know of the bound socket (UdpDestination.facts); 0 until known. */
    private int socketFacts;
    /** Whether {@link #bind} was given {@link #IPV6ONLY}. */
    private boolean boundV6Only;

    /**
     * Creates a UDP handle; the socket itself is created on {@link #bind}, {@link #open}, the
     * first send or {@link #startRecv}. Wraps uv_udp_init.
     *
     * @param loop the loop the handle belongs to
     */
    public Udp(Loop loop) {
        super(loop, HandleType.UDP, LibUv::uv_udp_init, "uv_udp_init");
    }

    /**
     * Creates a UDP handle with its socket of the given family already open.
     * Wraps uv_udp_init_ex.
     *
     * @param loop the loop the handle belongs to
     * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
     * @throws NullPointerException if {@code family} is null
     * @throws IllegalArgumentException if {@code family} is neither INET nor INET6
     * @throws UvException if the socket cannot be created
     */
    public Udp(Loop loop, ProtocolFamily family) {
        this(loop, domain(family));
    }

    private Udp(Loop loop, int domain) {
        super(loop, HandleType.UDP, (l, h) -> LibUv.uv_udp_init_ex(l, h, domain), "uv_udp_init_ex");
        learnFd();
    }

    private static int domain(ProtocolFamily family) {
        Objects.requireNonNull(family, "family");
        if (family == StandardProtocolFamily.INET) {
            return Sockaddr.AF_INET;
        }
        if (family == StandardProtocolFamily.INET6) {
            return Sockaddr.AF_INET6;
        }
        throw new IllegalArgumentException("UDP needs INET or INET6, not " + family);
    }

    /**
     * The address family of the socket. Wraps uv_udp_getsockname.
     *
     * @return {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
     * @throws UvException EBADF while the handle has no socket yet
     */
    public StandardProtocolFamily family() {
        try (Loop.Claim _ = enter()) {
            try (Sockaddr sa = Sockaddr.scratch()) {
                sockname(sa, true);
                return sa.protocolFamily();
            }
        }
    }

    /**
     * Binds to {@code address}; see {@link #bind(InetSocketAddress, int)}.
     *
     * @param address the local address and port
     */
    public void bind(InetSocketAddress address) {
        bind(address, 0);
    }

    /**
     * Binds the socket to a local address (port 0 picks a free port). Wraps uv_udp_bind.
     *
     * @param flags 0, or {@link #IPV6ONLY} and {@link #REUSEADDR} combined with {@code |}
     * @param address the local address and port
     * @throws IllegalArgumentException for an unresolved address or an unknown flag
     * @throws UvException if the bind fails (EADDRINUSE, EADDRNOTAVAIL, EINVAL...)
     */
    public void bind(InetSocketAddress address, int flags) {
        Sockaddr.check(address);
        if ((flags & ~BIND_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown bind flags: " + flags);
        }
        try (Loop.Claim _ = enter()) {
            try (Sockaddr sa = Sockaddr.of(address)) {
                try {
                    UvException.check(LibUv.uv_udp_bind(ptr, sa.address(), flags), "uv_udp_bind " + text(address));
                    boundV6Only = (flags & IPV6ONLY) != 0;
                    socketFacts = 0;
                } finally {
                    learnFd();
                }
            }
        }
    }

    /**
     * Associates the socket with a remote address: sends then go there (pass a null address to
     * {@link #send}) and only its datagrams are received. Wraps uv_udp_connect.
     *
     * @param address the remote address and port
     * @throws NullPointerException if {@code address} is null (see {@link #disconnect()})
     * @throws IllegalArgumentException for an unresolved address
     * @throws UvException EISCONN when already connected, or if the connect fails
     */
    public void connect(InetSocketAddress address) {
        Sockaddr.check(address);
        try (Loop.Claim _ = enter()) {
            try (Sockaddr sa = Sockaddr.of(address)) {
                try {
                    UvException.check(LibUv.uv_udp_connect(ptr, sa.address()), "uv_udp_connect " + text(address));
                } finally {
                    socketFacts = 0;
                    learnFd();
                }
            }
        }
    }

    /**
     * Removes the association made by {@link #connect}. Wraps uv_udp_connect with a null address.
     *
     * @throws UvException ENOTCONN when the handle is not connected
     */
    public void disconnect() {
        try (Loop.Claim _ = enter()) {
            socketFacts = 0;
            UvException.check(LibUv.uv_udp_connect(ptr, 0), "uv_udp_connect");
        }
    }

    /**
     * The local address the socket is bound to. Wraps uv_udp_getsockname.
     *
     * @return the local address and port
     * @throws UvException EBADF while the handle has no socket
     */
    public InetSocketAddress localAddress() {
        try (Loop.Claim _ = enter()) {
            return address(true);
        }
    }

    /**
     * The address given to {@link #connect}. Wraps uv_udp_getpeername.
     *
     * @return the connected peer's address and port
     * @throws UvException ENOTCONN when the handle is not connected
     */
    public InetSocketAddress remoteAddress() {
        try (Loop.Claim _ = enter()) {
            return address(false);
        }
    }

    private InetSocketAddress address(boolean local) {
        try (Sockaddr sa = Sockaddr.scratch()) {
            sockname(sa, local);
            return sa.socketAddress();
        }
    }

    /** Fills {@code sa} with the local or the peer's address, or throws. */
    private void sockname(Sockaddr sa, boolean local) {
        int r = local ? LibUv.uv_udp_getsockname(ptr, sa.address(), sa.length())
                : LibUv.uv_udp_getpeername(ptr, sa.address(), sa.length());
        UvException.check(r, local ? "uv_udp_getsockname" : "uv_udp_getpeername");
    }

    /**
     * Adopts an existing UDP socket descriptor; the handle then owns it and closes it when the
     * handle closes. Wraps uv_udp_open.
     *
     * @param fd the socket descriptor to adopt
     * @throws IllegalArgumentException if a live juv handle or loop owns {@code fd} (the
     *     message names the owner)
     * @throws UvException EBADF for a negative or invalid descriptor, EEXIST when the loop
     *     already watches it, EBUSY when the handle already has a socket
     */
    public void open(int fd) {
        try (Loop.Claim _ = enter()) {
            if (fd < 0) {
                throw new UvException(Errno.EBADF, "uv_udp_open " + fd);
            }
            UvException.check(Descriptors.adopt(fd, this, "Udp.open", () -> LibUv.uv_udp_open(ptr, fd)),
                    "uv_udp_open " + fd);
            adopted(fd);
        }
    }

    // ---- sending ----

    /**
     * Sends {@code data} as one datagram without a callback; see
     * {@link #send(InetSocketAddress, byte[], SendCallback)}.
     *
     * @param address the destination, or null to send to the peer set by {@link #connect}
     * @param data the datagram's bytes; copied
     */
    public void send(InetSocketAddress address, byte[] data) {
        send(address, data, null);
    }

    /**
     * Sends {@code data} as one datagram to {@code address}. The bytes are copied before this
     * method returns. Wraps uv_udp_send.
     *
     * <p>On a handle that is closing or closed nothing is thrown: that is a race of the network,
     * not misuse; the callback gets ECANCELED on a later turn of the loop, and without a callback
     * the datagram is dropped.
     *
     * @param address the destination, or null to send to the peer set by {@link #connect}
     * @param callback runs once on the loop thread when the send completes; may be null
     * @param data the datagram's bytes; copied
     * @throws NullPointerException if {@code data} is null
     * @throws IllegalArgumentException for an unresolved or malformed address
     * @throws UvException if libuv refuses the send at once (EISCONN, EDESTADDRREQ...). A failure
     *     of the send itself arrives in the callback, never thrown. Datagrams that would certainly
     *     fail are never queued in libuv, so they cannot fail the datagrams queued with them; their
     *     callback gets the error on a later turn of the loop: EMSGSIZE for a datagram larger than
     *     its destination's family carries (65507 bytes over IPv4, 65527 over IPv6), and on Linux
     *     EINVAL for port 0, EAFNOSUPPORT for an IPv6 destination from an IPv4 socket (or one bound
     *     to an IPv4-mapped address), ENETUNREACH for an IPv4 destination from an IPv6-only socket
     *     (bound with {@link #IPV6ONLY} or to a specific IPv6 address)
     */
    public void send(InetSocketAddress address, byte[] data, SendCallback callback) {
        Objects.requireNonNull(data, "data");
        checkAddress(address);
        try (Loop.Claim c = Races.claim(this)) {
            if (c == null) {
                cancelled(callback);
                return;
            }
            if (!refused(address, data.length, callback)) {
                submit(address, SendBlock.of(data, 0, data.length), callback);
            }
        }
    }

    /**
     * Sends the remaining bytes of {@code data} as one datagram. The bytes are copied before
     * this method returns; the buffer's position is not changed. See
     * {@link #send(InetSocketAddress, byte[], SendCallback)}.
     *
     * @param address the destination, or null to send to the peer set by {@link #connect}
     * @param data the datagram's bytes; copied
     * @param callback runs once on the loop thread when the send completes; may be null
     */
    public void send(InetSocketAddress address, ByteBuffer data, SendCallback callback) {
        Objects.requireNonNull(data, "data");
        checkAddress(address);
        try (Loop.Claim c = Races.claim(this)) {
            if (c == null) {
                cancelled(callback);
                return;
            }
            if (!refused(address, data.remaining(), callback)) {
                submit(address, SendBlock.of(data), callback);
            }
        }
    }

    /**
     * Sends the remaining bytes of several buffers, in order, as one datagram. See
     * {@link #send(InetSocketAddress, ByteBuffer, SendCallback)}.
     *
     * @param address the destination, or null to send to the peer set by {@link #connect}
     * @param data the buffers whose bytes, in order, make the datagram; copied
     * @param callback runs once on the loop thread when the send completes; may be null
     * @throws NullPointerException if the array or one of its buffers is null
     */
    public void send(InetSocketAddress address, ByteBuffer[] data, SendCallback callback) {
        checkBuffers(data);
        checkAddress(address);
        try (Loop.Claim c = Races.claim(this)) {
            if (c == null) {
                cancelled(callback);
                return;
            }
            if (!refused(address, remaining(data), callback)) {
                submit(address, SendBlock.of(data), callback);
            }
        }
    }

    /**
     * Sends a copy of {@code data} as one datagram and returns a future of the send; safe from
     * any thread. The bytes are copied before this method returns, so the caller may reuse the
     * array at once. {@code cancel} on the future only completes it.
     *
     * @param address the destination, or null to send to the peer set by {@link #connect}
     * @param data the datagram's bytes; copied
     * @return completed with null once the datagram is sent, or exceptionally with the
     *     {@link UvException} the callback of {@link #send(InetSocketAddress, byte[], SendCallback)}
     *     would get (ECANCELED when the handle is closing or closed), or what it throws
     * @throws NullPointerException if {@code data} is null
     * @throws IllegalArgumentException for an unresolved or malformed address
     */
    public CompletableFuture<Void> sendAsync(InetSocketAddress address, byte[] data) {
        Objects.requireNonNull(data, "data");
        checkAddress(address);
        byte[] bytes = loop.isLoopThread() ? data : data.clone();
        return loop.startAsync(f -> send(address, bytes, (u, e) -> Stream.settle(f, null, e)));
    }

    /** A send on a handle that is closing or closed: the callback (may be null) gets ECANCELED later. */
    private void cancelled(SendCallback callback) {
        if (callback != null) {
            UvException e = Races.cancelled("uv_udp_send");
            Races.later(loop, () -> callback.call(this, e));
        }
    }

    /** The loop's claim for a trySend; ECANCELED when the handle is closing or closed. */
    private Loop.Claim claimForTry() {
        Loop.Claim c = Races.claim(this);
        if (c == null) {
            throw new UvException(Errno.ECANCELED, "uv_udp_try_send: the handle is closing or closed");
        }
        return c;
    }

    private void submit(InetSocketAddress address, long block, SendCallback callback) {
        if (address != null) {
            try {
                addresses.destination(block, address);
            } catch (RuntimeException e) {
                SendBlock.free(block);
                throw e;
            }
        }
        try {
            UdpSendRequest.submit(this, block, address, callback);
        } finally {
            learnFd(); // the first send binds the socket
        }
    }

    /**
     * Sends {@code data} as one datagram now, if that can be done without waiting.
     * Wraps uv_udp_try_send.
     *
     * @param address the destination, or null for the connected peer
     * @param data the datagram's bytes
     * @return the number of bytes sent (all of them)
     * @throws UvException EAGAIN when the datagram cannot be sent at once (for example while
     *     earlier sends are queued), ECANCELED when the handle is closing or closed, or another
     *     error of the send
     * @throws NullPointerException if {@code data} is null
     * @throws IllegalArgumentException for an unresolved or malformed address
     */
    public int trySend(InetSocketAddress address, byte[] data) {
        Objects.requireNonNull(data, "data");
        checkAddress(address);
        try (Loop.Claim _ = claimForTry()) {
            checkPayload(address, data.length);
            return trySubmit(address, SendBlock.of(data, 0, data.length));
        }
    }

    /**
     * Like {@link #trySend(InetSocketAddress, byte[])} with a buffer's remaining bytes; its
     * position is not changed.
     *
     * @param address the destination, or null for the connected peer
     * @param data the datagram's bytes
     * @return the number of bytes sent (all of them)
     */
    public int trySend(InetSocketAddress address, ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        checkAddress(address);
        try (Loop.Claim _ = claimForTry()) {
            checkPayload(address, data.remaining());
            return trySubmit(address, SendBlock.of(data));
        }
    }

    /**
     * Like {@link #trySend(InetSocketAddress, byte[])} with several buffers sent as one datagram.
     *
     * @param address the destination, or null for the connected peer
     * @param data the buffers whose bytes, in order, make the datagram
     * @return the number of bytes sent (all of them)
     */
    public int trySend(InetSocketAddress address, ByteBuffer[] data) {
        checkBuffers(data);
        checkAddress(address);
        try (Loop.Claim _ = claimForTry()) {
            checkPayload(address, remaining(data));
            return trySubmit(address, SendBlock.of(data));
        }
    }

    private int trySubmit(InetSocketAddress address, long block) {
        try {
            if (address != null) {
                addresses.destination(block, address);
            }
            int r = LibUv.uv_udp_try_send(ptr, SendBlock.buf(block), 1, address != null ? SendBlock.sockaddr(block) : 0);
            if (r < 0) {
                throw new UvException(r, operation("uv_udp_try_send", address));
            }
            return r;
        } finally {
            SendBlock.free(block);
            learnFd(); // the first send binds the socket
        }
    }

    /** The largest payload of one datagram: 65535 less the IPv4 and UDP headers, or less the UDP header. */
    static final int MAX_IPV4_PAYLOAD = 65_507;
    static final int MAX_IPV6_PAYLOAD = 65_527;

    /**
     * Refuses, before libuv queues it, a datagram that would certainly fail: one too big for its
     * destination, or a destination the kernel refuses whatever the network does (see
     * UdpDestination: port 0, a family the socket cannot send to). libuv up to 1.49 sends queued
     * datagrams in batches (sendmmsg) and, when the first of a batch fails, gives its error to
     * every datagram of the batch, so one such datagram would fail the ones queued with it. The
     * refused datagram's callback gets the error on a later turn of the loop, never inside this
     * call, as libuv would report it. Returns whether the datagram was refused.
     */
    private boolean refused(InetSocketAddress address, long size, SendCallback callback) {
        int code = destinationRefusal(address);
        if (code != 0) {
            if (callback != null) {
                UvException async = UvException.async(code, operation("uv_udp_send", address) + ": "
                        + UdpDestination.reason(code));
                loop.execute(() -> callback.call(this, async));
            }
            return true;
        }
        try {
            checkPayload(address, size);
            return false;
        } catch (UvException e) {
            if (callback != null) {
                UvException async = UvException.async(e.code(), e.operation());
                loop.execute(() -> callback.call(this, async));
            }
            return true;
        }
    }

    /** 0, or the error a datagram to {@code address} would certainly get from the kernel. */
    private int destinationRefusal(InetSocketAddress address) {
        if (address == null || !UdpDestination.CHECKED) {
            return 0;
        }
        int f = socketFacts;
        if (f == 0) {
            f = UdpDestination.facts(ptr, boundV6Only);
            socketFacts = f;
        }
        return UdpDestination.refusal(f, address);
    }

    private void checkPayload(InetSocketAddress address, long size) {
        if (size <= MAX_IPV4_PAYLOAD) {
            return;
        }
        boolean ipv4;
        if (address != null) {
            ipv4 = address.getAddress() instanceof Inet4Address;
        } else {
            try (Sockaddr sa = Sockaddr.scratch()) {
                // not connected: libuv reports that (EDESTADDRREQ); only the IPv6 limit applies here
                ipv4 = LibUv.uv_udp_getpeername(ptr, sa.address(), sa.length()) == 0
                        && sa.family() == Sockaddr.AF_INET;
            }
        }
        if (ipv4 || size > MAX_IPV6_PAYLOAD) {
            throw new UvException(Errno.EMSGSIZE, operation("uv_udp_send", address) + ": " + size
                    + " bytes is more than one " + (ipv4 ? "IPv4" : "IPv6") + " datagram carries");
        }
    }

    private static long remaining(ByteBuffer[] data) {
        long n = 0;
        for (ByteBuffer b : data) {
            n += b.remaining();
        }
        return n;
    }

    private static void checkAddress(InetSocketAddress address) {
        if (address != null) {
            Sockaddr.check(address);
        }
    }

    private static void checkBuffers(ByteBuffer[] data) {
        Objects.requireNonNull(data, "data");
        for (ByteBuffer b : data) {
            Objects.requireNonNull(b, "data element");
        }
    }

    /**
     * Bytes waiting in the send queue. Wraps uv_udp_get_send_queue_size.
     *
     * @return the bytes queued for sending
     */
    public long sendQueueSize() {
        try (Loop.Claim _ = enter()) {
            return LibUv.uv_udp_get_send_queue_size(ptr);
        }
    }

    /**
     * Sends queued and not yet called back. Wraps uv_udp_get_send_queue_count.
     *
     * @return the number of sends whose callback has not run yet
     */
    public long sendQueueCount() {
        try (Loop.Claim _ = enter()) {
            return LibUv.uv_udp_get_send_queue_count(ptr);
        }
    }

    // ---- receiving ----

    /**
     * Starts receiving: {@code callback} runs on the loop thread for every datagram and every
     * receive error. Calling it again while receiving replaces the callback. An unbound handle
     * is first bound to the IPv4 wildcard address and a free port. Wraps uv_udp_recv_start.
     *
     * @param callback runs on the loop thread for each datagram and each receive error
     * @throws UvException if receiving cannot start
     */
    public void startRecv(RecvCallback callback) {
        Objects.requireNonNull(callback, "callback");
        try (Loop.Claim _ = enter()) {
            if (!receiving) {
                int r = LibUv.uv_udp_recv_start(ptr, ALLOC_CB.address(), RECV_CB.address());
                learnFd(); // an unbound handle is bound first
                UvException.check(r, "uv_udp_recv_start");
                receiving = true;
            }
            recvCallback = callback;
        }
    }

    /** Stops receiving; does nothing when not receiving. Wraps uv_udp_recv_stop. */
    public void stopRecv() {
        try (Loop.Claim _ = enter()) {
            if (receiving) {
                receiving = false;
                UvException.check(LibUv.uv_udp_recv_stop(ptr), "uv_udp_recv_stop");
            }
        }
    }

    /** {@code uv_udp_recv_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub RECV_CB = Upcalls.stub(MethodHandles.lookup(), "onRecv", "V:PJPPI");

    private static void onRecv(long handle, long nread, long buf, long addr, int flags) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Udp h) {
                h.onUvUdpRecv(nread, Layouts.bufBase(buf), addr, flags);
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    void onUvUdpRecv(long nread, long base, long addr, int flags) {
        RecvCallback cb = recvCallback;
        if (cb == null || !receiving) {
            return;
        }
        if (nread < 0) {
            cb.call(this, addresses.sender(addr), null, flags, UvException.async((int) nread, "uv_udp_recv"));
            return;
        }
        if (nread == 0 && addr == 0) {
            return; // libuv's "nothing more to read": not a datagram
        }
        if (DebugBuffers.enabled) {
            try (DebugBuffers kept = DebugBuffers.open()) {
                ByteBuffer copy = kept.copy(ReadBuffers.view(base, nread));
                cb.call(this, addresses.sender(addr), copy, flags, null);
            }
            return;
        }
        if (base != loop.readBuffer) {
            cb.call(this, addresses.sender(addr), ReadBuffers.view(base, nread), flags, null);
            return;
        }
        ByteBuffer view = loop.readView;
        view.clear().limit((int) nread);
        ReadBuffers.Dispatch d = loop.readDispatch;
        d.thread = Thread.currentThread();
        try {
            cb.call(this, addresses.sender(addr), view, flags, null);
        } finally {
            d.thread = null;
        }
    }

    // ---- options ----

    /**
     * Joins or leaves a multicast group. Wraps uv_udp_set_membership.
     *
     * @param group the group's address, such as {@code "239.255.0.1"}
     * @param iface the local interface's address, or null to let the system choose
     * @param membership {@link #JOIN_GROUP} or {@link #LEAVE_GROUP}
     * @throws IllegalArgumentException for another membership value or a NUL in a string
     * @throws UvException if the system refuses
     */
    public void setMembership(String group, String iface, int membership) {
        Objects.requireNonNull(group, "group");
        if (membership != JOIN_GROUP && membership != LEAVE_GROUP) {
            throw new IllegalArgumentException("membership must be JOIN_GROUP or LEAVE_GROUP: " + membership);
        }
        try (Loop.Claim _ = enter()) {
            try (CBlock g = CBlock.stringOrNull(group)) {
                try (CBlock i = CBlock.stringOrNull(iface)) {
                    UvException.check(LibUv.uv_udp_set_membership(ptr, g.address(), i.address(), membership),
                            "uv_udp_set_membership " + group);
                } finally {
                    learnFd(); // an unbound handle is bound first
                }
            }
        }
    }

    /**
     * Sets the interface multicast datagrams are sent from. Wraps uv_udp_set_multicast_interface.
     *
     * @param iface the interface's address, or null for the default
     * @throws IllegalArgumentException for a NUL in the string
     * @throws UvException for an address libuv cannot parse or the system refuses
     */
    public void setMulticastInterface(String iface) {
        try (Loop.Claim _ = enter()) {
            try (CBlock i = CBlock.stringOrNull(iface)) {
                UvException.check(LibUv.uv_udp_set_multicast_interface(ptr, i.address()),
                        "uv_udp_set_multicast_interface " + iface);
            }
        }
    }

    /**
     * Whether multicast datagrams sent are looped back to this host. Wraps
     * uv_udp_set_multicast_loop.
     *
     * @param enable true to loop multicast datagrams back
     */
    public void setMulticastLoop(boolean enable) {
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_udp_set_multicast_loop(ptr, enable ? 1 : 0), "uv_udp_set_multicast_loop");
        }
    }

    /**
     * Sets the time to live of multicast datagrams; 0 keeps them on this host.
     * Wraps uv_udp_set_multicast_ttl.
     *
     * @param ttl the number of hops, 0 to 255
     * @throws IllegalArgumentException outside 0..255
     */
    public void setMulticastTtl(int ttl) {
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("multicast TTL must be 0..255: " + ttl);
        }
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_udp_set_multicast_ttl(ptr, ttl), "uv_udp_set_multicast_ttl");
        }
    }

    /**
     * Allows or forbids sending to broadcast addresses. Wraps uv_udp_set_broadcast.
     *
     * @param enable true to allow broadcast
     */
    public void setBroadcast(boolean enable) {
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_udp_set_broadcast(ptr, enable ? 1 : 0), "uv_udp_set_broadcast");
        }
    }

    /**
     * Sets the time to live of unicast datagrams. Wraps uv_udp_set_ttl.
     *
     * @param ttl the number of hops, 1 to 255
     * @throws IllegalArgumentException outside 1..255
     */
    public void setTtl(int ttl) {
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("TTL must be 1..255: " + ttl);
        }
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_udp_set_ttl(ptr, ttl), "uv_udp_set_ttl");
        }
    }

    @Override
    void onClosed() {
        recvCallback = null;
        receiving = false;
        addresses.free();
    }

    static String operation(String op, InetSocketAddress address) {
        return address == null ? op : op + " " + text(address);
    }

    static String text(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
