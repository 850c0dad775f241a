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
 * one process-wide pthread mutex ({@link #pass}) after writing and before reading: a lock and an
 * unlock, uncontended in practice, which TSan understands as the ordering it is.
 */
public final class Handoff {
    private Handoff() {}

    private static final MethodHandle LOCK = find("pthread_mutex_lock");
    private static final MethodHandle UNLOCK = find("pthread_mutex_unlock");
    private static final long MUTEX = create();

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
        MethodHandle init = symbol("pthread_mutex_init")
                .map(s -> Native.LINKER.downcallHandle(s, FunctionDescriptor.of(Native.I, Native.P, Native.P)))
                .orElse(null);
        if (init == null || LOCK == null || UNLOCK == null) {
            return 0;
        }
        // larger than pthread_mutex_t on every platform; lives as long as the process
        long m = Arena.global().allocate(128, 16).address();
        try {
            return (int) init.invokeExact(m, 0L) == 0 ? m : 0;
        } catch (Throwable t) {
            return 0;
        }
    }

    /** Call after writing native memory another thread will read, and before reading such memory. Never throws. */
    public static void pass() {
        if (MUTEX == 0) {
            return;
        }
        try {
            int r = (int) LOCK.invokeExact(MUTEX);
            if (r == 0) {
                r = (int) UNLOCK.invokeExact(MUTEX);
            }
        } catch (Throwable t) {
            // only the tools' view of the ordering is lost; the JVM's hand-off still orders it
        }
    }
}
