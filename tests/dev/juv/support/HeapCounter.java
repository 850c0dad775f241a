package dev.juv.support;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The current thread's allocated heap bytes ({@code com.sun.management.ThreadMXBean}), reached
 * reflectively because the test sources compile inside module dev.juv, which does not read
 * java.management.
 */
public final class HeapCounter {
    private HeapCounter() {}

    private static final Object BEAN;
    private static final MethodHandle ALLOCATED;
    /** Whether the JVM counts allocated bytes per thread. */
    public static final boolean SUPPORTED;

    static {
        Object bean = null;
        MethodHandle allocated = null;
        boolean ok = false;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            allocated = MethodHandles.publicLookup().findVirtual(type, "getCurrentThreadAllocatedBytes",
                    MethodType.methodType(long.class));
            ok = type.isInstance(bean) && (boolean) type.getMethod("isThreadAllocatedMemorySupported").invoke(bean);
        } catch (ReflectiveOperationException | LinkageError e) {
            ok = false;
        }
        BEAN = bean;
        ALLOCATED = allocated;
        SUPPORTED = ok;
    }

    /** Heap bytes the calling thread has allocated so far. */
    public static long allocatedBytes() {
        try {
            return (long) ALLOCATED.invoke(BEAN);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
