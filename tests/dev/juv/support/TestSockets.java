package dev.juv.support;

import dev.juv.internal.Sockaddr;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/** Raw socket calls of the C library for tests that need a descriptor Java does not give out. */
public final class TestSockets {
    private TestSockets() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    /** Whether this platform's constants are known here. */
    public static final boolean SUPPORTED = OS.contains("linux") || OS.contains("mac");
    public static final int SOCK_STREAM = 1;

    private static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle GETSOCKNAME = fn("getsockname", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));

    /** Opens a file read-only (O_RDONLY is 0 everywhere); the caller closes it. */
    public static int openReadOnly(String path) {
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(a.allocateFrom(path), 0);
            if (fd < 0) {
                throw new IllegalStateException("open " + path + " failed");
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandle fn(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }

    /** A new TCP socket of the family (AF_INET when {@code ipv6} is false). */
    public static int tcpSocket(boolean ipv6) {
        try {
            int fd = (int) SOCKET.invokeExact(ipv6 ? Sockaddr.AF_INET6 : Sockaddr.AF_INET, SOCK_STREAM, 0);
            if (fd < 0) {
                throw new IllegalStateException("socket() failed");
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void close(int fd) {
        try {
            int r = (int) CLOSE.invokeExact(fd);
            if (r != 0) {
                throw new IllegalStateException("close(" + fd + ") failed");
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** getsockname on {@code fd}: the address text and port, as {@code "host:port"} from libuv's reader. */
    public static java.net.InetSocketAddress getsockname(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(Sockaddr.STORAGE);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, Sockaddr.STORAGE);
            int r = (int) GETSOCKNAME.invokeExact(fd, sa, len);
            if (r != 0) {
                throw new IllegalStateException("getsockname failed");
            }
            return Sockaddr.read(sa.address());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
