package dev.juv.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * Orders native memory handed between threads in a way C-level tools can see. A request's
 * {@code uv_fs_t} (or other native block) is filled by libuv on one of juv's pool threads and read
 * on the loop thread; the Java hand-off between them (an executor queue, {@code Loop.execute})
 * already orders the accesses for the JVM, but with atomics that ThreadSanitizer does not see, so a
 * TSan-built libuv would report every such request as a race. Each side therefore passes through
 * one process-wide POSIX semaphore ({@link #pass}) after writing and before reading: a post (a
 * release) and a non-blocking wait (an acquire), which TSan understands as the ordering it is.
 *
 * <p>A semaphore rather than a mutex: an Error between the two calls (a StackOverflowError
 * thrown at the second downcall) leaves one extra count behind, which blocks nobody, where a
 * mutex would stay locked and hang every later request.
 */
@SuppressWarnings("restricted") // links libc's semaphore functions
public final class Handoff {
    private Handoff() {}

    private static final MethodHandle POST = find("sem_post");
    private static final MethodHandle TRYWAIT = find("sem_trywait");
    private static final long SEMAPHORE = create();

    private static MethodHandle find(String name) {
        return symbol(name).map(s -> Native.LINKER.downcallHandle(s, FunctionDescriptor.of(Native.I, Native.P)))
                .orElse(null);
    }

    /** Looked up through libuv first, as Native finds malloc: a sanitizer runtime libuv needs comes first. */
    private static java.util.Optional<java.lang.foreign.MemorySegment> symbol(String name) {
        Native.ensureLoaded();
        return Native.UV.find(name).or(() -> Native.LINKER.defaultLookup().find(name));
    }

    private static long create() {
        MethodHandle init = symbol("sem_init")
                .map(s -> Native.LINKER.downcallHandle(s, FunctionDescriptor.of(Native.I, Native.P, Native.I, Native.I)))
                .orElse(null);
        if (init == null || POST == null || TRYWAIT == null) {
            return 0;
        }
        // larger than sem_t on every platform; lives as long as the process
        long m = Arena.global().allocate(128, 16).address();
        try {
            return (int) init.invokeExact(m, 0, 0) == 0 ? m : 0;
        } catch (Throwable t) {
            return 0;
        }
    }

    /** Call after writing native memory another thread will read, and before reading such memory. Never throws. */
    public static void pass() {
        if (SEMAPHORE == 0) {
            return;
        }
        try {
            int r = (int) POST.invokeExact(SEMAPHORE);
            if (r == 0) {
                r = (int) TRYWAIT.invokeExact(SEMAPHORE);
            }
        } catch (Throwable t) {
            // only the tools' view of the ordering is lost; the JVM's hand-off still orders it
        }
    }
}
