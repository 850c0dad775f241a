package dev.juv.internal;

import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Upcall stubs: one per libuv callback typedef juv passes to libuv, made in the global arena the
 * first time that kind of callback is needed, and never again. fs, DNS, random and work requests
 * have none: they run libuv's synchronous calls on juv's own pool (see {@code PoolRequest}).
 *
 * <p>The Java code a stub calls lives beside the method that installs it ({@code Timer.onTimer}
 * next to {@code Timer.start}): a private static method that finds its handle or request from
 * the native pointer's data field in one registry lookup, and whose whole body is inside
 * {@code try/catch (Throwable)}, so nothing ever escapes into native code. Each class declares
 * its kinds as {@code static final Upcalls.Stub} fields; adding a kind touches that class only.
 * Each target is wrapped by {@link LoopClock#timed}, which marks the callback's start and end for
 * the watchdog, the loop's metrics and the JFR events, in one place for every kind.
 */
@SuppressWarnings("restricted")
public final class Upcalls {
    private Upcalls() {}

    private static final AtomicInteger MADE = new AtomicInteger();
    private static final AtomicInteger DECLARED = new AtomicInteger();
    /** Throwables that reached an upcall with no target to route them to. */
    private static final Queue<Throwable> ORPHANS = new ConcurrentLinkedQueue<>();

    /**
     * Declares a callback kind whose target is the static method {@code target} of the class
     * {@code lookup} belongs to.
     *
     * @param shape {@code "V:"} then one letter per parameter ({@code P} pointer, {@code I} int,
     *     {@code J} 64-bit integer, {@code S} size_t), as {@code Native.descriptor} reads it
     */
    public static Stub stub(MethodHandles.Lookup lookup, String target, String shape) {
        DECLARED.incrementAndGet();
        return new Stub(lookup, target, shape);
    }

    /** How many stubs exist: one per callback kind used so far, never more than {@link #kinds()}. */
    public static int stubCount() {
        return MADE.get();
    }

    /** How many callback kinds the classes initialised so far declare. */
    public static int kinds() {
        return DECLARED.get();
    }

    /** Throwables that had no loop to go to (a stale target); drained by tests. */
    public static Queue<Throwable> orphans() {
        return ORPHANS;
    }

    /** The Java object a handle's or request's data field names; null for a stale or absent one. */
    public static Object target(long data) {
        return Registry.lookup(data);
    }

    /** Keeps a throwable that had nowhere to go; never throws. */
    public static void orphan(Throwable t) {
        try {
            ORPHANS.add(t);
        } catch (Throwable ignored) {
            // nothing more can be done without escaping the upcall
        }
    }

    /**
     * One callback kind. Its stub is made the first time {@link #address()} is asked for, not in
     * a class initialiser: a stack overflow while making it is an error of that call, and the
     * next call tries again (on a fresh thread when this one's stack is too deep: see
     * {@code Native.onFreshThread}). No lambda on this path (see {@code Native.Link}).
     */
    public static final class Stub implements Runnable {
        private final MethodHandles.Lookup lookup;
        private final String target;
        private final String shape;
        private volatile long address;

        private Stub(MethodHandles.Lookup lookup, String target, String shape) {
            this.lookup = lookup;
            this.target = target;
            this.shape = shape;
        }

        /** The stub's address, for libuv. */
        public long address() {
            long a = address;
            return a != 0 ? a : make();
        }

        private synchronized long make() {
            if (address == 0) {
                run();
                MADE.incrementAndGet();
            }
            return address;
        }

        @Override
        public void run() {
            try {
                Class<?>[] params = new Class<?>[shape.length() - 2];
                for (int i = 0; i < params.length; i++) {
                    params[i] = shape.charAt(i + 2) == 'I' ? int.class : long.class;
                }
                var mh = lookup.findStatic(lookup.lookupClass(), target, MethodType.methodType(void.class, params));
                if (params.length > 0 && params[0] == long.class) {
                    // the loop's clock marks each callback's start and end (watchdog, metrics, JFR)
                    mh = LoopClock.timed(mh, lookup.lookupClass(), target);
                }
                address = Native.LINKER.upcallStub(mh, Native.descriptor(shape), Arena.global()).address();
            } catch (StackOverflowError e) {
                if (Native.onLinkThread()) {
                    throw e;
                }
                Native.onFreshThread(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no upcall target " + lookup.lookupClass().getName() + "." + target, e);
            }
        }

        @Override
        public String toString() {
            return lookup.lookupClass().getSimpleName() + "." + target;
        }
    }
}
