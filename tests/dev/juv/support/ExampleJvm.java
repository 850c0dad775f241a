package dev.juv.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One example started as a separate JVM, the way a user runs it: the test JVM's own
 * {@code java}, the test class path and {@code --enable-native-access=ALL-UNNAMED}. Its stdout
 * is collected line by line; stderr is kept for failure messages.
 */
public final class ExampleJvm implements AutoCloseable {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();

    private ExampleJvm(Process process) {
        this.process = process;
        drain(process.getInputStream(), line -> lines.add(line), "stdout");
        drain(process.getErrorStream(), line -> stderr.append(line).append('\n'), "stderr");
    }

    public static ExampleJvm start(String example, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath, "dev.juv.examples." + example));
        command.addAll(List.of(args));
        return new ExampleJvm(new ProcessBuilder(command).start());
    }

    private interface LineSink {
        void accept(String line);
    }

    private static void drain(InputStream in, LineSink sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "example-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for a stdout line matching {@code regex} and returns its match; fails after the timeout. */
    public Matcher awaitLine(String regex, long timeoutMs) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        for (String line : seen) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                seen.remove(line);
                return m;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no line matching " + regex + " within " + timeoutMs + " ms; stdout so far "
                        + seen + ", alive " + process.isAlive() + ", stderr:\n" + stderr);
            }
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return m;
            }
            seen.add(line);
        }
    }

    public long pid() {
        return process.pid();
    }

    public void signal(int signum) {
        int r = TestLibc.kill(process.pid(), signum);
        if (r != 0) {
            throw new IllegalStateException("kill failed: errno " + -r);
        }
    }

    /** Waits for the exit and returns the status; fails if it does not end in time. */
    public int awaitExit(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the example did not exit within " + timeoutMs + " ms; stderr:\n" + stderr);
        }
        return process.exitValue();
    }

    public String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
