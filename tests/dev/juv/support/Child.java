package dev.juv.support;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running one main class with the test class path, as a user would start it:
 * {@code java --enable-native-access=ALL-UNNAMED -cp <class path> <main> args}. Its stdout and
 * stderr go together to a file under target/child-output.
 */
public final class Child implements AutoCloseable {
    private static final List<String> CRASH_MARKS = List.of("hs_err_pid", "Unrecoverable uncaught exception",
            "Assertion", "A fatal error has been detected", "AddressSanitizer", "ThreadSanitizer");

    /** Call from a test class's static initialiser, so the JDK's first-child descriptor is not counted. */
    public static synchronized void warmUp() {
        if (warm) {
            return;
        }
        warm = true;
        // the JDK keeps a descriptor open after its first child of this kind
        try (Child c = start(Idle.class.getName())) {
            c.waitFor(Duration.ofSeconds(60));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean warm;

    /** A main that does nothing. */
    public static final class Idle {
        private Idle() {}

        public static void main(String[] args) {
            // nothing
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();

    private final Process process;
    /** The child's stdout and stderr go to a file, so this JVM holds no pipe to it. */
    private final Path log;

    private final int fdsBefore;

    private Child(Process process, Path log, int fdsBefore) {
        this.process = process;
        this.log = log;
        this.fdsBefore = fdsBefore;
    }

    /** The java launcher of this JVM. */
    public static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Starts {@code mainClass} in a new JVM. */
    public static Child start(String mainClass, String... args) throws IOException {
        return start(List.of(), mainClass, args);
    }

    /** Starts {@code mainClass} in a new JVM with extra JVM options. */
    public static Child start(List<String> jvmOptions, String mainClass, String... args) throws IOException {
        Path crashDir = Path.of(System.getProperty("basedir", "."), "target", "crash");
        List<String> cmd = new ArrayList<>(List.of(javaCommand(), "--enable-native-access=ALL-UNNAMED",
                "-XX:ErrorFile=" + crashDir.resolve("hs_err_pid%p.log")));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "child-output");
        Files.createDirectories(dir);
        String simple = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        Path log = dir.resolve(simple + "-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(log.toFile());
        int fds = CleanupGate.openFds();
        return new Child(pb.start(), log, fds);
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until a line containing {@code text} appears; false on timeout or early exit. */
    public boolean awaitLine(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean alive = process.isAlive();
            for (String l : output().split("\n")) {
                if (l.contains(text)) {
                    return true;
                }
            }
            if (!alive || System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
    }

    /** Sends a signal to the child. */
    public void signal(int signum) {
        if (TestLibc.kill(process.pid(), signum) != 0) {
            throw new AssertionError("kill(" + process.pid() + ", " + signum + ") failed");
        }
    }

    /** Waits for the exit status; kills the child and fails when it takes longer. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("child " + process.pid() + " did not exit within " + timeout + "; output:\n"
                    + output());
        }
        return process.exitValue();
    }

    /** Everything the child printed so far. */
    public String output() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Fails if the output or target/crash shows the child died abnormally. */
    public void assertNoCrash() {
        String out = output();
        for (String mark : CRASH_MARKS) {
            assertFalse(out.contains(mark), "the child crashed (" + mark + "):\n" + out);
        }
        Path crash = Path.of(System.getProperty("basedir", "."), "target", "crash", "hs_err_pid" + pid() + ".log");
        assertFalse(Files.exists(crash), "the child left " + crash);
    }

    /**
     * Kills the child if it still runs, then gives the JDK up to two seconds to close the
     * descriptors it used to start and reap the child.
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            long end = System.nanoTime() + 2_000_000_000L;
            while (CleanupGate.openFds() > fdsBefore && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
