package dev.juv.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loop's table of live callback targets. A handle's or request's {@code data} field holds
 * {@code loopSlot << 48 | generation << 24 | slot}: the upcall finds the loop's table by index,
 * the object by slot, and drops the call when the generation no longer matches.
 *
 * <p>Only the loop's own thread registers, unregisters and looks up (work items, which run on the
 * pool, are looked up on the loop thread before they are queued).
 */
public final class Registry {
    private static final int SLOT_BITS = 24;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    private static final Object LOCK = new Object();
    private static volatile Registry[] loops = new Registry[8];
    private static final AtomicInteger STALE = new AtomicInteger();

    private final int loopSlot;
    /** Per-table generations, starting at a random value so a reused loop slot rarely repeats one. */
    private int generation = java.util.concurrent.ThreadLocalRandom.current().nextInt(1, SLOT_MASK);
    private Object[] targets = new Object[64];
    private int[] generations = new int[64];
    private int[] nextFree = new int[64];
    private int freeHead = -1;
    private int top = 1; // slot 0 is never used, so data is never 0
    private int live;
    private int liveRequests;

    private Registry(int loopSlot) {
        this.loopSlot = loopSlot;
    }

    /** A new table for a new loop. */
    public static Registry create() {
        synchronized (LOCK) {
            Registry[] cur = loops;
            for (int i = 1; i < cur.length; i++) {
                if (cur[i] == null) {
                    Registry r = new Registry(i);
                    Registry[] copy = cur.clone();
                    copy[i] = r;
                    loops = copy;
                    return r;
                }
            }
            if (cur.length >= 0xFFFF) {
                throw new IllegalStateException("too many open loops");
            }
            Registry[] copy = java.util.Arrays.copyOf(cur, cur.length * 2);
            Registry r = new Registry(cur.length);
            copy[cur.length] = r;
            loops = copy;
            return r;
        }
    }

    /** Drops this loop's table; later upcalls for it are ignored. */
    public void dispose() {
        synchronized (LOCK) {
            Registry[] copy = loops.clone();
            if (copy[loopSlot] == this) {
                copy[loopSlot] = null;
            }
            loops = copy;
        }
    }

    /** Registers a handle target and returns the value for its data field. */
    public long register(Object target) {
        return add(target);
    }

    /** Registers a request target (counted as outstanding until it is unregistered). */
    public long registerRequest(Object target) {
        long id = add(target);
        liveRequests++;
        return id;
    }

    private long add(Object target) {
        int slot;
        if (freeHead >= 0) {
            slot = freeHead;
            freeHead = nextFree[slot];
        } else {
            if (top == targets.length) {
                int n = targets.length * 2;
                if (n > SLOT_MASK) {
                    throw new IllegalStateException("too many live handles and requests on one loop");
                }
                // all three grown before any is replaced: an overflow between them changes nothing
                Object[] t = java.util.Arrays.copyOf(targets, n);
                int[] g = java.util.Arrays.copyOf(generations, n);
                int[] f = java.util.Arrays.copyOf(nextFree, n);
                targets = t;
                generations = g;
                nextFree = f;
            }
            slot = top++;
        }
        int gen = generation++ & SLOT_MASK;
        if (gen == 0) {
            gen = generation++ & SLOT_MASK;
        }
        targets[slot] = target;
        generations[slot] = gen;
        live++;
        return ((long) loopSlot << 48) | ((long) gen << SLOT_BITS) | slot;
    }

    public void unregister(long id) {
        remove(id);
    }

    public void unregisterRequest(long id) {
        if (remove(id)) {
            liveRequests--;
        }
    }

    private boolean remove(long id) {
        int slot = (int) (id & SLOT_MASK);
        int gen = (int) ((id >>> SLOT_BITS) & SLOT_MASK);
        if (slot <= 0 || slot >= top || generations[slot] != gen || targets[slot] == null) {
            return false;
        }
        targets[slot] = null;
        generations[slot] = 0;
        nextFree[slot] = freeHead;
        freeHead = slot;
        live--;
        return true;
    }

    /** The live targets, in slot order. */
    public Object[] snapshot() {
        Object[] out = new Object[live];
        int n = 0;
        for (int i = 1; i < top && n < out.length; i++) {
            if (targets[i] != null) {
                out[n++] = targets[i];
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Live registrations (handles and requests). */
    public int live() {
        return live;
    }

    /** Live request registrations. */
    public int liveRequests() {
        return liveRequests;
    }

    /** Finds the target for a data value, or null (counted as stale) when it is gone. */
    public static Object lookup(long id) {
        int ls = (int) (id >>> 48);
        Registry[] cur = loops;
        if (ls <= 0 || ls >= cur.length) {
            STALE.incrementAndGet();
            return null;
        }
        Registry r = cur[ls];
        if (r == null) {
            STALE.incrementAndGet();
            return null;
        }
        int slot = (int) (id & SLOT_MASK);
        int gen = (int) ((id >>> SLOT_BITS) & SLOT_MASK);
        Object[] t = r.targets;
        if (slot <= 0 || slot >= t.length || r.generations[slot] != gen) {
            STALE.incrementAndGet();
            return null;
        }
        Object o = t[slot];
        if (o == null) {
            STALE.incrementAndGet();
        }
        return o;
    }

    /** Upcalls whose target was gone. */
    public static int staleCount() {
        return STALE.get();
    }
}
