package dev.juv;

import dev.juv.internal.Sockaddr;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/** Raw socket calls of the C library for tests that need a descriptor Java does not give out. */
final class TestSockets {
    private TestSockets() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    /** Whether this platform's constants are known here. */
    static final boolean SUPPORTED = OS.contains("linux") || OS.contains("mac");
    static final int SOCK_STREAM = 1;

    private static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle GETSOCKNAME = fn("getsockname", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    private static MethodHandle fn(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }

    /** A new TCP socket of the family (AF_INET when {@code ipv6} is false). */
    static int tcpSocket(boolean ipv6) {
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

    static void close(int fd) {
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
    static java.net.InetSocketAddress getsockname(int fd) {
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

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
