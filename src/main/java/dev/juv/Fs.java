package dev.juv;

import dev.juv.FsRequest.Reader;
import dev.juv.FsRequest.Submit;
import dev.juv.internal.CBlock;
import dev.juv.internal.Descriptors;
import dev.juv.internal.FsBufs;
import dev.juv.internal.FsLayouts;
import dev.juv.internal.Layouts;
import dev.juv.internal.LibUv;
import dev.juv.internal.Platform;
import dev.juv.internal.ReadBuffers;
import dev.juv.internal.WritePool;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * libuv's file-system operations ({@code uv_fs_*}) as static calls, each in two forms.
 *
 * <p>The synchronous form takes libuv's arguments in libuv's order, without loop, request or
 * callback, runs on the calling thread, and returns the result or throws a {@link UvException}
 * whose operation names the call and its path (for example {@code "uv_fs_stat /x/y"}).
 *
 * <p>The asynchronous form puts the {@link Loop} first and a {@link Callback} last. The operation
 * runs on juv's pool of daemon threads ({@code UV_THREADPOOL_SIZE} of them, as libuv's), never on
 * libuv's own, so a call blocked there (an open of a FIFO without a writer) cannot hold up
 * {@code System.exit}; the callback runs once on the loop thread with the result and a
 * null error, or a null result and the error. It returns a {@link Request} that can be
 * cancelled; a cancelled request's callback runs with ECANCELED. Native buffers stay alive until
 * the callback has run.
 *
 * <p>Each asynchronous form has a twin named with the {@code Async} suffix that takes no callback
 * and returns a {@link CompletableFuture} of the callback's result ({@link #statAsync(Loop, String)}
 * gives a {@code CompletableFuture<Stat>}); it may be called from any thread. Its arguments are
 * checked at once on the calling thread, which gets the exception; the operation itself is issued
 * on the loop thread ({@link Loop#execute}), and what goes wrong there (a closed loop, a busy
 * {@link Dir}, libuv's error) completes the future exceptionally. The future completes on the loop
 * thread, so waiting for it there ({@code join()} in a callback) throws
 * {@link IllegalStateException} instead of deadlocking. {@code cancel} on it cancels the request
 * while it waits for a pool thread; a call already running finishes, its result reaches no one,
 * and a descriptor or directory stream it opened is closed.
 *
 * <p>Paths given as {@code String} are UTF-8. The {@code byte[]} overloads take and give raw
 * bytes, so file names that are not valid UTF-8 round-trip exactly. Bad input is refused before
 * libuv sees it: a path with a NUL byte, a negative length, an offset below -1, a negative
 * descriptor ({@link IllegalArgumentException}); a null argument ({@link NullPointerException}).
 */
public final class Fs {
    private Fs() {}

    /**
     * Receives an fs operation's outcome on the loop thread: a result or an error.
     *
     * @param <T> the type of the result, such as {@link Stat}
     */
    @FunctionalInterface
    public interface Callback<T> {
        /**
         * Called once when the operation is over.
         *
         * @param result the result, null on error or for an operation without one
         * @param error null on success
         */
        void call(T result, UvException error);
    }

    /**
     * The result of {@link #mkstemp(String)}: the open descriptor and the file's path.
     *
     * @param fd the descriptor, open for reading and writing
     * @param path the new file's path
     */
    public record TempFile(int fd, String path) {}

    // ---- constants ----

    private static final Flags FLAGS = Flags.current();

    /** Open for reading only. */
    public static final int O_RDONLY = FLAGS.rdonly;
    /** Open for writing only. */
    public static final int O_WRONLY = FLAGS.wronly;
    /** Open for reading and writing. */
    public static final int O_RDWR = FLAGS.rdwr;
    /** Create the file if it does not exist. */
    public static final int O_CREAT = FLAGS.creat;
    /** With O_CREAT: fail with EEXIST if the file exists. */
    public static final int O_EXCL = FLAGS.excl;
    /** Truncate an existing file to length 0. */
    public static final int O_TRUNC = FLAGS.trunc;
    /** Every write appends to the end of the file. */
    public static final int O_APPEND = FLAGS.append;
    /** Writes wait until data and metadata reach the device. */
    public static final int O_SYNC = FLAGS.sync;
    /** Writes wait until data reaches the device. */
    public static final int O_DSYNC = FLAGS.dsync;
    /** Fail with ENOTDIR unless the path is a directory (0 where the platform has none). */
    public static final int O_DIRECTORY = FLAGS.directory;
    /** Fail with ELOOP if the last path component is a symbolic link (0 where the platform has none). */
    public static final int O_NOFOLLOW = FLAGS.nofollow;
    /** Do not make a terminal the controlling terminal (0 where the platform has none). */
    public static final int O_NOCTTY = FLAGS.noctty;
    /** Open in non-blocking mode (0 where the platform has none). */
    public static final int O_NONBLOCK = FLAGS.nonblock;
    /** Bypass the page cache (0 where the platform has none). */
    public static final int O_DIRECT = FLAGS.direct;
    /** Do not update the access time (Linux; 0 elsewhere). */
    public static final int O_NOATIME = FLAGS.noatime;
    /** Close the descriptor in child processes (0 where the platform has none). */
    public static final int O_CLOEXEC = FLAGS.cloexec;

    /** {@link #access}: the file exists. */
    public static final int F_OK = 0;
    /** {@link #access}: the file is readable. */
    public static final int R_OK = 4;
    /** {@link #access}: the file is writable. */
    public static final int W_OK = 2;
    /** {@link #access}: the file is executable. */
    public static final int X_OK = 1;

    /** {@link #symlink}: the target is a directory (Windows). */
    public static final int SYMLINK_DIR = 1;
    /** {@link #symlink}: create a junction point (Windows). */
    public static final int SYMLINK_JUNCTION = 2;

    /** {@link #copyfile}: fail with EEXIST if the destination exists. */
    public static final int COPYFILE_EXCL = 1;
    /** {@link #copyfile}: try a copy-on-write reflink, fall back to copying. */
    public static final int COPYFILE_FICLONE = 2;
    /** {@link #copyfile}: use a copy-on-write reflink or fail. */
    public static final int COPYFILE_FICLONE_FORCE = 4;

    /** The platform's {@code O_*} values, as libuv's {@code UV_FS_O_*} define them. */
    private record Flags(int rdonly, int wronly, int rdwr, int creat, int excl, int trunc, int append,
            int sync, int dsync, int directory, int nofollow, int noctty, int nonblock, int direct,
            int noatime, int cloexec) {
        static Flags current() {
            if (Platform.MAC) {
                return new Flags(0, 1, 2, 0x200, 0x800, 0x400, 0x8, 0x80, 0x400000, 0x100000, 0x100,
                        0x20000, 0x4, 0, 0, 0x1000000);
            }
            if (Platform.WINDOWS) {
                return new Flags(0, 1, 2, 0x100, 0x400, 0x200, 0x8, 0x08000000, 0x04000000, 0, 0, 0, 0,
                        0x02000000, 0, 0);
            }
            if (Platform.ARM) {
                return new Flags(0, 1, 2, 0100, 0200, 01000, 02000, 04010000, 010000, 040000, 0100000,
                        0400, 04000, 0200000, 01000000, 02000000);
            }
            // Linux on x86, x86-64 and the other generic-layout architectures
            return new Flags(0, 1, 2, 0100, 0200, 01000, 02000, 04010000, 010000, 0200000, 0400000,
                    0400, 04000, 040000, 01000000, 02000000);
        }
    }

    // ---- the calls behind every public method ----

    /** A call taking one path. */
    @FunctionalInterface
    private interface PathCall {
        int call(long loop, long req, long path, long cb);
    }

    /** A call taking two paths. */
    @FunctionalInterface
    private interface Path2Call {
        int call(long loop, long req, long path, long newPath, long cb);
    }

    private static final Reader<Void> NONE = (req, result) -> null;
    private static final Reader<Integer> INT = (req, result) -> (int) result;
    private static final Reader<Long> LONG = (req, result) -> result;
    private static final Reader<Stat> STAT = (req, result) -> Layouts.stat(LibUv.uv_fs_get_statbuf(req));
    private static final Reader<StatFs> STATFS = (req, result) -> FsLayouts.statfs(LibUv.uv_fs_get_ptr(req));
    private static final Reader<String> PTR_STRING = (req, result) -> CBlock.stringAt(LibUv.uv_fs_get_ptr(req));
    private static final Reader<byte[]> PTR_BYTES = (req, result) -> CBlock.stringBytesAt(LibUv.uv_fs_get_ptr(req));
    private static final Reader<String> PATH_STRING = (req, result) -> CBlock.stringAt(LibUv.uv_fs_get_path(req));
    private static final Reader<byte[]> PATH_BYTES = (req, result) -> CBlock.stringBytesAt(LibUv.uv_fs_get_path(req));
    private static final Reader<TempFile> TEMP_FILE =
            (req, result) -> new TempFile((int) result, CBlock.stringAt(LibUv.uv_fs_get_path(req)));
    private static final Reader<List<DirEntry>> SCANDIR = Fs::scandirEntries;

    private static byte[] utf8(String path) {
        return CBlock.utf8(Objects.requireNonNull(path, "path"));
    }

    private static String text(byte[] path) {
        return new String(path, StandardCharsets.UTF_8);
    }

    private static <T> T sync1(String name, byte[] path, PathCall c, Reader<T> reader) {
        Objects.requireNonNull(path, "path");
        try (CBlock p = CBlock.bytes(path)) {
            long a = p.address();
            return FsRequest.sync(name + " " + text(path), (l, q, cb) -> c.call(l, q, a, cb), reader);
        }
    }

    private static <T> Request async1(Loop loop, String name, byte[] path, PathCall c, Reader<T> reader,
            Callback<? super T> callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(callback, "callback");
        String operation = name + " " + text(path);
        CBlock p = CBlock.bytes(path);
        long a = p.address();
        // the call runs later on a pool thread: the request owns the path until it is over
        return FsRequest.async(loop, operation, (l, q, cb) -> c.call(l, q, a, cb), reader, callback, p, null, null);
    }

    private static <T> T sync2(String name, byte[] path, byte[] newPath, Path2Call c, Reader<T> reader) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(newPath, "newPath");
        try (CBlock p = CBlock.bytes(path); CBlock n = CBlock.bytes(newPath)) {
            long a = p.address();
            long b = n.address();
            return FsRequest.sync(name + " " + text(path) + " -> " + text(newPath),
                    (l, q, cb) -> c.call(l, q, a, b, cb), reader);
        }
    }

    private static <T> Request async2(Loop loop, String name, byte[] path, byte[] newPath, Path2Call c,
            Reader<T> reader, Callback<? super T> callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(newPath, "newPath");
        Objects.requireNonNull(callback, "callback");
        String operation = name + " " + text(path) + " -> " + text(newPath);
        CBlock p = CBlock.bytes(path);
        CBlock n;
        try {
            n = CBlock.bytes(newPath);
        } catch (Throwable t) {
            p.close();
            throw t;
        }
        long a = p.address();
        long b = n.address();
        // the call runs later on a pool thread: the request owns both paths until it is over
        return FsRequest.async(loop, operation, (l, q, cb) -> c.call(l, q, a, b, cb), reader, callback, p, null,
                ok -> n.close());
    }

    private static <T> T syncFd(String name, int fd, Submit s, Reader<T> reader) {
        checkFd(fd);
        return FsRequest.sync(name + " fd " + fd, s, reader);
    }

    private static <T> Request asyncFd(Loop loop, String name, int fd, Submit s, Reader<T> reader,
            Callback<? super T> callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(callback, "callback");
        checkFd(fd);
        return FsRequest.async(loop, name + " fd " + fd, s, reader, callback, null, null, null);
    }

    /** Closes a descriptor that a cancelled future's open gave no one; on the loop thread. */
    private static void discard(Loop loop, int fd) {
        close(loop, fd, (r, e) -> {});
    }

    private static void checkFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor must not be negative: " + fd);
        }
    }

    private static void checkOffset(long offset) {
        if (offset < -1) {
            throw new IllegalArgumentException("offset must be -1 (the current position) or >= 0: " + offset);
        }
    }

    private static void checkLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
    }

    private static void checkTimes(double atime, double mtime) {
        for (double seconds : new double[] {atime, mtime}) {
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("time must be a finite number of seconds: " + seconds);
            }
        }
    }

    private static double seconds(Instant t) {
        Objects.requireNonNull(t, "time");
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static List<DirEntry> scandirEntries(long req, long result) {
        List<DirEntry> out = new ArrayList<>((int) Math.min(result, 1 << 16));
        int rc = FsLayouts.scandir(ent -> LibUv.uv_fs_scandir_next(req, ent), DirEntry::of, out);
        if (rc != Errno.EOF) {
            throw new UvException(rc, "uv_fs_scandir_next");
        }
        return out;
    }

    // ---- stat, lstat, fstat, statfs ----

    /**
     * The status of the file at {@code path}, following symbolic links. Wraps uv_fs_stat.
     *
     * @param path the file's path
     * @return the file's status
     * @throws UvException such as ENOENT
     * @throws IllegalArgumentException if the path contains a NUL byte
     */
    public static Stat stat(String path) {
        return stat(utf8(path));
    }

    /**
     * {@link #stat(String)} with the path as raw bytes. Wraps uv_fs_stat.
     *
     * @param path the file's path, as raw bytes
     * @return the file's status
     */
    public static Stat stat(byte[] path) {
        return sync1("uv_fs_stat", path, LibUv::uv_fs_stat, STAT);
    }

    /**
     * Asynchronous {@link #stat(String)}; the callback gets the {@link Stat}. Wraps uv_fs_stat.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the file's path
     * @param callback receives the file's status, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request stat(Loop loop, String path, Callback<? super Stat> callback) {
        return stat(loop, utf8(path), callback);
    }

    /**
     * {@link #stat(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the file's path
     * @return a future of the file's status, completed on the loop thread (exceptionally with the
     *     {@link UvException} on error)
     */
    public static CompletableFuture<Stat> statAsync(Loop loop, String path) {
        return FsRequest.future(loop, cb -> stat(loop, path, cb));
    }

    /**
     * Asynchronous {@link #stat(byte[])}. Wraps uv_fs_stat.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the file's path, as raw bytes
     * @param callback receives the file's status, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request stat(Loop loop, byte[] path, Callback<? super Stat> callback) {
        return async1(loop, "uv_fs_stat", path, LibUv::uv_fs_stat, STAT, callback);
    }

    /**
     * {@link #stat(Loop, byte[], Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the file's path, as raw bytes
     * @return a future of the file's status, completed on the loop thread (exceptionally with the
     *     {@link UvException} on error)
     */
    public static CompletableFuture<Stat> statAsync(Loop loop, byte[] path) {
        return FsRequest.future(loop, cb -> stat(loop, path, cb));
    }

    /**
     * The status of {@code path} itself: a symbolic link is described, not followed. Wraps
     * uv_fs_lstat.
     *
     * @param path the path, which may name a symbolic link
     * @return the status of the path itself
     * @throws UvException such as ENOENT
     */
    public static Stat lstat(String path) {
        return lstat(utf8(path));
    }

    /**
     * {@link #lstat(String)} with the path as raw bytes. Wraps uv_fs_lstat.
     *
     * @param path the path as raw bytes, which may name a symbolic link
     * @return the status of the path itself
     */
    public static Stat lstat(byte[] path) {
        return sync1("uv_fs_lstat", path, LibUv::uv_fs_lstat, STAT);
    }

    /**
     * Asynchronous {@link #lstat(String)}. Wraps uv_fs_lstat.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the path, which may name a symbolic link
     * @param callback receives the status of the path itself, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request lstat(Loop loop, String path, Callback<? super Stat> callback) {
        return async1(loop, "uv_fs_lstat", utf8(path), LibUv::uv_fs_lstat, STAT, callback);
    }

    /**
     * {@link #lstat(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the path, which may name a symbolic link
     * @return a future of the status of the path itself, completed on the loop thread
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Stat> lstatAsync(Loop loop, String path) {
        return FsRequest.future(loop, cb -> lstat(loop, path, cb));
    }

    /**
     * The status of an open file. Wraps uv_fs_fstat.
     *
     * @param fd an open file descriptor
     * @return the file's status
     * @throws UvException such as EBADF
     */
    public static Stat fstat(int fd) {
        return syncFd("uv_fs_fstat", fd, (l, q, cb) -> LibUv.uv_fs_fstat(l, q, fd, cb), STAT);
    }

    /**
     * Asynchronous {@link #fstat(int)}. Wraps uv_fs_fstat.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param callback receives the file's status, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request fstat(Loop loop, int fd, Callback<? super Stat> callback) {
        return asyncFd(loop, "uv_fs_fstat", fd, (l, q, cb) -> LibUv.uv_fs_fstat(l, q, fd, cb), STAT, callback);
    }

    /**
     * {@link #fstat(Loop, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @return a future of the file's status, completed on the loop thread (exceptionally with the
     *     {@link UvException} on error)
     */
    public static CompletableFuture<Stat> fstatAsync(Loop loop, int fd) {
        return FsRequest.future(loop, cb -> fstat(loop, fd, cb));
    }

    /**
     * The status of the file system holding {@code path}. Wraps uv_fs_statfs.
     *
     * @param path a path on the file system
     * @return the file system's status
     * @throws UvException such as ENOENT
     */
    public static StatFs statfs(String path) {
        return sync1("uv_fs_statfs", utf8(path), LibUv::uv_fs_statfs, STATFS);
    }

    /**
     * Asynchronous {@link #statfs(String)}. Wraps uv_fs_statfs.
     *
     * @param loop the loop whose thread runs the callback
     * @param path a path on the file system
     * @param callback receives the file system's status, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request statfs(Loop loop, String path, Callback<? super StatFs> callback) {
        return async1(loop, "uv_fs_statfs", utf8(path), LibUv::uv_fs_statfs, STATFS, callback);
    }

    /**
     * {@link #statfs(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path a path on the file system
     * @return a future of the file system's status, completed on the loop thread (exceptionally
     *     with the {@link UvException} on error)
     */
    public static CompletableFuture<StatFs> statfsAsync(Loop loop, String path) {
        return FsRequest.future(loop, cb -> statfs(loop, path, cb));
    }

    // ---- open, close ----

    /**
     * Opens a file and returns its descriptor. Wraps uv_fs_open.
     *
     * @param flags {@code O_*} flags of this class combined with {@code |}
     * @param mode the permission bits for a file that O_CREAT creates, such as {@code 0644}
     * @param path the file's path
     * @return the new descriptor
     * @throws UvException such as ENOENT or EEXIST
     */
    public static int open(String path, int flags, int mode) {
        return open(utf8(path), flags, mode);
    }

    /**
     * {@link #open(String, int, int)} with the path as raw bytes. Wraps uv_fs_open.
     *
     * @param path the file's path, as raw bytes
     * @param flags {@code O_*} flags of this class combined with {@code |}
     * @param mode the permission bits for a file that O_CREAT creates, such as {@code 0644}
     * @return the new descriptor
     */
    public static int open(byte[] path, int flags, int mode) {
        return sync1("uv_fs_open", path, (l, q, p, cb) -> LibUv.uv_fs_open(l, q, p, flags, mode, cb), INT);
    }

    /**
     * Asynchronous {@link #open(String, int, int)}; the callback gets the descriptor. Wraps
     * uv_fs_open.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the file's path
     * @param flags {@code O_*} flags of this class combined with {@code |}
     * @param mode the permission bits for a file that O_CREAT creates, such as {@code 0644}
     * @param callback receives the new descriptor, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request open(Loop loop, String path, int flags, int mode, Callback<? super Integer> callback) {
        return open(loop, utf8(path), flags, mode, callback);
    }

    /**
     * {@link #open(Loop, String, int, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the file's path
     * @param flags {@code O_*} flags of this class combined with {@code |}
     * @param mode the permission bits for a file that O_CREAT creates, such as {@code 0644}
     * @return a future of the new descriptor, completed on the loop thread (exceptionally with the
     *     {@link UvException} on error)
     */
    public static CompletableFuture<Integer> openAsync(Loop loop, String path, int flags, int mode) {
        return FsRequest.future(loop, fd -> discard(loop, fd), cb -> open(loop, path, flags, mode, cb));
    }

    /**
     * Asynchronous {@link #open(byte[], int, int)}. Wraps uv_fs_open.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the file's path, as raw bytes
     * @param flags {@code O_*} flags of this class combined with {@code |}
     * @param mode the permission bits for a file that O_CREAT creates, such as {@code 0644}
     * @param callback receives the new descriptor, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request open(Loop loop, byte[] path, int flags, int mode, Callback<? super Integer> callback) {
        return async1(loop, "uv_fs_open", path, (l, q, p, cb) -> LibUv.uv_fs_open(l, q, p, flags, mode, cb), INT,
                callback);
    }

    /**
     * {@link #open(Loop, byte[], int, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the file's path, as raw bytes
     * @param flags {@code O_*} flags of this class combined with {@code |}
     * @param mode the permission bits for a file that O_CREAT creates, such as {@code 0644}
     * @return a future of the new descriptor, completed on the loop thread (exceptionally with the
     *     {@link UvException} on error)
     */
    public static CompletableFuture<Integer> openAsync(Loop loop, byte[] path, int flags, int mode) {
        return FsRequest.future(loop, fd -> discard(loop, fd), cb -> open(loop, path, flags, mode, cb));
    }

    /**
     * Closes a descriptor. A descriptor that a live juv handle or loop owns (a stream's or UDP
     * socket's {@link Handle#fileno()}, a loop's {@link Loop#backendFd()}) is refused: libuv
     * still watches it and closes it itself; close the handle instead. Safe from any thread.
     * Wraps uv_fs_close.
     *
     * @param fd the descriptor to close
     * @throws IllegalArgumentException if {@code fd} is negative or owned by a live juv handle
     *     or loop (the message names the owner)
     * @throws UvException such as EBADF
     */
    public static void close(int fd) {
        checkFd(fd);
        Descriptors.closeUnowned(fd, "Fs.close",
                () -> syncFd("uv_fs_close", fd, (l, q, cb) -> LibUv.uv_fs_close(l, q, fd, cb), NONE));
    }

    /**
     * Asynchronous {@link #close(int)}: the descriptor is closed on juv's work pool, then the
     * callback runs on the loop thread. A descriptor owned by a live juv handle or loop when this
     * method is called is refused at once; one that a handle adopts before the pool gets to it
     * is left open, and the callback gets EBUSY. Wraps uv_fs_close.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd the descriptor to close
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     * @throws IllegalArgumentException if {@code fd} is negative or owned by a live juv handle
     *     or loop (the message names the owner)
     */
    public static Request close(Loop loop, int fd, Callback<? super Void> callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(callback, "callback");
        checkFd(fd);
        return FsRequest.issue(loop, callback, done -> {
            Descriptors.checkNotOwned(fd, "Fs.close");
            String operation = "uv_fs_close fd " + fd;
            // checked again on the pool thread right before the close: nothing claims the number
            // until then, so no other caller is refused or kept waiting because of this request
            UvException[] outcome = new UvException[1];
            return WorkRequest.queue(loop, () -> {
                try {
                    Descriptors.closeUnowned(fd, "Fs.close",
                            () -> FsRequest.sync(operation, (l, q, cb) -> LibUv.uv_fs_close(l, q, fd, cb), NONE));
                } catch (IllegalArgumentException owned) {
                    outcome[0] = UvException.async(Errno.EBUSY, operation + " (" + owned.getMessage() + ")");
                } catch (UvException e) {
                    outcome[0] = UvException.async(e.code(), operation);
                }
            }, error -> done.call(null,
                    error != null ? UvException.async(error.code(), operation) : outcome[0]));
        }, null);
    }

    /**
     * {@link #close(Loop, int, Callback)} as a future, callable from any thread. Ownership is
     * checked on the loop thread: a descriptor owned by a live juv handle or loop fails the future
     * with {@link IllegalArgumentException} (the message names the owner), one that a handle
     * adopts before the pool gets to it with EBUSY.
     *
     * @param loop the loop whose thread completes the future
     * @param fd the descriptor to close
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     * @throws IllegalArgumentException if {@code fd} is negative
     */
    public static CompletableFuture<Void> closeAsync(Loop loop, int fd) {
        return FsRequest.future(loop, cb -> close(loop, fd, cb));
    }

    // ---- read ----

    /**
     * Reads up to {@code length} bytes at {@code offset} and returns those read (an empty array
     * at the end of the file). Wraps uv_fs_read.
     *
     * @param offset the file offset, or -1 for the current position (which then advances)
     * @param fd an open file descriptor
     * @param length the most bytes to read
     * @return the bytes read, an empty array at the end of the file
     * @throws IllegalArgumentException for a negative fd or length, or an offset below -1
     * @throws UvException such as EBADF
     */
    public static byte[] read(int fd, int length, long offset) {
        checkFd(fd);
        checkLength(length);
        checkOffset(offset);
        FsBufs b = FsBufs.read(0, length);
        try (CBlock _ = b.block()) {
            long bufs = b.table();
            return syncFd("uv_fs_read", fd, (l, q, cb) -> LibUv.uv_fs_read(l, q, fd, bufs, 1, offset, cb),
                    (q, n) -> b.bytes(n));
        }
    }

    /**
     * Asynchronous {@link #read(int, int, long)}; the callback gets the bytes read. Wraps
     * uv_fs_read.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param length the most bytes to read
     * @param offset the file offset, or -1 for the current position
     * @param callback receives the bytes read, an empty array at the end of the file, or the error,
     *     once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request read(Loop loop, int fd, int length, long offset, Callback<? super byte[]> callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(callback, "callback");
        checkFd(fd);
        checkLength(length);
        checkOffset(offset);
        FsBufs b = FsBufs.read(0, length);
        long bufs = b.table();
        return FsRequest.async(loop, "uv_fs_read fd " + fd, (l, q, cb) -> LibUv.uv_fs_read(l, q, fd, bufs, 1, offset, cb),
                (q, n) -> b.bytes(n), callback, b.block(), null, null);
    }

    /**
     * {@link #read(Loop, int, int, long, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @param length the most bytes to read
     * @param offset the file offset, or -1 for the current position
     * @return a future of the bytes read, an empty array at the end of the file, completed on the
     *     loop thread (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<byte[]> readAsync(Loop loop, int fd, int length, long offset) {
        return FsRequest.future(loop, cb -> read(loop, fd, length, offset, cb));
    }

    /**
     * Reads into {@code dst} from its position up to its limit and advances its position by the
     * bytes read, which it returns (0 at the end of the file). A direct buffer is read into in
     * place; a heap buffer through a native copy. Wraps uv_fs_read.
     *
     * @param offset the file offset, or -1 for the current position
     * @param fd an open file descriptor
     * @param dst the buffer to read into, from its position up to its limit
     * @return the number of bytes read, 0 at the end of the file
     * @throws ReadOnlyBufferException if {@code dst} is read-only
     * @throws UvException such as EBADF
     */
    public static int read(int fd, ByteBuffer dst, long offset) {
        checkFd(fd);
        checkOffset(offset);
        checkWritable(dst);
        int len = dst.remaining();
        // in place only into memory the buffer holds and that is no loop's read buffer; anything
        // else is read into a copy and put through the buffer, a checked access (an arena's
        // memory freed meanwhile is an IllegalStateException, never a write into freed memory)
        long at = WritePool.inPlaceAddress(dst);
        boolean inPlace = at != 0;
        FsBufs b = FsBufs.read(at, len);
        try (CBlock _ = b.block()) {
            long bufs = b.table();
            return syncFd("uv_fs_read", fd, (l, q, cb) -> LibUv.uv_fs_read(l, q, fd, bufs, 1, offset, cb),
                    (q, n) -> b.fill(dst, (int) n, inPlace));
        }
    }

    /**
     * Asynchronous {@link #read(int, ByteBuffer, long)}: the buffer's position advances on the
     * loop thread, just before the callback gets the number of bytes read. The buffer must not be
     * touched until then. Wraps uv_fs_read.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param dst the buffer to read into, from its position up to its limit
     * @param offset the file offset, or -1 for the current position
     * @param callback receives the number of bytes read, 0 at the end of the file, or the error,
     *     once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     * @throws IllegalArgumentException if {@code dst} is a view of a loop's read buffer (the data a
     *     read callback receives), which that loop's next read overwrites
     * @throws IllegalStateException if {@code dst}'s memory was already freed by its arena
     */
    public static Request read(Loop loop, int fd, ByteBuffer dst, long offset, Callback<? super Integer> callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(callback, "callback");
        checkFd(fd);
        checkOffset(offset);
        checkWritable(dst);
        WritePool.checkAlive(dst);
        if (ReadBuffers.holds(dst)) {
            throw new IllegalArgumentException("cannot read asynchronously into a loop's read buffer (a read"
                    + " callback's data, valid only during that callback): pass a buffer of your own");
        }
        int len = dst.remaining();
        // read in place only into memory that lives as long as the buffer: an arena's owner could
        // free it while the pool thread still writes into it
        long at = WritePool.inPlaceAddress(dst);
        boolean inPlace = at != 0;
        FsBufs b = FsBufs.read(at, len);
        long bufs = b.table();
        return FsRequest.async(loop, "uv_fs_read fd " + fd, (l, q, cb) -> LibUv.uv_fs_read(l, q, fd, bufs, 1, offset, cb),
                (q, n) -> b.fill(dst, (int) n, inPlace), callback, b.block(), dst, null);
    }

    /**
     * {@link #read(Loop, int, ByteBuffer, long, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @param dst the buffer to read into, from its position up to its limit
     * @param offset the file offset, or -1 for the current position
     * @return a future of the number of bytes read, 0 at the end of the file, completed on the loop
     *     thread (exceptionally with the {@link UvException} on error)
     * @throws IllegalArgumentException if {@code dst} is a view of a loop's read buffer (the data a
     *     read callback receives), which that loop's next read overwrites
     * @throws IllegalStateException if {@code dst}'s memory was already freed by its arena
     */
    public static CompletableFuture<Integer> readAsync(Loop loop, int fd, ByteBuffer dst, long offset) {
        return FsRequest.future(loop, cb -> read(loop, fd, dst, offset, cb));
    }

    private static void checkWritable(ByteBuffer dst) {
        Objects.requireNonNull(dst, "buffer");
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
    }

    // ---- write ----

    /**
     * Writes all of {@code data} at {@code offset} and returns the bytes written. Wraps uv_fs_write.
     *
     * @param offset the file offset, or -1 for the current position (which then advances)
     * @param fd an open file descriptor
     * @param data the bytes to write
     * @return the number of bytes written
     * @throws UvException such as EBADF
     */
    public static int write(int fd, byte[] data, long offset) {
        return write(fd, ByteBuffer.wrap(Objects.requireNonNull(data, "data")), offset);
    }

    /**
     * Asynchronous {@link #write(int, byte[], long)}: the bytes are copied before this returns,
     * so the array may be reused at once. Wraps uv_fs_write.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param data the bytes to write
     * @param offset the file offset, or -1 for the current position
     * @param callback receives the number of bytes written, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request write(Loop loop, int fd, byte[] data, long offset, Callback<? super Integer> callback) {
        return write(loop, fd, ByteBuffer.wrap(Objects.requireNonNull(data, "data")), offset, callback);
    }

    /**
     * {@link #write(Loop, int, byte[], long, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @param data the bytes to write
     * @param offset the file offset, or -1 for the current position
     * @return a future of the number of bytes written, completed on the loop thread (exceptionally
     *     with the {@link UvException} on error)
     */
    public static CompletableFuture<Integer> writeAsync(Loop loop, int fd, byte[] data, long offset) {
        return FsRequest.future(loop, cb -> write(loop, fd, data, offset, cb));
    }

    /**
     * Writes {@code src} from its position up to its limit, advances its position by the bytes
     * written and returns that number. A direct buffer is written in place. Wraps uv_fs_write.
     *
     * @param fd an open file descriptor
     * @param src the bytes to write, from the buffer's position up to its limit
     * @param offset the file offset, or -1 for the current position
     * @return the number of bytes written
     * @throws UvException such as EBADF
     */
    public static int write(int fd, ByteBuffer src, long offset) {
        return (int) write(fd, new ByteBuffer[] {Objects.requireNonNull(src, "buffer")}, offset);
    }

    /**
     * Asynchronous {@link #write(int, ByteBuffer, long)}. A heap buffer's bytes are copied before
     * this returns; a direct buffer is written in place and must not change until the callback,
     * except a view of a loop's read buffer (a read callback's data, from any loop) or of an
     * arena's memory, whose bytes are copied before this returns.
     * The position advances on the loop thread just before the callback. Wraps uv_fs_write.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param src the bytes to write, from the buffer's position up to its limit
     * @param offset the file offset, or -1 for the current position
     * @param callback receives the number of bytes written, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request write(Loop loop, int fd, ByteBuffer src, long offset, Callback<? super Integer> callback) {
        return write(loop, fd, new ByteBuffer[] {Objects.requireNonNull(src, "buffer")}, offset, n -> (int) n,
                callback);
    }

    /**
     * {@link #write(Loop, int, ByteBuffer, long, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @param src the bytes to write, from the buffer's position up to its limit
     * @param offset the file offset, or -1 for the current position
     * @return a future of the number of bytes written, completed on the loop thread (exceptionally
     *     with the {@link UvException} on error)
     */
    public static CompletableFuture<Integer> writeAsync(Loop loop, int fd, ByteBuffer src, long offset) {
        return FsRequest.future(loop, cb -> write(loop, fd, src, offset, cb));
    }

    /**
     * Writes several buffers in one call (vectored, like {@code writev}) and returns the total
     * bytes written; each buffer's position advances by what was written from it. Wraps
     * uv_fs_write.
     *
     * @param fd an open file descriptor
     * @param srcs the buffers to write, in order, each from its position up to its limit
     * @param offset the file offset, or -1 for the current position
     * @return the total number of bytes written
     * @throws IllegalArgumentException if {@code srcs} is empty
     * @throws UvException such as EBADF
     */
    public static long write(int fd, ByteBuffer[] srcs, long offset) {
        checkFd(fd);
        checkOffset(offset);
        FsBufs b = FsBufs.write(srcs);
        try (CBlock _ = b.block()) {
            long bufs = b.table();
            return syncFd("uv_fs_write", fd, (l, q, cb) -> LibUv.uv_fs_write(l, q, fd, bufs, b.count(), offset, cb),
                    (q, n) -> b.consumed(n));
        }
    }

    /**
     * Asynchronous {@link #write(int, ByteBuffer[], long)}. Wraps uv_fs_write.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param srcs the buffers to write, in order, each from its position up to its limit
     * @param offset the file offset, or -1 for the current position
     * @param callback receives the total number of bytes written, or the error, once on the loop
     *     thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request write(Loop loop, int fd, ByteBuffer[] srcs, long offset, Callback<? super Long> callback) {
        return write(loop, fd, srcs, offset, n -> n, callback);
    }

    private static <T> Request write(Loop loop, int fd, ByteBuffer[] srcs, long offset,
            java.util.function.LongFunction<T> count, Callback<? super T> callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(callback, "callback");
        checkFd(fd);
        checkOffset(offset);
        FsBufs b = FsBufs.write(srcs);
        long bufs = b.table();
        return FsRequest.async(loop, "uv_fs_write fd " + fd,
                (l, q, cb) -> LibUv.uv_fs_write(l, q, fd, bufs, b.count(), offset, cb), (q, n) -> count.apply(b.consumed(n)),
                callback, b.block(), b, null);
    }

    /**
     * {@link #write(Loop, int, ByteBuffer[], long, Callback)} as a future, callable from any
     * thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @param srcs the buffers to write, in order, each from its position up to its limit
     * @param offset the file offset, or -1 for the current position
     * @return a future of the total number of bytes written, completed on the loop thread
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Long> writeAsync(Loop loop, int fd, ByteBuffer[] srcs, long offset) {
        return FsRequest.future(loop, cb -> write(loop, fd, srcs, offset, cb));
    }

    // ---- unlink, mkdir, mkdtemp, mkstemp, rmdir, rename ----

    /**
     * Removes a file name. Wraps uv_fs_unlink.
     *
     * @param path the path to remove
     * @throws UvException such as ENOENT
     */
    public static void unlink(String path) {
        unlink(utf8(path));
    }

    /**
     * {@link #unlink(String)} with the path as raw bytes. Wraps uv_fs_unlink.
     *
     * @param path the path to remove, as raw bytes
     */
    public static void unlink(byte[] path) {
        sync1("uv_fs_unlink", path, LibUv::uv_fs_unlink, NONE);
    }

    /**
     * Asynchronous {@link #unlink(String)}. Wraps uv_fs_unlink.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the path to remove
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request unlink(Loop loop, String path, Callback<? super Void> callback) {
        return unlink(loop, utf8(path), callback);
    }

    /**
     * {@link #unlink(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the path to remove
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> unlinkAsync(Loop loop, String path) {
        return FsRequest.future(loop, cb -> unlink(loop, path, cb));
    }

    /**
     * Asynchronous {@link #unlink(byte[])}. Wraps uv_fs_unlink.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the path to remove, as raw bytes
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request unlink(Loop loop, byte[] path, Callback<? super Void> callback) {
        return async1(loop, "uv_fs_unlink", path, LibUv::uv_fs_unlink, NONE, callback);
    }

    /**
     * {@link #unlink(Loop, byte[], Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the path to remove, as raw bytes
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> unlinkAsync(Loop loop, byte[] path) {
        return FsRequest.future(loop, cb -> unlink(loop, path, cb));
    }

    /**
     * Creates a directory. Wraps uv_fs_mkdir.
     *
     * @param mode the permission bits, such as {@code 0755} (the umask applies)
     * @param path the new directory's path
     * @throws UvException such as EEXIST
     */
    public static void mkdir(String path, int mode) {
        mkdir(utf8(path), mode);
    }

    /**
     * {@link #mkdir(String, int)} with the path as raw bytes. Wraps uv_fs_mkdir.
     *
     * @param path the new directory's path, as raw bytes
     * @param mode the permission bits, such as {@code 0755}, before the umask applies
     */
    public static void mkdir(byte[] path, int mode) {
        sync1("uv_fs_mkdir", path, (l, q, p, cb) -> LibUv.uv_fs_mkdir(l, q, p, mode, cb), NONE);
    }

    /**
     * Asynchronous {@link #mkdir(String, int)}. Wraps uv_fs_mkdir.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the new directory's path
     * @param mode the permission bits, such as {@code 0755}, before the umask applies
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request mkdir(Loop loop, String path, int mode, Callback<? super Void> callback) {
        return mkdir(loop, utf8(path), mode, callback);
    }

    /**
     * {@link #mkdir(Loop, String, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the new directory's path
     * @param mode the permission bits, such as {@code 0755}, before the umask applies
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> mkdirAsync(Loop loop, String path, int mode) {
        return FsRequest.future(loop, cb -> mkdir(loop, path, mode, cb));
    }

    /**
     * Asynchronous {@link #mkdir(byte[], int)}. Wraps uv_fs_mkdir.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the new directory's path, as raw bytes
     * @param mode the permission bits, such as {@code 0755}, before the umask applies
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request mkdir(Loop loop, byte[] path, int mode, Callback<? super Void> callback) {
        return async1(loop, "uv_fs_mkdir", path, (l, q, p, cb) -> LibUv.uv_fs_mkdir(l, q, p, mode, cb), NONE, callback);
    }

    /**
     * {@link #mkdir(Loop, byte[], int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the new directory's path, as raw bytes
     * @param mode the permission bits, such as {@code 0755}, before the umask applies
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> mkdirAsync(Loop loop, byte[] path, int mode) {
        return FsRequest.future(loop, cb -> mkdir(loop, path, mode, cb));
    }

    /**
     * Creates a new directory from a template ending in {@code XXXXXX} and returns its path.
     * Wraps uv_fs_mkdtemp.
     *
     * @param template a path whose last six characters are {@code XXXXXX}
     * @return the new directory's path
     * @throws UvException EINVAL when the template does not end in XXXXXX
     */
    public static String mkdtemp(String template) {
        return sync1("uv_fs_mkdtemp", utf8(template), LibUv::uv_fs_mkdtemp, PATH_STRING);
    }

    /**
     * {@link #mkdtemp(String)} with raw bytes in and out. Wraps uv_fs_mkdtemp.
     *
     * @param template a path whose last six characters are {@code XXXXXX}, as raw bytes
     * @return the new directory's path, as raw bytes
     */
    public static byte[] mkdtemp(byte[] template) {
        return sync1("uv_fs_mkdtemp", template, LibUv::uv_fs_mkdtemp, PATH_BYTES);
    }

    /**
     * Asynchronous {@link #mkdtemp(String)}; the callback gets the new path. Wraps uv_fs_mkdtemp.
     *
     * @param loop the loop whose thread runs the callback
     * @param template a path whose last six characters are {@code XXXXXX}
     * @param callback receives the new directory's path, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request mkdtemp(Loop loop, String template, Callback<? super String> callback) {
        return async1(loop, "uv_fs_mkdtemp", utf8(template), LibUv::uv_fs_mkdtemp, PATH_STRING, callback);
    }

    /**
     * {@link #mkdtemp(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param template a path whose last six characters are {@code XXXXXX}
     * @return a future of the new directory's path, completed on the loop thread (exceptionally
     *     with the {@link UvException} on error)
     */
    public static CompletableFuture<String> mkdtempAsync(Loop loop, String template) {
        return FsRequest.future(loop, cb -> mkdtemp(loop, template, cb));
    }

    /**
     * Creates and opens a new file from a template ending in {@code XXXXXX}. Wraps uv_fs_mkstemp.
     *
     * @param template a path whose last six characters are {@code XXXXXX}
     * @return the new file's descriptor and path
     * @throws UvException EINVAL when the template does not end in XXXXXX
     */
    public static TempFile mkstemp(String template) {
        return sync1("uv_fs_mkstemp", utf8(template), LibUv::uv_fs_mkstemp, TEMP_FILE);
    }

    /**
     * Asynchronous {@link #mkstemp(String)}. Wraps uv_fs_mkstemp.
     *
     * @param loop the loop whose thread runs the callback
     * @param template a path whose last six characters are {@code XXXXXX}
     * @param callback receives the new file's descriptor and path, or the error, once on the loop
     *     thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request mkstemp(Loop loop, String template, Callback<? super TempFile> callback) {
        return async1(loop, "uv_fs_mkstemp", utf8(template), LibUv::uv_fs_mkstemp, TEMP_FILE, callback);
    }

    /**
     * {@link #mkstemp(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param template a path whose last six characters are {@code XXXXXX}
     * @return a future of the new file's descriptor and path, completed on the loop thread
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<TempFile> mkstempAsync(Loop loop, String template) {
        return FsRequest.future(loop, t -> discard(loop, t.fd()), cb -> mkstemp(loop, template, cb));
    }

    /**
     * Removes an empty directory. Wraps uv_fs_rmdir.
     *
     * @param path the directory's path
     * @throws UvException such as ENOENT or ENOTEMPTY
     */
    public static void rmdir(String path) {
        rmdir(utf8(path));
    }

    /**
     * {@link #rmdir(String)} with the path as raw bytes. Wraps uv_fs_rmdir.
     *
     * @param path the directory's path, as raw bytes
     */
    public static void rmdir(byte[] path) {
        sync1("uv_fs_rmdir", path, LibUv::uv_fs_rmdir, NONE);
    }

    /**
     * Asynchronous {@link #rmdir(String)}. Wraps uv_fs_rmdir.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the directory's path
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request rmdir(Loop loop, String path, Callback<? super Void> callback) {
        return async1(loop, "uv_fs_rmdir", utf8(path), LibUv::uv_fs_rmdir, NONE, callback);
    }

    /**
     * {@link #rmdir(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the directory's path
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> rmdirAsync(Loop loop, String path) {
        return FsRequest.future(loop, cb -> rmdir(loop, path, cb));
    }

    /**
     * Renames {@code path} to {@code newPath}, replacing it if it exists. Wraps uv_fs_rename.
     *
     * @param path the current path
     * @param newPath the new path
     * @throws UvException such as ENOENT
     */
    public static void rename(String path, String newPath) {
        rename(utf8(path), utf8(newPath));
    }

    /**
     * {@link #rename(String, String)} with raw bytes. Wraps uv_fs_rename.
     *
     * @param path the current path, as raw bytes
     * @param newPath the new path, as raw bytes
     */
    public static void rename(byte[] path, byte[] newPath) {
        sync2("uv_fs_rename", path, newPath, LibUv::uv_fs_rename, NONE);
    }

    /**
     * Asynchronous {@link #rename(String, String)}. Wraps uv_fs_rename.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the current path
     * @param newPath the new path
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request rename(Loop loop, String path, String newPath, Callback<? super Void> callback) {
        return rename(loop, utf8(path), utf8(newPath), callback);
    }

    /**
     * {@link #rename(Loop, String, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the current path
     * @param newPath the new path
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> renameAsync(Loop loop, String path, String newPath) {
        return FsRequest.future(loop, cb -> rename(loop, path, newPath, cb));
    }

    /**
     * Asynchronous {@link #rename(byte[], byte[])}. Wraps uv_fs_rename.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the current path, as raw bytes
     * @param newPath the new path, as raw bytes
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request rename(Loop loop, byte[] path, byte[] newPath, Callback<? super Void> callback) {
        return async2(loop, "uv_fs_rename", path, newPath, LibUv::uv_fs_rename, NONE, callback);
    }

    /**
     * {@link #rename(Loop, byte[], byte[], Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the current path, as raw bytes
     * @param newPath the new path, as raw bytes
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> renameAsync(Loop loop, byte[] path, byte[] newPath) {
        return FsRequest.future(loop, cb -> rename(loop, path, newPath, cb));
    }

    // ---- fsync, fdatasync, ftruncate, sendfile ----

    /**
     * Flushes a file's data and metadata to the device. Wraps uv_fs_fsync.
     *
     * @param fd an open file descriptor
     * @throws UvException such as EBADF
     */
    public static void fsync(int fd) {
        syncFd("uv_fs_fsync", fd, (l, q, cb) -> LibUv.uv_fs_fsync(l, q, fd, cb), NONE);
    }

    /**
     * Asynchronous {@link #fsync(int)}. Wraps uv_fs_fsync.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request fsync(Loop loop, int fd, Callback<? super Void> callback) {
        return asyncFd(loop, "uv_fs_fsync", fd, (l, q, cb) -> LibUv.uv_fs_fsync(l, q, fd, cb), NONE, callback);
    }

    /**
     * {@link #fsync(Loop, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> fsyncAsync(Loop loop, int fd) {
        return FsRequest.future(loop, cb -> fsync(loop, fd, cb));
    }

    /**
     * Flushes a file's data (and only the metadata needed to read it) to the device. Wraps
     * uv_fs_fdatasync.
     *
     * @param fd an open file descriptor
     * @throws UvException such as EBADF
     */
    public static void fdatasync(int fd) {
        syncFd("uv_fs_fdatasync", fd, (l, q, cb) -> LibUv.uv_fs_fdatasync(l, q, fd, cb), NONE);
    }

    /**
     * Asynchronous {@link #fdatasync(int)}. Wraps uv_fs_fdatasync.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request fdatasync(Loop loop, int fd, Callback<? super Void> callback) {
        return asyncFd(loop, "uv_fs_fdatasync", fd, (l, q, cb) -> LibUv.uv_fs_fdatasync(l, q, fd, cb), NONE, callback);
    }

    /**
     * {@link #fdatasync(Loop, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> fdatasyncAsync(Loop loop, int fd) {
        return FsRequest.future(loop, cb -> fdatasync(loop, fd, cb));
    }

    /**
     * Sets an open file's length. Wraps uv_fs_ftruncate.
     *
     * @param fd an open file descriptor
     * @param length the new length in bytes
     * @throws IllegalArgumentException if {@code length} is negative
     * @throws UvException such as EBADF or EINVAL
     */
    public static void ftruncate(int fd, long length) {
        checkLength(length);
        syncFd("uv_fs_ftruncate", fd, (l, q, cb) -> LibUv.uv_fs_ftruncate(l, q, fd, length, cb), NONE);
    }

    /**
     * Asynchronous {@link #ftruncate(int, long)}. Wraps uv_fs_ftruncate.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param length the new length in bytes
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request ftruncate(Loop loop, int fd, long length, Callback<? super Void> callback) {
        checkLength(length);
        return asyncFd(loop, "uv_fs_ftruncate", fd, (l, q, cb) -> LibUv.uv_fs_ftruncate(l, q, fd, length, cb), NONE,
                callback);
    }

    /**
     * {@link #ftruncate(Loop, int, long, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @param length the new length in bytes
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> ftruncateAsync(Loop loop, int fd, long length) {
        return FsRequest.future(loop, cb -> ftruncate(loop, fd, length, cb));
    }

    /**
     * Copies up to {@code length} bytes from {@code inFd} at {@code inOffset} to {@code outFd}
     * at its current position, and returns the bytes copied. Wraps uv_fs_sendfile.
     *
     * @param outFd the descriptor to copy to
     * @param inFd the descriptor to copy from
     * @param inOffset the offset in {@code inFd} to copy from
     * @param length the most bytes to copy
     * @return the number of bytes copied
     * @throws IllegalArgumentException for a negative descriptor, offset or length
     * @throws UvException such as EBADF
     */
    public static long sendfile(int outFd, int inFd, long inOffset, long length) {
        checkFd(inFd);
        checkLength(inOffset);
        checkLength(length);
        return syncFd("uv_fs_sendfile", outFd,
                (l, q, cb) -> LibUv.uv_fs_sendfile(l, q, outFd, inFd, inOffset, length, cb), LONG);
    }

    /**
     * Asynchronous {@link #sendfile(int, int, long, long)}. Wraps uv_fs_sendfile.
     *
     * @param loop the loop whose thread runs the callback
     * @param outFd the descriptor to copy to
     * @param inFd the descriptor to copy from
     * @param inOffset the offset in {@code inFd} to copy from
     * @param length the most bytes to copy
     * @param callback receives the number of bytes copied, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request sendfile(Loop loop, int outFd, int inFd, long inOffset, long length,
            Callback<? super Long> callback) {
        checkFd(inFd);
        checkLength(inOffset);
        checkLength(length);
        return asyncFd(loop, "uv_fs_sendfile", outFd,
                (l, q, cb) -> LibUv.uv_fs_sendfile(l, q, outFd, inFd, inOffset, length, cb), LONG, callback);
    }

    /**
     * {@link #sendfile(Loop, int, int, long, long, Callback)} as a future, callable from any
     * thread.
     *
     * @param loop the loop whose thread completes the future
     * @param outFd the descriptor to copy to
     * @param inFd the descriptor to copy from
     * @param inOffset the offset in {@code inFd} to copy from
     * @param length the most bytes to copy
     * @return a future of the number of bytes copied, completed on the loop thread (exceptionally
     *     with the {@link UvException} on error)
     */
    public static CompletableFuture<Long> sendfileAsync(Loop loop, int outFd, int inFd, long inOffset, long length) {
        return FsRequest.future(loop, cb -> sendfile(loop, outFd, inFd, inOffset, length, cb));
    }

    // ---- access, chmod, fchmod ----

    /**
     * Checks that the caller may access {@code path} as {@code mode} asks ({@link #F_OK}, or
     * {@link #R_OK}, {@link #W_OK}, {@link #X_OK} combined). Wraps uv_fs_access.
     *
     * @param path the file's path
     * @param mode {@link #F_OK}, or {@link #R_OK}, {@link #W_OK} and {@link #X_OK} combined
     * @throws UvException such as ENOENT or EACCES when it may not
     */
    public static void access(String path, int mode) {
        access(utf8(path), mode);
    }

    /**
     * {@link #access(String, int)} with the path as raw bytes. Wraps uv_fs_access.
     *
     * @param path the file's path, as raw bytes
     * @param mode {@link #F_OK}, or {@link #R_OK}, {@link #W_OK} and {@link #X_OK} combined
     */
    public static void access(byte[] path, int mode) {
        sync1("uv_fs_access", path, (l, q, p, cb) -> LibUv.uv_fs_access(l, q, p, mode, cb), NONE);
    }

    /**
     * Asynchronous {@link #access(String, int)}. Wraps uv_fs_access.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the file's path
     * @param mode {@link #F_OK}, or {@link #R_OK}, {@link #W_OK} and {@link #X_OK} combined
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request access(Loop loop, String path, int mode, Callback<? super Void> callback) {
        return async1(loop, "uv_fs_access", utf8(path), (l, q, p, cb) -> LibUv.uv_fs_access(l, q, p, mode, cb), NONE,
                callback);
    }

    /**
     * {@link #access(Loop, String, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the file's path
     * @param mode {@link #F_OK}, or {@link #R_OK}, {@link #W_OK} and {@link #X_OK} combined
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> accessAsync(Loop loop, String path, int mode) {
        return FsRequest.future(loop, cb -> access(loop, path, mode, cb));
    }

    /**
     * Sets a file's permission bits. Wraps uv_fs_chmod.
     *
     * @param path the file's path
     * @param mode the new permission bits, such as {@code 0644}
     * @throws UvException such as ENOENT or EPERM
     */
    public static void chmod(String path, int mode) {
        sync1("uv_fs_chmod", utf8(path), (l, q, p, cb) -> LibUv.uv_fs_chmod(l, q, p, mode, cb), NONE);
    }

    /**
     * Asynchronous {@link #chmod(String, int)}. Wraps uv_fs_chmod.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the file's path
     * @param mode the new permission bits, such as {@code 0644}
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request chmod(Loop loop, String path, int mode, Callback<? super Void> callback) {
        return async1(loop, "uv_fs_chmod", utf8(path), (l, q, p, cb) -> LibUv.uv_fs_chmod(l, q, p, mode, cb), NONE,
                callback);
    }

    /**
     * {@link #chmod(Loop, String, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the file's path
     * @param mode the new permission bits, such as {@code 0644}
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> chmodAsync(Loop loop, String path, int mode) {
        return FsRequest.future(loop, cb -> chmod(loop, path, mode, cb));
    }

    /**
     * Sets an open file's permission bits. Wraps uv_fs_fchmod.
     *
     * @param fd an open file descriptor
     * @param mode the new permission bits, such as {@code 0644}
     * @throws UvException such as EBADF
     */
    public static void fchmod(int fd, int mode) {
        syncFd("uv_fs_fchmod", fd, (l, q, cb) -> LibUv.uv_fs_fchmod(l, q, fd, mode, cb), NONE);
    }

    /**
     * Asynchronous {@link #fchmod(int, int)}. Wraps uv_fs_fchmod.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param mode the new permission bits, such as {@code 0644}
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request fchmod(Loop loop, int fd, int mode, Callback<? super Void> callback) {
        return asyncFd(loop, "uv_fs_fchmod", fd, (l, q, cb) -> LibUv.uv_fs_fchmod(l, q, fd, mode, cb), NONE, callback);
    }

    /**
     * {@link #fchmod(Loop, int, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @param mode the new permission bits, such as {@code 0644}
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> fchmodAsync(Loop loop, int fd, int mode) {
        return FsRequest.future(loop, cb -> fchmod(loop, fd, mode, cb));
    }

    // ---- utime, futime, lutime ----

    /**
     * Sets a file's access and modification times, in seconds since the epoch. Wraps uv_fs_utime.
     *
     * @param path the file's path
     * @param atime the new access time, in seconds since the epoch
     * @param mtime the new modification time, in seconds since the epoch
     * @throws IllegalArgumentException for a time that is NaN or infinite
     * @throws UvException such as ENOENT
     */
    public static void utime(String path, double atime, double mtime) {
        checkTimes(atime, mtime);
        sync1("uv_fs_utime", utf8(path), (l, q, p, cb) -> LibUv.uv_fs_utime(l, q, p, atime, mtime, cb), NONE);
    }

    /**
     * {@link #utime(String, double, double)} with {@link Instant}s. Wraps uv_fs_utime.
     *
     * @param path the file's path
     * @param atime the new access time
     * @param mtime the new modification time
     */
    public static void utime(String path, Instant atime, Instant mtime) {
        utime(path, seconds(atime), seconds(mtime));
    }

    /**
     * Asynchronous {@link #utime(String, double, double)}. Wraps uv_fs_utime.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the file's path
     * @param atime the new access time, in seconds since the epoch
     * @param mtime the new modification time, in seconds since the epoch
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request utime(Loop loop, String path, double atime, double mtime, Callback<? super Void> callback) {
        checkTimes(atime, mtime);
        return async1(loop, "uv_fs_utime", utf8(path),
                (l, q, p, cb) -> LibUv.uv_fs_utime(l, q, p, atime, mtime, cb), NONE, callback);
    }

    /**
     * {@link #utime(Loop, String, double, double, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the file's path
     * @param atime the new access time, in seconds since the epoch
     * @param mtime the new modification time, in seconds since the epoch
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> utimeAsync(Loop loop, String path, double atime, double mtime) {
        return FsRequest.future(loop, cb -> utime(loop, path, atime, mtime, cb));
    }

    /**
     * Asynchronous {@link #utime(String, Instant, Instant)}. Wraps uv_fs_utime.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the file's path
     * @param atime the new access time
     * @param mtime the new modification time
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request utime(Loop loop, String path, Instant atime, Instant mtime, Callback<? super Void> callback) {
        return utime(loop, path, seconds(atime), seconds(mtime), callback);
    }

    /**
     * {@link #utime(Loop, String, Instant, Instant, Callback)} as a future, callable from any
     * thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the file's path
     * @param atime the new access time
     * @param mtime the new modification time
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> utimeAsync(Loop loop, String path, Instant atime, Instant mtime) {
        return FsRequest.future(loop, cb -> utime(loop, path, atime, mtime, cb));
    }

    /**
     * Sets an open file's access and modification times, in seconds since the epoch. Wraps
     * uv_fs_futime.
     *
     * @param fd an open file descriptor
     * @param atime the new access time, in seconds since the epoch
     * @param mtime the new modification time, in seconds since the epoch
     * @throws UvException such as EBADF
     */
    public static void futime(int fd, double atime, double mtime) {
        checkTimes(atime, mtime);
        syncFd("uv_fs_futime", fd, (l, q, cb) -> LibUv.uv_fs_futime(l, q, fd, atime, mtime, cb), NONE);
    }

    /**
     * {@link #futime(int, double, double)} with {@link Instant}s. Wraps uv_fs_futime.
     *
     * @param fd an open file descriptor
     * @param atime the new access time
     * @param mtime the new modification time
     */
    public static void futime(int fd, Instant atime, Instant mtime) {
        futime(fd, seconds(atime), seconds(mtime));
    }

    /**
     * Asynchronous {@link #futime(int, double, double)}. Wraps uv_fs_futime.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param atime the new access time, in seconds since the epoch
     * @param mtime the new modification time, in seconds since the epoch
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request futime(Loop loop, int fd, double atime, double mtime, Callback<? super Void> callback) {
        checkTimes(atime, mtime);
        return asyncFd(loop, "uv_fs_futime", fd, (l, q, cb) -> LibUv.uv_fs_futime(l, q, fd, atime, mtime, cb), NONE,
                callback);
    }

    /**
     * {@link #futime(Loop, int, double, double, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @param atime the new access time, in seconds since the epoch
     * @param mtime the new modification time, in seconds since the epoch
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> futimeAsync(Loop loop, int fd, double atime, double mtime) {
        return FsRequest.future(loop, cb -> futime(loop, fd, atime, mtime, cb));
    }

    /**
     * Asynchronous {@link #futime(int, Instant, Instant)}. Wraps uv_fs_futime.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param atime the new access time
     * @param mtime the new modification time
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request futime(Loop loop, int fd, Instant atime, Instant mtime, Callback<? super Void> callback) {
        return futime(loop, fd, seconds(atime), seconds(mtime), callback);
    }

    /**
     * {@link #futime(Loop, int, Instant, Instant, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @param atime the new access time
     * @param mtime the new modification time
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> futimeAsync(Loop loop, int fd, Instant atime, Instant mtime) {
        return FsRequest.future(loop, cb -> futime(loop, fd, atime, mtime, cb));
    }

    /**
     * Like {@link #utime(String, double, double)}, but a symbolic link's own times are set.
     * Wraps uv_fs_lutime.
     *
     * @param path the path, which may name a symbolic link
     * @param atime the new access time, in seconds since the epoch
     * @param mtime the new modification time, in seconds since the epoch
     * @throws UvException such as ENOENT
     */
    public static void lutime(String path, double atime, double mtime) {
        checkTimes(atime, mtime);
        sync1("uv_fs_lutime", utf8(path), (l, q, p, cb) -> LibUv.uv_fs_lutime(l, q, p, atime, mtime, cb), NONE);
    }

    /**
     * {@link #lutime(String, double, double)} with {@link Instant}s. Wraps uv_fs_lutime.
     *
     * @param path the path, which may name a symbolic link
     * @param atime the new access time
     * @param mtime the new modification time
     */
    public static void lutime(String path, Instant atime, Instant mtime) {
        lutime(path, seconds(atime), seconds(mtime));
    }

    /**
     * Asynchronous {@link #lutime(String, double, double)}. Wraps uv_fs_lutime.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the path, which may name a symbolic link
     * @param atime the new access time, in seconds since the epoch
     * @param mtime the new modification time, in seconds since the epoch
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request lutime(Loop loop, String path, double atime, double mtime, Callback<? super Void> callback) {
        checkTimes(atime, mtime);
        return async1(loop, "uv_fs_lutime", utf8(path),
                (l, q, p, cb) -> LibUv.uv_fs_lutime(l, q, p, atime, mtime, cb), NONE, callback);
    }

    /**
     * {@link #lutime(Loop, String, double, double, Callback)} as a future, callable from any
     * thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the path, which may name a symbolic link
     * @param atime the new access time, in seconds since the epoch
     * @param mtime the new modification time, in seconds since the epoch
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> lutimeAsync(Loop loop, String path, double atime, double mtime) {
        return FsRequest.future(loop, cb -> lutime(loop, path, atime, mtime, cb));
    }

    /**
     * Asynchronous {@link #lutime(String, Instant, Instant)}. Wraps uv_fs_lutime.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the path, which may name a symbolic link
     * @param atime the new access time
     * @param mtime the new modification time
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request lutime(Loop loop, String path, Instant atime, Instant mtime, Callback<? super Void> callback) {
        return lutime(loop, path, seconds(atime), seconds(mtime), callback);
    }

    /**
     * {@link #lutime(Loop, String, Instant, Instant, Callback)} as a future, callable from any
     * thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the path, which may name a symbolic link
     * @param atime the new access time
     * @param mtime the new modification time
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> lutimeAsync(Loop loop, String path, Instant atime, Instant mtime) {
        return FsRequest.future(loop, cb -> lutime(loop, path, atime, mtime, cb));
    }

    // ---- link, symlink, readlink, realpath ----

    /**
     * Creates a hard link {@code newPath} to {@code path}. Wraps uv_fs_link.
     *
     * @param path the existing file's path
     * @param newPath the new link's path
     * @throws UvException such as ENOENT or EEXIST
     */
    public static void link(String path, String newPath) {
        sync2("uv_fs_link", utf8(path), utf8(newPath), LibUv::uv_fs_link, NONE);
    }

    /**
     * Asynchronous {@link #link(String, String)}. Wraps uv_fs_link.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the existing file's path
     * @param newPath the new link's path
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request link(Loop loop, String path, String newPath, Callback<? super Void> callback) {
        return async2(loop, "uv_fs_link", utf8(path), utf8(newPath), LibUv::uv_fs_link, NONE, callback);
    }

    /**
     * {@link #link(Loop, String, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the existing file's path
     * @param newPath the new link's path
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> linkAsync(Loop loop, String path, String newPath) {
        return FsRequest.future(loop, cb -> link(loop, path, newPath, cb));
    }

    /**
     * Creates a symbolic link {@code newPath} whose target is {@code path}. Wraps uv_fs_symlink.
     *
     * @param flags 0, or {@link #SYMLINK_DIR} / {@link #SYMLINK_JUNCTION} (Windows)
     * @param path the link's target
     * @param newPath the path of the link to create
     * @throws UvException such as EEXIST, or EPERM where links are not allowed
     */
    public static void symlink(String path, String newPath, int flags) {
        symlink(utf8(path), utf8(newPath), flags);
    }

    /**
     * {@link #symlink(String, String, int)} with raw bytes. Wraps uv_fs_symlink.
     *
     * @param path the link's target, as raw bytes
     * @param newPath the path of the link to create, as raw bytes
     * @param flags 0, or {@link #SYMLINK_DIR} / {@link #SYMLINK_JUNCTION} (Windows)
     */
    public static void symlink(byte[] path, byte[] newPath, int flags) {
        sync2("uv_fs_symlink", path, newPath, (l, q, p, n, cb) -> LibUv.uv_fs_symlink(l, q, p, n, flags, cb), NONE);
    }

    /**
     * Asynchronous {@link #symlink(String, String, int)}. Wraps uv_fs_symlink.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the link's target
     * @param newPath the path of the link to create
     * @param flags 0, or {@link #SYMLINK_DIR} / {@link #SYMLINK_JUNCTION} (Windows)
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request symlink(Loop loop, String path, String newPath, int flags, Callback<? super Void> callback) {
        return async2(loop, "uv_fs_symlink", utf8(path), utf8(newPath),
                (l, q, p, n, cb) -> LibUv.uv_fs_symlink(l, q, p, n, flags, cb), NONE, callback);
    }

    /**
     * {@link #symlink(Loop, String, String, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the link's target
     * @param newPath the path of the link to create
     * @param flags 0, or {@link #SYMLINK_DIR} / {@link #SYMLINK_JUNCTION} (Windows)
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> symlinkAsync(Loop loop, String path, String newPath, int flags) {
        return FsRequest.future(loop, cb -> symlink(loop, path, newPath, flags, cb));
    }

    /**
     * The target of a symbolic link, exactly as it was created. Wraps uv_fs_readlink.
     *
     * @param path the symbolic link's path
     * @return the link's target
     * @throws UvException such as ENOENT or EINVAL (not a link)
     */
    public static String readlink(String path) {
        return sync1("uv_fs_readlink", utf8(path), LibUv::uv_fs_readlink, PTR_STRING);
    }

    /**
     * {@link #readlink(String)} with raw bytes in and out. Wraps uv_fs_readlink.
     *
     * @param path the symbolic link's path, as raw bytes
     * @return the link's target, as raw bytes
     */
    public static byte[] readlink(byte[] path) {
        return sync1("uv_fs_readlink", path, LibUv::uv_fs_readlink, PTR_BYTES);
    }

    /**
     * Asynchronous {@link #readlink(String)}. Wraps uv_fs_readlink.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the symbolic link's path
     * @param callback receives the link's target, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request readlink(Loop loop, String path, Callback<? super String> callback) {
        return async1(loop, "uv_fs_readlink", utf8(path), LibUv::uv_fs_readlink, PTR_STRING, callback);
    }

    /**
     * {@link #readlink(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the symbolic link's path
     * @return a future of the link's target, completed on the loop thread (exceptionally with the
     *     {@link UvException} on error)
     */
    public static CompletableFuture<String> readlinkAsync(Loop loop, String path) {
        return FsRequest.future(loop, cb -> readlink(loop, path, cb));
    }

    /**
     * The canonical absolute path of {@code path}, with every symbolic link, {@code .} and
     * {@code ..} resolved. Wraps uv_fs_realpath.
     *
     * @param path the path to resolve
     * @return the canonical absolute path
     * @throws UvException such as ENOENT
     */
    public static String realpath(String path) {
        return sync1("uv_fs_realpath", utf8(path), LibUv::uv_fs_realpath, PTR_STRING);
    }

    /**
     * {@link #realpath(String)} with raw bytes in and out. Wraps uv_fs_realpath.
     *
     * @param path the path to resolve, as raw bytes
     * @return the canonical absolute path, as raw bytes
     */
    public static byte[] realpath(byte[] path) {
        return sync1("uv_fs_realpath", path, LibUv::uv_fs_realpath, PTR_BYTES);
    }

    /**
     * Asynchronous {@link #realpath(String)}. Wraps uv_fs_realpath.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the path to resolve
     * @param callback receives the canonical absolute path, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request realpath(Loop loop, String path, Callback<? super String> callback) {
        return async1(loop, "uv_fs_realpath", utf8(path), LibUv::uv_fs_realpath, PTR_STRING, callback);
    }

    /**
     * {@link #realpath(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the path to resolve
     * @return a future of the canonical absolute path, completed on the loop thread (exceptionally
     *     with the {@link UvException} on error)
     */
    public static CompletableFuture<String> realpathAsync(Loop loop, String path) {
        return FsRequest.future(loop, cb -> realpath(loop, path, cb));
    }

    // ---- chown, fchown, lchown ----

    /**
     * Sets a file's owner and group; -1 leaves either unchanged. Wraps uv_fs_chown.
     *
     * @param path the file's path
     * @param uid the new owner's user id
     * @param gid the new group id
     * @throws UvException such as ENOENT or EPERM
     */
    public static void chown(String path, int uid, int gid) {
        sync1("uv_fs_chown", utf8(path), (l, q, p, cb) -> LibUv.uv_fs_chown(l, q, p, uid, gid, cb), NONE);
    }

    /**
     * Asynchronous {@link #chown(String, int, int)}. Wraps uv_fs_chown.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the file's path
     * @param uid the new owner's user id
     * @param gid the new group id
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request chown(Loop loop, String path, int uid, int gid, Callback<? super Void> callback) {
        return async1(loop, "uv_fs_chown", utf8(path), (l, q, p, cb) -> LibUv.uv_fs_chown(l, q, p, uid, gid, cb),
                NONE, callback);
    }

    /**
     * {@link #chown(Loop, String, int, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the file's path
     * @param uid the new owner's user id
     * @param gid the new group id
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> chownAsync(Loop loop, String path, int uid, int gid) {
        return FsRequest.future(loop, cb -> chown(loop, path, uid, gid, cb));
    }

    /**
     * Sets an open file's owner and group; -1 leaves either unchanged. Wraps uv_fs_fchown.
     *
     * @param fd an open file descriptor
     * @param uid the new owner's user id
     * @param gid the new group id
     * @throws UvException such as EBADF or EPERM
     */
    public static void fchown(int fd, int uid, int gid) {
        syncFd("uv_fs_fchown", fd, (l, q, cb) -> LibUv.uv_fs_fchown(l, q, fd, uid, gid, cb), NONE);
    }

    /**
     * Asynchronous {@link #fchown(int, int, int)}. Wraps uv_fs_fchown.
     *
     * @param loop the loop whose thread runs the callback
     * @param fd an open file descriptor
     * @param uid the new owner's user id
     * @param gid the new group id
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request fchown(Loop loop, int fd, int uid, int gid, Callback<? super Void> callback) {
        return asyncFd(loop, "uv_fs_fchown", fd, (l, q, cb) -> LibUv.uv_fs_fchown(l, q, fd, uid, gid, cb), NONE,
                callback);
    }

    /**
     * {@link #fchown(Loop, int, int, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param fd an open file descriptor
     * @param uid the new owner's user id
     * @param gid the new group id
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> fchownAsync(Loop loop, int fd, int uid, int gid) {
        return FsRequest.future(loop, cb -> fchown(loop, fd, uid, gid, cb));
    }

    /**
     * Like {@link #chown(String, int, int)}, but a symbolic link itself is changed. Wraps
     * uv_fs_lchown.
     *
     * @param path the path, which may name a symbolic link
     * @param uid the new owner's user id
     * @param gid the new group id
     * @throws UvException such as ENOENT or EPERM
     */
    public static void lchown(String path, int uid, int gid) {
        sync1("uv_fs_lchown", utf8(path), (l, q, p, cb) -> LibUv.uv_fs_lchown(l, q, p, uid, gid, cb), NONE);
    }

    /**
     * Asynchronous {@link #lchown(String, int, int)}. Wraps uv_fs_lchown.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the path, which may name a symbolic link
     * @param uid the new owner's user id
     * @param gid the new group id
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request lchown(Loop loop, String path, int uid, int gid, Callback<? super Void> callback) {
        return async1(loop, "uv_fs_lchown", utf8(path), (l, q, p, cb) -> LibUv.uv_fs_lchown(l, q, p, uid, gid, cb),
                NONE, callback);
    }

    /**
     * {@link #lchown(Loop, String, int, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the path, which may name a symbolic link
     * @param uid the new owner's user id
     * @param gid the new group id
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> lchownAsync(Loop loop, String path, int uid, int gid) {
        return FsRequest.future(loop, cb -> lchown(loop, path, uid, gid, cb));
    }

    // ---- copyfile ----

    /**
     * Copies the file {@code path} to {@code newPath}. Wraps uv_fs_copyfile.
     *
     * @param flags 0 or {@link #COPYFILE_EXCL}, {@link #COPYFILE_FICLONE},
     *     {@link #COPYFILE_FICLONE_FORCE} combined
     * @param path the file to copy
     * @param newPath the copy's path
     * @throws UvException such as ENOENT, or EEXIST with COPYFILE_EXCL
     */
    public static void copyfile(String path, String newPath, int flags) {
        sync2("uv_fs_copyfile", utf8(path), utf8(newPath),
                (l, q, p, n, cb) -> LibUv.uv_fs_copyfile(l, q, p, n, flags, cb), NONE);
    }

    /**
     * Asynchronous {@link #copyfile(String, String, int)}. Wraps uv_fs_copyfile.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the file to copy
     * @param newPath the copy's path
     * @param flags 0 or {@link #COPYFILE_EXCL}, {@link #COPYFILE_FICLONE},
     *     {@link #COPYFILE_FICLONE_FORCE} combined
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request copyfile(Loop loop, String path, String newPath, int flags, Callback<? super Void> callback) {
        return async2(loop, "uv_fs_copyfile", utf8(path), utf8(newPath),
                (l, q, p, n, cb) -> LibUv.uv_fs_copyfile(l, q, p, n, flags, cb), NONE, callback);
    }

    /**
     * {@link #copyfile(Loop, String, String, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the file to copy
     * @param newPath the copy's path
     * @param flags 0 or {@link #COPYFILE_EXCL}, {@link #COPYFILE_FICLONE},
     *     {@link #COPYFILE_FICLONE_FORCE} combined
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> copyfileAsync(Loop loop, String path, String newPath, int flags) {
        return FsRequest.future(loop, cb -> copyfile(loop, path, newPath, flags, cb));
    }

    // ---- scandir, opendir, readdir, closedir ----

    /**
     * The entries of a directory, without {@code .} and {@code ..}, in the order libuv gives
     * them. Wraps uv_fs_scandir and uv_fs_scandir_next.
     *
     * @param path the directory's path
     * @return the directory's entries, without {@code .} and {@code ..}
     * @throws UvException such as ENOENT or ENOTDIR
     */
    public static List<DirEntry> scandir(String path) {
        return scandir(utf8(path));
    }

    /**
     * {@link #scandir(String)} with the path as raw bytes; each entry's {@link DirEntry#rawName()}
     * holds its name's exact bytes. Wraps uv_fs_scandir.
     *
     * @param path the directory's path, as raw bytes
     * @return the directory's entries, without {@code .} and {@code ..}
     */
    public static List<DirEntry> scandir(byte[] path) {
        return sync1("uv_fs_scandir", path, (l, q, p, cb) -> LibUv.uv_fs_scandir(l, q, p, 0, cb), SCANDIR);
    }

    /**
     * Asynchronous {@link #scandir(String)}. Wraps uv_fs_scandir.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the directory's path
     * @param callback receives the directory's entries, without {@code .} and {@code ..}, or the
     *     error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request scandir(Loop loop, String path, Callback<? super List<DirEntry>> callback) {
        return scandir(loop, utf8(path), callback);
    }

    /**
     * {@link #scandir(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the directory's path
     * @return a future of the directory's entries, without {@code .} and {@code ..}, completed on
     *     the loop thread (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<List<DirEntry>> scandirAsync(Loop loop, String path) {
        return FsRequest.future(loop, cb -> scandir(loop, path, cb));
    }

    /**
     * Asynchronous {@link #scandir(byte[])}. Wraps uv_fs_scandir.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the directory's path, as raw bytes
     * @param callback receives the directory's entries, without {@code .} and {@code ..}, or the
     *     error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request scandir(Loop loop, byte[] path, Callback<? super List<DirEntry>> callback) {
        return async1(loop, "uv_fs_scandir", path, (l, q, p, cb) -> LibUv.uv_fs_scandir(l, q, p, 0, cb), SCANDIR,
                callback);
    }

    /**
     * {@link #scandir(Loop, byte[], Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the directory's path, as raw bytes
     * @return a future of the directory's entries, without {@code .} and {@code ..}, completed on
     *     the loop thread (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<List<DirEntry>> scandirAsync(Loop loop, byte[] path) {
        return FsRequest.future(loop, cb -> scandir(loop, path, cb));
    }

    /**
     * Opens a directory stream that returns up to {@link Dir#DEFAULT_ENTRIES} entries per
     * {@link #readdir(Dir)}. The caller closes it. Wraps uv_fs_opendir.
     *
     * @param path the directory's path
     * @return the open directory stream
     * @throws UvException such as ENOENT or ENOTDIR
     */
    public static Dir opendir(String path) {
        return opendir(path, Dir.DEFAULT_ENTRIES);
    }

    /**
     * Opens a directory stream whose readdir returns up to {@code entries} entries. Wraps
     * uv_fs_opendir.
     *
     * @param path the directory's path
     * @param entries how many entries one readdir returns at most, 1 to {@link Dir#MAX_ENTRIES}
     * @return the open directory stream
     * @throws IllegalArgumentException if {@code entries} is not between 1 and
     *     {@link Dir#MAX_ENTRIES}
     */
    public static Dir opendir(String path, int entries) {
        checkEntries(entries);
        return sync1("uv_fs_opendir", utf8(path), LibUv::uv_fs_opendir, dirReader(path, entries));
    }

    /**
     * Asynchronous {@link #opendir(String)}. Wraps uv_fs_opendir.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the directory's path
     * @param callback receives the open directory stream, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request opendir(Loop loop, String path, Callback<? super Dir> callback) {
        return opendir(loop, path, Dir.DEFAULT_ENTRIES, callback);
    }

    /**
     * {@link #opendir(Loop, String, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the directory's path
     * @return a future of the open directory stream, completed on the loop thread (exceptionally
     *     with the {@link UvException} on error)
     */
    public static CompletableFuture<Dir> opendirAsync(Loop loop, String path) {
        return FsRequest.future(loop, d -> closedir(loop, d, (r, e) -> {}), cb -> opendir(loop, path, cb));
    }

    /**
     * Asynchronous {@link #opendir(String, int)}. Wraps uv_fs_opendir.
     *
     * @param loop the loop whose thread runs the callback
     * @param path the directory's path
     * @param entries how many entries one readdir returns at most, 1 to {@link Dir#MAX_ENTRIES}
     * @param callback receives the open directory stream, or the error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request opendir(Loop loop, String path, int entries, Callback<? super Dir> callback) {
        checkEntries(entries);
        return async1(loop, "uv_fs_opendir", utf8(path), LibUv::uv_fs_opendir, dirReader(path, entries), callback);
    }

    /**
     * {@link #opendir(Loop, String, int, Callback)} as a future, callable from any thread.
     *
     * @param loop the loop whose thread completes the future
     * @param path the directory's path
     * @param entries how many entries one readdir returns at most, 1 to {@link Dir#MAX_ENTRIES}
     * @return a future of the open directory stream, completed on the loop thread (exceptionally
     *     with the {@link UvException} on error)
     */
    public static CompletableFuture<Dir> opendirAsync(Loop loop, String path, int entries) {
        return FsRequest.future(loop, d -> closedir(loop, d, (r, e) -> {}), cb -> opendir(loop, path, entries, cb));
    }

    private static void checkEntries(int entries) {
        if (entries <= 0 || entries > Dir.MAX_ENTRIES) {
            throw new IllegalArgumentException("entries must be between 1 and " + Dir.MAX_ENTRIES + ": " + entries);
        }
    }

    /** Wraps the opened uv_dir_t; when that fails (no memory), closes it so no descriptor leaks. */
    private static Reader<Dir> dirReader(String path, int entries) {
        return (req, result) -> {
            long dir = LibUv.uv_fs_get_ptr(req);
            try {
                return new Dir(path, dir, entries);
            } catch (Throwable t) {
                try {
                    FsRequest.sync("uv_fs_closedir " + path, (l, q, cb) -> LibUv.uv_fs_closedir(l, q, dir, cb), NONE);
                } catch (Throwable t2) {
                    t.addSuppressed(t2);
                }
                throw t;
            }
        };
    }

    private static Reader<List<DirEntry>> readdirReader(Dir dir) {
        long dirents = dir.dirents();
        return (req, result) -> FsLayouts.dirents(dirents, result, DirEntry::of);
    }

    /**
     * The next batch of entries (at most {@link Dir#entries()}); an empty list once all have
     * been read. Wraps uv_fs_readdir.
     *
     * @param dir a directory stream from {@link #opendir(String)}
     * @return the next entries, an empty list once all have been read
     * @throws IllegalStateException if the Dir is closed or busy with another operation
     * @throws UvException on a read error
     */
    public static List<DirEntry> readdir(Dir dir) {
        Objects.requireNonNull(dir, "dir");
        long p = dir.claim(false);
        try {
            return FsRequest.sync("uv_fs_readdir " + dir.path(), (l, q, cb) -> LibUv.uv_fs_readdir(l, q, p, cb),
                    readdirReader(dir));
        } finally {
            dir.readDone();
        }
    }

    /**
     * Asynchronous {@link #readdir(Dir)}; the Dir is busy until the callback. Wraps uv_fs_readdir.
     *
     * @param loop the loop whose thread runs the callback
     * @param dir a directory stream from {@link #opendir(String)}
     * @param callback receives the next entries, an empty list once all have been read, or the
     *     error, once on the loop thread
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request readdir(Loop loop, Dir dir, Callback<? super List<DirEntry>> callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(callback, "callback");
        return FsRequest.issue(loop, callback, done -> {
            long p = dir.claim(false);
            return FsRequest.async(loop, "uv_fs_readdir " + dir.path(), (l, q, cb) -> LibUv.uv_fs_readdir(l, q, p, cb),
                    readdirReader(dir), done, null, dir, ok -> dir.readDone());
        }, null);
    }

    /**
     * {@link #readdir(Loop, Dir, Callback)} as a future, callable from any thread. A Dir that is
     * closed or busy with another operation fails the future with {@link IllegalStateException}.
     *
     * @param loop the loop whose thread completes the future
     * @param dir a directory stream from {@link #opendir(String)}
     * @return a future of the next entries, an empty list once all have been read, completed on the
     *     loop thread (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<List<DirEntry>> readdirAsync(Loop loop, Dir dir) {
        return FsRequest.future(loop, cb -> readdir(loop, dir, cb));
    }

    /**
     * Closes a directory stream and frees it. Wraps uv_fs_closedir.
     *
     * @param dir the directory stream to close
     * @throws IllegalStateException if the Dir is already closed or busy with another operation
     */
    public static void closedir(Dir dir) {
        Objects.requireNonNull(dir, "dir");
        long p = dir.claim(true);
        try {
            FsRequest.sync("uv_fs_closedir " + dir.path(), (l, q, cb) -> LibUv.uv_fs_closedir(l, q, p, cb), NONE);
        } finally {
            dir.closeDone();
        }
    }

    /**
     * Asynchronous {@link #closedir(Dir)}. The returned request cannot be cancelled
     * ({@link Request#cancel()} returns false). Wraps uv_fs_closedir.
     *
     * @param loop the loop whose thread runs the callback
     * @param dir the directory stream to close
     * @param callback runs once on the loop thread when the operation is over, with the error or
     *     null
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request closedir(Loop loop, Dir dir, Callback<? super Void> callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(callback, "callback");
        return FsRequest.issue(loop, callback, done -> {
            long p = dir.claim(true);
            // a closedir cannot be cancelled: see FsRequest.notCancellable
            return FsRequest.async(loop, "uv_fs_closedir " + dir.path(), (l, q, cb) -> LibUv.uv_fs_closedir(l, q, p, cb),
                    NONE, done, null, dir, ok -> {
                        if (ok) {
                            dir.closeDone();
                        } else {
                            dir.closeFailed();
                        }
                    }).notCancellable();
        }, null);
    }

    /**
     * {@link #closedir(Loop, Dir, Callback)} as a future, callable from any thread. It cannot be
     * cancelled: {@code cancel} completes the returned future, and the stream is closed all the
     * same; a Dir that is closed or busy fails the future with {@link IllegalStateException}.
     *
     * @param loop the loop whose thread completes the future
     * @param dir the directory stream to close
     * @return a future completed with null on the loop thread once the operation is over
     *     (exceptionally with the {@link UvException} on error)
     */
    public static CompletableFuture<Void> closedirAsync(Loop loop, Dir dir) {
        return FsRequest.<Void>future(loop, cb -> closedir(loop, dir, cb)).copy(); // a cancel stops no closedir
    }
}
