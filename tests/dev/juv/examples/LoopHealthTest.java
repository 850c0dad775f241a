package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.ExampleProcess;
import dev.juv.support.Tags;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link LoopHealth} as its own process: a quick line is echoed while the loop stays nearly
 * idle; a {@code slow} line shows as high utilization, a long delay and the watchdog's warning
 * on stderr, with the loop thread's stack; SIGINT stops it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag(Tags.EXAMPLES)
class LoopHealthTest {
    private static final Pattern READY = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern REPORT = Pattern.compile(
            "utilization (\\d\\.\\d\\d) delay (\\d+) ms callbacks (\\d+) handles (\\d+)");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aSlowHandlerShowsInUtilizationDelayAndTheWatchdog() throws Exception {
        try (ExampleProcess p = ExampleProcess.start("LoopHealth", "0", "900", "200")) {
            Matcher m = READY.matcher(p.awaitOut(l -> READY.matcher(l).matches(), "the ready line"));
            assertTrue(m.matches());
            int port = Integer.parseInt(m.group(1));
            try (Socket s = new Socket("127.0.0.1", port)) {
                assertArrayEquals(ascii("hello\n"), EchoServerTcpTest.echo(s, ascii("hello\n")));
                p.awaitOut(l -> REPORT.matcher(l).matches(), "a first report");
                assertArrayEquals(ascii("slow\n"), EchoServerTcpTest.echo(s, ascii("slow\n")));
                String late = p.awaitOut(l -> {
                    Matcher r = REPORT.matcher(l);
                    return r.matches() && Integer.parseInt(r.group(2)) >= 500;
                }, "a report of the delay the slow handler caused");
                Matcher r = REPORT.matcher(late);
                assertTrue(r.matches());
                assertTrue(Integer.parseInt(r.group(4)) >= 3, "server, client, probe, signal: " + late);
                String warning = p.awaitErr(l -> l.contains("blocked: one read callback"), "the watchdog's warning");
                assertTrue(warning.contains("threshold 200 ms"), warning);
                p.awaitErr(l -> l.contains("LoopHealth") && l.contains("lambda"), "the handler in the loop thread's stack");
                assertArrayEquals(ascii("still here\n"), EchoServerTcpTest.echo(s, ascii("still here\n")));
            }
            p.sigint();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
            List<String> out = p.allStdout();
            assertEquals("Stopped!", out.get(out.size() - 1));
            // some report saw the loop busy: the 900 ms sleep falls in one or two 500 ms intervals
            assertTrue(out.stream().map(REPORT::matcher).filter(Matcher::matches)
                    .anyMatch(x -> Double.parseDouble(x.group(1)) >= 0.5), out.toString());
        }
    }
}
