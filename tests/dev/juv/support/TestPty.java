package dev.juv.support;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A pseudo-terminal for tests, opened through the C library: {@code posix_openpt},
 * {@code grantpt}, {@code unlockpt}, {@code ptsname} and {@code ioctl(TIOCSWINSZ)}. The master
 * side is non-blocking; the test reads what the slave side wrote and types into it.
 */
public final class TestPty implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    private static final boolean LINUX = OS.contains("linux");
    private static final boolean MAC = OS.contains("mac");
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = LINUX ? 0x100 : 0x20000;
    private static final int O_NONBLOCK = LINUX ? 0x800 : 0x4;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final long TIOCSWINSZ = LINUX ? 0x5414L : 0x80087467L;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;

    private static final MethodHandle POSIX_OPENPT;
    private static final MethodHandle GRANTPT;
    private static final MethodHandle UNLOCKPT;
    private static final MethodHandle PTSNAME;
    private static final MethodHandle IOCTL;
    private static final MethodHandle FCNTL;
    private static final MethodHandle OPEN;
    private static final MethodHandle READ;
    private static final MethodHandle WRITE;
    private static final MethodHandle CLOSE;

    static {
        POSIX_OPENPT = fn("posix_openpt", FunctionDescriptor.of(I, I));
        GRANTPT = fn("grantpt", FunctionDescriptor.of(I, I));
        UNLOCKPT = fn("unlockpt", FunctionDescriptor.of(I, I));
        PTSNAME = fn("ptsname", FunctionDescriptor.of(ValueLayout.ADDRESS, I));
        IOCTL = fn("ioctl", FunctionDescriptor.of(I, I, J, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2));
        FCNTL = fn("fcntl", FunctionDescriptor.of(I, I, I, I), Linker.Option.firstVariadicArg(2));
        OPEN = fn("open", FunctionDescriptor.of(I, ValueLayout.ADDRESS, I), Linker.Option.firstVariadicArg(2));
        READ = fn("read", FunctionDescriptor.of(J, I, ValueLayout.ADDRESS, J));
        WRITE = fn("write", FunctionDescriptor.of(J, I, ValueLayout.ADDRESS, J));
        CLOSE = fn("close", FunctionDescriptor.of(I, I));
    }

    private static MethodHandle fn(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.defaultLookup().find(name).map(s -> LINKER.downcallHandle(s, fd, options)).orElse(null);
    }

    private final int master;
    private final String slavePath;

    /** The slave device's path, such as {@code /dev/pts/3}. */
    public String slavePath() {
        return slavePath;
    }

    private TestPty(int master, String slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /** Opens a pseudo-terminal of the given size, or returns null where none can be opened. */
    public static TestPty open(int width, int height) {
        if (!(LINUX || MAC) || POSIX_OPENPT == null) {
            return null;
        }
        try {
            int m = (int) POSIX_OPENPT.invokeExact(O_RDWR | O_NOCTTY);
            if (m < 0) {
                return null;
            }
            if ((int) GRANTPT.invokeExact(m) != 0 || (int) UNLOCKPT.invokeExact(m) != 0) {
                int ignored = (int) CLOSE.invokeExact(m);
                return null;
            }
            MemorySegment name = (MemorySegment) PTSNAME.invokeExact(m);
            if (name.address() == 0) {
                int ignored = (int) CLOSE.invokeExact(m);
                return null;
            }
            String path = name.reinterpret(4096).getString(0, StandardCharsets.UTF_8);
            TestPty pty = new TestPty(m, path);
            pty.setSize(width, height);
            int fl = (int) FCNTL.invokeExact(m, F_GETFL, 0);
            int ignored = (int) FCNTL.invokeExact(m, F_SETFL, fl | O_NONBLOCK);
            return pty;
        } catch (Throwable t) {
            return null;
        }
    }

    /** Sets the terminal size (struct winsize: rows, cols, xpixel, ypixel as unsigned shorts). */
    public void setSize(int width, int height) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ws = a.allocate(8);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) height);
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) width);
            int r = (int) IOCTL.invokeExact(master, TIOCSWINSZ, ws);
            if (r != 0) {
                throw new IllegalStateException("ioctl(TIOCSWINSZ) failed");
            }
        } catch (Throwable t) {
            throw TestSockets.rethrow(t);
        }
    }

    /** Opens the slave side; the caller closes the descriptor. */
    public int openSlave() {
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(a.allocateFrom(slavePath), O_RDWR | O_NOCTTY);
            if (fd < 0) {
                throw new IllegalStateException("open " + slavePath + " failed");
            }
            return fd;
        } catch (Throwable t) {
            throw TestSockets.rethrow(t);
        }
    }

    /** Types {@code text} into the terminal. */
    public void type(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(b.length);
            MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
            long off = 0;
            while (off < b.length) {
                long n = (long) WRITE.invokeExact(master, s.asSlice(off), (long) b.length - off);
                if (n < 0) {
                    Thread.sleep(5);
                } else {
                    off += n;
                }
            }
        } catch (Throwable t) {
            throw TestSockets.rethrow(t);
        }
    }

    /** What the slave side wrote so far (non-blocking); an empty string when nothing is there. */
    public String drain() {
        StringBuilder sb = new StringBuilder();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4096);
            for (;;) {
                long n = (long) READ.invokeExact(master, buf, 4096L);
                if (n <= 0) {
                    break;
                }
                sb.append(new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            }
        } catch (Throwable t) {
            throw TestSockets.rethrow(t);
        }
        return sb.toString();
    }

    /** Reads until the output contains {@code expected} or the deadline passes; returns all read. */
    public String readUntil(StringBuilder seen, String expected, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (!seen.toString().contains(expected) && System.nanoTime() < end) {
            String s = drain();
            if (s.isEmpty()) {
                Thread.sleep(10);
            }
            seen.append(s);
        }
        return seen.toString();
    }

    public static void closeFd(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw TestSockets.rethrow(t);
        }
    }

    @Override
    public void close() {
        closeFd(master);
    }
}
