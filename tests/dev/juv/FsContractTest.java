package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.Native;
import dev.juv.support.Tags;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fs beyond pyuv's test_fs.py (that port is {@link FsTest}): juv's own contract for the file
 * system, raw-byte names, every result checked against java.nio.file, many concurrent requests,
 * cancellation, bad input, directory streams, buffers, and watchers closed while active.
 */
@Timeout(120)
@Tag(Tags.THREADS)
@Tag(Tags.FS)
class FsContractTest extends UvTestCase {
    private static final int MODE = 0600;

    @TempDir
    Path dir;
    private String file;

    @BeforeEach
    void files() throws IOException {
        Path f = dir.resolve("data");
        Files.writeString(f, "0123456789");
        file = f.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void assertCode(int code, UvException e) {
        assertNotNull(e, "an error");
        assertEquals(code, e.code(), e::getMessage);
    }

    // ---- names that are not UTF-8 ----

    @Test
    void nonUtf8NamesRoundTripThroughByteOverloads() {
        byte[] base = bytes(dir.toString() + "/");
        byte[] name = {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe, '-', (byte) 0xc3, '.', 't'};
        byte[] renamedName = {'r', (byte) 0x80, (byte) 0xbf, 'x'};
        byte[] dirName = {'d', (byte) 0xe9, 't'};
        byte[] path = concat(base, name);
        byte[] renamed = concat(base, renamedName);
        byte[] subdir = concat(base, dirName);
        byte[] link = concat(base, bytes("link"));
        try {
            int fd = Fs.open(path, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_EXCL, MODE);
            try {
                assertEquals(5, Fs.write(fd, bytes("hello"), 0));
            } finally {
                Fs.close(fd);
            }
            assertEquals(5, Fs.stat(path).size());
            Fs.access(path, Fs.R_OK);

            // the replacement-decoded String names another file: it fails closed
            String lossy = new String(path, StandardCharsets.UTF_8);
            assertCode(Errno.ENOENT, assertThrows(UvException.class, () -> Fs.stat(lossy)));

            Fs.mkdir(subdir, 0700);
            assertTrue(Fs.stat(subdir).isDirectory());

            Set<String> raw = Fs.scandir(bytes(dir.toString())).stream()
                    .map(e -> java.util.HexFormat.of().formatHex(e.rawName())).collect(Collectors.toSet());
            assertTrue(raw.contains(java.util.HexFormat.of().formatHex(name)), raw.toString());
            assertTrue(raw.contains(java.util.HexFormat.of().formatHex(dirName)), raw.toString());

            Fs.rename(path, renamed);
            assertCode(Errno.ENOENT, assertThrows(UvException.class, () -> Fs.stat(path)));
            assertEquals(5, Fs.stat(renamed).size());

            Fs.symlink(renamed, link, 0);
            assertArrayEquals(renamed, Fs.readlink(link));
            assertArrayEquals(renamed, Fs.realpath(link));
            assertTrue(Fs.lstat(link).isSymbolicLink());

            // the asynchronous byte[] forms
            AtomicReference<Stat> st = new AtomicReference<>();
            AtomicReference<List<DirEntry>> listing = new AtomicReference<>();
            Fs.stat(loop, renamed, (s, e) -> {
                assertNull(e);
                st.set(s);
            });
            Fs.scandir(loop, subdir, (l, e) -> {
                assertNull(e);
                listing.set(l);
            });
            loop.run();
            assertEquals(5, st.get().size());
            assertEquals(List.of(), listing.get());

            byte[] tmpl = concat(base, new byte[] {'t', (byte) 0xff, 'X', 'X', 'X', 'X', 'X', 'X'});
            byte[] made = Fs.mkdtemp(tmpl);
            assertEquals(tmpl.length, made.length);
            assertEquals((byte) 0xff, made[base.length + 1]);
            assertTrue(Fs.stat(made).isDirectory());
            Fs.rmdir(made);
        } finally {
            for (byte[] p : List.of(path, renamed, link)) {
                try {
                    Fs.unlink(p);
                } catch (UvException ignored) {
                    // not created, or already gone
                }
            }
            try {
                Fs.rmdir(subdir);
            } catch (UvException ignored) {
                // not created
            }
        }
    }

    // ---- every result against java.nio.file ----

    private static void assertSameAsNio(Stat st, Path p, LinkOption... options) throws IOException {
        assertEquals(((Number) Files.getAttribute(p, "unix:size", options)).longValue(), st.size(), "size");
        assertEquals(((Number) Files.getAttribute(p, "unix:ino", options)).longValue(), st.ino(), "ino");
        assertEquals(((Number) Files.getAttribute(p, "unix:mode", options)).longValue(), st.mode(), "mode");
        assertEquals(((Number) Files.getAttribute(p, "unix:nlink", options)).longValue(), st.nlink(), "nlink");
        assertEquals(((Number) Files.getAttribute(p, "unix:uid", options)).longValue(), st.uid(), "uid");
        assertEquals(((Number) Files.getAttribute(p, "unix:gid", options)).longValue(), st.gid(), "gid");
        assertEquals(((Number) Files.getAttribute(p, "unix:dev", options)).longValue(), st.dev(), "dev");
        assertEquals(((Number) Files.getAttribute(p, "unix:rdev", options)).longValue(), st.rdev(), "rdev");
        assertEquals(((FileTime) Files.getAttribute(p, "unix:lastModifiedTime", options)).toInstant(), st.mtime(), "mtime");
        assertEquals(((FileTime) Files.getAttribute(p, "unix:lastAccessTime", options)).toInstant(), st.atime(), "atime");
        assertEquals(((FileTime) Files.getAttribute(p, "unix:ctime", options)).toInstant(), st.ctime(), "ctime");
        assertEquals(Files.isDirectory(p, options), st.isDirectory());
        assertEquals(Files.isRegularFile(p, options), st.isFile());
        boolean noFollow = options.length > 0;
        assertEquals(noFollow && Files.isSymbolicLink(p), st.isSymbolicLink());
    }

    @Test
    void statResultsAgreeWithJavaNio() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("unix"), "no unix attribute view");
        Path f = Path.of(file);
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, f);
        Fs.utime(file, Instant.parse("2001-02-03T04:05:06.789Z"), Instant.parse("2002-03-04T05:06:07.123456789Z"));

        assertSameAsNio(Fs.stat(file), f);
        assertSameAsNio(Fs.stat(sub.toString()), sub);
        assertSameAsNio(Fs.stat(link.toString()), link);
        assertSameAsNio(Fs.lstat(link.toString()), link, LinkOption.NOFOLLOW_LINKS);
        int fd = Fs.open(file, Fs.O_RDONLY, 0);
        try {
            assertSameAsNio(Fs.fstat(fd), f);
        } finally {
            Fs.close(fd);
        }
        assertEquals(Instant.parse("2002-03-04T05:06:07.123456789Z").getEpochSecond(), Fs.stat(file).mtime().getEpochSecond());

        Set<String> nio;
        try (Stream<Path> s = Files.list(dir)) {
            nio = s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertEquals(nio, Fs.scandir(dir.toString()).stream().map(DirEntry::name).collect(Collectors.toSet()));
        for (DirEntry e : Fs.scandir(dir.toString())) {
            Path p = dir.resolve(e.name());
            DirEntry.Type expected = Files.isSymbolicLink(p) ? DirEntry.Type.LINK
                    : Files.isDirectory(p) ? DirEntry.Type.DIR : DirEntry.Type.FILE;
            assertTrue(e.type() == expected || e.type() == DirEntry.Type.UNKNOWN, e + " expected " + expected);
        }
        assertEquals(Files.readSymbolicLink(link).toString(), Fs.readlink(link.toString()));
        assertEquals(link.toRealPath().toString(), Fs.realpath(link.toString()));
        assertEquals(Files.readString(f), new String(Fs.read(openRead(file), 100, 0), StandardCharsets.UTF_8));

        FileStore store = Files.getFileStore(f);
        StatFs sfs = Fs.statfs(file);
        assertTrue(sfs.bsize() > 0);
        assertEquals(store.getTotalSpace(), sfs.blocks() * sfs.bsize(), "total space");
        assertEquals(4, sfs.spare().size());
    }

    private final List<Integer> openFds = new ArrayList<>();

    private int openRead(String path) {
        int fd = Fs.open(path, Fs.O_RDONLY, 0);
        openFds.add(fd);
        return fd;
    }

    @org.junit.jupiter.api.AfterEach
    void closeFds() {
        if (blocker != null) {
            blocker.release();
            loop.run();
            Fs.close(blocker.fd);
        }
        for (int fd : openFds) {
            Fs.close(fd);
        }
    }

    @Test
    void modeAndPermissionsAgreeWithJavaNio() throws IOException {
        for (int mode : new int[] {0400, 0640, 0755, 0777, 0000}) {
            Fs.chmod(file, mode);
            Stat st = Fs.stat(file);
            assertEquals(mode, st.permissions());
            assertEquals(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(Path.of(file))), permissionString(mode));
        }
        Fs.chmod(file, 0600);
    }

    private static String permissionString(int mode) {
        String all = "rwxrwxrwx";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            b.append((mode & (0400 >> i)) != 0 ? all.charAt(i) : '-');
        }
        return b.toString();
    }

    @Test
    void copyfileMkdtempMkstempAgreeWithJavaNio() throws IOException {
        String copy = dir.resolve("copy").toString();
        Fs.copyfile(file, copy, 0);
        assertArrayEquals(Files.readAllBytes(Path.of(file)), Files.readAllBytes(Path.of(copy)));
        assertCode(Errno.EEXIST, assertThrows(UvException.class, () -> Fs.copyfile(file, copy, Fs.COPYFILE_EXCL)));

        String made = Fs.mkdtemp(dir.resolve("tmpXXXXXX").toString());
        assertTrue(made.startsWith(dir.resolve("tmp").toString()));
        assertTrue(Files.isDirectory(Path.of(made)));
        assertCode(Errno.EINVAL, assertThrows(UvException.class, () -> Fs.mkdtemp(dir.resolve("bad").toString())));

        Fs.TempFile t = Fs.mkstemp(dir.resolve("fileXXXXXX").toString());
        try {
            assertTrue(t.fd() >= 0);
            assertTrue(Files.isRegularFile(Path.of(t.path())));
            assertEquals(3, Fs.write(t.fd(), bytes("abc"), -1));
            assertEquals("abc", Files.readString(Path.of(t.path())));
        } finally {
            Fs.close(t.fd());
        }

        AtomicReference<String> asyncMade = new AtomicReference<>();
        AtomicReference<Fs.TempFile> asyncTemp = new AtomicReference<>();
        Fs.mkdtemp(loop, dir.resolve("atmpXXXXXX").toString(), (p, e) -> {
            assertNull(e);
            asyncMade.set(p);
        });
        Fs.mkstemp(loop, dir.resolve("afileXXXXXX").toString(), (tf, e) -> {
            assertNull(e);
            asyncTemp.set(tf);
        });
        loop.run();
        assertTrue(Files.isDirectory(Path.of(asyncMade.get())));
        assertTrue(Files.isRegularFile(Path.of(asyncTemp.get().path())));
        Fs.close(asyncTemp.get().fd());
    }

    // ---- many at once ----

    @Test
    void tenThousandConcurrentAsyncOperations() throws IOException {
        int files = 50;
        for (int i = 0; i < files; i++) {
            Files.writeString(dir.resolve("f" + i), "x".repeat(i));
        }
        int total = 10_000;
        long made = FsRequest.MADE.get();
        long cleaned = FsRequest.CLEANED.get();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger missing = new AtomicInteger();
        int[] calls = new int[total];
        for (int i = 0; i < total; i++) {
            int n = i;
            if (i % 10 == 9) {
                Fs.stat(loop, dir.resolve("missing" + i).toString(), (st, e) -> {
                    calls[n]++;
                    assertNull(st);
                    assertCode(Errno.ENOENT, e);
                    missing.incrementAndGet();
                });
            } else {
                int k = i % files;
                Fs.stat(loop, dir.resolve("f" + k).toString(), (st, e) -> {
                    calls[n]++;
                    assertNull(e);
                    assertEquals(k, st.size());
                    ok.incrementAndGet();
                });
            }
        }
        assertEquals(total, loop.outstandingRequests());
        loop.run();
        assertEquals(9_000, ok.get());
        assertEquals(1_000, missing.get());
        for (int c : calls) {
            assertEquals(1, c);
        }
        assertEquals(total, FsRequest.MADE.get() - made, "requests made");
        assertEquals(total, FsRequest.CLEANED.get() - cleaned, "uv_fs_req_cleanup once per request");
    }

    @Test
    void concurrentWritesAtOffsetsThenReadsBack() throws IOException {
        int fd = Fs.open(file, Fs.O_RDWR | Fs.O_TRUNC, MODE);
        try {
            int n = 2_000;
            AtomicInteger written = new AtomicInteger();
            for (int i = 0; i < n; i++) {
                byte[] rec = String.format("%07d\n", i).getBytes(StandardCharsets.US_ASCII);
                Fs.write(loop, fd, rec, i * 8L, (w, e) -> {
                    assertNull(e);
                    assertEquals(8, w);
                    written.incrementAndGet();
                });
            }
            loop.run();
            assertEquals(n, written.get());
            AtomicInteger read = new AtomicInteger();
            for (int i = 0; i < n; i++) {
                String expected = String.format("%07d\n", i);
                Fs.read(loop, fd, 8, i * 8L, (data, e) -> {
                    assertNull(e);
                    assertEquals(expected, new String(data, StandardCharsets.US_ASCII));
                    read.incrementAndGet();
                });
            }
            loop.run();
            assertEquals(n, read.get());
        } finally {
            Fs.close(fd);
        }
        assertEquals(2_000 * 8, Files.size(Path.of(file)));
    }

    // ---- cancellation ----

    private static int poolSize() {
        String env = System.getenv("UV_THREADPOOL_SIZE");
        try {
            return env == null ? 4 : Math.max(1, Math.min(1024, Integer.parseInt(env.trim())));
        } catch (NumberFormatException e) {
            return 4;
        }
    }

    /**
     * Occupies every thread of juv's pool (where fs requests run) with a read of an empty FIFO. {@link Blocker#release()} writes one byte per
     * read.
     */
    private final class Blocker {
        final int fd;
        final int reads;
        final AtomicInteger done = new AtomicInteger();
        boolean released;

        Blocker() throws IOException, InterruptedException {
            Path fifo = dir.resolve("pool-blocker");
            Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
            assumeTrue(mk.waitFor() == 0, "mkfifo is not available");
            fd = Fs.open(fifo.toString(), Fs.O_RDWR, 0);
            reads = poolSize();
            int before = threadsInPipeRead();
            for (int i = 0; i < reads; i++) {
                Fs.read(loop, fd, 1, -1, (b, e) -> {
                    assertNull(e);
                    assertEquals(1, b.length);
                    done.incrementAndGet();
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            if (before >= 0) {
                while (threadsInPipeRead() - before < reads && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            } else {
                Thread.sleep(500);
            }
        }

        void release() {
            if (!released) {
                released = true;
                Fs.write(fd, new byte[reads], -1);
            }
        }
    }

    /** Threads of this process blocked reading a pipe, or -1 where /proc does not say. */
    private static int threadsInPipeRead() {
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return -1;
        }
        int n = 0;
        for (java.io.File t : tasks) {
            try {
                if (Files.readString(t.toPath().resolve("wchan")).contains("pipe_read")) {
                    n++;
                }
            } catch (IOException e) {
                // the thread ended meanwhile
            }
        }
        return n;
    }

    private Blocker blocker;

    private Blocker blockPool() throws IOException, InterruptedException {
        blocker = new Blocker();
        return blocker;
    }

    @Test
    void cancelQueuedFsRequestReportsEcanceledOnce() throws Exception {
        Blocker release = blockPool();
        List<UvException> errors = new ArrayList<>();
        List<Object> results = new ArrayList<>();
        Request r = Fs.stat(loop, file, (st, e) -> {
            results.add(st);
            errors.add(e);
        });
        assertTrue(r.cancel(), "a queued request can be cancelled");
        assertFalse(r.cancel(), "a second cancel does nothing");
        release.release();
        loop.run();
        assertEquals(poolSize(), release.done.get());
        assertEquals(1, errors.size());
        assertCode(Errno.ECANCELED, errors.get(0));
        assertNull(results.get(0));
        assertTrue(r.isDone());
        assertFalse(r.cancel(), "cancel after completion does nothing");
    }

    @Test
    void cancelQueuedReadAndWriteFreesTheirBuffers() throws Exception {
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        try {
            Blocker release = blockPool();
            List<UvException> errors = new ArrayList<>();
            Request read = Fs.read(loop, fd, 1 << 20, 0, (d, e) -> errors.add(e));
            Request write = Fs.write(loop, fd, new byte[1 << 20], 0, (n, e) -> errors.add(e));
            ByteBuffer direct = ByteBuffer.allocateDirect(64);
            Request readInto = Fs.read(loop, fd, direct, 0, (n, e) -> errors.add(e));
            assertTrue(read.cancel());
            assertTrue(write.cancel());
            assertTrue(readInto.cancel());
            release.release();
            loop.run();
            assertEquals(3, errors.size());
            errors.forEach(e -> assertCode(Errno.ECANCELED, e));
            assertEquals(0, direct.position(), "a cancelled read does not move the buffer");
        } finally {
            Fs.close(fd);
        }
    }

    @Test
    void closedirIsNeverCancelled() throws Exception {
        Dir d = Fs.opendir(dir.toString());
        Blocker release = blockPool();
        List<UvException> errors = new ArrayList<>();
        Request r = Fs.closedir(loop, d, (none, e) -> errors.add(e));
        assertTrue(d.isClosed());
        assertFalse(r.cancel(), "libuv would free the uv_dir_t of a cancelled closedir and leak its stream");
        release.release();
        loop.run();
        assertEquals(1, errors.size());
        assertNull(errors.get(0));
        assertTrue(d.isClosed());
        d.close();
    }

    @Test
    void cancelQueuedReaddirKeepsTheDirectoryUsable() throws Exception {
        Dir d = Fs.opendir(dir.toString());
        Blocker release = blockPool();
        List<UvException> errors = new ArrayList<>();
        Request r = Fs.readdir(loop, d, (l, e) -> errors.add(e));
        assertTrue(r.cancel());
        release.release();
        loop.run();
        assertCode(Errno.ECANCELED, errors.get(0));
        assertTrue(Fs.readdir(d).stream().map(DirEntry::name).toList().contains("data"));
        d.close();
        assertTrue(d.isClosed());
    }

    @Test
    void futuresCompleteOnTheLoopThread() throws Exception {
        java.util.concurrent.CompletableFuture<Stat> ok = Fs.statAsync(loop, file);
        java.util.concurrent.CompletableFuture<Stat> bad = Fs.statAsync(loop, file + "-missing");
        AtomicReference<Thread> completedOn = new AtomicReference<>();
        ok.thenRun(() -> completedOn.set(Thread.currentThread()));
        assertFalse(ok.isDone(), "nothing completes before the loop runs");
        loop.run();
        assertEquals(10, ok.get().size());
        assertEquals(Thread.currentThread(), completedOn.get());
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class, bad::get);
        assertCode(Errno.ENOENT, (UvException) e.getCause());
    }

    @Test
    void cancellingAFutureCancelsItsQueuedRequest() throws Exception {
        Blocker release = blockPool();
        java.util.concurrent.CompletableFuture<Stat> f = Fs.statAsync(loop, file);
        java.util.concurrent.CompletableFuture<Stat> after = Fs.statAsync(loop, file);
        assertTrue(f.cancel(false));
        release.release();
        loop.run(); // the request's own ECANCELED outcome finds the future done and fails nothing
        assertTrue(f.isCancelled());
        assertEquals(10, after.get().size(), "the request queued after it still ran");
    }

    // ---- bad input never reaches libuv ----

    @Test
    void badInputIsRefusedBeforeLibuv() {
        long before = Native.liveBytes();
        String nul = dir + "/a\0b";
        assertThrows(IllegalArgumentException.class, () -> Fs.stat(nul));
        assertThrows(IllegalArgumentException.class, () -> Fs.stat(loop, nul, (s, e) -> {}));
        assertThrows(IllegalArgumentException.class, () -> Fs.open(bytes("x\0y"), Fs.O_RDONLY, 0));
        assertThrows(IllegalArgumentException.class, () -> Fs.rename(file, nul));
        assertThrows(IllegalArgumentException.class, () -> Fs.rename(loop, nul, file, (s, e) -> {}));
        assertThrows(IllegalArgumentException.class, () -> Fs.rename(loop, file, nul, (s, e) -> {}));
        assertThrows(IllegalArgumentException.class, () -> Fs.symlink(file, nul, 0));
        assertThrows(IllegalArgumentException.class, () -> Fs.read(3, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Fs.read(3, 4, -2));
        assertThrows(IllegalArgumentException.class, () -> Fs.read(-1, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> Fs.read(loop, -1, 4, 0, (d, e) -> {}));
        assertThrows(IllegalArgumentException.class, () -> Fs.read(loop, 3, -4, 0, (d, e) -> {}));
        assertThrows(IllegalArgumentException.class, () -> Fs.write(3, new byte[1], -5));
        assertThrows(IllegalArgumentException.class, () -> Fs.write(-3, new byte[1], 0));
        assertThrows(IllegalArgumentException.class, () -> Fs.write(3, new ByteBuffer[0], 0));
        assertThrows(NullPointerException.class, () -> Fs.write(3, new ByteBuffer[] {null}, 0));
        assertThrows(ReadOnlyBufferException.class, () -> Fs.read(3, ByteBuffer.allocate(4).asReadOnlyBuffer(), 0));
        assertThrows(IllegalArgumentException.class, () -> Fs.ftruncate(3, -1));
        assertThrows(IllegalArgumentException.class, () -> Fs.sendfile(3, 4, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> Fs.sendfile(3, 4, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> Fs.close(-1));
        assertThrows(IllegalArgumentException.class, () -> Fs.utime(file, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> Fs.futime(3, 0, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Fs.opendir(dir.toString(), 0));
        assertThrows(NullPointerException.class, () -> Fs.stat((String) null));
        assertThrows(NullPointerException.class, () -> Fs.stat(null, file, (s, e) -> {}));
        assertThrows(NullPointerException.class, () -> Fs.stat(loop, file, null));
        assertThrows(NullPointerException.class, () -> Fs.write(loop, 3, new byte[1], 0, null));
        assertEquals(before, Native.liveBytes(), "nothing allocated is left behind");
        assertEquals(0, loop.outstandingRequests());

        try (FsEvent ev = new FsEvent(loop); FsPoll poll = new FsPoll(loop)) {
            assertThrows(IllegalArgumentException.class, () -> ev.start(nul, 0, (h, f, v, e) -> {}));
            assertThrows(IllegalArgumentException.class, () -> ev.start(file, 64, (h, f, v, e) -> {}));
            assertThrows(IllegalArgumentException.class, () -> poll.start(file, -1, (h, p, c, e) -> {}));
            assertThrows(IllegalArgumentException.class, () -> poll.start(nul, 10, (h, p, c, e) -> {}));
            assertCode(Errno.EINVAL, assertThrows(UvException.class, ev::path));
            assertCode(Errno.EINVAL, assertThrows(UvException.class, poll::path));
        }
        loop.run();
    }

    @Test
    void closedDescriptorIsEbadfNotACrash() {
        int fd = Fs.open(file, Fs.O_RDONLY, 0);
        Fs.close(fd);
        assertCode(Errno.EBADF, assertThrows(UvException.class, () -> Fs.read(fd, 4, 0)));
        assertCode(Errno.EBADF, assertThrows(UvException.class, () -> Fs.fstat(fd)));
        assertCode(Errno.EBADF, assertThrows(UvException.class, () -> Fs.close(fd)));
        List<UvException> errors = new ArrayList<>();
        Fs.write(loop, fd, bytes("x"), 0, (n, e) -> errors.add(e));
        loop.run();
        assertCode(Errno.EBADF, errors.get(0));
    }

    @Test
    void errorsNameTheOperationAndPath() {
        String missing = dir.resolve("missing").toString();
        UvException e = assertThrows(UvException.class, () -> Fs.stat(missing));
        assertEquals("uv_fs_stat " + missing, e.operation());
        assertEquals("ENOENT", e.name());
        assertTrue(e.getMessage().startsWith("uv_fs_stat " + missing + ": ENOENT: "), e.getMessage());
        UvException r = assertThrows(UvException.class, () -> Fs.rename(missing, file));
        assertEquals("uv_fs_rename " + missing + " -> " + file, r.operation());
        AtomicReference<UvException> async = new AtomicReference<>();
        Fs.unlink(loop, missing, (none, err) -> async.set(err));
        loop.run();
        assertEquals("uv_fs_unlink " + missing, async.get().operation());
    }

    @Test
    void openFlagsHaveThePlatformsMeaning() throws IOException {
        assertCode(Errno.EEXIST, assertThrows(UvException.class,
                () -> Fs.open(file, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_EXCL, MODE)));
        assertCode(Errno.ENOTDIR, assertThrows(UvException.class, () -> Fs.open(file, Fs.O_RDONLY | Fs.O_DIRECTORY, 0)));
        int d = Fs.open(dir.toString(), Fs.O_RDONLY | Fs.O_DIRECTORY, 0);
        Fs.close(d);
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, Path.of(file));
        assertCode(Errno.ELOOP, assertThrows(UvException.class,
                () -> Fs.open(link.toString(), Fs.O_RDONLY | Fs.O_NOFOLLOW, 0)));
        int fd = Fs.open(file, Fs.O_WRONLY | Fs.O_APPEND, 0);
        try {
            Fs.write(fd, bytes("AB"), -1);
        } finally {
            Fs.close(fd);
        }
        assertEquals("0123456789AB", Files.readString(Path.of(file)));
        fd = Fs.open(file, Fs.O_WRONLY | Fs.O_TRUNC | Fs.O_SYNC, 0);
        Fs.close(fd);
        assertEquals(0, Files.size(Path.of(file)));
        assertTrue(Fs.O_CREAT != 0 && Fs.O_EXCL != 0 && Fs.O_TRUNC != 0 && Fs.O_APPEND != 0);
    }

    @Test
    void accessModes() throws IOException {
        Fs.chmod(file, 0400);
        Fs.access(file, Fs.R_OK);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            assertCode(Errno.EACCES, assertThrows(UvException.class, () -> Fs.access(file, Fs.W_OK)));
        }
        assertCode(Errno.EACCES, assertThrows(UvException.class, () -> Fs.access(file, Fs.X_OK)));
        Fs.chmod(file, 0600);
        assertEquals(Files.isWritable(Path.of(file)), canAccess(file, Fs.W_OK));
    }

    private static boolean canAccess(String path, int mode) {
        try {
            Fs.access(path, mode);
            return true;
        } catch (UvException e) {
            return false;
        }
    }

    // ---- buffers ----

    @Test
    void byteBufferReadsAndWritesMoveThePosition() throws IOException {
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        try {
            ByteBuffer heap = ByteBuffer.allocate(16);
            heap.position(2);
            assertEquals(10, Fs.read(fd, heap, 0));
            assertEquals(12, heap.position());
            assertEquals("0123456789", new String(heap.array(), 2, 10, StandardCharsets.US_ASCII));

            ByteBuffer direct = ByteBuffer.allocateDirect(4);
            assertEquals(4, Fs.read(fd, direct, 3));
            assertEquals(4, direct.position());
            direct.flip();
            assertEquals("3456", StandardCharsets.US_ASCII.decode(direct).toString());

            ByteBuffer a = ByteBuffer.wrap(bytes("ab"));
            ByteBuffer b = ByteBuffer.allocateDirect(3).put(bytes("CDE")).flip();
            ByteBuffer c = ByteBuffer.wrap(bytes("-fg-"), 1, 2);
            assertEquals(7, Fs.write(fd, new ByteBuffer[] {a, b, c}, 0));
            assertEquals(0, a.remaining() + b.remaining() + c.remaining());
            assertEquals("abCDEfg789", Files.readString(Path.of(file)));

            ByteBuffer big = ByteBuffer.allocate(100);
            AtomicReference<Integer> n = new AtomicReference<>();
            Fs.read(loop, fd, big, 0, (k, e) -> {
                assertNull(e);
                n.set(k);
            });
            ByteBuffer src = ByteBuffer.allocateDirect(2).put(bytes("ZZ")).flip();
            AtomicReference<Integer> w = new AtomicReference<>();
            loop.run();
            Fs.write(loop, fd, src, 10, (k, e) -> {
                assertNull(e);
                w.set(k);
            });
            loop.run();
            assertEquals(10, n.get());
            assertEquals(10, big.position());
            assertEquals(2, w.get());
            assertEquals(2, src.position());
            assertEquals("abCDEfg789ZZ", Files.readString(Path.of(file)));
            assertEquals(0, Fs.read(fd, 8, 100).length, "reading past the end gives nothing");
        } finally {
            Fs.close(fd);
        }
    }

    @Test
    void asyncWriteCopiesHeapBytesAtOnce() throws IOException {
        int fd = Fs.open(file, Fs.O_WRONLY | Fs.O_TRUNC, MODE);
        byte[] data = bytes("before");
        Fs.write(loop, fd, data, 0, (n, e) -> assertNull(e));
        java.util.Arrays.fill(data, (byte) 'X');
        loop.run();
        Fs.close(fd);
        assertEquals("before", Files.readString(Path.of(file)));
    }

    // ---- directory streams ----

    @Test
    void opendirReaddirClosedirListTheDirectory() throws IOException {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 75; i++) {
            Files.writeString(dir.resolve("e" + i), "");
            expected.add("e" + i);
        }
        expected.add("data");
        Set<String> got = new HashSet<>();
        try (Dir d = Fs.opendir(dir.toString(), 16)) {
            List<DirEntry> batch;
            while (!(batch = Fs.readdir(d)).isEmpty()) {
                assertTrue(batch.size() <= 16);
                batch.forEach(e -> {
                    assertEquals(DirEntry.Type.FILE, e.type());
                    got.add(e.name());
                });
            }
            assertThrows(IllegalStateException.class, () -> {
                Fs.readdir(loop, d, (l, e) -> {});
                Fs.readdir(d);
            });
            loop.run();
        }
        assertEquals(expected, got);

        Dir closed = Fs.opendir(dir.toString());
        Fs.closedir(closed);
        assertThrows(IllegalStateException.class, () -> Fs.readdir(closed));
        assertThrows(IllegalStateException.class, () -> Fs.closedir(closed));
        closed.close();
    }

    @Test
    void asyncDirectoryStream() throws IOException {
        for (int i = 0; i < 10; i++) {
            Files.writeString(dir.resolve("a" + i), "");
        }
        Set<String> got = new HashSet<>();
        List<String> steps = new ArrayList<>();
        Fs.opendir(loop, dir.toString(), 4, (d, e) -> {
            assertNull(e);
            steps.add("open");
            readAll(d, got, steps);
        });
        loop.run();
        assertEquals(11, got.size());
        assertEquals("closed", steps.get(steps.size() - 1));
        assertCode(Errno.ENOTDIR, assertThrows(UvException.class, () -> Fs.opendir(file)));
    }

    private void readAll(Dir d, Set<String> got, List<String> steps) {
        Fs.readdir(loop, d, (batch, e) -> {
            assertNull(e);
            if (batch.isEmpty()) {
                Fs.closedir(loop, d, (none, e2) -> {
                    assertNull(e2);
                    assertTrue(d.isClosed());
                    steps.add("closed");
                });
            } else {
                batch.forEach(x -> got.add(x.name()));
                readAll(d, got, steps);
            }
        });
    }

    // ---- more operations ----

    @Test
    void lutimeAndLchownChangeTheLinkItself() throws IOException {
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, Path.of(file));
        Instant target = Fs.stat(file).mtime();
        Fs.lutime(link.toString(), 1_000_000_000.0, 1_000_000_000.5);
        assertEquals(Instant.ofEpochSecond(1_000_000_000L, 500_000_000), Fs.lstat(link.toString()).mtime());
        assertEquals(target, Fs.stat(file).mtime(), "the target is untouched");
        Fs.lchown(link.toString(), -1, -1);
        AtomicInteger done = new AtomicInteger();
        Fs.lutime(loop, link.toString(), Instant.ofEpochSecond(5), Instant.ofEpochSecond(6), (n, e) -> {
            assertNull(e);
            done.incrementAndGet();
        });
        Fs.lchown(loop, link.toString(), -1, -1, (n, e) -> {
            assertNull(e);
            done.incrementAndGet();
        });
        Fs.statfs(loop, file, (s, e) -> {
            assertNull(e);
            assertTrue(s.blocks() > 0);
            done.incrementAndGet();
        });
        Fs.copyfile(loop, file, dir.resolve("copy").toString(), 0, (n, e) -> {
            assertNull(e);
            done.incrementAndGet();
        });
        loop.run();
        assertEquals(4, done.get());
        assertEquals(Instant.ofEpochSecond(6), Fs.lstat(link.toString()).mtime());
        assertEquals("0123456789", Files.readString(dir.resolve("copy")));
    }

    @Test
    void exceptionInFsCallbackReachesRunAndLeaksNothing() {
        Fs.stat(loop, file, (s, e) -> {
            throw new IllegalStateException("from the callback");
        });
        IllegalStateException t = assertThrows(IllegalStateException.class, loop::run);
        assertEquals("from the callback", t.getMessage());
        assertEquals(0, loop.outstandingRequests());
    }

    @Test
    void asyncCallFromForeignThreadIsRefused() throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Timer t = new Timer(loop);
        t.start(h -> {
            Thread other = new Thread(() -> {
                try {
                    Fs.stat(loop, file, (s, e) -> {});
                } catch (Throwable x) {
                    thrown.set(x);
                }
            });
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            h.close();
        }, 0, 0);
        loop.run();
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertEquals(0, loop.outstandingRequests());
    }

    @Test
    void syncCallsLeaveNoNativeMemory() throws IOException {
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, Path.of(file));
        Fs.stat(file);
        long before = Native.liveBytes();
        long made = FsRequest.MADE.get();
        long cleaned = FsRequest.CLEANED.get();
        for (int i = 0; i < 1_000; i++) {
            Fs.stat(file);
            Fs.scandir(dir.toString());
            Fs.readlink(link.toString());
            Fs.realpath(link.toString());
            Fs.statfs(file);
            assertThrows(UvException.class, () -> Fs.stat(file + "-missing"));
            int fd = Fs.open(file, Fs.O_RDONLY, 0);
            Fs.read(fd, 4, 0);
            Fs.close(fd);
        }
        assertEquals(before, Native.liveBytes());
        assertEquals(9_000, FsRequest.MADE.get() - made);
        assertEquals(9_000, FsRequest.CLEANED.get() - cleaned);
    }

    // ---- watchers closed while active ----

    @Test
    void fsEventClosedWhileActiveNeverCallsBack() throws IOException {
        AtomicInteger events = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        FsEvent w = new FsEvent(loop);
        w.start(dir.toString(), 0, (h, f, e, err) -> events.incrementAndGet());
        assertTrue(w.isActive());
        assertEquals(dir.toString(), w.path());
        w.close(h -> closes.incrementAndGet());
        Files.writeString(dir.resolve("after-close"), "x");
        loop.run();
        assertEquals(1, closes.get());
        assertEquals(0, events.get());
        assertTrue(w.isClosed());
        assertThrows(HandleClosedException.class, w::stop);
    }

    @Test
    void fsEventClosedInsideItsCallback() throws IOException {
        AtomicInteger events = new AtomicInteger();
        FsEvent w = new FsEvent(loop);
        w.start(dir.toString(), 0, (h, f, e, err) -> {
            events.incrementAndGet();
            h.close();
        });
        Timer t = new Timer(loop);
        t.start(h -> {
            try {
                for (int i = 0; i < 20; i++) {
                    Files.writeString(dir.resolve("burst" + i), "x");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            h.close();
        }, 20, 0);
        loop.run();
        assertEquals(1, events.get());
    }

    @Test
    void fsPollClosedWhileActive() {
        AtomicInteger closes = new AtomicInteger();
        FsPoll immediately = new FsPoll(loop);
        immediately.start(file, 5, (h, p, c, e) -> {});
        immediately.close(h -> closes.incrementAndGet());

        AtomicInteger calls = new AtomicInteger();
        FsPoll later = new FsPoll(loop);
        later.start(file, 5, (h, p, c, e) -> calls.incrementAndGet());
        assertEquals(file, later.path());
        Timer t = new Timer(loop);
        t.start(h -> {
            Fs.write(openRw(), bytes("more"), 10);
            h.start(h2 -> {
                later.close(x -> closes.incrementAndGet());
                h2.close();
            }, 30, 0);
        }, 30, 0);
        loop.run();
        assertEquals(2, closes.get());
        assertTrue(immediately.isClosed());
        assertTrue(later.isClosed());
    }

    private int openRw() {
        int fd = Fs.open(file, Fs.O_RDWR, 0);
        openFds.add(fd);
        return fd;
    }

    @Test
    void fsPollAndFsEventStopAndRestart() throws IOException {
        FsPoll p = new FsPoll(loop);
        p.start(file, 10, (h, a, b, e) -> {});
        p.stop();
        assertFalse(p.isActive());
        AtomicInteger changes = new AtomicInteger();
        p.start(file, 10, (h, a, b, e) -> {
            assertNull(e);
            assertEquals(10, a.size());
            assertEquals(14, b.size());
            changes.incrementAndGet();
            h.close();
        });
        FsEvent ev = new FsEvent(loop);
        ev.start(file, 0, (h, f, e, err) -> {});
        ev.stop();
        assertThrows(UvException.class, ev::path);
        ev.start(dir.toString(), 0, (h, f, e, err) -> {});
        assertCode(Errno.EINVAL, assertThrows(UvException.class, () -> ev.start(file, 0, (h, f, e, err) -> {})));
        ev.close();
        Timer t = new Timer(loop);
        t.start(h -> {
            try {
                // replaced at once, so no poll sees the file half written
                Path next = Files.writeString(dir.resolve("data.next"), "0123456789abcd");
                Files.move(next, Path.of(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            h.close();
        }, 30, 0);
        loop.run();
        assertEquals(1, changes.get());
    }
}
