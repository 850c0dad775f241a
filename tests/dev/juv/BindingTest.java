package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.LibUv;
import dev.juv.internal.Upcalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * include/uv.symbols, {@code LibUv.bound()}, the loaded libuv and the installed uv.h agree; the
 * critical-call whitelist holds only leaf functions; the upcall stubs are a fixed, small set.
 */
@Timeout(60)
class BindingTest extends UvTestCase {
    /** A bound function: its C declaration, then optional tags ("# critical", "# since 1.45"). */
    private static final Pattern LISTED = Pattern.compile(
            "^[^#]*?\\b(uv_[a-z0-9_]+)\\s*\\([^)]*\\)\\s*;\\s*(?:#.*?since\\s+(\\d+)\\.(\\d+).*|#.*)?$");
    private static final Pattern SKIPPED = Pattern.compile("^#\\s*skip\\s+(uv_[a-z0-9_]+)\\s*:\\s*(\\S.*)$");

    /** A listed function and the libuv version it needs, 0.0 when the minimum has it. */
    record Listed(String name, int major, int minor) {
        boolean newerThanLoaded() {
            int v = Sys.version();
            int maj = (v >> 16) & 0xff;
            int min = (v >> 8) & 0xff;
            return major > maj || (major == maj && minor > min);
        }

        @Override
        public String toString() {
            return major == 0 ? name : name + " (since " + major + "." + minor + ")";
        }
    }

    static Path symbolsFile() {
        return Path.of(System.getProperty("basedir", "."), "include", "uv.symbols");
    }

    static Map<String, Listed> listed() throws IOException {
        Map<String, Listed> out = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(symbolsFile())) {
            String line = raw.strip();
            Matcher m = LISTED.matcher(line);
            if (m.matches()) {
                Listed l = m.group(2) == null ? new Listed(m.group(1), 0, 0)
                        : new Listed(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
                assertTrue(out.put(l.name(), l) == null, "listed twice: " + l.name());
            } else if (!line.isEmpty() && !line.startsWith("#")) { // "## section" starts with '#' too
                throw new AssertionError("unreadable line in uv.symbols: " + raw);
            }
        }
        return out;
    }

    static Map<String, String> skipped() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(symbolsFile())) {
            Matcher m = SKIPPED.matcher(raw.strip());
            if (m.matches()) {
                assertTrue(out.put(m.group(1), m.group(2)) == null, "skipped twice: " + m.group(1));
            }
        }
        return out;
    }

    static Stream<Listed> listedSymbols() throws IOException {
        return listed().values().stream();
    }

    @SuppressWarnings("restricted") // looks symbols up in the libuv juv loaded, as juv itself does
    private static SymbolLookup loadedLibuv() {
        String path = Sys.libraryPath();
        return path.contains("/") ? SymbolLookup.libraryLookup(Path.of(path), Arena.global())
                : SymbolLookup.libraryLookup(path, Arena.global());
    }

    @Test
    void symbolsFileMatchesBoundExactly() throws IOException {
        Set<String> file = new LinkedHashSet<>(listed().keySet());
        Set<String> bound = new LinkedHashSet<>(LibUv.bound());
        assertEquals(LibUv.bound().size(), bound.size(), "LibUv.bound() names a function twice");
        Set<String> onlyFile = new TreeSet<>(file);
        onlyFile.removeAll(bound);
        Set<String> onlyBound = new TreeSet<>(bound);
        onlyBound.removeAll(file);
        assertTrue(onlyFile.isEmpty(), "in uv.symbols but not in LibUv.bound(): " + onlyFile);
        assertTrue(onlyBound.isEmpty(), "in LibUv.bound() but not in uv.symbols: " + onlyBound);
    }

    @Test
    void noFunctionIsBothListedAndSkipped() throws IOException {
        Set<String> both = new TreeSet<>(listed().keySet());
        both.retainAll(skipped().keySet());
        assertTrue(both.isEmpty(), "listed and skipped: " + both);
        assertFalse(skipped().isEmpty());
        skipped().forEach((name, why) -> assertTrue(why.length() >= 10, "no real reason for " + name));
    }

    @Test
    void everyBoundNameHasAJavaWrapper() {
        Set<String> methods = new TreeSet<>();
        for (Method m : LibUv.class.getMethods()) {
            methods.add(m.getName());
        }
        List<String> missing = new ArrayList<>();
        for (String name : LibUv.bound()) {
            if (!methods.contains(name)) {
                missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), "no public wrapper in LibUv for " + missing);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listedSymbols")
    void listedSymbolResolves(Listed l) {
        boolean found = loadedLibuv().find(l.name()).isPresent();
        if (l.newerThanLoaded()) {
            // allowed to be absent; when absent the has_ probe must say so
            if (!found) {
                assertHasProbe(l, false);
            }
            return;
        }
        assertTrue(found, l.name() + " does not resolve in " + Sys.libraryPath() + " (" + Sys.versionString() + ")");
        if (l.major() != 0) {
            assertHasProbe(l, true);
        }
    }

    private static void assertHasProbe(Listed l, boolean expected) {
        try {
            Method probe = LibUv.class.getMethod("has_" + l.name());
            assertEquals(expected, probe.invoke(null), "LibUv.has_" + l.name() + "()");
        } catch (NoSuchMethodException e) {
            throw new AssertionError("a function marked 'since' needs LibUv.has_" + l.name() + "()", e);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void functionsNewerThanTheLoadedLibuvThrowUnsupported() throws Exception {
        int checked = 0;
        for (Listed l : listed().values()) {
            if (l.major() == 0 || loadedLibuv().find(l.name()).isPresent()) {
                continue;
            }
            for (Method m : LibUv.class.getMethods()) {
                if (!m.getName().equals(l.name())) {
                    continue;
                }
                Object[] args = new Object[m.getParameterCount()];
                Class<?>[] types = m.getParameterTypes();
                for (int i = 0; i < args.length; i++) {
                    args[i] = types[i] == int.class ? (Object) 0 : types[i] == long.class ? (Object) 0L : (Object) 0.0;
                }
                try {
                    m.invoke(null, args);
                    throw new AssertionError(l.name() + " did not throw on libuv " + Sys.versionString());
                } catch (java.lang.reflect.InvocationTargetException e) {
                    assertTrue(e.getCause() instanceof UnsupportedOperationException, l.name() + ": " + e.getCause());
                    assertTrue(e.getCause().getMessage().contains(l.major() + "." + l.minor()),
                            "the message names the version needed: " + e.getCause().getMessage());
                }
                checked++;
            }
        }
        assumeTrue(checked > 0, "the loaded libuv " + Sys.versionString() + " has every bound function");
    }

    private static final List<String> NEVER_CRITICAL = List.of("uv_run", "uv_close", "uv_write", "uv_walk",
            "uv_read_start", "uv_spawn", "uv_getaddrinfo", "uv_queue_work", "uv_loop_close");

    @Test
    void criticalWhitelistHoldsOnlyLeafFunctions() {
        for (String name : NEVER_CRITICAL) {
            assertFalse(LibUv.critical().contains(name), name + " may block or call back: never critical");
        }
        for (String name : LibUv.critical()) {
            assertFalse(name.startsWith("uv_fs_") && !name.startsWith("uv_fs_get_"),
                    name + " may block or call back: never critical");
            assertTrue(LibUv.bound().contains(name), name + " is whitelisted but not bound");
        }
    }

    @Test
    void criticalFunctionsTakeNoCallback() throws IOException {
        Path header = Path.of(System.getProperty("juv.uv.h", "/usr/include/uv.h"));
        assumeTrue(Files.isReadable(header), header + " is not installed (libuv1-dev)");
        String text = String.join(" ", Files.readAllLines(header));
        for (String name : LibUv.critical()) {
            Matcher m = Pattern.compile("UV_EXTERN[^;]*\\b" + name + "\\s*\\(([^)]*)\\)").matcher(text);
            if (!m.find()) {
                continue; // newer than the header
            }
            String params = m.group(1);
            assertFalse(params.matches(".*_cb\\b.*"), name + " takes a callback: " + params);
        }
    }

    @Test
    void errorTableScansFindEveryNameOfTheWholeRange() {
        // Errors scans three bands of codes at start-up; the whole range must hold nothing more
        Map<String, Integer> whole = new LinkedHashMap<>();
        for (int code = -1; code >= -4096; code--) {
            String n = Errno.name(code);
            if (n != null && !n.startsWith("Unknown")) {
                whole.putIfAbsent(n, code);
            }
        }
        assertEquals(new TreeMap<>(whole), new TreeMap<>(dev.juv.internal.Errors.all()));
        assertTrue(whole.size() > 70, "libuv names " + whole.size() + " errors");
    }

    @Test
    void stubCountIsSmallAndConstant() {
        // the first handle of each kind may make its kind's stub; none after it does
        List<Handle> hs = new ArrayList<>();
        startAll(kinds(hs, 1));
        int before = Upcalls.stubCount();
        assertTrue(before > 0 && before <= Upcalls.kinds(), "upcall stubs: " + before + " of " + Upcalls.kinds() + " kinds");
        startAll(kinds(hs, 500));
        assertEquals(before, Upcalls.stubCount(), "stubs made per handle");
        for (Handle h : hs) {
            h.close();
        }
        loop.run();
        assertEquals(before, Upcalls.stubCount());
    }

    private List<Handle> kinds(List<Handle> hs, int rounds) {
        List<Handle> made = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            made.add(new Timer(loop));
            made.add(new Idle(loop));
            made.add(new Prepare(loop));
            made.add(new Check(loop));
            made.add(new Async(loop, a -> {}));
            made.add(new Signal(loop));
        }
        hs.addAll(made);
        return made;
    }

    private static void startAll(List<Handle> hs) {
        for (Handle h : hs) {
            if (h instanceof Timer t) {
                t.start(x -> {}, 1000, 0);
            } else if (h instanceof Idle x) {
                x.start(y -> {});
            }
        }
    }
}
