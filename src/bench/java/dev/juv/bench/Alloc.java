package dev.juv.bench;

import java.lang.management.ManagementFactory;

/** Heap bytes allocated by the current thread, from the JVM's own counter. */
final class Alloc {
    private Alloc() {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static long now() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
