package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** End to end: pyuv's examples/filesystem_watch.py as dev.juv.examples.FilesystemWatch, in its own JVM. */
@Timeout(60)
@Tag(Tags.EXAMPLES)
class FilesystemWatchTest {
    @TempDir
    Path dir;
    private Process process;

    /** Starts the example in a new JVM with stdout and stderr merged into one line queue. */
    private BlockingQueue<String> start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FilesystemWatch.class.getName());
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "filesystem-watch-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** Waits for a line that matches, returning it; fails after 20 s with what was seen. */
    private static String await(BlockingQueue<String> lines, Predicate<String> wanted, String what)
            throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l == null) {
                continue;
            }
            seen.add(l);
            if (wanted.test(l)) {
                return l;
            }
        }
        throw new AssertionError("no line " + what + "; saw " + seen);
    }

    private static void sigint(Process p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    @AfterEach
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void reportsCreateAndChangeThenStopsOnSigint() throws Exception {
        BlockingQueue<String> lines = start("--path", dir.toString());
        String ready = await(lines, l -> l.startsWith("Watching path "), "Watching path");
        assertEquals("Watching path " + dir.toAbsolutePath().normalize(), ready);

        Path f = dir.resolve("created.txt");
        Files.writeString(f, "one");
        String created = await(lines, l -> l.startsWith("file: created.txt, events:") && l.contains("rename"),
                "with rename for created.txt");
        assertNotNull(created);

        Files.writeString(f, "two", StandardOpenOption.APPEND);
        await(lines, l -> l.startsWith("file: created.txt, events:") && l.contains("change"),
                "with change for created.txt");

        sigint(process);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits after SIGINT");
        assertEquals(0, process.exitValue());
    }

    @Test
    void shortOptionWatchesTheGivenPath() throws Exception {
        BlockingQueue<String> lines = start("-p", dir.toString());
        assertEquals("Watching path " + dir.toAbsolutePath().normalize(),
                await(lines, l -> l.startsWith("Watching path "), "Watching path"));
        sigint(process);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits after SIGINT");
        assertEquals(0, process.exitValue());
    }

    @Test
    void missingPathPrintsErrorAndExits2() throws Exception {
        BlockingQueue<String> lines = start("--path", dir.resolve("does-not-exist").toString());
        String error = await(lines, l -> l.startsWith("error: "), "starting with error:");
        assertTrue(error.contains("ENOENT"), error);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits");
        assertEquals(2, process.exitValue());
    }
}
