package dev.juv.support;

import dev.juv.Signal;
import dev.juv.internal.LibUv;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One example started as its own JVM, as a user would start it: the test JVM's own {@code java},
 * the test class path and {@code --enable-native-access=ALL-UNNAMED}. Its stdout and stderr
 * lines are collected by two reader threads.
 */
public final class ExampleProcess implements AutoCloseable {
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();

    private ExampleProcess(Process process, boolean readStdout) {
        this.process = process;
        if (readStdout) {
            reader(process.getInputStream(), out);
        }
        reader(process.getErrorStream(), err);
    }

    public static ProcessBuilder builder(String example, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.juv.examples." + example);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** Starts {@code example} with piped stdio. */
    public static ExampleProcess start(String example, String... args) throws IOException {
        return new ExampleProcess(builder(example, args).start(), true);
    }

    /** Starts with stdin and stdout on {@code terminal} (a device path); stderr is piped. */
    public static ExampleProcess startOn(File terminal, String example, String... args) throws IOException {
        ProcessBuilder pb = builder(example, args);
        pb.redirectInput(terminal);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(terminal));
        return new ExampleProcess(pb.start(), false);
    }

    private static void reader(InputStream in, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (into) {
                        into.add(line);
                        into.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the stream closed with the process
            }
        }, "example-output");
        t.setDaemon(true);
        t.start();
    }

    private static String await(List<String> lines, Predicate<String> match, long timeoutMs, String what)
            throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        synchronized (lines) {
            for (;;) {
                for (String l : lines) {
                    if (match.test(l)) {
                        return l;
                    }
                }
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + timeoutMs + " ms; got " + lines);
                }
                lines.wait(left);
            }
        }
    }

    /** The example's standard input. */
    public java.io.OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Waits for a stdout line that matches. */
    public String awaitOut(Predicate<String> match, String what) throws InterruptedException {
        return await(out, match, 20_000, what + " on stdout (stderr: " + stderr() + ")");
    }

    /** Waits for a stderr line that matches. */
    public String awaitErr(Predicate<String> match, String what) throws InterruptedException {
        return await(err, match, 20_000, what + " on stderr");
    }

    public List<String> stdout() {
        synchronized (out) {
            return new ArrayList<>(out);
        }
    }

    public List<String> stderr() {
        synchronized (err) {
            return new ArrayList<>(err);
        }
    }

    public void sigint() {
        int r = LibUv.uv_kill((int) process.pid(), Signal.SIGINT);
        if (r != 0) {
            throw new AssertionError("kill failed: " + r);
        }
    }

    /** Waits for the exit and returns its status. */
    public int exitStatus() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the example did not exit; stdout " + stdout() + ", stderr " + stderr());
        }
        return process.exitValue();
    }

    /** Waits until stdout has ended, then returns every line. */
    public List<String> allStdout() throws InterruptedException {
        exitStatus();
        long end = System.currentTimeMillis() + 2000;
        while (System.currentTimeMillis() < end && !stdout().contains("Stopped!")) {
            Thread.sleep(20);
        }
        return stdout();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
