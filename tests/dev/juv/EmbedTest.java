package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.Tags;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pyuv's tests/test_embed.py: one loop driven from inside another on the same thread, through
 * the embedded loop's backend descriptor and timeout.
 */
@Timeout(30)
@Tag(Tags.PYUV)
class EmbedTest extends UvTestCase {
    @Test
    void embeddedLoopDrivenByOuterLoop() {
        Loop embedded = new Loop();
        try {
            int backend = embedded.backendFd();
            if (backend < 0) {
                embedded.close();
                assumeTrue(false, "this platform's loop has no backend descriptor");
            }
            Poll poll = new Poll(loop, backend);
            Prepare prepare = new Prepare(loop);
            Timer outerTimer = new Timer(loop);
            int[] fired = {0};
            int[] driven = {0};
            long[] elapsedMs = {-1};
            long[] loopElapsedMs = {-1};

            Timer embeddedTimer = new Timer(embedded);
            long start = System.nanoTime();
            embedded.updateTime();
            long loopStart = embedded.now();
            embeddedTimer.start(t -> {
                fired[0]++;
                elapsedMs[0] = (System.nanoTime() - start) / 1_000_000;
                loopElapsedMs[0] = embedded.now() - loopStart;
                t.close();
                poll.close();
                prepare.close();
                outerTimer.close();
            }, 250, 0);

            Runnable drive = () -> {
                driven[0]++;
                embedded.run(RunMode.NOWAIT);
            };
            poll.start(Poll.READABLE, (p, events, error) -> {
                assertNull(error);
                drive.run();
            });
            prepare.start(p -> {
                int timeout = embedded.backendTimeout();
                if (timeout >= 0) {
                    outerTimer.start(t -> drive.run(), timeout, 0);
                } else {
                    outerTimer.stop();
                }
            });

            loop.run();
            assertFalse(embedded.run(RunMode.NOWAIT), "the embedded loop has nothing left");
            assertEquals(1, fired[0]);
            assertTrue(loopElapsedMs[0] >= 250, "fired after " + loopElapsedMs[0] + " ms of loop time");
            // libuv's clock counts whole milliseconds, so the wall clock may show up to 1 ms less
            assertTrue(elapsedMs[0] >= 249, "fired after " + elapsedMs[0] + " ms");
            assertTrue(driven[0] >= 1);
            assertTrue(embedded.handles().isEmpty());
        } finally {
            if (!embedded.isClosed()) {
                embedded.close();
            }
        }
    }
}
