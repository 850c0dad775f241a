package dev.juv.support;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A pseudo-terminal for tests, opened through the C library's calls in {@link TestLibc}:
 * {@code posix_openpt}, {@code grantpt}, {@code unlockpt}, {@code ptsname} and
 * {@code ioctl(TIOCSWINSZ)}. The master
 * side is non-blocking; the test reads what the slave side wrote and types into it.
 */
public final class TestPty implements AutoCloseable {
    private static final long TIOCSWINSZ = TestLibc.LINUX ? 0x5414L : 0x80087467L;

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
        if (!TestLibc.SUPPORTED || !TestLibc.hasPty()) {
            return null;
        }
        try {
            int m = TestLibc.openPtyMaster(TestLibc.O_RDWR | TestLibc.O_NOCTTY);
            if (m < 0) {
                return null;
            }
            String path = TestLibc.ptsname(m);
            if (path == null) {
                TestLibc.close(m);
                return null;
            }
            TestPty pty = new TestPty(m, path);
            try {
                pty.setSize(width, height);
                TestLibc.setNonBlocking(m);
            } catch (RuntimeException e) {
                pty.close();
                return null;
            }
            return pty;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Sets the terminal size (struct winsize: rows, cols, xpixel, ypixel as unsigned shorts). */
    public void setSize(int width, int height) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ws = a.allocate(8);
            ws.set(ValueLayout.JAVA_SHORT, 0, (short) height);
            ws.set(ValueLayout.JAVA_SHORT, 2, (short) width);
            if (TestLibc.ioctl(master, TIOCSWINSZ, ws) != 0) {
                throw new IllegalStateException("ioctl(TIOCSWINSZ) failed");
            }
        }
    }

    /** Opens the slave side; the caller closes the descriptor. */
    public int openSlave() {
        int fd = TestLibc.open(slavePath, TestLibc.O_RDWR | TestLibc.O_NOCTTY);
        if (fd < 0) {
            throw new IllegalStateException("open " + slavePath + " failed");
        }
        return fd;
    }

    /** Types {@code text} into the terminal. */
    public void type(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(b.length);
            MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
            long off = 0;
            while (off < b.length) {
                long n = TestLibc.write(master, s.asSlice(off), b.length - off);
                if (n < 0) {
                    Thread.sleep(5);
                } else {
                    off += n;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the slave side wrote so far (non-blocking); an empty string when nothing is there. */
    public String drain() {
        StringBuilder sb = new StringBuilder();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4096);
            for (;;) {
                long n = TestLibc.read(master, buf, 4096L);
                if (n <= 0) {
                    break;
                }
                sb.append(new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            }
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

    @Override
    public void close() {
        TestLibc.close(master);
    }
}
