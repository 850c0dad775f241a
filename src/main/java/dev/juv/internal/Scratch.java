package dev.juv.internal;

/**
 * Out-parameters: a small zeroed block handed to one libuv call that fills an int, a long, a
 * double or a pointer, read back as a Java value and freed before the method returns. The call
 * (with its error check) is passed in; whatever it throws propagates after the block is freed.
 */
public final class Scratch {
    private Scratch() {}

    /** A call that fills the out-parameter at {@code out} and throws if it fails. */
    @FunctionalInterface
    public interface Fill {
        void into(long out);
    }

    /** A call that fills two out-parameters and throws if it fails. */
    @FunctionalInterface
    public interface Fill2 {
        void into(long first, long second);
    }

    /** A call that fills an out-parameter and returns libuv's status. */
    @FunctionalInterface
    public interface Status {
        int call(long out);
    }

    // No lambda, method reference or boxing on these paths: a first call may come from a stack
    // at its very end, where a JDK class first initialised (such as the lambda forms' boxing
    // helpers) stays unusable for the life of the JVM.

    /** The {@code int} the call fills in. */
    public static int readInt(Fill call) {
        return (int) read8(call, true);
    }

    /** The 64-bit integer (or pointer) the call fills in. */
    public static long readLong(Fill call) {
        return read8(call, false);
    }

    private static long read8(Fill call, boolean int32) {
        long p = Native.calloc(8);
        try {
            call.into(p);
            return int32 ? Native.getInt(p) : Native.getLong(p);
        } finally {
            Native.free(p);
        }
    }

    /** The {@code double} the call fills in. */
    public static double readDouble(Fill call) {
        return readDoubles(1, call)[0];
    }

    /** The array of {@code n} doubles the call fills in. */
    public static double[] readDoubles(int n, Fill call) {
        long p = Native.calloc(8L * n);
        try {
            call.into(p);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = Native.getDouble(p + 8L * i);
            }
            return out;
        } finally {
            Native.free(p);
        }
    }

    /** The two {@code int}s the call fills in, through two pointers. */
    public static int[] readInts(Fill2 call) {
        long p = Native.calloc(8);
        try {
            call.into(p, p + 4);
            return new int[] {Native.getInt(p), Native.getInt(p + 4)};
        } finally {
            Native.free(p);
        }
    }

    /** Runs a call whose out-parameter is not needed and returns its status. */
    public static int status(Status call) {
        long p = Native.calloc(8);
        try {
            return call.call(p);
        } finally {
            Native.free(p);
        }
    }

    /**
     * Runs a call that fills a pointer and an {@code int} count (an array libuv allocated and
     * its length) and hands both to {@code read}.
     */
    static <T> T readArray(Fill2 call, ArrayReader<T> read) {
        long pp = Native.calloc(8);
        long pc = Native.calloc(8);
        try {
            call.into(pp, pc);
            return read.read(Native.getLong(pp), Native.getInt(pc));
        } finally {
            Native.free(pp);
            Native.free(pc);
        }
    }

    /** Reads an array of {@code count} structs at {@code array}. */
    @FunctionalInterface
    interface ArrayReader<T> {
        T read(long array, int count);
    }
}
