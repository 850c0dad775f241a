package dev.juv;

import dev.juv.internal.Descriptors;
import dev.juv.internal.LibUv;
import dev.juv.internal.Sockaddr;
import dev.juv.internal.Upcalls;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP socket, client or server, IPv4 or IPv6: libuv's {@code uv_tcp_t}. Addresses are
 * {@link InetSocketAddress}es; an unresolved or malformed one is an
 * {@link IllegalArgumentException} before any native call.
 */
public final class Tcp extends Stream<Tcp> {
    /** {@link #bind(InetSocketAddress, int)} flag: an IPv6 socket accepts no IPv4 connections. */
    public static final int IPV6ONLY = 1;

    private boolean resetOnClose;
    /**
     * The address of the last connect asked of this handle, for a TLS client's session cache
     * ({@link TlsStream#client}); read from any thread.
     */
    volatile InetSocketAddress connectingTo;

    /**
     * Creates a TCP handle; the socket is made when it binds or connects. Wraps uv_tcp_init.
     *
     * @param loop the loop the handle belongs to
     */
    public Tcp(Loop loop) {
        super(loop, HandleType.TCP, LibUv::uv_tcp_init, "uv_tcp_init");
    }

    /**
     * Creates a TCP handle and its socket for {@code family} at once. Wraps uv_tcp_init_ex.
     *
     * @param loop the loop the handle belongs to
     * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
     * @throws IllegalArgumentException for a family other than INET and INET6
     * @throws UvException if the socket cannot be made
     */
    public Tcp(Loop loop, ProtocolFamily family) {
        super(checked(loop, family), HandleType.TCP,
                (l, h) -> LibUv.uv_tcp_init_ex(l, h, af(family)), "uv_tcp_init_ex");
        learnFd();
    }

    /** Checks the family before the super constructor allocates the handle. */
    private static Loop checked(Loop loop, ProtocolFamily family) {
        af(family);
        return loop;
    }

    private static int af(ProtocolFamily family) {
        Objects.requireNonNull(family, "family");
        if (family == StandardProtocolFamily.INET) {
            return Sockaddr.AF_INET;
        }
        if (family == StandardProtocolFamily.INET6) {
            return Sockaddr.AF_INET6;
        }
        throw new IllegalArgumentException("TCP needs INET or INET6, not " + family);
    }

    /**
     * The socket's address family. Wraps uv_tcp_getsockname.
     *
     * @return {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
     * @throws UvException EBADF while the handle has no socket yet
     */
    public StandardProtocolFamily family() {
        try (Loop.Claim _ = enter()) {
            try (Sockaddr sa = Sockaddr.scratch()) {
                UvException.check(LibUv.uv_tcp_getsockname(ptr, sa.address(), sa.length()), "uv_tcp_getsockname");
                return sa.protocolFamily();
            }
        }
    }

    /**
     * Binds to {@code address}; port 0 picks a free port. Wraps uv_tcp_bind.
     *
     * @param address the local address and port
     */
    public void bind(InetSocketAddress address) {
        bind(address, 0);
    }

    /**
     * Binds to {@code address} with {@code flags} (0 or {@link #IPV6ONLY}). Wraps uv_tcp_bind.
     *
     * @param address the local address and port
     * @param flags 0, or {@link #IPV6ONLY} to refuse IPv4 on an IPv6 address
     * @throws IllegalArgumentException for an unresolved or malformed address or unknown flags
     * @throws UvException EADDRINUSE, EINVAL (wrong family for this socket)... as libuv reports
     */
    public void bind(InetSocketAddress address, int flags) {
        Sockaddr.check(address);
        if ((flags & ~IPV6ONLY) != 0) {
            throw new IllegalArgumentException("unknown bind flags " + flags);
        }
        try (Loop.Claim _ = enter()) {
            try (Sockaddr sa = Sockaddr.of(address)) {
                int r = LibUv.uv_tcp_bind(ptr, sa.address(), flags);
                // the socket exists from here on, even when the bind failed
                learnFd();
                UvException.check(r, "uv_tcp_bind " + address);
                // libuv keeps an EADDRINUSE from bind(2) for the next listen or connect, and until then
                // getsockname reports it: report it from bind, where the caller looks for it
                if (LibUv.uv_tcp_getsockname(ptr, sa.address(), sa.length()) == Errno.EADDRINUSE) {
                    throw new UvException(Errno.EADDRINUSE, "uv_tcp_bind " + address);
                }
            }
        }
    }

    /**
     * Connects to {@code address}; {@code callback} runs once with null or the error
     * (ECONNREFUSED, ECANCELED when closed first...). Wraps uv_tcp_connect.
     *
     * @param address the remote address and port
     * @param callback runs once on the loop thread when the connection is made or has failed
     * @throws IllegalArgumentException for an unresolved or malformed address
     * @throws UvException EALREADY while a connect is in progress, or what libuv reports at once
     * @throws HandleClosedException if the handle is closing or closed
     */
    public void connect(InetSocketAddress address, Callback<? super Tcp> callback) {
        Sockaddr.check(address);
        Objects.requireNonNull(callback, "callback");
        try (Loop.Claim _ = enter()) {
            try (Sockaddr sa = Sockaddr.of(address)) {
                String op = "uv_tcp_connect " + address;
                connectingTo = address;
                StreamRequest<Tcp> req = StreamRequest.connect(this, op, callback);
                int r;
                try {
                    r = LibUv.uv_tcp_connect(req.ptr, ptr, sa.address(), CONNECT_CB.address());
                } catch (Throwable e) {
                    // an overflow on the way to libuv: nothing was queued
                    req.nextAbandoned = loop.abandoned; // field writes only: listed however little stack is left
                    loop.abandoned = req;
                    loop.finishAbandoned();
                    throw e;
                }
                learnFd();
                req.submitted(r, op);
            }
        }
    }

    /**
     * Connects to {@code address} and returns a future of the connected handle; safe from any
     * thread. {@code cancel} on the future only completes it: close the handle to stop the connect.
     *
     * @param address the remote address and port
     * @return completed with this handle once connected, or exceptionally with the
     *     {@link UvException} (ECONNREFUSED, ECANCELED when closed first...) the callback of
     *     {@link #connect(InetSocketAddress, Stream.Callback)} would get, or what it throws
     * @throws IllegalArgumentException for an unresolved or malformed address
     */
    public CompletableFuture<Tcp> connectAsync(InetSocketAddress address) {
        Sockaddr.check(address);
        return loop.startAsync(f -> connect(address, (t, e) -> settle(f, t, e)));
    }

    /**
     * The next connection to this listening socket, as a future; safe from any thread. Needs
     * {@link #listen(int)}: connections and futures wait in order for each other.
     *
     * @return completed with a new, connected {@code Tcp} on this loop, or exceptionally with
     *     the listen error, ECANCELED when this socket closes first, or
     *     {@link IllegalStateException} when it does not listen with {@link #listen(int)}
     */
    public CompletableFuture<Tcp> acceptAsync() {
        return acceptNext();
    }

    @Override
    Tcp newConnection() {
        return new Tcp(loop);
    }

    /**
     * The address the socket is bound to. Wraps uv_tcp_getsockname.
     *
     * @return the local address and port
     * @throws UvException EBADF when there is no socket yet
     */
    public InetSocketAddress localAddress() {
        return address(true);
    }

    /**
     * The address of the connected peer. Wraps uv_tcp_getpeername.
     *
     * @return the peer's address and port
     * @throws UvException ENOTCONN when not connected
     */
    public InetSocketAddress remoteAddress() {
        return address(false);
    }

    private InetSocketAddress address(boolean local) {
        try (Loop.Claim _ = enter()) {
            try (Sockaddr sa = Sockaddr.scratch()) {
                int r = local ? LibUv.uv_tcp_getsockname(ptr, sa.address(), sa.length())
                        : LibUv.uv_tcp_getpeername(ptr, sa.address(), sa.length());
                UvException.check(r, local ? "uv_tcp_getsockname" : "uv_tcp_getpeername");
                return sa.socketAddress();
            }
        }
    }

    /**
     * Turns Nagle's algorithm off (true) or on. Wraps uv_tcp_nodelay.
     *
     * @param enable true to send small segments at once (TCP_NODELAY)
     */
    public void setNoDelay(boolean enable) {
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_tcp_nodelay(ptr, enable ? 1 : 0), "uv_tcp_nodelay");
        }
    }

    /**
     * Turns TCP keep-alive on or off; {@code delaySeconds} is the idle time before the first
     * probe (ignored when turning it off). Wraps uv_tcp_keepalive.
     *
     * @param enable true to turn keep-alive on
     * @param delaySeconds the idle time before the first probe, in seconds
     * @throws IllegalArgumentException if the delay is negative, or 0 while enabling
     */
    public void setKeepAlive(boolean enable, int delaySeconds) {
        if (delaySeconds < 0 || (enable && delaySeconds == 0)) {
            throw new IllegalArgumentException("keep-alive delay must be at least 1 second: " + delaySeconds);
        }
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_tcp_keepalive(ptr, enable ? 1 : 0, delaySeconds), "uv_tcp_keepalive");
        }
    }

    /**
     * Lets several accepts run at once where the platform supports it (Windows); does nothing
     * elsewhere. Wraps uv_tcp_simultaneous_accepts.
     *
     * @param enable true to allow simultaneous accepts
     */
    public void setSimultaneousAccepts(boolean enable) {
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_tcp_simultaneous_accepts(ptr, enable ? 1 : 0), "uv_tcp_simultaneous_accepts");
        }
    }

    /**
     * Adopts an existing socket descriptor; the handle owns it from now on and closes it when
     * closed. Wraps uv_tcp_open.
     *
     * @param fd the socket descriptor to adopt
     * @throws IllegalArgumentException if {@code fd} is negative, not open or not a TCP socket, or
     *     already owned by a live juv handle or loop (the message names the owner)
     * @throws UvException EEXIST when the loop already watches it, EBUSY when this handle already
     *     has a socket, or what libuv reports
     */
    public void open(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative file descriptor " + fd);
        }
        try (Loop.Claim _ = enter()) {
            Descriptors.checkNotOwned(fd, "Tcp.open");
            HandleType kind = HandleType.of(LibUv.uv_guess_handle(fd));
            if (kind != HandleType.TCP) {
                // anything else would reach epoll later, which refuses files and makes libuv abort
                throw new IllegalArgumentException("descriptor " + fd + " is not a TCP socket (" + kind + ")");
            }
            int r = Descriptors.adopt(fd, this, "Tcp.open", () -> LibUv.uv_tcp_open(ptr, fd));
            UvException.check(r, "uv_tcp_open");
            adopted(fd);
        }
    }

    /**
     * Closes the connection by sending a reset (RST) instead of the normal close sequence, then
     * runs {@code callback} (may be null) once closed. If a shutdown is in progress it closes
     * normally. Wraps uv_tcp_close_reset.
     *
     * @param callback runs on the loop thread once the handle is closed, or null
     * @throws UvException EBADF when there is no socket
     * @throws HandleClosedException if the handle is already closing or closed
     */
    public void closeReset(HandleCallback<? extends Handle> callback) {
        try (Loop.Claim _ = enter()) {
            fileno();
            resetOnClose = true;
            try {
                if (callback == null) {
                    close();
                } else {
                    close(callback);
                }
            } finally {
                resetOnClose = false;
            }
        }
    }

    @Override
    void closeHandle() {
        if (resetOnClose) {
            int r = LibUv.uv_tcp_close_reset(ptr, CLOSE_CB.address());
            if (r == 0) {
                closeIssued = true; // at once, as Handle.closeNative does
                return;
            }
        }
        super.closeHandle();
    }
}
