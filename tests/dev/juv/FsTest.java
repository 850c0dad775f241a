package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.Tags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** pyuv's tests/test_fs.py: every fs operation synchronously and asynchronously, FsEvent, FsPoll. */
@Timeout(60)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
@Tag(Tags.FS)
class FsTest extends UvTestCase {
    private static final int MODE = 0600;
    private static final long TWO_GIB_MINUS_ONE = (1L << 31) - 1;

    @TempDir
    Path dir;
    private String file;
    private String missing;

    @BeforeEach
    void files() throws IOException {
        Path f = dir.resolve("test_file");
        Files.writeString(f, "test");
        file = f.toString();
        missing = dir.resolve("no_such_file").toString();
    }

    /** One async call's outcome, with a count of callback runs. */
    static final class Outcome<T> {
        T result;
        UvException error;
        int calls;
    }

    /** Issues an async call, runs the loop, and checks the callback ran exactly once. */
    private <T> Outcome<T> async(Function<Fs.Callback<T>, Request> call) {
        Outcome<T> o = new Outcome<>();
        call.apply((r, e) -> {
            o.calls++;
            o.result = r;
            o.error = e;
        });
        loop.run();
        assertEquals(1, o.calls, "callback runs");
        return o;
    }

    private static void assertCode(int expected, UvException e) {
        assertNotNull(e, "an error");
        assertEquals(expected, e.code(), () -> "got " + e.getMessage());
    }

    private static void assertThrowsCode(int expected, Runnable r) {
        UvException e = assertThrows(UvException.class, r::run);
        assertCode(expected, e);
    }

    private static String contents(String path) throws IOException {
        return Files.readString(Path.of(path), StandardCharsets.ISO_8859_1);
    }

    private void assumeSymlink(String target, String link) {
        try {
            Fs.symlink(target, link, 0);
        } catch (UvException e) {
            assumeTrue(e.code() != Errno.EPERM, "symbolic links are not allowed here");
            throw e;
        }
    }

    private static void assertAllPermissions(String path) throws IOException {
        assertEquals(EnumSet.allOf(PosixFilePermission.class), Files.getPosixFilePermissions(Path.of(path)));
    }

    // ---- FSTestRequestDict ----

    private String stored;

    @Test
    void asyncCallbackRunsAfterCallReturns() {
        List<String> seen = new ArrayList<>();
        Fs.stat(loop, file, (st, err) -> {
            assertNull(err);
            seen.add(stored);
        });
        stored = "set after the call";
        loop.run();
        assertEquals(List.of("set after the call"), seen);
    }

    // ---- stat ----

    @Test
    void statMissingAsync() {
        Outcome<Stat> o = async(cb -> Fs.stat(loop, missing, cb));
        assertCode(Errno.ENOENT, o.error);
        assertNull(o.result);
    }

    @Test
    void statAsync() {
        Outcome<Stat> o = async(cb -> Fs.stat(loop, file, cb));
        assertNull(o.error);
        assertEquals(4, o.result.size());
    }

    @Test
    void statSync() {
        assertNotNull(Fs.stat(file));
    }

    @Test
    void statMissingSyncThrows() {
        assertThrowsCode(Errno.ENOENT, () -> Fs.stat(missing));
    }

    @Test
    void lstatSymlinkAsync() {
        String link = dir.resolve("test_file_link").toString();
        assumeSymlink(file, link);
        Outcome<Stat> o = async(cb -> Fs.lstat(loop, link, cb));
        assertNull(o.error);
        assertTrue(o.result.isSymbolicLink());
        assertEquals(file.getBytes(StandardCharsets.UTF_8).length, o.result.size());
    }

    @Test
    void fstatAsync() {
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        Outcome<Stat> o = async(cb -> Fs.fstat(loop, fd, cb));
        Fs.close(fd);
        assertNull(o.error);
        assertEquals(4, o.result.size());
    }

    @Test
    void fstatSync() {
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        try {
            assertNotNull(Fs.fstat(fd));
        } finally {
            Fs.close(fd);
        }
    }

    // ---- unlink ----

    @Test
    void unlinkMissingAsync() {
        assertCode(Errno.ENOENT, async(cb -> Fs.unlink(loop, missing, cb)).error);
    }

    @Test
    void unlinkAsync() {
        assertNull(async(cb -> Fs.unlink(loop, file, cb)).error);
        assertFalse(Files.exists(Path.of(file)));
    }

    @Test
    void unlinkSync() {
        Fs.unlink(file);
        assertFalse(Files.exists(Path.of(file)));
    }

    @Test
    void unlinkMissingSyncThrows() {
        assertThrowsCode(Errno.ENOENT, () -> Fs.unlink(missing));
    }

    // ---- mkdir ----

    @Test
    void mkdirExistingAsync() {
        assertCode(Errno.EEXIST, async(cb -> Fs.mkdir(loop, dir.toString(), 0755, cb)).error);
    }

    @Test
    void mkdirAsync() {
        String d = dir.resolve("test_dir").toString();
        assertNull(async(cb -> Fs.mkdir(loop, d, 0755, cb)).error);
        assertTrue(Files.isDirectory(Path.of(d)));
    }

    @Test
    void mkdirSync() {
        String d = dir.resolve("test_dir").toString();
        Fs.mkdir(d, 0755);
        assertTrue(Files.isDirectory(Path.of(d)));
    }

    @Test
    void mkdirExistingSyncThrows() {
        assertThrowsCode(Errno.EEXIST, () -> Fs.mkdir(dir.toString(), 0755));
    }

    // ---- rmdir ----

    @Test
    void rmdirMissingAsync() {
        assertCode(Errno.ENOENT, async(cb -> Fs.rmdir(loop, missing, cb)).error);
    }

    @Test
    void rmdirAsync() throws IOException {
        Path d = Files.createDirectory(dir.resolve("test_dir"));
        assertNull(async(cb -> Fs.rmdir(loop, d.toString(), cb)).error);
        assertFalse(Files.exists(d));
    }

    @Test
    void rmdirSync() throws IOException {
        Path d = Files.createDirectory(dir.resolve("test_dir"));
        Fs.rmdir(d.toString());
        assertFalse(Files.exists(d));
    }

    @Test
    void rmdirMissingSyncThrows() {
        assertThrowsCode(Errno.ENOENT, () -> Fs.rmdir(missing));
    }

    // ---- rename ----

    @Test
    void renameAsync() {
        String to = dir.resolve("test_file_renamed").toString();
        assertNull(async(cb -> Fs.rename(loop, file, to, cb)).error);
        assertFalse(Files.exists(Path.of(file)));
        assertTrue(Files.exists(Path.of(to)));
    }

    @Test
    void renameSync() {
        String to = dir.resolve("test_file_renamed").toString();
        Fs.rename(file, to);
        assertFalse(Files.exists(Path.of(file)));
        assertTrue(Files.exists(Path.of(to)));
    }

    // ---- chmod, fchmod ----

    @Test
    void chmodAsync() throws IOException {
        assertNull(async(cb -> Fs.chmod(loop, file, 0777, cb)).error);
        assertAllPermissions(file);
    }

    @Test
    void chmodSync() throws IOException {
        Fs.chmod(file, 0777);
        assertAllPermissions(file);
    }

    @Test
    void fchmodAsync() throws IOException {
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        Outcome<Void> o = async(cb -> Fs.fchmod(loop, fd, 0777, cb));
        Fs.close(fd);
        assertNull(o.error);
        assertAllPermissions(file);
    }

    @Test
    void fchmodSync() throws IOException {
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        try {
            Fs.fchmod(fd, 0777);
        } finally {
            Fs.close(fd);
        }
        assertAllPermissions(file);
    }

    // ---- link, symlink, readlink ----

    @Test
    void linkAsync() {
        String to = dir.resolve("test_file_link").toString();
        assertNull(async(cb -> Fs.link(loop, file, to, cb)).error);
        assertEquals(Fs.stat(file).ino(), Fs.stat(to).ino());
    }

    @Test
    void linkSync() {
        String to = dir.resolve("test_file_link").toString();
        Fs.link(file, to);
        assertEquals(Fs.stat(file).ino(), Fs.stat(to).ino());
    }

    @Test
    void symlinkAsync() {
        String to = dir.resolve("test_file_symlink").toString();
        UvException err = async((Fs.Callback<Void> cb) -> Fs.symlink(loop, file, to, 0, cb)).error;
        assumeTrue(err == null || err.code() != Errno.EPERM, "symbolic links are not allowed here");
        assertNull(err);
        assertTrue(Fs.lstat(to).isSymbolicLink());
        assertTrue(Files.isSymbolicLink(Path.of(to)));
    }

    @Test
    void symlinkSync() {
        String to = dir.resolve("test_file_symlink").toString();
        assumeSymlink(file, to);
        assertTrue(Fs.lstat(to).isSymbolicLink());
        assertTrue(Files.isSymbolicLink(Path.of(to)));
    }

    @Test
    void readlinkAsync() {
        String link = dir.resolve("test_file_symlink").toString();
        assumeSymlink(file, link);
        Outcome<String> o = async(cb -> Fs.readlink(loop, link, cb));
        assertNull(o.error);
        assertEquals(file, o.result);
    }

    @Test
    void readlinkSync() {
        String link = dir.resolve("test_file_symlink").toString();
        assumeSymlink(file, link);
        assertEquals(file, Fs.readlink(link));
    }

    // ---- chown, fchown ----

    @Test
    void chownAsync() {
        assertNull(async(cb -> Fs.chown(loop, file, -1, -1, cb)).error);
    }

    @Test
    void chownSync() {
        Fs.chown(file, -1, -1);
    }

    @Test
    void fchownAsync() {
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        Outcome<Void> o = async(cb -> Fs.fchown(loop, fd, -1, -1, cb));
        Fs.close(fd);
        assertNull(o.error);
    }

    @Test
    void fchownSync() {
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        try {
            Fs.fchown(fd, -1, -1);
        } finally {
            Fs.close(fd);
        }
    }

    // ---- open ----

    @Test
    void openCreateAsync() {
        String path = dir.resolve("created").toString();
        List<Object> events = new ArrayList<>();
        Fs.open(loop, path, Fs.O_WRONLY | Fs.O_CREAT, MODE, (fd, err) -> {
            assertNull(err);
            assertTrue(fd >= 0);
            events.add("open");
            Fs.close(loop, fd, (none, err2) -> {
                assertNull(err2);
                events.add("close");
            });
        });
        loop.run();
        assertEquals(List.of("open", "close"), events);
        assertTrue(Files.exists(Path.of(path)));
    }

    @Test
    void openMissingAsync() {
        Outcome<Integer> o = async(cb -> Fs.open(loop, missing, Fs.O_RDONLY, MODE, cb));
        assertCode(Errno.ENOENT, o.error);
        assertNull(o.result);
    }

    @Test
    void openSync() {
        int fd = Fs.open(file, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, MODE);
        assertTrue(fd >= 0);
        Fs.close(fd);
    }

    @Test
    void openMissingSyncThrows() {
        assertThrowsCode(Errno.ENOENT, () -> Fs.open(missing, Fs.O_RDONLY, MODE));
    }

    // ---- read ----

    @Test
    void readAsync() throws IOException {
        Files.writeString(Path.of(file), "test1234567890");
        int fd = Fs.open(file, Fs.O_RDONLY, MODE);
        List<String> got = new ArrayList<>();
        Fs.read(loop, fd, 4, -1, (data, err) -> {
            assertNull(err);
            got.add(new String(data, StandardCharsets.US_ASCII));
            Fs.close(fd);
        });
        loop.run();
        assertEquals(List.of("test"), got);
    }

    @Test
    void readSync() throws IOException {
        Files.writeString(Path.of(file), "test1234567890");
        int fd = Fs.open(file, Fs.O_RDONLY, MODE);
        try {
            assertEquals("test", new String(Fs.read(fd, 4, -1), StandardCharsets.US_ASCII));
        } finally {
            Fs.close(fd);
        }
    }

    @Test
    void readBeyond2GiB() {
        int fd = Fs.open(file, Fs.O_RDWR | Fs.O_TRUNC, MODE);
        try {
            Fs.write(fd, "test1234567890".getBytes(StandardCharsets.US_ASCII), TWO_GIB_MINUS_ONE);
            byte[] got = Fs.read(fd, 4, TWO_GIB_MINUS_ONE + 4);
            assertEquals("1234", new String(got, StandardCharsets.US_ASCII));
        } finally {
            Fs.close(fd);
        }
    }

    // ---- write ----

    @Test
    void writeAsync() throws IOException {
        int fd = Fs.open(file, Fs.O_WRONLY | Fs.O_TRUNC, MODE);
        Outcome<Integer> o = async(cb -> Fs.write(loop, fd, "TEST".getBytes(StandardCharsets.US_ASCII), -1, cb));
        Fs.close(fd);
        assertNull(o.error);
        assertEquals(4, o.result);
        assertEquals("TEST", contents(file));
    }

    @Test
    void writeWithNulByte() throws IOException {
        int fd = Fs.open(file, Fs.O_WRONLY | Fs.O_TRUNC, MODE);
        byte[] data = {'T', 'E', 'S', 0, 'T'};
        Outcome<Integer> o = async(cb -> Fs.write(loop, fd, data, -1, cb));
        Fs.close(fd);
        assertNull(o.error);
        assertEquals(5, o.result);
        assertArrayEquals(data, Files.readAllBytes(Path.of(file)));
    }

    @Test
    void writeSync() throws IOException {
        int fd = Fs.open(file, Fs.O_WRONLY | Fs.O_TRUNC, MODE);
        try {
            assertEquals(4, Fs.write(fd, "TEST".getBytes(StandardCharsets.US_ASCII), -1));
        } finally {
            Fs.close(fd);
        }
        assertEquals("TEST", contents(file));
    }

    @Test
    void writeBeyond2GiB() {
        int fd = Fs.open(file, Fs.O_RDWR | Fs.O_TRUNC, MODE);
        try {
            long at = TWO_GIB_MINUS_ONE + 4;
            assertEquals(4, Fs.write(fd, "TEST".getBytes(StandardCharsets.US_ASCII), at));
            assertEquals("TEST", new String(Fs.read(fd, 4, at), StandardCharsets.US_ASCII));
        } finally {
            Fs.close(fd);
        }
    }

    // ---- fsync, fdatasync ----

    @Test
    void fdatasyncThenFsyncAsync() throws IOException {
        int fd = Fs.open(file, Fs.O_RDWR | Fs.O_TRUNC, MODE);
        List<String> steps = new ArrayList<>();
        Fs.write(loop, fd, "TEST".getBytes(StandardCharsets.US_ASCII), -1, (n, err) -> {
            assertNull(err);
            assertEquals(4, n);
            steps.add("write");
            Fs.fdatasync(loop, fd, (none, err2) -> {
                assertNull(err2);
                steps.add("fdatasync");
                Fs.fsync(loop, fd, (none3, err3) -> {
                    assertNull(err3);
                    steps.add("fsync");
                });
            });
        });
        loop.run();
        Fs.close(fd);
        assertEquals(List.of("write", "fdatasync", "fsync"), steps);
        assertEquals("TEST", contents(file));
    }

    @Test
    void fdatasyncThenFsyncSync() throws IOException {
        int fd = Fs.open(file, Fs.O_RDWR | Fs.O_TRUNC, MODE);
        try {
            assertEquals(4, Fs.write(fd, "TEST".getBytes(StandardCharsets.US_ASCII), -1));
            Fs.fdatasync(fd);
            Fs.fsync(fd);
        } finally {
            Fs.close(fd);
        }
        assertEquals("TEST", contents(file));
    }

    // ---- ftruncate ----

    @Test
    void ftruncateShortensAsync() throws IOException {
        Files.writeString(Path.of(file), "test-data");
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        Outcome<Void> o = async(cb -> Fs.ftruncate(loop, fd, 4, cb));
        Fs.close(fd);
        assertNull(o.error);
        assertEquals("test", contents(file));
    }

    @Test
    void ftruncateToZeroAsync() throws IOException {
        Files.writeString(Path.of(file), "test-data");
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        Outcome<Void> o = async(cb -> Fs.ftruncate(loop, fd, 0, cb));
        Fs.close(fd);
        assertNull(o.error);
        assertEquals("", contents(file));
    }

    @Test
    void ftruncateSync() throws IOException {
        Files.writeString(Path.of(file), "test-data");
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        try {
            Fs.ftruncate(fd, 0);
        } finally {
            Fs.close(fd);
        }
        assertEquals("", contents(file));
    }

    // ---- scandir ----

    private Path scandirFixture() throws IOException {
        Path d = Files.createDirectory(dir.resolve("test_dir"));
        Files.writeString(d.resolve("file1"), "1");
        Files.writeString(d.resolve("file2"), "2");
        Files.createDirectory(d.resolve("test_subdir"));
        return d;
    }

    private static void assertScandirFixture(List<DirEntry> entries) {
        Map<String, DirEntry.Type> byName = entries.stream().collect(Collectors.toMap(DirEntry::name, DirEntry::type));
        assertEquals(3, entries.size(), () -> "entries: " + entries);
        assertEquals(java.util.Set.of("file1", "file2", "test_subdir"), byName.keySet());
        for (String f : List.of("file1", "file2")) {
            DirEntry.Type t = byName.get(f);
            assertTrue(t == DirEntry.Type.FILE || t == DirEntry.Type.UNKNOWN, f + ": " + t);
        }
        DirEntry.Type t = byName.get("test_subdir");
        assertTrue(t == DirEntry.Type.DIR || t == DirEntry.Type.UNKNOWN, "test_subdir: " + t);
    }

    @Test
    void scandirMissingAsync() {
        assertCode(Errno.ENOENT, async((Fs.Callback<List<DirEntry>> cb) -> Fs.scandir(loop, missing, cb)).error);
    }

    @Test
    void scandirAsync() throws IOException {
        Path d = scandirFixture();
        Outcome<List<DirEntry>> o = async(cb -> Fs.scandir(loop, d.toString(), cb));
        assertNull(o.error);
        assertScandirFixture(o.result);
    }

    @Test
    void scandirSync() throws IOException {
        assertScandirFixture(Fs.scandir(scandirFixture().toString()));
    }

    @Test
    void scandirMissingSyncThrows() {
        assertThrowsCode(Errno.ENOENT, () -> Fs.scandir(missing));
    }

    // ---- sendfile ----

    private String sparseSource() {
        String src = dir.resolve("sendfile_source").toString();
        int fd = Fs.open(src, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, MODE);
        try {
            Fs.write(fd, "begin\n".getBytes(StandardCharsets.US_ASCII), 0);
            Fs.write(fd, "end\n".getBytes(StandardCharsets.US_ASCII), 6 + 65536);
        } finally {
            Fs.close(fd);
        }
        return src;
    }

    @Test
    void sendfileAsync() throws IOException {
        String src = sparseSource();
        String out = dir.resolve("sendfile_copy").toString();
        int in = Fs.open(src, Fs.O_RDONLY, MODE);
        int outFd = Fs.open(out, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, MODE);
        Outcome<Long> o = async(cb -> Fs.sendfile(loop, outFd, in, 0, 131072, cb));
        Fs.close(in);
        Fs.close(outFd);
        assertNull(o.error);
        assertEquals(6 + 65536 + 4, o.result);
        assertArrayEquals(Files.readAllBytes(Path.of(src)), Files.readAllBytes(Path.of(out)));
    }

    @Test
    void sendfileSync() throws IOException {
        String src = sparseSource();
        String out = dir.resolve("sendfile_copy").toString();
        int in = Fs.open(src, Fs.O_RDONLY, MODE);
        int outFd = Fs.open(out, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, MODE);
        try {
            assertEquals(6 + 65536 + 4, Fs.sendfile(outFd, in, 0, 131072));
        } finally {
            Fs.close(in);
            Fs.close(outFd);
        }
        assertArrayEquals(Files.readAllBytes(Path.of(src)), Files.readAllBytes(Path.of(out)));
    }

    @Test
    void sendfileBeyond2GiB() throws IOException {
        long at = 1L << 31;
        int src = Fs.open(file, Fs.O_RDWR | Fs.O_TRUNC, MODE);
        String out = dir.resolve("sendfile_copy").toString();
        int outFd = Fs.open(out, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, MODE);
        try {
            Fs.write(src, "test".getBytes(StandardCharsets.US_ASCII), at);
            assertEquals(4, Fs.sendfile(outFd, src, at, 4));
        } finally {
            Fs.close(src);
            Fs.close(outFd);
        }
        assertEquals("test", contents(out));
    }

    // ---- utime, futime ----

    private static final double ATIME = 400497753;
    private static final double MTIME = 400497753;

    private void assertTimes(String path) {
        Stat st = Fs.stat(path);
        assertEquals((long) ATIME, st.atime().getEpochSecond());
        assertEquals((long) MTIME, st.mtime().getEpochSecond());
    }

    @Test
    void utimeAsync() {
        assertNull(async(cb -> Fs.utime(loop, file, ATIME, MTIME, cb)).error);
        assertTimes(file);
    }

    @Test
    void futimeAsync() {
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        List<UvException> errors = new ArrayList<>();
        Fs.futime(loop, fd, ATIME, MTIME, (none, err) -> {
            errors.add(err);
            Fs.close(fd);
        });
        loop.run();
        assertEquals(1, errors.size());
        assertNull(errors.get(0));
        assertTimes(file);
    }

    @Test
    void utimeSync() {
        Fs.utime(file, ATIME, MTIME);
        assertTimes(file);
    }

    @Test
    void futimeSync() {
        int fd = Fs.open(file, Fs.O_RDWR, MODE);
        try {
            Fs.futime(fd, ATIME, MTIME);
        } finally {
            Fs.close(fd);
        }
        assertTimes(file);
    }

    // ---- access ----

    @Test
    void accessMissingAsync() {
        assertCode(Errno.ENOENT, async(cb -> Fs.access(loop, missing, Fs.F_OK, cb)).error);
    }

    @Test
    void accessAsync() {
        assertNull(async(cb -> Fs.access(loop, file, Fs.F_OK, cb)).error);
    }

    @Test
    void accessSync() {
        Fs.access(file, Fs.F_OK);
    }

    @Test
    void accessMissingSyncThrows() {
        assertThrowsCode(Errno.ENOENT, () -> Fs.access(missing, Fs.F_OK));
    }

    // ---- realpath ----

    @Test
    void realpathAsync() {
        Outcome<String> o = async(cb -> Fs.realpath(loop, ".", cb));
        assertNull(o.error);
        assertNotEquals(".", o.result);
        assertTrue(Path.of(o.result).isAbsolute(), o.result);
    }

    @Test
    void realpathSync() {
        String p = Fs.realpath(".");
        assertNotEquals(".", p);
        assertTrue(Path.of(p).isAbsolute(), p);
    }

    // ---- FsEvent ----

    @Test
    void fsEventOnFileRename() {
        String renamed = dir.resolve("test_file_renamed").toString();
        FsEvent watcher = new FsEvent(loop);
        watcher.start(file, 0, (h, filename, events, err) -> {
            assertNull(err);
            assertTrue(filename == null || filename.equals("test_file") || filename.equals("test_file_renamed"),
                    "filename " + filename);
            assertTrue(events == FsEvent.RENAME || events == FsEvent.CHANGE, "events " + events);
            h.stop();
            h.close();
        });
        assertEquals(file, watcher.path());
        Timer t = new Timer(loop);
        t.start(h -> {
            Fs.rename(file, renamed);
            h.close();
        }, 100, 0);
        loop.run();
        assertTrue(watcher.isClosed());
    }

    @Test
    void fsEventOnDirectoryEntryRename() throws IOException {
        Path d = Files.createDirectory(dir.resolve("watched_dir"));
        Path f = Files.writeString(d.resolve("entry"), "x");
        List<Integer> calls = new ArrayList<>();
        FsEvent watcher = new FsEvent(loop);
        watcher.start(d.toString(), 0, (h, filename, events, err) -> {
            calls.add(events);
            assertNull(err);
            assertTrue(filename == null || filename.equals("entry"), "filename " + filename);
            assertTrue((events & FsEvent.RENAME) != 0, "events " + events);
            h.close();
        });
        Timer t = new Timer(loop);
        t.start(h -> {
            Fs.rename(f.toString(), d.resolve("entry_renamed").toString());
            h.close();
        }, 100, 0);
        loop.run();
        assertEquals(1, calls.size());
    }

    @Test
    void fsEventOnFileTouch() throws IOException {
        Path d = Files.createDirectory(dir.resolve("watched_dir"));
        Path f = Files.writeString(d.resolve("entry"), "x");
        List<Integer> calls = new ArrayList<>();
        FsEvent watcher = new FsEvent(loop);
        watcher.start(f.toString(), 0, (h, filename, events, err) -> {
            calls.add(events);
            assertNull(err);
            assertTrue(filename == null || filename.equals("entry"), "filename " + filename);
            assertTrue((events & FsEvent.CHANGE) != 0, "events " + events);
            h.close();
        });
        Timer t = new Timer(loop);
        t.start(h -> {
            double now = System.currentTimeMillis() / 1000.0;
            Fs.utime(f.toString(), now, now);
            h.close();
        }, 100, 0);
        loop.run();
        assertEquals(1, calls.size());
    }

    // ---- FsPoll ----

    @Test
    void fsPollSequence() {
        String path = dir.resolve("polled").toString();
        List<String> seen = new ArrayList<>();
        Timer timer = new Timer(loop);
        FsPoll poll = new FsPoll(loop);
        poll.start(path, 100, (h, prev, curr, err) -> {
            int n = seen.size() + 1;
            if (err != null) {
                assertNull(prev);
                assertNull(curr);
            } else {
                assertNotNull(prev);
                assertNotNull(curr);
            }
            switch (n) {
                case 1 -> {
                    assertCode(Errno.ENOENT, err);
                    seen.add("enoent");
                    rewrite(path, 1);
                }
                case 2 -> {
                    assertNull(err);
                    seen.add("created");
                    timer.start(x -> rewrite(path, 2), 20, 0);
                }
                case 3 -> {
                    assertNull(err);
                    assertEquals(2, curr.size());
                    seen.add("changed");
                    timer.start(x -> rewrite(path, 3), 200, 0);
                }
                case 4 -> {
                    assertNull(err);
                    assertEquals(3, curr.size());
                    seen.add("changed again");
                    Fs.unlink(path);
                }
                case 5 -> {
                    assertCode(Errno.ENOENT, err);
                    seen.add("deleted");
                    h.close();
                    timer.close();
                }
                default -> throw new AssertionError("callback " + n);
            }
        });
        assertEquals(path, poll.path());
        loop.run();
        assertEquals(List.of("enoent", "created", "changed", "changed again", "deleted"), seen);
    }

    /** Replaces the file at once (a new file renamed over it), so no poll sees it half written. */
    private static void rewrite(String path, int length) {
        String next = path + ".next";
        int fd = Fs.open(next, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, MODE);
        try {
            Fs.write(fd, "x".repeat(length).getBytes(StandardCharsets.US_ASCII), 0);
        } finally {
            Fs.close(fd);
        }
        Fs.rename(next, path);
    }
}
