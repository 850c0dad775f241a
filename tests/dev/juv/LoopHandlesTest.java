package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.LoopTestSupport;
import dev.juv.support.Tags;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_loop_handles.py: Loop.handles() and the lifetime of open handles. */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class LoopHandlesTest extends UvTestCase {

    /**
     * One maker per handle type the lifetime test covers: pyuv's seven, then Async and Signal. A
     * new handle type joins with one line here.
     */
    private static final List<Function<Loop, Handle>> KINDS = List.of(
            Check::new,
            Idle::new,
            l -> new Pipe(l, false),
            Prepare::new,
            Tcp::new,
            Timer::new,
            Udp::new,
            l -> new Async(l, a -> {}),
            Signal::new);

    @Test
    void handlesListsOpenHandles() {
        Timer timer = new Timer(loop);
        assertEquals(List.of(timer), loop.handles());
        timer.close();
        loop.run();
        assertEquals(List.of(), loop.handles());
    }

    @Test
    void droppedHandlesStayOpenUntilClosed() {
        List<WeakReference<Handle>> refs = createAndDrop();
        System.gc();
        checkOneOfEachOpen();
        for (WeakReference<Handle> r : refs) {
            assertTrue(r.get() != null, "still reachable through the loop");
        }
        closeEveryHandle();
        loop.run();
        assertEquals(List.of(), loop.handles());
        List<String> kept = new ArrayList<>();
        LoopTestSupport.gcUntilCleared(refs);
        for (WeakReference<Handle> r : refs) {
            Handle h = r.get();
            if (h != null) {
                kept.add(h.getClass().getSimpleName());
            }
        }
        assertEquals(List.of(), kept, "closed handles are collectable");
    }

    /** Lists every open handle and checks there is one of each kind, none closing. */
    private void checkOneOfEachOpen() {
        List<Handle> open = loop.handles();
        assertEquals(KINDS.size(), open.size(), "the loop keeps every open handle: " + open);
        Set<Class<?>> types = new HashSet<>();
        for (Handle h : open) {
            assertFalse(h.isClosing(), h + " was not closed behind the user's back");
            types.add(h.getClass());
        }
        assertEquals(KINDS.size(), types.size(), "one of each kind: " + types);
    }

    private void closeEveryHandle() {
        for (Handle h : loop.handles()) {
            h.close();
        }
    }

    private List<WeakReference<Handle>> createAndDrop() {
        List<WeakReference<Handle>> refs = new ArrayList<>();
        for (Function<Loop, Handle> make : KINDS) {
            refs.add(new WeakReference<>(make.apply(loop)));
        }
        return refs;
    }

    // ---- beyond pyuv ----

    @Test
    void handlesIsASnapshotInCreationOrder() {
        List<Handle> made = new ArrayList<>();
        for (Function<Loop, Handle> make : KINDS) {
            made.add(make.apply(loop));
        }
        List<Handle> snapshot = loop.handles();
        assertEquals(made, snapshot);
        snapshot.clear();
        assertEquals(made, loop.handles(), "clearing the snapshot changes nothing");
        made.get(0).close();
        assertTrue(loop.handles().contains(made.get(0)), "listed until its close callback has run");
        loop.run(RunMode.NOWAIT); // the open Async would keep run() going
        loop.run(RunMode.NOWAIT);
        assertEquals(made.subList(1, made.size()), loop.handles());
        for (Handle h : made) {
            h.close();
        }
        loop.run();
        assertEquals(List.of(), loop.handles());
    }

    @Test
    void internalHandlesAreNotListed() {
        loop.execute(() -> {});
        assertEquals(List.of(), loop.handles(), "the handle behind execute() is juv's own");
        loop.run();
        assertEquals(List.of(), loop.handles());
    }

    @Test
    void closingFromTheSnapshotInsideACallback() {
        for (Function<Loop, Handle> make : KINDS) {
            make.apply(loop);
        }
        new Timer(loop).start(t -> {
            for (Handle h : loop.handles()) {
                h.close();
            }
        }, 0, 0);
        loop.run();
        assertEquals(List.of(), loop.handles());
    }
}
