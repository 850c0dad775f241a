package dev.juv.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * {@code uv_process_options_t} and {@code uv_stdio_container_t}, public structs of uv.h:
 *
 * <pre>
 * struct uv_process_options_s { uv_exit_cb exit_cb; const char* file; char** args; char** env;
 *     const char* cwd; unsigned int flags; int stdio_count; uv_stdio_container_t* stdio;
 *     uv_uid_t uid; uv_gid_t gid; };
 * struct uv_stdio_container_s { uv_stdio_flags flags; union { uv_stream_t* stream; int fd; } data; };
 * </pre>
 *
 * uv_uid_t and uv_gid_t are {@code uid_t}/{@code gid_t} (32 bits) on Unix and
 * {@code unsigned char} on Windows. Also builds the NULL-terminated {@code char**} arrays.
 */
@SuppressWarnings("restricted") // walks NULL-terminated char** arrays that C built or owns
public final class ProcessOptionsLayout {
    private ProcessOptionsLayout() {}

    private static final ValueLayout ID = Platform.WINDOWS ? ValueLayout.JAVA_BYTE : ValueLayout.JAVA_INT;

    public static final StructLayout OPTIONS = CStructs.padded(
            ValueLayout.ADDRESS.withName("exit_cb"),
            ValueLayout.ADDRESS.withName("file"),
            ValueLayout.ADDRESS.withName("args"),
            ValueLayout.ADDRESS.withName("env"),
            ValueLayout.ADDRESS.withName("cwd"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("stdio_count"),
            ValueLayout.ADDRESS.withName("stdio"),
            ID.withName("uid"),
            ID.withName("gid"));

    private static final UnionLayout STDIO_DATA = MemoryLayout.unionLayout(
            ValueLayout.ADDRESS.withName("stream"), ValueLayout.JAVA_INT.withName("fd"));

    public static final StructLayout STDIO = CStructs.padded(
            ValueLayout.JAVA_INT.withName("flags"), STDIO_DATA.withName("data"));

    public static final long OPTIONS_SIZE = OPTIONS.byteSize();
    public static final long STDIO_SIZE = STDIO.byteSize();

    private static final long EXIT_CB = CStructs.offset(OPTIONS, "exit_cb");
    private static final long FILE = CStructs.offset(OPTIONS, "file");
    private static final long ARGS = CStructs.offset(OPTIONS, "args");
    private static final long ENV = CStructs.offset(OPTIONS, "env");
    private static final long CWD = CStructs.offset(OPTIONS, "cwd");
    private static final long FLAGS = CStructs.offset(OPTIONS, "flags");
    private static final long STDIO_COUNT = CStructs.offset(OPTIONS, "stdio_count");
    private static final long STDIO_PTR = CStructs.offset(OPTIONS, "stdio");
    private static final long UID = CStructs.offset(OPTIONS, "uid");
    private static final long GID = CStructs.offset(OPTIONS, "gid");
    private static final long S_FLAGS = CStructs.offset(STDIO, "flags");
    private static final long S_DATA = CStructs.offset(STDIO, "data");

    /** Fills a zeroed {@code uv_process_options_t} of {@link #OPTIONS_SIZE} bytes. */
    static void writeOptions(long options, long exitCb, long file, long args, long env, long cwd,
            int flags, int stdioCount, long stdio, int uid, int gid) {
        MemorySegment s = Native.seg(options, OPTIONS_SIZE);
        s.set(ValueLayout.ADDRESS, EXIT_CB, MemorySegment.ofAddress(exitCb));
        s.set(ValueLayout.ADDRESS, FILE, MemorySegment.ofAddress(file));
        s.set(ValueLayout.ADDRESS, ARGS, MemorySegment.ofAddress(args));
        s.set(ValueLayout.ADDRESS, ENV, MemorySegment.ofAddress(env));
        s.set(ValueLayout.ADDRESS, CWD, MemorySegment.ofAddress(cwd));
        s.set(ValueLayout.JAVA_INT, FLAGS, flags);
        s.set(ValueLayout.JAVA_INT, STDIO_COUNT, stdioCount);
        s.set(ValueLayout.ADDRESS, STDIO_PTR, MemorySegment.ofAddress(stdio));
        if (Platform.WINDOWS) {
            s.set(ValueLayout.JAVA_BYTE, UID, (byte) uid);
            s.set(ValueLayout.JAVA_BYTE, GID, (byte) gid);
        } else {
            s.set(ValueLayout.JAVA_INT, UID, uid);
            s.set(ValueLayout.JAVA_INT, GID, gid);
        }
    }

    /** One {@code uv_stdio_container_t}: its flags, and a stream handle's address or else an fd. */
    public record Container(int flags, long stream, int fd) {}

    /** Runs {@code spawn} with the address of a filled {@code uv_process_options_t}. */
    @FunctionalInterface
    public interface Spawn<T> {
        T spawn(long options);
    }

    /**
     * Builds a {@code uv_process_options_t} (with its strings, argument and environment arrays
     * and stdio containers) in counted memory, hands its address to {@code spawn} and frees it
     * all afterwards, also when building or spawning throws.
     *
     * @param env the environment strings, or null to inherit the parent's
     * @param cwd the working directory, or null for the parent's
     * @throws IllegalArgumentException when a string holds a NUL
     */
    public static <T> T withOptions(long exitCb, String file, List<String> args, List<String> env, String cwd,
            int flags, List<Container> stdio, int uid, int gid, Spawn<T> spawn) {
        long filePtr = 0;
        long argsPtr = 0;
        long envPtr = 0;
        long cwdPtr = 0;
        long containers = 0;
        long opts = 0;
        try {
            filePtr = Native.cstring(file);
            argsPtr = stringArray(args);
            envPtr = env == null ? 0 : stringArray(env);
            cwdPtr = cwd == null ? 0 : Native.cstring(cwd);
            if (!stdio.isEmpty()) {
                containers = Native.calloc(stdio.size() * STDIO_SIZE);
                for (int i = 0; i < stdio.size(); i++) {
                    Container c = stdio.get(i);
                    writeStdio(containers, i, c.flags(), c.stream(), c.fd());
                }
            }
            opts = Native.calloc(OPTIONS_SIZE);
            writeOptions(opts, exitCb, filePtr, argsPtr, envPtr, cwdPtr, flags, stdio.size(), containers, uid, gid);
            return spawn.spawn(opts);
        } finally {
            Native.free(opts);
            Native.free(containers);
            Native.free(cwdPtr);
            freeStringArray(envPtr);
            freeStringArray(argsPtr);
            Native.free(filePtr);
        }
    }

    /** Fills entry {@code index} of an array of containers: a stream pointer, or else an fd. */
    static void writeStdio(long array, int index, int flags, long stream, int fd) {
        MemorySegment s = Native.seg(array + index * STDIO_SIZE, STDIO_SIZE);
        s.fill((byte) 0);
        s.set(ValueLayout.JAVA_INT, S_FLAGS, flags);
        if (stream != 0) {
            s.set(ValueLayout.ADDRESS, S_DATA, MemorySegment.ofAddress(stream));
        } else {
            s.set(ValueLayout.JAVA_INT, S_DATA, fd);
        }
    }

    /**
     * A NULL-terminated {@code char**} of UTF-8 copies of {@code strings}, in counted memory.
     * Throws IllegalArgumentException (having freed what it allocated) when one holds a NUL.
     */
    static long stringArray(List<String> strings) {
        int n = strings.size();
        long array = Native.calloc((n + 1L) * ValueLayout.ADDRESS.byteSize());
        MemorySegment s = Native.seg(array, (n + 1L) * ValueLayout.ADDRESS.byteSize());
        try {
            for (int i = 0; i < n; i++) {
                long c = Native.cstring(strings.get(i));
                s.setAtIndex(ValueLayout.ADDRESS, i, MemorySegment.ofAddress(c));
            }
        } catch (RuntimeException e) {
            freeStringArray(array);
            throw e;
        }
        return array;
    }

    /** Frees an array from {@link #stringArray} and its strings; 0 is ignored. */
    static void freeStringArray(long array) {
        if (array == 0) {
            return;
        }
        MemorySegment s = MemorySegment.ofAddress(array).reinterpret(Long.MAX_VALUE);
        for (long i = 0;; i++) {
            long c = s.getAtIndex(ValueLayout.ADDRESS, i).address();
            if (c == 0) {
                break;
            }
            Native.free(c);
        }
        Native.free(array);
    }
}
