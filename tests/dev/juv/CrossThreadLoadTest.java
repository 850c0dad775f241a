package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.bench.CrossThreadLoad;
import dev.juv.support.Tags;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * R-L6 at reduced size: 4 threads × 10,000 {@link Loop#execute} per second for 5 s (the full
 * 60 s run is {@code ci/load}): every task runs exactly once.
 */
@Timeout(60)
@Tag(Tags.THREADS)
@Tag(Tags.VOLUME)
class CrossThreadLoadTest extends UvTestCase {
    @Test
    void everyTaskRunsExactlyOnce() throws InterruptedException {
        CrossThreadLoad.Result r = CrossThreadLoad.run(loop, 4, 10_000, 5);
        System.out.println(r);
        assertEquals(200_000, r.submitted(), r.toString());
        assertEquals(r.submitted(), r.ran(), r.toString());
        assertEquals(0, r.duplicates(), r.toString());
        assertTrue(r.exact());
    }
}
