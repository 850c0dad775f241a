package dev.juv.examples;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Plain non-blocking TCP sockets straight from the C library, for {@link EchoServerPoll}: the
 * descriptors a {@code Poll} drives are ones juv never sees otherwise. Linux and macOS only.
 * Failures throw {@link IllegalStateException} with the call's name and errno; the calls a
 * non-blocking socket may "fail" with EAGAIN return -1 instead.
 */
@SuppressWarnings("restricted") // binds the C library's socket calls itself, as a program using juv might
final class PosixSockets {
    private PosixSockets() {}

    private static final boolean MACOS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
    private static final int AF_INET = 2;
    private static final int AF_INET6 = MACOS ? 30 : 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOL_SOCKET = MACOS ? 0xffff : 1;
    private static final int SO_REUSEADDR = MACOS ? 4 : 2;
    private static final int O_NONBLOCK = MACOS ? 4 : 0x800;
    private static final int EAGAIN = MACOS ? 35 : 11;
    private static final int EINTR = 4;
    /** MSG_NOSIGNAL on Linux: a send to a closed peer returns EPIPE instead of raising SIGPIPE. */
    private static final int SEND_FLAGS = MACOS ? 0 : 0x4000;

    private static final Linker C = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong SSIZE = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle ACCEPT = bind("accept", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle GETSOCKNAME = bind("getsockname", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle RECV = bind("recv", FunctionDescriptor.of(SSIZE, INT, PTR, SSIZE, INT));
    private static final MethodHandle SEND = bind("send", FunctionDescriptor.of(SSIZE, INT, PTR, SSIZE, INT));
    private static final MethodHandle FCNTL = C.downcallHandle(C.defaultLookup().find("fcntl").orElseThrow(),
            FunctionDescriptor.of(INT, INT, INT, INT), Linker.Option.captureCallState("errno"),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(INT, INT));

    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        return C.downcallHandle(C.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    /** Errno captured by the last call made with {@code state}. */
    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static IllegalStateException failure(String call, MemorySegment state) {
        return new IllegalStateException(call + ": errno " + errno(state));
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** A non-blocking TCP socket bound to {@code address} and listening. */
    static int listen(InetSocketAddress address, int backlog) {
        boolean v6 = address.getAddress() instanceof Inet6Address;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            int fd = (int) SOCKET.invokeExact(st, v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
            if (fd < 0) {
                throw failure("socket", st);
            }
            try {
                MemorySegment on = arena.allocateFrom(INT, 1);
                if ((int) SETSOCKOPT.invokeExact(st, fd, SOL_SOCKET, SO_REUSEADDR, on, 4) < 0) {
                    throw failure("setsockopt", st);
                }
                MemorySegment sa = encode(arena, address);
                if ((int) BIND.invokeExact(st, fd, sa, (int) sa.byteSize()) < 0) {
                    throw failure("bind " + address, st);
                }
                if ((int) LISTEN.invokeExact(st, fd, backlog) < 0) {
                    throw failure("listen", st);
                }
                nonBlocking(fd);
                return fd;
            } catch (Throwable t) {
                close(fd);
                throw t;
            }
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** An accepted connection, put into non-blocking mode. */
    record Accepted(int fd, InetSocketAddress peer) {}

    /** The next pending connection, or null when there is none now. */
    static Accepted accept(int listenFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            MemorySegment sa = arena.allocate(128, 8);
            MemorySegment len = arena.allocateFrom(INT, 128);
            while (true) {
                int fd = (int) ACCEPT.invokeExact(st, listenFd, sa, len);
                if (fd >= 0) {
                    nonBlocking(fd);
                    return new Accepted(fd, decode(sa));
                }
                int e = errno(st);
                if (e == EAGAIN) {
                    return null;
                }
                if (e != EINTR) {
                    throw failure("accept", st);
                }
            }
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** The address a socket is bound to. */
    static InetSocketAddress localAddress(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            MemorySegment sa = arena.allocate(128, 8);
            MemorySegment len = arena.allocateFrom(INT, 128);
            if ((int) GETSOCKNAME.invokeExact(st, fd, sa, len) < 0) {
                throw failure("getsockname", st);
            }
            return decode(sa);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** Receives into {@code into}: the byte count, 0 at the peer's end of stream, -1 for nothing now. */
    static long recv(int fd, MemorySegment into, MemorySegment state) {
        try {
            long n = (long) RECV.invokeExact(state, fd, into, into.byteSize(), 0);
            if (n >= 0) {
                return n;
            }
            if (errno(state) == EAGAIN || errno(state) == EINTR) {
                return -1;
            }
            throw failure("recv", state);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** Sends from {@code from}: the byte count, or -1 when the socket cannot take more now. */
    static long send(int fd, MemorySegment from, MemorySegment state) {
        try {
            long n = (long) SEND.invokeExact(state, fd, from, from.byteSize(), SEND_FLAGS);
            if (n >= 0) {
                return n;
            }
            if (errno(state) == EAGAIN || errno(state) == EINTR) {
                return -1;
            }
            throw failure("send", state);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** Room for the errno that {@link #recv} and {@link #send} capture. */
    static MemorySegment callState(Arena arena) {
        return arena.allocate(STATE);
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int r = (int) CLOSE.invokeExact(arena.allocate(STATE), fd);
            if (r < 0) {
                System.err.println("close(" + fd + ") failed");
            }
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    private static void nonBlocking(int fd) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STATE);
            int flags = (int) FCNTL.invokeExact(st, fd, 3 /* F_GETFL */, 0);
            if (flags < 0 || (int) FCNTL.invokeExact(st, fd, 4 /* F_SETFL */, flags | O_NONBLOCK) < 0) {
                throw failure("fcntl", st);
            }
        }
    }

    /** sockaddr_in or sockaddr_in6; macOS puts a length byte before a one-byte family. */
    private static MemorySegment encode(Arena arena, InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        boolean v6 = ip.length == 16;
        MemorySegment sa = arena.allocate(v6 ? 28 : 16, 8);
        if (MACOS) {
            sa.set(ValueLayout.JAVA_BYTE, 0, (byte) sa.byteSize());
            sa.set(ValueLayout.JAVA_BYTE, 1, (byte) (v6 ? AF_INET6 : AF_INET));
        } else {
            sa.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) (v6 ? AF_INET6 : AF_INET));
        }
        sa.set(ValueLayout.JAVA_BYTE, 2, (byte) (address.getPort() >>> 8));
        sa.set(ValueLayout.JAVA_BYTE, 3, (byte) address.getPort());
        MemorySegment.copy(ip, 0, sa, ValueLayout.JAVA_BYTE, v6 ? 8 : 4, ip.length);
        return sa;
    }

    private static InetSocketAddress decode(MemorySegment sa) throws UnknownHostException {
        int family = MACOS ? sa.get(ValueLayout.JAVA_BYTE, 1) : sa.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0);
        int port = (sa.get(ValueLayout.JAVA_BYTE, 2) & 0xff) << 8 | (sa.get(ValueLayout.JAVA_BYTE, 3) & 0xff);
        byte[] ip = new byte[family == AF_INET6 ? 16 : 4];
        MemorySegment.copy(sa, ValueLayout.JAVA_BYTE, family == AF_INET6 ? 8 : 4, ip, 0, ip.length);
        return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    }
}
