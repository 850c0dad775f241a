package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * R-L8 at reduced size: 8 streams × 16 MiB echoed through one loop in a JVM with -Xmx256m
 * (the full 8 × 64 MiB is {@code ci/load}): no OutOfMemoryError, the write queues are seen to
 * fill (writeQueueSize above 0, echo reads paused), every byte comes back equal.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag(Tags.GC_HEAVY)
class BackpressureTest {
    @Test
    void eightStreamsUnderASmallHeap() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", cp,
                "dev.juv.bench.Backpressure", "8", "16")).redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(100, TimeUnit.SECONDS), "Backpressure did not finish");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println(out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains(" ok=1"), out);
            assertTrue(out.contains("bytes_echoed=" + (8L << 24) + " "), out);
            assertTrue(!out.contains("OutOfMemoryError"), out);
            long queue = Long.parseLong(out.replaceAll("(?s).*max_writer_queue=(\\d+).*", "$1"));
            assertTrue(queue > 0, "writeQueueSize never rose: " + out);
        } finally {
            p.destroyForcibly();
        }
    }
}
