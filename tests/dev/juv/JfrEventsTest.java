package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.LoopClock;
import dev.juv.support.Tags;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * juv's JFR events, recorded in-process with the settings file the jar carries (juv.jfc), each
 * provoked and read back from the dumped file with its fields.
 */
@Timeout(60)
@Tag(Tags.THREADS)
class JfrEventsTest extends UvTestCase {
    static {
        TcpTest.freePort();
    }

    @TempDir
    Path dir;

    private Recording recording;

    @BeforeEach
    void record() throws Exception {
        Configuration juv;
        try (InputStream in = Loop.class.getResourceAsStream("juv.jfc")) {
            assertNotNull(in, "juv.jfc is in the jar beside Loop");
            juv = Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        recording = new Recording(juv);
        recording.enable("dev.juv.LoopStatistics").withPeriod(Duration.ofMillis(100));
        recording.start();
        // the watchdog thread registers the events once it sees the recorder; a new loop wakes it
        new Loop().close();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!LoopClock.jfrRegistered() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(LoopClock.jfrRegistered(), "juv's events registered");
    }

    @AfterEach
    void stop() {
        recording.close();
    }

    private List<RecordedEvent> events(String name) throws Exception {
        recording.stop();
        Path f = dir.resolve("juv.jfr");
        recording.dump(f);
        return RecordingFile.readAllEvents(f).stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    private static Loop unwatched() {
        return new Loop(LoopOptions.defaults().withBlockedThreshold(Duration.ZERO));
    }

    @Test
    void slowCallbacksAreRecordedWithKindTypeAndDurationAndFastOnesAreNot() throws Exception {
        try (Loop l = unwatched()) {
            Timer fast = new Timer(l);
            int[] n = {0};
            fast.start(t -> {
                if (++n[0] == 20) {
                    t.close();
                }
            }, 0, 1);
            Timer slow = new Timer(l);
            int[] m = {0};
            // twice, with fast callbacks between: the loop's one event object times them all
            slow.start(t -> {
                WatchdogTest.sleep(60);
                if (++m[0] == 2) {
                    t.close();
                }
            }, 5, 10);
            l.run();
        }
        List<RecordedEvent> slow = events("dev.juv.SlowCallback").stream()
                .filter(e -> e.getString("callbackKind").equals("timer")).toList();
        assertEquals(2, slow.size(), slow.toString());
        RecordedEvent e = slow.get(1);
        assertEquals("timer", e.getString("handleType"));
        assertTrue(e.getDuration().toMillis() >= 50 && e.getDuration().toMillis() < 10_000, "duration " + e.getDuration());
        assertTrue(e.getStartTime().isAfter(slow.get(0).getEndTime().minusNanos(1)), "two distinct callbacks");
        assertEquals(Thread.currentThread().getName(), e.getThread().getJavaName());
        assertEquals("juv", e.getEventType().getCategoryNames().get(0));
    }

    @Test
    void theHandleTypeOfAStreamOrAClosingHandleIsReadFromLibuv() throws Exception {
        try (Loop l = unwatched()) {
            Tcp[] p = ReadBufferTest.tcpPair(l);
            p[1].startRead((s, d, err) -> {
                WatchdogTest.sleep(30);
                s.close(h -> WatchdogTest.sleep(30));
            });
            p[0].write(new byte[] {1, 2, 3});
            p[0].close();
            l.run();
        }
        List<RecordedEvent> slow = events("dev.juv.SlowCallback");
        assertTrue(slow.stream().anyMatch(e -> e.getString("callbackKind").equals("read")
                && e.getString("handleType").equals("tcp")), slow.toString());
        assertTrue(slow.stream().anyMatch(e -> e.getString("callbackKind").equals("close")
                && e.getString("handleType").equals("tcp")), slow.toString());
    }

    @Test
    void theWatchdogsFindingIsALoopBlockedEvent() throws Exception {
        String name;
        try (Loop l = new Loop(LoopOptions.defaults().withBlockedThreshold(Duration.ofMillis(100)))) {
            name = l.toString();
            Timer t = new Timer(l);
            t.start(tt -> {
                WatchdogTest.sleep(500);
                tt.close();
            }, 1, 0);
            l.run();
        }
        List<RecordedEvent> blocked = events("dev.juv.LoopBlocked").stream()
                .filter(e -> name.equals(e.getString("loop"))).toList();
        assertEquals(1, blocked.size(), blocked.toString());
        RecordedEvent e = blocked.get(0);
        assertEquals("timer", e.getString("callbackKind"));
        assertEquals(Thread.currentThread().getName(), e.getThread("loopThread").getJavaName());
        assertTrue(e.getDuration("blockedFor").toMillis() >= 100, e.toString());
        assertEquals(100, e.getDuration("threshold").toMillis());
    }

    @Test
    void anExceptionACallbackThrowsIsRecorded() throws Exception {
        try (Loop l = unwatched()) {
            l.setExceptionHandler(x -> { });
            Timer t = new Timer(l);
            t.start(tt -> {
                tt.close();
                throw new IllegalStateException("boom from a timer");
            }, 1, 0);
            l.run();
        }
        List<RecordedEvent> ex = events("dev.juv.CallbackException").stream()
                .filter(e -> "boom from a timer".equals(e.getString("message"))).toList();
        assertEquals(1, ex.size());
        assertEquals(IllegalStateException.class.getName(), ex.get(0).getString("exceptionClass"));
    }

    @Test
    void openLoopsReportTheirStatisticsPeriodically() throws Exception {
        String name;
        try (Loop l = new Loop(LoopOptions.defaults().withIdleTimeMetrics(true))) {
            name = l.toString();
            Timer t = new Timer(l);
            t.start(tt -> tt.close(), 500, 0);
            l.run();
        }
        List<RecordedEvent> stats = events("dev.juv.LoopStatistics").stream()
                .filter(e -> name.equals(e.getString("loop"))).toList();
        assertFalse(stats.isEmpty(), "a 500 ms loop seen by a 100 ms period");
        RecordedEvent last = stats.get(stats.size() - 1);
        assertTrue(last.getLong("nativeBytes") > 0, last.toString());
        assertTrue(last.getInt("openHandles") <= 1, last.toString());
        assertTrue(stats.stream().anyMatch(e -> e.getDuration("idleTime").toMillis() > 0), stats.toString());
    }
}
