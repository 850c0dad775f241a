package dev.juv.support;

import dev.juv.internal.Native;
import dev.juv.internal.Registry;
import dev.juv.internal.Upcalls;
import java.io.File;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The cleanup gate after a test class (R-X1, R-X2): juv's native byte counter back at the
 * baseline exactly, no juv request outstanding on any loop of the process, the fd table as it
 * was, the number of upcall stubs unchanged and no throwable left orphaned by a stale upcall.
 * Registered with {@code @ExtendWith(CleanupGate.class)}.
 */
public final class CleanupGate implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CleanupGate.class);

    private record Baseline(long nativeBytes, int requests, int stubs, int orphans, Map<String, String> fds) {}

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // the class's static set-up (a warm-up loop, lazily bound tables) happens before the baseline
        Class<?> c = context.getRequiredTestClass();
        Class.forName(c.getName(), true, c.getClassLoader());
        // the JDK opens /dev/random and /dev/urandom on the first SecureRandom (temporary directories)
        new java.security.SecureRandom().nextInt();
        context.getStore(NS).put("baseline", new Baseline(Native.liveBytes(), liveRequests(),
                Upcalls.stubCount(), Upcalls.orphans().size(), fdTable()));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Baseline b = context.getStore(NS).get("baseline", Baseline.class);
        List<String> problems = new ArrayList<>();
        if (Native.liveBytes() != b.nativeBytes) {
            problems.add("native bytes " + Native.liveBytes() + ", baseline " + b.nativeBytes);
        }
        if (liveRequests() != b.requests) {
            problems.add("juv requests outstanding " + liveRequests() + ", baseline " + b.requests);
        }
        if (Upcalls.stubCount() != b.stubs) {
            problems.add("upcall stubs " + Upcalls.stubCount() + ", baseline " + b.stubs);
        }
        if (Upcalls.orphans().size() != b.orphans) {
            problems.add("orphan throwables from stale upcalls: " + new ArrayList<>(Upcalls.orphans()));
        }
        Map<String, String> leaked = leakedFds(b.fds);
        if (!leaked.isEmpty()) {
            problems.add("file descriptors left open: " + leaked);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("cleanup gate after " + context.getDisplayName() + ": " + problems);
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
    public static Map<String, String> leakedFds(Map<String, String> baseline) throws InterruptedException {
        Map<String, String> leaked = new TreeMap<>();
        if (baseline == null) {
            return leaked;
        }
        for (int attempt = 0; attempt < 40; attempt++) {
            leaked.clear();
            fdTable().forEach((fd, target) -> {
                if (!target.equals(baseline.get(fd)) && !target.endsWith(".jar")
                        && !target.startsWith(System.getProperty("java.home"))) {
                    leaked.put(fd, target);
                }
            });
            if (leaked.isEmpty()) {
                break;
            }
            Thread.sleep(25);
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
        Map<String, String> out = new java.util.HashMap<>();
        for (String fd : list) {
            try {
                out.put(fd, java.nio.file.Files.readSymbolicLink(dir.toPath().resolve(fd)).toString());
            } catch (java.io.IOException | UnsupportedOperationException e) {
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
