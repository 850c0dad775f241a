package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.Tags;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** pyuv's tests/test_util.py, then the rest of Sys and the Errno table. */
@Timeout(30)
@Tag(Tags.PYUV)
class SysTest extends UvTestCase {
    private static final boolean LINUX = System.getProperty("os.name").equals("Linux");

    static {
        // NIO keeps one socket of its own open for its whole life once a socket channel exists
        // (the target of its pre-close dup2): take it before the fd baseline and guessHandle
        try {
            ServerSocketChannel.open().close();
            DatagramChannel.open().close();
            ServerSocketChannel.open(StandardProtocolFamily.UNIX).close();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- pyuv parity ----

    @Test
    void hrtime() {
        long a = Sys.hrtime();
        long b = Sys.hrtime();
        assertTrue(a > 0);
        assertTrue(b >= a, "the clock never goes backwards");
    }

    @Test
    void freeMemory() {
        assertTrue(Sys.freeMemory() > 0);
    }

    @Test
    void totalMemory() {
        long total = Sys.totalMemory();
        assertTrue(total > 0);
        assertTrue(total >= Sys.freeMemory());
    }

    @Test
    void loadavg() {
        double[] avg = Sys.loadavg();
        assertEquals(3, avg.length);
        for (double v : avg) {
            assertTrue(v >= 0, "load " + v);
        }
    }

    @Test
    void uptime() {
        assertTrue(Sys.uptime() > 0);
    }

    @Test
    void residentSetSize() {
        long rss = Sys.residentSetSize();
        assertTrue(rss > 0);
        assertTrue(rss >= Runtime.getRuntime().totalMemory() / 1024, "a JVM holds at least part of its heap");
    }

    @Test
    void interfaceAddresses() {
        List<InterfaceAddress> all = Sys.interfaceAddresses();
        assertFalse(all.isEmpty());
        assertTrue(all.stream().anyMatch(a -> a.internal() && a.address() != null && a.address().isLoopbackAddress()),
                "a loopback entry: " + all);
        for (InterfaceAddress a : all) {
            assertNotNull(a.name());
            assertEquals(6, a.physicalAddress().length);
        }
    }

    @Test
    void cpuInfo() {
        List<CpuInfo> cpus = Sys.cpuInfo();
        assertFalse(cpus.isEmpty());
        for (CpuInfo c : cpus) {
            assertNotNull(c.model());
            assertTrue(c.user() >= 0 && c.sys() >= 0 && c.idle() >= 0);
        }
    }

    // ---- the rest of Sys ----

    @Test
    void versionMatchesVersionString() {
        int v = Sys.version();
        String expected = (v >> 16) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
        assertTrue(Sys.versionString().startsWith(expected), Sys.versionString() + " vs " + expected);
        assertTrue(v >= (1 << 16 | 44 << 8), "libuv 1.44 or newer");
    }

    @Test
    void uname() {
        Uname u = Sys.uname();
        assertFalse(u.sysname().isEmpty());
        assertFalse(u.release().isEmpty());
        assertFalse(u.machine().isEmpty());
        assertNotNull(u.version());
        if (LINUX) {
            assertEquals("Linux", u.sysname());
            assertEquals(System.getProperty("os.version"), u.release(), "the JDK reads the same uname release");
        }
    }

    @Test
    void hostname() throws IOException {
        String name = Sys.hostname();
        assertFalse(name.isEmpty());
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        if (Files.isReadable(kernel)) {
            assertEquals(Files.readString(kernel).trim(), name);
        }
    }

    @Test
    void homedir() {
        String home = Sys.homedir();
        assertFalse(home.isEmpty());
        String env = System.getenv("HOME");
        if (env != null && !env.isEmpty()) {
            assertEquals(env, home, "libuv takes HOME first");
        }
    }

    @Test
    void tmpdir() {
        String tmp = Sys.tmpdir();
        String expected = null;
        for (String var : new String[] {"TMPDIR", "TMP", "TEMP", "TEMPDIR"}) {
            String v = System.getenv(var);
            if (v != null && !v.isEmpty()) {
                expected = v;
                break;
            }
        }
        if (expected == null) {
            expected = "/tmp";
        }
        if (expected.length() > 1 && expected.endsWith("/")) {
            expected = expected.substring(0, expected.length() - 1);
        }
        assertEquals(expected, tmp);
    }

    @Test
    void cwdAndExepath() {
        assertEquals(new File("").getAbsolutePath(), Sys.cwd());
        String exe = Sys.exepath();
        assertTrue(new File(exe).isFile(), exe);
        ProcessHandle.current().info().command()
                .ifPresent(cmd -> assertEquals(new File(cmd).getAbsolutePath(), exe));
    }

    @Test
    void getpidAndGetppidMatchProcessHandle() {
        assertEquals(ProcessHandle.current().pid(), Sys.getpid());
        ProcessHandle.current().parent().ifPresent(p -> assertEquals(p.pid(), Sys.getppid()));
        assertTrue(Sys.getppid() > 0);
    }

    @Test
    void rusage() {
        ResourceUsage before = Sys.rusage();
        long spin = 0;
        for (long t0 = System.nanoTime(); System.nanoTime() - t0 < 50_000_000L; ) {
            spin++;
        }
        ResourceUsage after = Sys.rusage();
        assertTrue(spin > 0);
        assertTrue(before.userTimeMicros() > 0, "a JVM has used CPU by now");
        assertTrue(before.systemTimeMicros() >= 0);
        assertTrue(after.userTimeMicros() + after.systemTimeMicros()
                > before.userTimeMicros() + before.systemTimeMicros(), "CPU time grows");
        assertTrue(before.maxRss() > 0);
        assertTrue(after.minorFaults() >= before.minorFaults());
        if (LINUX) {
            // ru_maxrss is in kilobytes on Linux; the current RSS can never exceed the peak
            assertTrue(after.maxRss() * 1024 >= Sys.residentSetSize() / 2, "maxRss in KiB: " + after.maxRss());
        }
    }

    @Test
    void randomSync() {
        assertArrayEquals(new byte[0], Sys.random(0));
        byte[] a = Sys.random(64);
        byte[] b = Sys.random(64);
        assertEquals(64, a.length);
        assertFalse(Arrays.equals(a, b), "two draws of 64 random bytes differ");
        assertFalse(Arrays.equals(new byte[64], a), "not all zero");
        assertThrows(IllegalArgumentException.class, () -> Sys.random(-1));
    }

    @Test
    void randomAsync() {
        AtomicReference<byte[]> got = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        Request r = Sys.random(loop, 32, (bytes, error) -> {
            assertNull(error);
            got.set(bytes);
            calls.incrementAndGet();
        });
        assertFalse(r.isDone());
        assertNull(got.get(), "the callback never runs inside the call");
        loop.run();
        assertEquals(1, calls.get());
        assertEquals(32, got.get().length);
        assertFalse(Arrays.equals(new byte[32], got.get()));
        assertTrue(r.isDone());
        assertFalse(r.cancel(), "cancel after completion");
    }

    @Test
    void randomAsyncRejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Sys.random(loop, -1, (b, e) -> {}));
        assertThrows(NullPointerException.class, () -> Sys.random(loop, 1, null));
        assertThrows(NullPointerException.class, () -> Sys.random(null, 1, (b, e) -> {}));
        AtomicReference<byte[]> got = new AtomicReference<>();
        Sys.random(loop, 0, (bytes, error) -> got.set(bytes));
        loop.run();
        assertArrayEquals(new byte[0], got.get());
    }

    @Test
    void availableParallelism() {
        int n = Sys.availableParallelism();
        assertTrue(n >= 1);
        assertTrue(n <= Sys.cpuInfo().size() || Sys.cpuInfo().isEmpty(), n + " of " + Sys.cpuInfo().size());
    }

    @Test
    void constrainedMemory() {
        long limit = Sys.constrainedMemory();
        assertTrue(limit >= 0, "0 means no known limit, never a negative number: " + limit);
    }

    @Test
    void processTitle() {
        String title = Sys.processTitle();
        assertNotNull(title);
        assertFalse(title.isEmpty(), "the title, or the command line when libuv does not know it");
        try {
            Sys.setProcessTitle("juv-test");
            assertEquals("juv-test", Sys.processTitle());
        } catch (UvException e) {
            assertEquals(Errno.ENOBUFS, e.code(), "libuv was not given the process arguments");
        }
        assertThrows(IllegalArgumentException.class, () -> Sys.setProcessTitle("a\0b"));
        assertThrows(NullPointerException.class, () -> Sys.setProcessTitle(null));
    }

    @Test
    @SuppressWarnings("try") // the file, pipe ends and sockets are opened for their descriptors and closed after
    void guessHandle(@TempDir Path dir) throws IOException {
        assumeTrue(new File("/proc/self/fd").isDirectory(), "needs /proc to find the JDK's descriptors");
        assertThrows(IllegalArgumentException.class, () -> Sys.guessHandle(-1));
        assertEquals(HandleType.UNKNOWN_HANDLE, Sys.guessHandle(1 << 20), "a descriptor that is not open");
        assertEquals(HandleType.UNKNOWN_HANDLE, Sys.guessHandle(loop.backendFd()), "an epoll descriptor");

        Path file = dir.resolve("plain");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertEquals(HandleType.FILE, Sys.guessHandle(fdOf(file.toString())));
        }
        Set<Integer> before = fds();
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            Set<Integer> ends = newFds(before);
            assertEquals(2, ends.size(), "the two ends: " + ends);
            for (int fd : ends) {
                assertEquals(HandleType.NAMED_PIPE, Sys.guessHandle(fd), "an anonymous pipe");
            }
        }
        try (ServerSocketChannel tcp = ServerSocketChannel.open()) {
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals(HandleType.TCP, Sys.guessHandle(single(newFds(before))));
        }
        try (DatagramChannel udp = DatagramChannel.open()) {
            udp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals(HandleType.UDP, Sys.guessHandle(single(newFds(before))));
        }
        Path sock = Files.createTempDirectory(Path.of("/tmp"), "juv").resolve("s");
        try (ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            unix.bind(UnixDomainSocketAddress.of(sock));
            assertEquals(HandleType.NAMED_PIPE, Sys.guessHandle(single(newFds(before))));
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(sock.getParent());
        }
    }

    private static Set<Integer> fds() {
        Set<Integer> out = new HashSet<>();
        String[] names = new File("/proc/self/fd").list();
        if (names != null) {
            for (String n : names) {
                out.add(Integer.parseInt(n));
            }
        }
        // the listing itself briefly held a descriptor for /proc/self/fd
        out.removeIf(fd -> !new File("/proc/self/fd/" + fd).exists());
        return out;
    }

    private static Set<Integer> newFds(Set<Integer> before) {
        Set<Integer> now = fds();
        now.removeAll(before);
        return now;
    }

    private static int single(Set<Integer> fds) {
        assertEquals(1, fds.size(), "one new descriptor: " + fds);
        return fds.iterator().next();
    }

    private static int fdOf(String path) throws IOException {
        for (int fd : fds()) {
            Path link = Path.of("/proc/self/fd/" + fd);
            try {
                if (Files.readSymbolicLink(link).toString().equals(path)) {
                    return fd;
                }
            } catch (IOException | UnsupportedOperationException ignored) {
                // closed meanwhile
            }
        }
        throw new IOException("no descriptor for " + path);
    }

    // ---- Errno ----

    @Test
    void errnoConstantsAgreeWithTheirNames() throws IllegalAccessException {
        int checked = 0;
        for (Field f : Errno.class.getFields()) {
            if (f.getType() != int.class || !Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            int code = f.getInt(null);
            if (code == 0) {
                continue; // the platform has no such error
            }
            assertTrue(code < 0, f.getName() + " is negative: " + code);
            assertEquals(f.getName(), Errno.name(code), "Errno." + f.getName());
            assertEquals(code, Errno.code(f.getName()));
            assertFalse(Errno.strerror(code).isEmpty());
            checked++;
        }
        assertTrue(checked > 60, "most constants exist on this platform: " + checked);
        for (String must : List.of("ENOENT", "EINVAL", "EBUSY", "ECANCELED", "EAGAIN", "EOF", "EBADF")) {
            assertTrue(Errno.code(must) < 0, must);
        }
    }

    @Test
    void errnoTableIsConsistent() {
        Map<String, Integer> all = Errno.all();
        assertTrue(all.size() > 60);
        Set<Integer> codes = new HashSet<>();
        for (Map.Entry<String, Integer> e : all.entrySet()) {
            assertEquals(e.getKey(), Errno.name(e.getValue()));
            assertTrue(codes.add(e.getValue()), "one name per code: " + e);
        }
        assertEquals(0, Errno.code("ENOSUCHERROR"));
        if (LINUX) {
            assertEquals(-2, Errno.ENOENT);
            assertEquals(-22, Errno.EINVAL);
        }
    }

    @Test
    void uvExceptionCarriesCodeNameAndOperation() {
        UvException e = new UvException(Errno.ENOENT, "uv_fs_open /nowhere");
        assertEquals(Errno.ENOENT, e.code());
        assertEquals("ENOENT", e.name());
        assertEquals("uv_fs_open /nowhere", e.operation());
        assertEquals("uv_fs_open /nowhere: ENOENT: " + Errno.strerror(Errno.ENOENT), e.getMessage());
    }
}
