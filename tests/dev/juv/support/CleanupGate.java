package dev.juv.support;

import dev.juv.internal.Native;
import dev.juv.internal.Registry;
import dev.juv.internal.Upcalls;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one leak gate (R-X1, R-X2): what the process looked like before, and what must be as it
 * was after. A {@link Baseline} holds juv's native byte counter, the juv requests outstanding on
 * every loop of the process, the number of upcall stubs, the throwables orphaned by stale upcalls
 * and the fd table; {@link #check} fails when any of them changed.
 *
 * <p>Two scopes use it. {@code UvTestCase} takes a baseline before each test and checks it after
 * (having closed the test's loop). Registered with {@code @ExtendWith(CleanupGate.class)}, it takes
 * one before a class's first test and checks it after the last, so that what the class does
 * outside its tests (static set-up, {@code @BeforeAll}, {@code @AfterAll}) counts as well.
 */
public final class CleanupGate implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CleanupGate.class);
    /** How long a descriptor may take to close on another thread (a child-process reaper): 40 × 25 ms. */
    private static final int FD_ATTEMPTS = 40;
    private static final long FD_WAIT_MS = 25;

    /** The state a test or a test class must leave as it found it. */
    public record Baseline(long nativeBytes, int requests, int stubs, int orphans, Map<String, String> fds) {
        /** The state of the process now. */
        public static Baseline take() {
            return new Baseline(Native.liveBytes(), liveRequests(), Upcalls.stubCount(), Upcalls.orphans().size(),
                    fdTable());
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // the class's static set-up (a warm-up loop, lazily bound tables) happens before the baseline
        Class<?> c = context.getRequiredTestClass();
        Class.forName(c.getName(), true, c.getClassLoader());
        // the JDK opens /dev/random and /dev/urandom on the first SecureRandom (temporary directories)
        new java.security.SecureRandom().nextInt();
        context.getStore(NS).put("baseline", Baseline.take());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        check(context.getStore(NS).get("baseline", Baseline.class), "after " + context.getDisplayName());
    }

    /**
     * Fails, naming every difference, unless the process is back at {@code b}: native bytes
     * exactly, juv requests outstanding over every loop, upcall stubs, orphaned throwables, and no
     * descriptor open that was not (JVM jars and libraries aside; one closing on another thread
     * gets up to a second).
     */
    public static void check(Baseline b, String when) {
        List<String> problems = new ArrayList<>();
        if (Native.liveBytes() != b.nativeBytes()) {
            problems.add("native bytes " + Native.liveBytes() + ", baseline " + b.nativeBytes());
        }
        if (liveRequests() != b.requests()) {
            problems.add("juv requests outstanding " + liveRequests() + ", baseline " + b.requests());
        }
        // stubs are made the first time a callback kind is used, once per kind for the process
        if (Upcalls.stubCount() < b.stubs() || Upcalls.stubCount() > Upcalls.kinds()) {
            problems.add("upcall stubs " + Upcalls.stubCount() + ", baseline " + b.stubs() + ", kinds "
                    + Upcalls.kinds());
        }
        if (Upcalls.orphans().size() != b.orphans()) {
            problems.add("orphan throwables from stale upcalls: " + new ArrayList<>(Upcalls.orphans()));
        }
        Map<String, String> leaked = leakedFds(b.fds());
        if (!leaked.isEmpty()) {
            problems.add("file descriptors left open: " + leaked);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("cleanup gate " + when + ": " + problems);
        }
    }

    /** Requests whose callback has not run, over every loop of the process that is not closed. */
    public static int liveRequests() {
        try {
            Field f = Registry.class.getDeclaredField("loops");
            f.setAccessible(true);
            int n = 0;
            for (Registry r : (Registry[]) f.get(null)) {
                if (r != null) {
                    n += r.liveRequests();
                }
            }
            return n;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the loop registries", e);
        }
    }

    /** Descriptors open now that were not at the baseline (JVM jars and libraries aside). */
    private static Map<String, String> leakedFds(Map<String, String> baseline) {
        Map<String, String> leaked = new TreeMap<>();
        if (baseline == null) {
            return leaked;
        }
        for (int attempt = 0; attempt < FD_ATTEMPTS; attempt++) {
            leaked.clear();
            fdTable().forEach((fd, target) -> {
                // a jar the JVM opened for classes (also Surefire's booter jar, deleted once the fork started)
                if (!target.equals(baseline.get(fd)) && !target.endsWith(".jar") && !target.endsWith(".jar (deleted)")
                        && !target.startsWith(System.getProperty("java.home"))) {
                    leaked.put(fd, target);
                }
            });
            if (leaked.isEmpty()) {
                break;
            }
            try {
                Thread.sleep(FD_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return leaked;
    }

    /** fd number → what it points at, from /proc/self/fd; null where /proc is absent. */
    public static Map<String, String> fdTable() {
        File dir = new File("/proc/self/fd");
        String[] list = dir.list();
        if (list == null) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        for (String fd : list) {
            try {
                out.put(fd, Files.readSymbolicLink(dir.toPath().resolve(fd)).toString());
            } catch (IOException | UnsupportedOperationException e) {
                // closed between listing and reading: not open any more
            }
        }
        return out;
    }

    /** The number of open file descriptors of this process, or -1 where /proc is absent. */
    public static int openFds() {
        String[] list = new File("/proc/self/fd").list();
        return list == null ? -1 : list.length;
    }
}
