package dev.juv;

import dev.juv.internal.CBlock;
import dev.juv.internal.LibUv;
import dev.juv.internal.Scratch;
import dev.juv.internal.SizedString;
import dev.juv.internal.SysLayouts;
import dev.juv.internal.Version;
import java.util.List;
import java.util.Objects;

/** libuv's system utilities as plain static calls. */
public final class Sys {
    private Sys() {}

    static {
        Version.check();
    }

    /**
     * libuv's version: major {@code <<} 16 | minor {@code <<} 8 | patch. Wraps uv_version.
     *
     * @return the loaded libuv's version as one number, such as {@code 0x012c02} for 1.44.2
     */
    public static int version() {
        return LibUv.uv_version();
    }

    /**
     * libuv's version as text, such as "1.44.2". Wraps uv_version_string.
     *
     * @return the version as major.minor.patch
     */
    public static String versionString() {
        return Version.string();
    }

    /**
     * The path of the libuv file juv loaded.
     *
     * @return the path of the loaded library file
     */
    public static String libraryPath() {
        return Version.libraryPath();
    }

    /**
     * Native bytes juv itself has allocated and not yet freed (handle and request memory, write
     * copies, read buffers), for measuring what a program's handles cost. libuv's own internal
     * allocations are not counted.
     *
     * @return the bytes juv has allocated and not freed
     */
    public static long nativeBytesInUse() {
        return CBlock.liveBytes();
    }

    /**
     * A monotonic clock in nanoseconds. Wraps uv_hrtime.
     *
     * @return nanoseconds from an arbitrary point in the past
     */
    public static long hrtime() {
        return LibUv.uv_hrtime();
    }

    /**
     * Seconds since boot. Wraps uv_uptime.
     *
     * @return the system's uptime in seconds
     */
    public static double uptime() {
        return Scratch.readDouble(p -> UvException.check(LibUv.uv_uptime(p), "uv_uptime"));
    }

    /**
     * Free memory in bytes. Wraps uv_get_free_memory.
     *
     * @return the free memory in bytes
     */
    public static long freeMemory() {
        return LibUv.uv_get_free_memory();
    }

    /**
     * Total memory in bytes. Wraps uv_get_total_memory.
     *
     * @return the total memory in bytes
     */
    public static long totalMemory() {
        return LibUv.uv_get_total_memory();
    }

    /**
     * The memory limit imposed on the process (cgroups) in bytes, 0 when there is none or it is
     * unknown (libuv 1.45 and newer say UINT64_MAX for "none"; juv reports 0 on every version).
     * Wraps uv_get_constrained_memory.
     *
     * @return the limit in bytes, or 0
     */
    public static long constrainedMemory() {
        long limit = LibUv.uv_get_constrained_memory();
        // newer libuv reports "no limit" (cgroup memory.max = max) as UINT64_MAX
        return limit == -1L ? 0 : limit;
    }

    /**
     * Memory still available to the process, respecting constraints. Wraps uv_get_available_memory.
     *
     * @return the available memory in bytes
     * @throws UnsupportedOperationException with libuv older than 1.45
     */
    public static long availableMemory() {
        return LibUv.uv_get_available_memory();
    }

    /**
     * The 1, 5 and 15 minute load averages. Wraps uv_loadavg.
     *
     * @return a new array of three load averages (zeros where the platform has none)
     */
    public static double[] loadavg() {
        return Scratch.readDoubles(3, LibUv::uv_loadavg);
    }

    /**
     * Resident set size in bytes. Wraps uv_resident_set_memory.
     *
     * @return the resident set size in bytes
     */
    public static long residentSetSize() {
        return Scratch.readLong(p -> UvException.check(LibUv.uv_resident_set_memory(p), "uv_resident_set_memory"));
    }

    /**
     * Every CPU. Wraps uv_cpu_info.
     *
     * @return one entry per CPU
     */
    public static List<CpuInfo> cpuInfo() {
        return SysLayouts.cpuInfo((array, count) -> UvException.check(LibUv.uv_cpu_info(array, count), "uv_cpu_info"));
    }

    /**
     * Every address of every network interface. Wraps uv_interface_addresses.
     *
     * @return one entry per address
     */
    public static List<InterfaceAddress> interfaceAddresses() {
        return SysLayouts.interfaceAddresses(
                (array, count) -> UvException.check(LibUv.uv_interface_addresses(array, count), "uv_interface_addresses"));
    }

    /**
     * The process's resource usage. Wraps uv_getrusage.
     *
     * @return the usage of the calling process
     */
    public static ResourceUsage rusage() {
        return SysLayouts.rusage(p -> UvException.check(LibUv.uv_getrusage(p), "uv_getrusage"));
    }

    /**
     * The system's names. Wraps uv_os_uname.
     *
     * @return the operating system's name, release, version and machine
     */
    public static Uname uname() {
        return SysLayouts.uname(p -> UvException.check(LibUv.uv_os_uname(p), "uv_os_uname"));
    }

    /**
     * The host name. Wraps uv_os_gethostname.
     *
     * @return the host name
     */
    public static String hostname() {
        return sizedString(LibUv::uv_os_gethostname, "uv_os_gethostname");
    }

    /**
     * The user's home directory. Wraps uv_os_homedir.
     *
     * @return the home directory's path
     */
    public static String homedir() {
        return sizedString(LibUv::uv_os_homedir, "uv_os_homedir");
    }

    /**
     * The temporary directory. Wraps uv_os_tmpdir.
     *
     * @return the temporary directory's path
     */
    public static String tmpdir() {
        return sizedString(LibUv::uv_os_tmpdir, "uv_os_tmpdir");
    }

    /**
     * The current working directory. Wraps uv_cwd.
     *
     * @return the working directory's path
     */
    public static String cwd() {
        return sizedString(LibUv::uv_cwd, "uv_cwd");
    }

    /**
     * The path of the running executable. Wraps uv_exepath.
     *
     * @return the executable's path
     */
    public static String exepath() {
        return sizedString(LibUv::uv_exepath, "uv_exepath");
    }

    private static String sizedString(SizedString.Call call, String op) {
        return SizedString.read(1024, 4, call, r -> UvException.check(r, op) >= 0);
    }

    /**
     * The process title. Wraps uv_get_process_title. libuv only knows the title of a process
     * that handed it its arguments at start-up (uv_setup_args), which a JVM never does; then this
     * returns the process's command line as the operating system reports it (empty if unknown).
     *
     * @return the title, or the command line, or ""
     */
    public static String processTitle() {
        for (int cap : new int[] {4096, 1 << 16}) {
            String title = SizedString.readFixed(cap, LibUv::uv_get_process_title, r -> {
                if (r != 0 && r != Errno.ENOBUFS) {
                    throw new UvException(r, "uv_get_process_title");
                }
                return r == 0;
            });
            if (title != null) {
                return title;
            }
        }
        // ENOBUFS with a 64 KiB buffer: libuv was never given the process arguments
        ProcessHandle.Info info = ProcessHandle.current().info();
        return info.commandLine().or(info::command).orElse("");
    }

    /**
     * Sets the process title (as far as the platform allows). Wraps uv_set_process_title.
     *
     * @param title the new title
     * @throws UvException ENOBUFS where libuv was not given the process arguments at start-up,
     *     which is the case in a JVM
     * @throws IllegalArgumentException if the title contains a NUL character
     */
    public static void setProcessTitle(String title) {
        Objects.requireNonNull(title, "title");
        try (CBlock s = CBlock.string(title)) {
            UvException.check(LibUv.uv_set_process_title(s.address()), "uv_set_process_title");
        }
    }

    /**
     * This process's id. Wraps uv_os_getpid.
     *
     * @return the process id
     */
    public static int getpid() {
        return LibUv.uv_os_getpid();
    }

    /**
     * The parent process's id. Wraps uv_os_getppid.
     *
     * @return the parent's process id
     */
    public static int getppid() {
        return LibUv.uv_os_getppid();
    }

    /**
     * How many threads can usefully run in parallel. Wraps uv_available_parallelism.
     *
     * @return an estimate of the parallelism available, at least 1
     */
    public static int availableParallelism() {
        return LibUv.uv_available_parallelism();
    }

    /**
     * What kind of handle a file descriptor is. Wraps uv_guess_handle.
     *
     * @param fd a file descriptor
     * @return {@link HandleType#TCP}, {@link HandleType#UDP}, {@link HandleType#NAMED_PIPE},
     *     {@link HandleType#TTY}, {@link HandleType#FILE}, or {@link HandleType#UNKNOWN_HANDLE}
     */
    public static HandleType guessHandle(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd " + fd);
        }
        return HandleType.of(LibUv.uv_guess_handle(fd));
    }

    /**
     * An environment variable of this process, or null. Wraps uv_os_getenv.
     *
     * @param name the variable's name
     * @return the variable's value, or null when it is not set
     */
    public static String getenv(String name) {
        Objects.requireNonNull(name, "name");
        try (CBlock n = CBlock.string(name)) {
            return SizedString.read(256, 8, (buf, size) -> LibUv.uv_os_getenv(n.address(), buf, size), r -> {
                if (r == Errno.ENOENT) {
                    return false;
                }
                UvException.check(r, "uv_os_getenv " + name);
                return true;
            });
        }
    }

    /**
     * The scheduling priority of a process. Wraps uv_os_getpriority.
     *
     * @param pid the process id, 0 for this process
     * @return the priority, from -20 (highest) to 19 (lowest) on Unix
     */
    public static int getPriority(int pid) {
        return Scratch.readInt(p -> UvException.check(LibUv.uv_os_getpriority(pid, p), "uv_os_getpriority"));
    }

    /**
     * Sets the scheduling priority of a process. Wraps uv_os_setpriority.
     *
     * @param pid the process id, 0 for this process
     * @param priority the new priority, from -20 (highest) to 19 (lowest) on Unix
     */
    public static void setPriority(int pid, int priority) {
        UvException.check(LibUv.uv_os_setpriority(pid, priority), "uv_os_setpriority");
    }

    /**
     * Sleeps the calling thread. Wraps uv_sleep.
     *
     * @param millis how long to sleep, in milliseconds
     */
    public static void sleep(int millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("negative time " + millis);
        }
        LibUv.uv_sleep(millis);
    }

    /**
     * The most bytes one {@link #random} call gives: 64 MiB. The bytes exist twice until the call
     * returns (native memory, then the array), so a larger amount is asked for in several calls.
     */
    public static final int MAX_RANDOM_LENGTH = 64 << 20;

    private static void checkRandomLength(int length) {
        if (length < 0 || length > MAX_RANDOM_LENGTH) {
            throw new IllegalArgumentException("random length " + length + " is not in 0.." + MAX_RANDOM_LENGTH);
        }
    }

    /**
     * Cryptographically strong random bytes, synchronously. Wraps uv_random.
     *
     * @param length the number of bytes
     * @return a new array of {@code length} random bytes
     * @throws IllegalArgumentException if {@code length} is negative or over {@link #MAX_RANDOM_LENGTH}
     */
    public static byte[] random(int length) {
        checkRandomLength(length);
        try (CBlock buf = CBlock.zeroed(Math.max(1, length))) {
            UvException.check(LibUv.uv_random(0, 0, buf.address(), length, 0, 0), "uv_random");
            return buf.read(length);
        }
    }

    /** Receives random bytes, or an error. */
    @FunctionalInterface
    public interface RandomCallback {
        /**
         * Runs once on the loop thread with the bytes or the error.
         *
         * @param bytes the random bytes, null on error
         * @param error null on success
         */
        void call(byte[] bytes, UvException error);
    }

    /**
     * Random bytes made on juv's pool (as the fs requests, never on libuv's own pool);
     * {@code callback} runs once on the loop thread with the bytes, or with the error
     * ({@code ECANCELED} when the returned request was cancelled before it started). The native
     * buffer is freed before the callback runs, whatever the outcome. Wraps uv_random.
     *
     * @param loop the loop whose thread runs the callback
     * @param length the number of bytes
     * @param callback receives the bytes or the error
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     * @throws IllegalArgumentException if {@code length} is negative or over {@link #MAX_RANDOM_LENGTH}
     */
    public static Request random(Loop loop, int length, RandomCallback callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(callback, "callback");
        checkRandomLength(length);
        try (Loop.Claim _ = loop.enter()) {
            return RandomRequest.start(loop, length, callback);
        }
    }
}
