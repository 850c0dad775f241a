package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Native;
import dev.juv.internal.Sockaddr;
import dev.juv.internal.Version;
import java.net.InetSocketAddress;
import java.util.ArrayList;
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
        return Native.string(LibUv.uv_version_string());
    }

    /**
     * The path of the libuv file juv loaded.
     *
     * @return the path of the loaded library file
     */
    public static String libraryPath() {
        return Native.libraryPath();
    }

    /**
     * Native bytes juv itself has allocated and not yet freed (handle and request memory, write
     * copies, read buffers), for measuring what a program's handles cost. libuv's own internal
     * allocations are not counted.
     *
     * @return the bytes juv has allocated and not freed
     */
    public static long nativeBytesInUse() {
        return Native.liveBytes();
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
        long p = Native.calloc(8);
        try {
            UvException.check(LibUv.uv_uptime(p), "uv_uptime");
            return Native.getDouble(p);
        } finally {
            Native.free(p);
        }
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
        long p = Native.calloc(24);
        try {
            LibUv.uv_loadavg(p);
            return new double[] {Native.getDouble(p), Native.getDouble(p + 8), Native.getDouble(p + 16)};
        } finally {
            Native.free(p);
        }
    }

    /**
     * Resident set size in bytes. Wraps uv_resident_set_memory.
     *
     * @return the resident set size in bytes
     */
    public static long residentSetSize() {
        long p = Native.calloc(8);
        try {
            UvException.check(LibUv.uv_resident_set_memory(p), "uv_resident_set_memory");
            return Native.getLong(p);
        } finally {
            Native.free(p);
        }
    }

    /**
     * Every CPU. Wraps uv_cpu_info.
     *
     * @return one entry per CPU
     */
    public static List<CpuInfo> cpuInfo() {
        long pp = Native.calloc(8);
        long pc = Native.calloc(8);
        try {
            UvException.check(LibUv.uv_cpu_info(pp, pc), "uv_cpu_info");
            long arr = Native.getLong(pp);
            int n = Native.getInt(pc);
            List<CpuInfo> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long e = arr + i * 56L; // char* model; int speed; 5 x uint64 times
                out.add(new CpuInfo(Native.string(Native.getLong(e)), Native.getInt(e + 8), Native.getLong(e + 16),
                        Native.getLong(e + 24), Native.getLong(e + 32), Native.getLong(e + 40), Native.getLong(e + 48)));
            }
            LibUv.uv_free_cpu_info(arr, n);
            return out;
        } finally {
            Native.free(pp);
            Native.free(pc);
        }
    }

    /**
     * Every address of every network interface. Wraps uv_interface_addresses.
     *
     * @return one entry per address
     */
    public static List<InterfaceAddress> interfaceAddresses() {
        long pp = Native.calloc(8);
        long pc = Native.calloc(8);
        try {
            UvException.check(LibUv.uv_interface_addresses(pp, pc), "uv_interface_addresses");
            long arr = Native.getLong(pp);
            int n = Native.getInt(pc);
            List<InterfaceAddress> out = new ArrayList<>(n);
            // char* name; char phys_addr[6]; int is_internal; union address; union netmask
            for (int i = 0; i < n; i++) {
                long e = arr + i * 80L;
                InetSocketAddress a = Sockaddr.read(e + 20);
                InetSocketAddress m = Sockaddr.read(e + 48);
                out.add(new InterfaceAddress(Native.string(Native.getLong(e)), Native.bytes(e + 8, 6),
                        Native.getInt(e + 16) != 0, a == null ? null : a.getAddress(),
                        m == null ? null : m.getAddress()));
            }
            LibUv.uv_free_interface_addresses(arr, n);
            return out;
        } finally {
            Native.free(pp);
            Native.free(pc);
        }
    }

    /**
     * The process's resource usage. Wraps uv_getrusage.
     *
     * @return the usage of the calling process
     */
    public static ResourceUsage rusage() {
        long p = Native.calloc(144);
        try {
            UvException.check(LibUv.uv_getrusage(p), "uv_getrusage");
            long[] v = new long[18];
            for (int i = 0; i < 18; i++) {
                v[i] = Native.getLong(p + 8L * i);
            }
            return new ResourceUsage(v[0] * 1_000_000 + v[1], v[2] * 1_000_000 + v[3], v[4], v[5], v[6], v[7], v[8],
                    v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17]);
        } finally {
            Native.free(p);
        }
    }

    /**
     * The system's names. Wraps uv_os_uname.
     *
     * @return the operating system's name, release, version and machine
     */
    public static Uname uname() {
        long p = Native.calloc(4 * 256);
        try {
            UvException.check(LibUv.uv_os_uname(p), "uv_os_uname");
            return new Uname(Native.string(p), Native.string(p + 256), Native.string(p + 512), Native.string(p + 768));
        } finally {
            Native.free(p);
        }
    }

    /**
     * The host name. Wraps uv_os_gethostname.
     *
     * @return the host name
     */
    public static String hostname() {
        return sizedString(1, "uv_os_gethostname");
    }

    /**
     * The user's home directory. Wraps uv_os_homedir.
     *
     * @return the home directory's path
     */
    public static String homedir() {
        return sizedString(2, "uv_os_homedir");
    }

    /**
     * The temporary directory. Wraps uv_os_tmpdir.
     *
     * @return the temporary directory's path
     */
    public static String tmpdir() {
        return sizedString(3, "uv_os_tmpdir");
    }

    /**
     * The current working directory. Wraps uv_cwd.
     *
     * @return the working directory's path
     */
    public static String cwd() {
        return sizedString(4, "uv_cwd");
    }

    /**
     * The path of the running executable. Wraps uv_exepath.
     *
     * @return the executable's path
     */
    public static String exepath() {
        return sizedString(5, "uv_exepath");
    }

    private static String sizedString(int which, String op) {
        int cap = 1024;
        for (int attempt = 0; attempt < 4; attempt++) {
            long buf = Native.calloc(cap);
            long size = Native.calloc(8);
            try {
                Native.putLong(size, cap);
                int r = switch (which) {
                    case 1 -> LibUv.uv_os_gethostname(buf, size);
                    case 2 -> LibUv.uv_os_homedir(buf, size);
                    case 3 -> LibUv.uv_os_tmpdir(buf, size);
                    case 4 -> LibUv.uv_cwd(buf, size);
                    default -> LibUv.uv_exepath(buf, size);
                };
                if (r == Errno.ENOBUFS) {
                    cap = (int) Math.max(cap * 2L, Native.getLong(size) + 1);
                    continue;
                }
                UvException.check(r, op);
                return Native.string(buf);
            } finally {
                Native.free(buf);
                Native.free(size);
            }
        }
        throw new UvException(Errno.ENOBUFS, op);
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
            long buf = Native.calloc(cap);
            try {
                int r = LibUv.uv_get_process_title(buf, cap);
                if (r == 0) {
                    return Native.string(buf);
                }
                if (r != Errno.ENOBUFS) {
                    throw new UvException(r, "uv_get_process_title");
                }
            } finally {
                Native.free(buf);
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
        long s = Native.cstring(title);
        try {
            UvException.check(LibUv.uv_set_process_title(s), "uv_set_process_title");
        } finally {
            Native.free(s);
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
        long n = Native.cstring(name);
        int cap = 256;
        try {
            for (int attempt = 0; attempt < 8; attempt++) {
                long buf = Native.calloc(cap);
                long size = Native.calloc(8);
                try {
                    Native.putLong(size, cap);
                    int r = LibUv.uv_os_getenv(n, buf, size);
                    if (r == Errno.ENOENT) {
                        return null;
                    }
                    if (r == Errno.ENOBUFS) {
                        cap = (int) Math.max(cap * 2L, Native.getLong(size) + 1);
                        continue;
                    }
                    UvException.check(r, "uv_os_getenv " + name);
                    return Native.string(buf);
                } finally {
                    Native.free(buf);
                    Native.free(size);
                }
            }
            throw new UvException(Errno.ENOBUFS, "uv_os_getenv " + name);
        } finally {
            Native.free(n);
        }
    }

    /**
     * The scheduling priority of a process. Wraps uv_os_getpriority.
     *
     * @param pid the process id, 0 for this process
     * @return the priority, from -20 (highest) to 19 (lowest) on Unix
     */
    public static int getPriority(int pid) {
        long p = Native.calloc(8);
        try {
            UvException.check(LibUv.uv_os_getpriority(pid, p), "uv_os_getpriority");
            return Native.getInt(p);
        } finally {
            Native.free(p);
        }
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
        long buf = Native.calloc(Math.max(1, length));
        try {
            UvException.check(LibUv.uv_random(0, 0, buf, length, 0, 0), "uv_random");
            return Native.bytes(buf, length);
        } finally {
            Native.free(buf);
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
