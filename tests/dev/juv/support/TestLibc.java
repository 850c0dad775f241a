package dev.juv.support;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Test-only access to the C library's socket calls, for tests that need a raw descriptor Java
 * does not give out ({@code Udp.open}, {@code Poll}, checking {@code fileno()}). Holds the
 * constants of Linux and macOS; elsewhere {@link #SUPPORTED} is false and the tests that need it
 * are skipped. Calls that may fail in a way a test expects return {@code -errno}; the rest throw
 * {@link IllegalStateException} naming the call and errno.
 */
public final class TestLibc {
    private TestLibc() {}

    private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    private static final boolean LINUX = OS.contains("linux");
    private static final boolean MAC = OS.contains("mac") || OS.contains("darwin");
    /** Whether this helper knows the platform's constants. */
    public static final boolean SUPPORTED = LINUX || MAC;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = MAC ? 30 : 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int EAGAIN = MAC ? 35 : 11;
    public static final int EINPROGRESS = MAC ? 36 : 115;
    private static final int SOL_SOCKET = MAC ? 0xffff : 1;
    private static final int SO_REUSEADDR = MAC ? 0x4 : 2;
    private static final int SO_ERROR = MAC ? 0x1007 : 4;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = MAC ? 0x4 : 0x800;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;
    private static final ValueLayout P = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle BIND = fn("bind", FunctionDescriptor.of(I, I, P, I));
    private static final MethodHandle LISTEN = fn("listen", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle ACCEPT = fn("accept", FunctionDescriptor.of(I, I, P, P));
    private static final MethodHandle CONNECT = fn("connect", FunctionDescriptor.of(I, I, P, I));
    private static final MethodHandle SEND = fn("send", FunctionDescriptor.of(J, I, P, J, I));
    private static final MethodHandle RECV = fn("recv", FunctionDescriptor.of(J, I, P, J, I));
    private static final MethodHandle GETSOCKNAME = fn("getsockname", FunctionDescriptor.of(I, I, P, P));
    private static final MethodHandle GETSOCKOPT = fn("getsockopt", FunctionDescriptor.of(I, I, I, I, P, P));
    private static final MethodHandle SETSOCKOPT = fn("setsockopt", FunctionDescriptor.of(I, I, I, I, P, I));
    private static final MethodHandle FCNTL = fn("fcntl", FunctionDescriptor.of(I, I, I, I), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(I, I));
    private static final MethodHandle KILL = fn("kill", FunctionDescriptor.of(I, I, I));

    private static MethodHandle fn(String name, FunctionDescriptor fd, Linker.Option... extra) {
        if (!SUPPORTED) {
            return null;
        }
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        MethodHandle h = LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, options);
        return h;
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException fail(String call, int errno) {
        return new IllegalStateException(call + " failed: errno " + errno);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** A new socket of {@code domain} ({@link #AF_INET}, {@link #AF_INET6}) and {@code type}. */
    public static int socket(int domain, int type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int fd = (int) SOCKET.invokeExact(st, domain, type, 0);
            if (fd < 0) {
                throw fail("socket", errno(st));
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sets SO_REUSEADDR. */
    public static void reuseAddress(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment one = a.allocateFrom(I, 1);
            if ((int) SETSOCKOPT.invokeExact(st, fd, SOL_SOCKET, SO_REUSEADDR, one, 4) < 0) {
                throw fail("setsockopt", errno(st));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Binds; returns 0 or {@code -errno}. */
    public static int bind(int fd, InetSocketAddress address) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment sa = sockaddr(a, address);
            int r = (int) BIND.invokeExact(st, fd, sa, (int) sa.byteSize());
            return r < 0 ? -errno(st) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void listen(int fd, int backlog) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            if ((int) LISTEN.invokeExact(st, fd, backlog) < 0) {
                throw fail("listen", errno(st));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Accepts a connection; returns its fd or {@code -errno} (such as {@code -EAGAIN}). */
    public static int accept(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int r = (int) ACCEPT.invokeExact(st, fd, MemorySegment.NULL, MemorySegment.NULL);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Connects; returns 0 or {@code -errno} (such as {@code -EINPROGRESS} on a non-blocking socket). */
    public static int connect(int fd, InetSocketAddress address) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment sa = sockaddr(a, address);
            int r = (int) CONNECT.invokeExact(st, fd, sa, (int) sa.byteSize());
            return r < 0 ? -errno(st) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sends; returns the bytes sent or {@code -errno}. */
    public static int send(int fd, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            long r = (long) SEND.invokeExact(st, fd, buf, (long) data.length, 0);
            return r < 0 ? -errno(st) : (int) r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Receives into {@code into}; returns the bytes received (0 at EOF) or {@code -errno}. */
    public static int recv(int fd, byte[] into) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment buf = a.allocate(Math.max(1, into.length));
            long r = (long) RECV.invokeExact(st, fd, buf, (long) into.length, 0);
            if (r < 0) {
                return -errno(st);
            }
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, into, 0, (int) r);
            return (int) r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The socket's local address. */
    public static InetSocketAddress getsockname(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment sa = a.allocate(128, 8);
            MemorySegment len = a.allocateFrom(I, 128);
            if ((int) GETSOCKNAME.invokeExact(st, fd, sa, len) < 0) {
                throw fail("getsockname", errno(st));
            }
            return read(sa);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The socket's pending error (SO_ERROR): 0, or a positive errno such as {@link #EINPROGRESS}. */
    public static int socketError(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment v = a.allocateFrom(I, 0);
            MemorySegment len = a.allocateFrom(I, 4);
            if ((int) GETSOCKOPT.invokeExact(st, fd, SOL_SOCKET, SO_ERROR, v, len) < 0) {
                throw fail("getsockopt", errno(st));
            }
            return v.get(I, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Puts the descriptor into non-blocking mode. */
    public static void setNonBlocking(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int flags = (int) FCNTL.invokeExact(st, fd, F_GETFL, 0);
            if (flags < 0 || (int) FCNTL.invokeExact(st, fd, F_SETFL, flags | O_NONBLOCK) < 0) {
                throw fail("fcntl", errno(st));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether the descriptor is in non-blocking mode. */
    public static boolean isNonBlocking(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int flags = (int) FCNTL.invokeExact(st, fd, F_GETFL, 0);
            if (flags < 0) {
                throw fail("fcntl", errno(st));
            }
            return (flags & O_NONBLOCK) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Closes the descriptor; returns 0 or {@code -errno}. */
    public static int close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int r = (int) CLOSE.invokeExact(st, fd);
            return r < 0 ? -errno(st) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sends {@code signum} to process {@code pid}. */
    public static void kill(long pid, int signum) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            if ((int) KILL.invokeExact(st, (int) pid, signum) < 0) {
                throw fail("kill", errno(st));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- sockaddr_in / sockaddr_in6 (Linux: u16 family; macOS: u8 length, u8 family) ----

    private static void putFamily(MemorySegment sa, int family) {
        if (MAC) {
            sa.set(ValueLayout.JAVA_BYTE, 0, (byte) sa.byteSize());
            sa.set(ValueLayout.JAVA_BYTE, 1, (byte) family);
        } else {
            sa.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) family);
        }
    }

    private static int getFamily(MemorySegment sa) {
        return MAC ? sa.get(ValueLayout.JAVA_BYTE, 1) & 0xff : sa.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0) & 0xffff;
    }

    public static MemorySegment sockaddr(Arena a, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        int port = address.getPort();
        if (ip instanceof Inet4Address) {
            MemorySegment sa = a.allocate(16, 8);
            putFamily(sa, AF_INET);
            sa.set(ValueLayout.JAVA_BYTE, 2, (byte) (port >> 8));
            sa.set(ValueLayout.JAVA_BYTE, 3, (byte) port);
            MemorySegment.copy(ip.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
            return sa;
        }
        MemorySegment sa = a.allocate(28, 8);
        putFamily(sa, AF_INET6);
        sa.set(ValueLayout.JAVA_BYTE, 2, (byte) (port >> 8));
        sa.set(ValueLayout.JAVA_BYTE, 3, (byte) port);
        MemorySegment.copy(ip.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
        sa.set(ValueLayout.JAVA_INT_UNALIGNED, 24, ((Inet6Address) ip).getScopeId());
        return sa;
    }

    public static InetSocketAddress read(MemorySegment sa) throws UnknownHostException {
        int family = getFamily(sa);
        int port = ((sa.get(ValueLayout.JAVA_BYTE, 2) & 0xff) << 8) | (sa.get(ValueLayout.JAVA_BYTE, 3) & 0xff);
        if (family == AF_INET) {
            byte[] b = new byte[4];
            MemorySegment.copy(sa, ValueLayout.JAVA_BYTE, 4, b, 0, 4);
            return new InetSocketAddress(InetAddress.getByAddress(b), port);
        }
        if (family == AF_INET6) {
            byte[] b = new byte[16];
            MemorySegment.copy(sa, ValueLayout.JAVA_BYTE, 8, b, 0, 16);
            return new InetSocketAddress(InetAddress.getByAddress(b), port);
        }
        throw new IllegalStateException("unknown address family " + family);
    }
}
