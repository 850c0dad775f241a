package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Duration overloads of Timer and FsPoll: rounding, refusal, saturation. */
class DurationTest extends UvTestCase {
    @TempDir
    Path dir;

    @Test
    void wholeMillisecondsPassUnchanged() {
        Timer t = new Timer(loop);
        t.start(h -> {}, Duration.ofSeconds(100), Duration.ofMillis(250));
        assertEquals(250, t.repeat());
        assertTrue(t.dueIn() > 99_000 && t.dueIn() <= 100_000, "due in " + t.dueIn());
        t.setRepeat(Duration.ofMinutes(2));
        assertEquals(120_000, t.repeat());
        t.setRepeat(Duration.ZERO);
        assertEquals(0, t.repeat());
        t.close();
        loop.run();
    }

    @Test
    void aPartialMillisecondRoundsUp() {
        Timer t = new Timer(loop);
        t.start(h -> {}, Duration.ofSeconds(60), Duration.ofNanos(1));
        assertEquals(1, t.repeat(), "a positive repeat never becomes a single run");
        t.setRepeat(Duration.ofMillis(2).plusNanos(1));
        assertEquals(3, t.repeat());
        t.setRepeat(Duration.of(999, ChronoUnit.MICROS));
        assertEquals(1, t.repeat());
        t.close();
        loop.run();
    }

    @Test
    void roundingMatchesCeilingOfNanosOnSeededDurations() {
        Random r = new Random(20261204L);
        Timer t = new Timer(loop);
        t.start(h -> {}, Duration.ofHours(1), Duration.ZERO);
        for (int i = 0; i < 500; i++) {
            long nanos = r.nextLong(0, 10_000_000_000_000L);
            t.setRepeat(Duration.ofNanos(nanos));
            assertEquals((nanos + 999_999) / 1_000_000, t.repeat(), "repeat of " + nanos + " ns");
        }
        t.close();
        loop.run();
    }

    @Test
    void aZeroTimeoutFiresInTheNextIteration() {
        Timer t = new Timer(loop);
        AtomicInteger fired = new AtomicInteger();
        t.start(h -> {
            fired.incrementAndGet();
            h.close();
        }, Duration.ZERO, Duration.ZERO);
        loop.run();
        assertEquals(1, fired.get());
    }

    @Test
    void negativeAndNullAreRefused() {
        Timer t = new Timer(loop);
        assertThrows(IllegalArgumentException.class, () -> t.start(h -> {}, Duration.ofMillis(-1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> t.start(h -> {}, Duration.ZERO, Duration.ofNanos(-1)));
        assertThrows(IllegalArgumentException.class, () -> t.setRepeat(Duration.ofSeconds(-5)));
        assertThrows(NullPointerException.class, () -> t.start(h -> {}, null, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> t.setRepeat((Duration) null));
        assertEquals(false, t.isActive(), "nothing started");
        t.close();
        FsPoll p = new FsPoll(loop);
        assertThrows(IllegalArgumentException.class, () -> p.start(dir.toString(), Duration.ofMillis(-1), (h, a, b, e) -> {}));
        p.close();
        loop.run();
    }

    @Test
    void overflowSaturates() {
        Timer t = new Timer(loop);
        // beyond Long.MAX_VALUE milliseconds: toMillis would overflow; it is taken as the longest time
        t.start(h -> {}, Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
        assertEquals(Long.MAX_VALUE, t.repeat());
        assertTrue(t.isActive());
        t.setRepeat(Duration.ofMillis(Long.MAX_VALUE).plusNanos(1));
        assertEquals(Long.MAX_VALUE, t.repeat());
        t.close();
        FsPoll p = new FsPoll(loop);
        assertThrows(IllegalArgumentException.class,
                () -> p.start(dir.toString(), Duration.ofMillis(0x1_0000_0000L), (h, a, b, e) -> {}));
        p.close();
        loop.run();
    }

    @Test
    void fsPollWithADuration() {
        FsPoll p = new FsPoll(loop);
        AtomicInteger enoent = new AtomicInteger();
        // a missing path is reported at the first stat, with no race against a writer
        p.start(dir.resolve("missing").toString(), Duration.ofMillis(5).plusNanos(1), (h, previous, current, error) -> {
            if (error != null && error.code() == Errno.ENOENT) {
                enoent.incrementAndGet();
            }
            h.close();
        });
        assertTrue(p.isActive());
        loop.run();
        assertEquals(1, enoent.get());
    }
}
