package dev.juv.support;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The few C library calls the tests need and juv does not offer: sending a signal to a process,
 * and glibc's malloc statistics. Tests may use the FFM API directly; juv's own code keeps it in
 * {@code dev.juv.internal}.
 */
public final class Glibc {
    private Glibc() {}

    private static final Linker LINKER = Linker.nativeLinker();

    private static final MethodHandle KILL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("kill").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** struct mallinfo2: ten size_t fields; uordblks (bytes in use) is the eighth. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));

    private static final long UORDBLKS = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks"));

    private static final MethodHandle MALLINFO = LINKER.defaultLookup().find("mallinfo2")
            .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(MALLINFO2)))
            .orElse(null);

    /** Sends {@code signum} to process {@code pid}; returns kill(2)'s result (0 or -1). */
    public static int kill(long pid, int signum) {
        try {
            return (int) KILL.invokeExact((int) pid, signum);
        } catch (Throwable t) {
            throw new AssertionError("kill failed", t);
        }
    }

    /** Whether this C library has mallinfo2 (glibc 2.33 and later). */
    public static boolean hasMallinfo2() {
        return MALLINFO != null;
    }

    /** glibc's bytes in use by malloc, over all arenas ({@code mallinfo2().uordblks}). */
    public static Optional<Long> mallocInUse() {
        if (MALLINFO == null) {
            return Optional.empty();
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = (MemorySegment) MALLINFO.invokeExact((SegmentAllocator) a);
            return Optional.of(s.get(ValueLayout.JAVA_LONG, UORDBLKS));
        } catch (Throwable t) {
            throw new AssertionError("mallinfo2 failed", t);
        }
    }

    /**
     * Whether the signal is ignored (SIG_IGN) in process {@code pid}, read from
     * /proc/pid/status; false when that file cannot be read.
     */
    public static boolean isIgnored(long pid, int signum) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (mask & (1L << (signum - 1))) != 0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
