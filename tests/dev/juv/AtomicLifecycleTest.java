package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real StackOverflowError at every depth near the end of the stack, so that it strikes
 * construction and close() of a handle at each of their steps in turn: nothing half-built is
 * listed, nothing is stuck closing, every listed handle closes, the loop closes, and the native
 * byte counter and fd table are back at their baselines (checked by {@link UvTestCase}).
 */
@Timeout(60)
@Tag(Tags.THREADS)
class AtomicLifecycleTest extends UvTestCase {

    static Stream<Function<Loop, Handle>> kinds() {
        return Stream.of(Timer::new, Idle::new, Prepare::new, Check::new, l -> new Async(l, a -> {}), Tcp::new,
                Udp::new, l -> new Pipe(l, false), FsEvent::new, FsPoll::new, Signal::new);
    }

    private int bottom;

    /**
     * Recurses to the end of the stack, then calls {@code step} in each of the 600 frames nearest
     * the end on the way back: each has a little more stack than the one below it.
     */
    private void dive(int level, Runnable step) {
        try {
            dive(level + 1, step);
        } catch (StackOverflowError e) {
            if (bottom == 0) {
                bottom = level;
            }
        }
        if (bottom - level < 600) {
            try {
                step.run();
            } catch (StackOverflowError e) {
                // struck inside the step
            }
        }
    }

    private void dive(Runnable step) {
        bottom = 0;
        dive(0, step);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anErrorAtAnyStepOfConstructionLeavesNothingHalfBuilt(Function<Loop, Handle> kind) {
        List<Handle> built = new ArrayList<>();
        dive(() -> built.add(kind.apply(loop)));
        assertTrue(built.size() > 10, "built " + built.size());
        List<Handle> listed = loop.handles();
        // an Error after the handle was built (while its constructor returns) leaves it listed
        assertTrue(listed.containsAll(built), "a built handle is not listed");
        for (Handle h : listed) {
            assertTrue(h.hasRef(), h + " is listed but libuv never initialised it");
        }
        for (Handle h : listed) {
            h.close();
        }
        loop.run();
        assertEquals(List.of(), loop.handles());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anErrorAtAnyStepOfCloseLeavesNothingStuck(Function<Loop, Handle> kind) {
        List<Handle> all = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            all.add(kind.apply(loop));
        }
        int[] next = {0};
        dive(() -> {
            if (next[0] < all.size()) {
                all.get(next[0]++).close();
            }
        });
        for (Handle h : loop.handles()) {
            h.close();
        }
        loop.run();
        assertEquals(List.of(), loop.handles());
        for (Handle h : all) {
            assertTrue(h.isClosed(), h + " is not closed");
        }
    }

    @Test
    void aLoopClosesAfterErrorsStruckConstructionsWithoutAnyoneClosingWhatIsListed() {
        Loop l = new Loop();
        List<Handle> built = new ArrayList<>();
        dive(() -> built.add(new Timer(l)));
        for (Handle h : built) {
            h.close();
        }
        l.run();
        l.close();
        assertTrue(l.isClosed());
    }
}
