package dev.juv.support;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The tests' one link to the C library: every libc function a test, a support class or a child
 * program calls through java.lang.foreign is linked here, once. Sockets for tests that need a
 * raw descriptor Java does not give out ({@code Udp.open}, {@code Poll}, checking
 * {@code fileno()}), {@code open}/{@code read}/{@code write}/{@code close}, the pseudo-terminal
 * calls {@link TestPty} uses, {@code kill}, {@code setrlimit} and glibc's {@code mallinfo2}.
 * Holds the constants of Linux and macOS; elsewhere {@link #SUPPORTED} is false and the tests
 * that need it are skipped. Calls that may fail in a way a test expects return {@code -errno};
 * the rest throw {@link IllegalStateException} naming the call and errno. juv's own code links
 * its C calls in {@code dev.juv.internal.Native}.
 */
@SuppressWarnings("restricted") // linking C functions is what this class is for; tests run with native access
public final class TestLibc {
    private TestLibc() {}

    private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    static final boolean LINUX = OS.contains("linux");
    static final boolean MAC = OS.contains("mac") || OS.contains("darwin");
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
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NOCTTY = MAC ? 0x20000 : 0x100;
    private static final int O_NONBLOCK = MAC ? 0x4 : 0x800;
    /** setrlimit's resource number for the descriptor limit. */
    public static final int RLIMIT_NOFILE = LINUX ? 7 : 8;

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
    private static final MethodHandle OPEN = fn("open", FunctionDescriptor.of(I, P, I), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = fn("read", FunctionDescriptor.of(J, I, P, J));
    private static final MethodHandle WRITE = fn("write", FunctionDescriptor.of(J, I, P, J));
    private static final MethodHandle IOCTL = fn("ioctl", FunctionDescriptor.of(I, I, J, P), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POSIX_OPENPT = fn("posix_openpt", FunctionDescriptor.of(I, I));
    private static final MethodHandle GRANTPT = fn("grantpt", FunctionDescriptor.of(I, I));
    private static final MethodHandle UNLOCKPT = fn("unlockpt", FunctionDescriptor.of(I, I));
    private static final MethodHandle PTSNAME = fn("ptsname", FunctionDescriptor.of(P, I));
    private static final MethodHandle SETRLIMIT = fn("setrlimit", FunctionDescriptor.of(I, I, P));
    private static final MethodHandle KILL = fn("kill", FunctionDescriptor.of(I, I, I));

    /** struct mallinfo2: ten size_t fields; uordblks (bytes in use) is the eighth. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            J.withName("arena"), J.withName("ordblks"), J.withName("smblks"), J.withName("hblks"),
            J.withName("hblkhd"), J.withName("usmblks"), J.withName("fsmblks"), J.withName("uordblks"),
            J.withName("fordblks"), J.withName("keepcost"));
    private static final long UORDBLKS = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks"));
    private static final MethodHandle MALLINFO = LIBC.find("mallinfo2")
            .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(MALLINFO2)))
            .orElse(null);

    /** The function linked with errno captured (a leading call-state argument); null where it is missing. */
    private static MethodHandle fn(String name, FunctionDescriptor fd, Linker.Option... extra) {
        if (!SUPPORTED) {
            return null;
        }
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LIBC.find(name).map(s -> LINKER.downcallHandle(s, fd, options)).orElse(null);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException fail(String call, int errno) {
        return new IllegalStateException(call + " failed: errno " + errno);
    }

    /** {@code t} as an unchecked exception to throw (an Error is thrown from here). */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** One C call made with errno captured into {@code state}; scratch memory comes from {@code arena}. */
    @FunctionalInterface
    private interface Call {
        long invoke(MemorySegment state, Arena arena) throws Throwable;
    }

    /** Makes the call: its result, or {@code -errno} when that is negative. */
    private static long call(Call c) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            long r = c.invoke(st, a);
            return r < 0 ? -errno(st) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code result} when it is not negative; else the failure of {@code name}, with the errno. */
    private static long check(String name, long result) {
        if (result < 0) {
            throw fail(name, (int) -result);
        }
        return result;
    }

    /** A new socket of {@code domain} ({@link #AF_INET}, {@link #AF_INET6}) and {@code type}. */
    public static int socket(int domain, int type) {
        return (int) check("socket", call((st, a) -> (int) SOCKET.invokeExact(st, domain, type, 0)));
    }

    /** Sets SO_REUSEADDR. */
    public static void reuseAddress(int fd) {
        check("setsockopt", call((st, a) -> (int) SETSOCKOPT.invokeExact(st, fd, SOL_SOCKET, SO_REUSEADDR,
                a.allocateFrom(I, 1), 4)));
    }

    /** Binds; returns 0 or {@code -errno}. */
    public static int bind(int fd, InetSocketAddress address) {
        return (int) call((st, a) -> {
            MemorySegment sa = sockaddr(a, address);
            return (int) BIND.invokeExact(st, fd, sa, (int) sa.byteSize());
        });
    }

    public static void listen(int fd, int backlog) {
        check("listen", call((st, a) -> (int) LISTEN.invokeExact(st, fd, backlog)));
    }

    /** Accepts a connection; returns its fd or {@code -errno} (such as {@code -EAGAIN}). */
    public static int accept(int fd) {
        return (int) call((st, a) -> (int) ACCEPT.invokeExact(st, fd, MemorySegment.NULL, MemorySegment.NULL));
    }

    /** Connects; returns 0 or {@code -errno} (such as {@code -EINPROGRESS} on a non-blocking socket). */
    public static int connect(int fd, InetSocketAddress address) {
        return (int) call((st, a) -> {
            MemorySegment sa = sockaddr(a, address);
            return (int) CONNECT.invokeExact(st, fd, sa, (int) sa.byteSize());
        });
    }

    /** Sends; returns the bytes sent or {@code -errno}. */
    public static int send(int fd, byte[] data) {
        return (int) call((st, a) -> {
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            return (long) SEND.invokeExact(st, fd, buf, (long) data.length, 0);
        });
    }

    /** Receives into {@code into}; returns the bytes received (0 at EOF) or {@code -errno}. */
    public static int recv(int fd, byte[] into) {
        return (int) call((st, a) -> {
            MemorySegment buf = a.allocate(Math.max(1, into.length));
            long r = (long) RECV.invokeExact(st, fd, buf, (long) into.length, 0);
            if (r > 0) {
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, into, 0, (int) r);
            }
            return r;
        });
    }

    /** The socket's local address. */
    public static InetSocketAddress getsockname(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(128, 8);
            MemorySegment len = a.allocateFrom(I, 128);
            check("getsockname", call((st, unused) -> (int) GETSOCKNAME.invokeExact(st, fd, sa, len)));
            return read(sa);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The socket's pending error (SO_ERROR): 0, or a positive errno such as {@link #EINPROGRESS}. */
    public static int socketError(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocateFrom(I, 0);
            MemorySegment len = a.allocateFrom(I, 4);
            check("getsockopt", call((st, unused) -> (int) GETSOCKOPT.invokeExact(st, fd, SOL_SOCKET, SO_ERROR, v, len)));
            return v.get(I, 0);
        }
    }

    private static int flags(int fd) {
        return (int) check("fcntl", call((st, a) -> (int) FCNTL.invokeExact(st, fd, F_GETFL, 0)));
    }

    /** Puts the descriptor into non-blocking mode. */
    public static void setNonBlocking(int fd) {
        int flags = flags(fd);
        check("fcntl", call((st, a) -> (int) FCNTL.invokeExact(st, fd, F_SETFL, flags | O_NONBLOCK)));
    }

    /** Whether the descriptor is in non-blocking mode. */
    public static boolean isNonBlocking(int fd) {
        return (flags(fd) & O_NONBLOCK) != 0;
    }

    /** Closes the descriptor; returns 0 or {@code -errno}. */
    public static int close(int fd) {
        return (int) call((st, a) -> (int) CLOSE.invokeExact(st, fd));
    }

    /** Sends {@code signum} to process {@code pid}; returns 0 or {@code -errno}. */
    public static int kill(long pid, int signum) {
        return (int) call((st, a) -> (int) KILL.invokeExact(st, (int) pid, signum));
    }

    /** Opens {@code path} with {@code flags} ({@link #O_RDONLY}, {@link #O_RDWR}, ...); returns the fd or {@code -errno}. */
    public static int open(String path, int flags) {
        return (int) call((st, a) -> (int) OPEN.invokeExact(st, a.allocateFrom(path), flags));
    }

    /** Opens a file read-only; the caller closes it. */
    public static int openReadOnly(String path) {
        return (int) check("open " + path, open(path, O_RDONLY));
    }

    /** Reads up to {@code length} bytes into {@code buf}; returns the count (0 at EOF) or {@code -errno}. */
    public static long read(int fd, MemorySegment buf, long length) {
        return call((st, a) -> (long) READ.invokeExact(st, fd, buf, length));
    }

    /** Writes up to {@code length} bytes of {@code buf}; returns the count or {@code -errno}. */
    public static long write(int fd, MemorySegment buf, long length) {
        return call((st, a) -> (long) WRITE.invokeExact(st, fd, buf, length));
    }

    /** {@code ioctl(fd, request, arg)}; returns its result or {@code -errno}. */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        return (int) call((st, a) -> (int) IOCTL.invokeExact(st, fd, request, arg));
    }

    /** Whether the pseudo-terminal calls are there ({@link #openPtyMaster}). */
    public static boolean hasPty() {
        return POSIX_OPENPT != null && GRANTPT != null && UNLOCKPT != null && PTSNAME != null;
    }

    /**
     * A new pseudo-terminal master ({@code posix_openpt}, {@code grantpt}, {@code unlockpt}),
     * or {@code -errno}; a master whose grant or unlock failed is closed again.
     */
    public static int openPtyMaster(int flags) {
        int m = (int) call((st, a) -> (int) POSIX_OPENPT.invokeExact(st, flags));
        if (m < 0) {
            return m;
        }
        long r = call((st, a) -> {
            int g = (int) GRANTPT.invokeExact(st, m);
            return g != 0 ? g : (int) UNLOCKPT.invokeExact(st, m);
        });
        if (r != 0) {
            close(m);
            return (int) r;
        }
        return m;
    }

    /** The path of a pseudo-terminal master's slave side ({@code ptsname}), or null. */
    public static String ptsname(int master) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment name = (MemorySegment) PTSNAME.invokeExact(st, master);
            return name.address() == 0 ? null : name.reinterpret(4096).getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sets a resource limit ({@link #RLIMIT_NOFILE}); returns 0 or {@code -errno}. */
    public static int setrlimit(int resource, long soft, long hard) {
        return (int) call((st, a) -> {
            MemorySegment limit = a.allocate(16);
            limit.set(J, 0, soft);
            limit.set(J, 8, hard);
            return (int) SETRLIMIT.invokeExact(st, resource, limit);
        });
    }

    /** Whether this C library has mallinfo2 (glibc 2.33 and later). */
    public static boolean hasMallinfo2() {
        return MALLINFO != null;
    }

    /** glibc's bytes in use by malloc, over all arenas ({@code mallinfo2().uordblks}). */
    public static Optional<Long> mallocInUse() {
        if (MALLINFO == null) {
            return Optional.empty();
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = (MemorySegment) MALLINFO.invokeExact((SegmentAllocator) a);
            return Optional.of(s.get(J, UORDBLKS));
        } catch (Throwable t) {
            throw new AssertionError("mallinfo2 failed", t);
        }
    }

    /**
     * Whether the signal is ignored (SIG_IGN) in process {@code pid}, read from
     * /proc/pid/status; false when that file cannot be read.
     */
    public static boolean isIgnored(long pid, int signum) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (mask & (1L << (signum - 1))) != 0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
        return false;
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
