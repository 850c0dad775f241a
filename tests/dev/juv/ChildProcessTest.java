package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.ChildIo;
import dev.juv.support.Tags;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** pyuv's tests/test_process.py; pyuv's helper scripts become POSIX commands. */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.PROCESS)
class ChildProcessTest extends UvTestCase {
    private final AtomicInteger exits = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicLong lastStatus = new AtomicLong(-1);
    private final AtomicInteger lastSignal = new AtomicInteger(-1);

    static {
        ChildIo.takeLazyDescriptors();
    }

    @BeforeAll
    static void posixOnly() {
        assumeFalse(ChildIo.windows(),
                "the child processes are POSIX commands");
    }

    /** Whether this process runs with uid 0 (read from /proc, else from user.name). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall back to the user name
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /** An exit callback that records the outcome and closes the process, counting the close. */
    private ChildProcess.ExitCallback recordAndClose() {
        return (p, status, signal) -> {
            exits.incrementAndGet();
            lastStatus.set(status);
            lastSignal.set(signal);
            p.close(h -> closes.incrementAndGet());
        };
    }

    /** Reads the pipe to its end into {@code out}, then closes it (counting the close). */
    private void readToEnd(Pipe pipe, ByteArrayOutputStream out) {
        ChildIo.collect(pipe, out, h -> closes.incrementAndGet());
    }

    private static String text(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void spawnAndExit() {
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("true"), recordAndClose());
        assertTrue(p.pid() > 0);
        loop.run();
        assertEquals(1, exits.get());
        assertEquals(1, closes.get());
        assertEquals(0, lastStatus.get());
        assertEquals(0, lastSignal.get());
    }

    @Test
    void failedSpawnLeavesNoHandle() {
        UvException e = assertThrows(UvException.class,
                () -> ChildProcess.spawn(loop, ProcessOptions.command("juv-no-such-program"), recordAndClose()));
        assertEquals(Errno.ENOENT, e.code());
        assertTrue(loop.handles().isEmpty());
        loop.run();
        assertEquals(0, exits.get());
    }

    @Test
    void spawnWithoutArguments() {
        ChildProcess.spawn(loop, ProcessOptions.command("ls"), recordAndClose());
        loop.run();
        assertEquals(1, exits.get());
        assertEquals(1, closes.get());
    }

    @Test
    void spawnNonAsciiArgument() {
        String arg = "héllo wörld";
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ChildProcess.spawn(loop, ProcessOptions.command("/bin/sh", "-c", "printf %s \"$1\"", "sh", arg)
                .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), recordAndClose());
        readToEnd(out, got);
        loop.run();
        assertArrayEquals(arg.getBytes(StandardCharsets.UTF_8), got.toByteArray());
        assertEquals(0, lastStatus.get());
    }

    @Test
    void spawnWithSeparateFile() {
        ChildProcess.spawn(loop, new ProcessOptions().file("ls").args("ls"), recordAndClose());
        loop.run();
        assertEquals(1, exits.get());
        assertEquals(1, closes.get());
    }

    @Test
    void spawnInWorkingDirectory(@TempDir Path dir) throws IOException {
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ChildProcess.spawn(loop, ProcessOptions.command("/bin/sh", "-c", "pwd").cwd(dir.toString())
                .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), recordAndClose());
        readToEnd(out, got);
        loop.run();
        assertEquals(0, lastStatus.get());
        assertEquals(dir.toRealPath().toString(), Path.of(text(got)).toRealPath().toString());
    }

    @Test
    void captureStdout() {
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ChildProcess.spawn(loop, ProcessOptions.command("echo", "TEST")
                .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), recordAndClose());
        readToEnd(out, got);
        loop.run();
        assertEquals("TEST", text(got));
        assertEquals(0, lastStatus.get());
        assertEquals(1, exits.get());
        assertEquals(2, closes.get());
    }

    @Test
    void argumentsReachChild() {
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ChildProcess.spawn(loop, new ProcessOptions().file("echo").args("echo", "TEST")
                .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), recordAndClose());
        readToEnd(out, got);
        loop.run();
        assertEquals("TEST", text(got));
        assertEquals(1, exits.get());
        assertEquals(2, closes.get());
    }

    @Test
    void environmentReachesChild() {
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ChildProcess.spawn(loop, ProcessOptions.command("/bin/sh", "-c", "echo \"${TEST:-FAIL}\"")
                .env(Map.of("TEST", "TEST")).stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), recordAndClose());
        readToEnd(out, got);
        loop.run();
        assertEquals("TEST", text(got));
        assertEquals(1, exits.get());
        assertEquals(2, closes.get());
    }

    @Test
    void feedStdin() {
        Pipe in = new Pipe(loop);
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ChildProcess.spawn(loop, ProcessOptions.command("head", "-n", "1")
                .stdio(Stdio.pipe(in, Stdio.READABLE), Stdio.pipe(out, Stdio.WRITABLE)), recordAndClose());
        in.write("TEST\n".getBytes(StandardCharsets.UTF_8), (s, error) -> {
            assertEquals(null, error);
            s.close(h -> closes.incrementAndGet());
        });
        readToEnd(out, got);
        loop.run();
        assertEquals("TEST", text(got));
        assertEquals(1, exits.get());
        assertEquals(3, closes.get());
    }

    @Test
    void killRunningChild() {
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("sleep", "1000"), recordAndClose());
        Timer t = new Timer(loop);
        t.start(timer -> {
            timer.close(h -> closes.incrementAndGet());
            p.kill(Signal.SIGTERM);
        }, 100, 0);
        loop.run();
        assertEquals(1, exits.get());
        assertEquals(2, closes.get());
        assertEquals(0, lastStatus.get());
        assertEquals(Signal.SIGTERM, lastSignal.get());
    }

    @Test
    void spawnAsNobody() throws IOException {
        assumeTrue(isRoot(), "needs root");
        int[] ids = nobody();
        assumeTrue(ids != null, "no user nobody in /etc/passwd");
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("true").uid(ids[0]).gid(ids[1]),
                recordAndClose());
        assertTrue(p.pid() > 0);
        loop.run();
        assertEquals(0, lastStatus.get());
        assertEquals(1, exits.get());
        assertEquals(1, closes.get());
    }

    @Test
    void spawnWithInvalidUidThrows() {
        assumeTrue(isRoot(), "needs root");
        // uid_t -1 is the one value setuid refuses even for root
        UvException e = assertThrows(UvException.class,
                () -> ChildProcess.spawn(loop, ProcessOptions.command("true").uid(-1), recordAndClose()));
        assertTrue(e.code() < 0);
        assertTrue(loop.handles().isEmpty());
        loop.run();
        assertEquals(0, exits.get());
    }

    @Test
    void detachedUnrefChildDoesNotHoldLoop() {
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("sleep", "1000").detached(true),
                recordAndClose());
        assertTrue(p.pid() > 0);
        p.unref();
        assertFalse(loop.run(), "an unreferenced child does not keep the loop alive");
        assertEquals(0, exits.get());
        p.kill(0);
        p.kill(Signal.SIGTERM);
        // wait for the exit so that the child is reaped, then close
        p.ref();
        loop.run();
        assertEquals(1, exits.get());
        assertEquals(Signal.SIGTERM, lastSignal.get());
        assertTrue(p.isClosed());
    }

    /** uid and gid of nobody from /etc/passwd, or null. */
    static int[] nobody() throws IOException {
        Path passwd = Path.of("/etc/passwd");
        if (!Files.isReadable(passwd)) {
            return null;
        }
        for (String line : Files.readAllLines(passwd)) {
            String[] f = line.split(":");
            if (f.length > 3 && f[0].equals("nobody")) {
                return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
            }
        }
        return null;
    }
}
