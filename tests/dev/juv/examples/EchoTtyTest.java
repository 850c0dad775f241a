package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.ExampleProcess;
import dev.juv.support.Tags;
import dev.juv.support.TestPty;
import java.io.File;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs {@link EchoTty} as its own process on the slave side of a pseudo-terminal. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag(Tags.EXAMPLES)
class EchoTtyTest {
    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void echoesTypedLinesAndStopsOnExit() throws Exception {
        try (TestPty pty = TestPty.open(100, 30)) {
            assumeTrue(pty != null, "no pseudo-terminal can be opened here");
            try (ExampleProcess p = ExampleProcess.startOn(new File(pty.slavePath()), "EchoTty")) {
                StringBuilder seen = new StringBuilder();
                String ready = "Window size: (100, 30)";
                assertTrue(pty.readUntil(seen, ready, 20_000).contains(ready), () -> seen + " / " + p.stderr());
                seen.setLength(0);
                pty.type("hello\n");
                // the terminal's own echo and the example's echo
                long end = System.currentTimeMillis() + 20_000;
                while (count(seen.toString(), "hello") < 2 && System.currentTimeMillis() < end) {
                    pty.readUntil(seen, "\u0000never", 50);
                }
                assertTrue(count(seen.toString(), "hello") >= 2, seen::toString);
                pty.type("exit\n");
                assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
            }
        }
    }

    @Test
    void stopsOnSigint() throws Exception {
        try (TestPty pty = TestPty.open(80, 24)) {
            assumeTrue(pty != null, "no pseudo-terminal can be opened here");
            try (ExampleProcess p = ExampleProcess.startOn(new File(pty.slavePath()), "EchoTty")) {
                StringBuilder seen = new StringBuilder();
                String ready = "Window size: (80, 24)";
                assertTrue(pty.readUntil(seen, ready, 20_000).contains(ready), () -> seen + " / " + p.stderr());
                p.sigint();
                assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
            }
        }
    }
}
