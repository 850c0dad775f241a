package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.Reaper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A ChildProcess closed before its child exits leaves no zombie: libuv stops waiting for the
 * child in uv_close, and juv reaps it once it ends (read from /proc: the child's entry is gone,
 * never left in state Z). Its exit callback does not run.
 */
class ChildCloseReapTest extends UvTestCase {
    @BeforeEach
    void needsProc() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "the process table is read from /proc");
    }

    /** The state letter of {@code pid} if it is still our child, else 0 (gone or another process). */
    private static char childState(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[1]) == ProcessHandle.current().pid() ? f[0].charAt(0) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void awaitReaped(List<Integer> pids) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        List<String> left = new ArrayList<>();
        do {
            left.clear();
            for (int pid : pids) {
                char s = childState(pid);
                if (s != 0) {
                    left.add(pid + ":" + s);
                }
            }
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < end);
        throw new AssertionError("children not reaped (pid:state): " + left);
    }

    @ParameterizedTest(name = "child {0} when the handle closes")
    @ValueSource(strings = {"running", "already ended", "killed after the close"})
    void aClosedChildIsReapedAndItsExitCallbackNeverRuns(String when) throws Exception {
        AtomicInteger exits = new AtomicInteger();
        List<Integer> pids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String script = switch (when) {
                case "running" -> "sleep 0.2";
                case "already ended" -> "exit 3";
                default -> "sleep 30";
            };
            ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("sh", "-c", script),
                    (proc, status, signal) -> exits.incrementAndGet());
            pids.add(p.pid());
            if (when.equals("already ended")) {
                // ended, but the loop has not run: libuv has not reaped it
                while (childState(p.pid()) != 'Z') {
                    Thread.sleep(5);
                }
            }
            p.close();
            if (when.startsWith("killed")) {
                ChildProcess.kill(p.pid(), Signal.SIGKILL);
            }
        }
        loop.run();
        awaitReaped(pids);
        assertEquals(0, exits.get(), "the exit callback of a closed ChildProcess ran");
        long end = System.nanoTime() + 10_000_000_000L;
        while (Reaper.waiting() > 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(0, Reaper.waiting());
    }

    @Test
    void aChildReapedByLibuvIsNotWaitedForAgain() {
        AtomicInteger exits = new AtomicInteger();
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("sh", "-c", "exit 5"),
                (proc, status, signal) -> {
                    exits.incrementAndGet();
                    assertEquals(5, status);
                    proc.close();
                });
        loop.run();
        assertEquals(1, exits.get());
        assertTrue(p.hasExited());
        assertFalse(childState(p.pid()) == 'Z');
        assertEquals(0, Reaper.waiting(), "libuv reaped it; juv has nothing to wait for");
    }
}
