package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.Bundled;
import dev.juv.support.Tags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader with a libuv bundled on the class path: extraction into an empty cache by JVMs
 * started together, repair of a damaged cached copy, turning bundled loading off, and the report
 * for an explicit path that does not load. Every case starts fresh JVMs, since a JVM loads libuv
 * once. Skipped when no libuv is bundled for this platform (a plain {@code mvn test});
 * {@code ci/bundle-test} runs them with the library built by {@code ci/native-build}.
 */
@Timeout(180)
@Tag(Tags.BUNDLED)
class BundledLoaderTest {
    @TempDir
    Path tmp;

    private Path cache;
    private String bundledSha;

    @BeforeEach
    void needBundled() throws Exception {
        if (Boolean.getBoolean("juv.test.expectBundled")) {
            assertTrue(Bundled.present(), "juv.test.expectBundled is set but " + Bundled.resource()
                    + " is not on the class path");
        }
        assumeTrue(Bundled.present(), "no libuv bundled for " + Bundled.platform()
                + " on the class path: ci/native-build " + Bundled.platform() + " && ci/bundle-test");
        cache = tmp.resolve("cache");
        try (InputStream in = Bundled.class.getResourceAsStream(Bundled.resource())) {
            bundledSha = sha256(in.readAllBytes());
        }
    }

    @Test
    void thisJvmLoadedTheBundledLibrary() throws Exception {
        assumeTrue(System.getProperty("juv.libuv", "").isEmpty() && System.getenv("JUV_LIBUV") == null,
                "an explicit libuv was given to this JVM");
        assumeFalse("false".equalsIgnoreCase(System.getProperty("juv.libuv.bundled")), "bundled loading is off");
        Path loaded = Path.of(Sys.libraryPath());
        assertEquals(Bundled.libraryName(), loaded.getFileName().toString());
        assertTrue(loaded.startsWith(Bundled.cacheRoot()), loaded + " is not under " + Bundled.cacheRoot());
        assertEquals(bundledSha, sha256(Files.readAllBytes(loaded)));
        String expected = pinnedVersion();
        if (expected != null) {
            assertEquals(expected, Sys.versionString());
        }
    }

    @Test
    void theChecksumTheBuildWroteBesideTheLibraryIsItsSha256() throws Exception {
        try (InputStream in = Bundled.class.getResourceAsStream(Bundled.resource() + ".sha256")) {
            assumeTrue(in != null, "this bundle carries no checksum file (built before ci/native-build wrote one)");
            assertEquals(bundledSha, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
        }
        byte[] lib;
        try (InputStream in = Bundled.class.getResourceAsStream(Bundled.resource())) {
            lib = in.readAllBytes();
        }
        assertEquals(bundledSha, Bundled.checksum(lib), "the cache directory is named after the content");
    }

    @Test
    void twoJvmsStartedTogetherOnAnEmptyCacheBothLoad() throws Exception {
        assertFalse(Files.exists(cache));
        Process a = start("a", "-Djuv.cache.dir=" + cache);
        Process b = start("b", "-Djuv.cache.dir=" + cache);
        Map<String, String> ra = finish(a, "a");
        Map<String, String> rb = finish(b, "b");
        assertEquals("0", ra.get("exit"), ra.toString());
        assertEquals("0", rb.get("exit"), rb.toString());
        assertEquals(ra.get("path"), rb.get("path"));
        assertEquals(ra.get("version"), rb.get("version"));
        Path lib = Path.of(ra.get("path"));
        assertTrue(lib.startsWith(cache), lib + " is not under " + cache);
        assertEquals(bundledSha, sha256(Files.readAllBytes(lib)));
        assertEquals(bundledSha, lib.getParent().getFileName().toString(), "directory named after the checksum");
        try (Stream<Path> files = Files.list(lib.getParent())) {
            assertEquals(List.of(lib), files.toList(), "only the library is left in its directory");
        }
        if (Files.getFileStore(cache).supportsFileAttributeView("posix")) {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(lib.getParent())));
        }
    }

    @Test
    void aCorruptedCachedFileIsDetectedAndReplaced() throws Exception {
        Map<String, String> first = finish(start("first", "-Djuv.cache.dir=" + cache), "first");
        assertEquals("0", first.get("exit"), first.toString());
        Path lib = Path.of(first.get("path"));

        byte[] damaged = Files.readAllBytes(lib);
        for (int i = damaged.length / 2; i < damaged.length / 2 + 64; i++) {
            damaged[i] ^= (byte) 0x5a; // same length, wrong bytes in the code
        }
        Files.write(lib, damaged);
        assertNotEquals(bundledSha, sha256(Files.readAllBytes(lib)));
        Map<String, String> again = finish(start("again", "-Djuv.cache.dir=" + cache), "again");
        assertEquals("0", again.get("exit"), again.toString());
        assertEquals(lib.toString(), again.get("path"));
        assertEquals(bundledSha, sha256(Files.readAllBytes(lib)));

        Files.write(lib, new byte[0]); // a file cut short
        Map<String, String> third = finish(start("third", "-Djuv.cache.dir=" + cache), "third");
        assertEquals("0", third.get("exit"), third.toString());
        assertEquals(bundledSha, sha256(Files.readAllBytes(lib)));
    }

    @Test
    void aDirectoryOthersCanWriteIsUsedOnlyThroughAPrivateSubdirectory() throws Exception {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("unix"), "no unix file modes here");
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777); // like /tmp
        Map<String, String> r = finish(start("sticky", "-Djuv.cache.dir=" + shared), "sticky");
        assertEquals("0", r.get("exit"), r.toString());
        Path lib = Path.of(r.get("path"));
        Path sub = lib.getParent().getParent();
        assertEquals(shared, sub.getParent(), lib + " is not in a subdirectory of " + shared);
        assertTrue(sub.getFileName().toString().startsWith("juv-"), sub.toString());
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(sub)));

        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setAttribute(open, "unix:mode", 0777); // writable by all, no sticky bit
        Map<String, String> o = finish(start("open", "-Djuv.cache.dir=" + open), "open");
        try (Stream<Path> files = Files.list(open)) {
            assertEquals(List.of(), files.toList(), "nothing may be extracted into " + open);
        }
        if (!"0".equals(o.get("exit"))) {
            assertTrue(o.getOrDefault("error", "").contains("has no sticky bit"), o.toString());
        } else {
            assertFalse(Path.of(o.get("path")).startsWith(open), o.toString());
        }
    }

    @Test
    void bundledFalseFallsBackToTheSystemLibrary() throws Exception {
        Map<String, String> r = finish(start("off", "-Djuv.cache.dir=" + cache, "-Djuv.libuv.bundled=false"), "off");
        assertFalse(Files.exists(cache.resolve(bundledSha)), "nothing extracted when bundled loading is off");
        if ("0".equals(r.get("exit"))) {
            Path loaded = Path.of(r.get("path"));
            assertFalse(loaded.startsWith(cache), "loaded " + loaded + " from the cache");
        } else {
            // no system libuv here (ci/bundle-test hides it): the report must say both steps
            String error = r.getOrDefault("error", "");
            assertTrue(error.contains("turned off by -Djuv.libuv.bundled=false"), r.toString());
            assertTrue(error.contains("(system)"), r.toString());
        }
    }

    @Test
    void aBogusExplicitPathFailsWithAReportOfWhatWasTried() throws Exception {
        Path bogus = tmp.resolve("no-such-dir").resolve("libuv-bogus.so");
        Map<String, String> r = finish(start("bogus", "-Djuv.cache.dir=" + cache, "-Djuv.libuv=" + bogus), "bogus");
        assertEquals("3", r.get("exit"), r.toString());
        String error = r.getOrDefault("error", "");
        assertTrue(error.startsWith("LibUvLoadError:"), error);
        assertTrue(error.contains("Tried:"), error);
        assertTrue(error.contains(bogus + " (juv.libuv / JUV_LIBUV)"), error);
        assertFalse(Files.exists(cache.resolve(bundledSha)), "an explicit path must not fall back to the bundled one");

        Path notALibrary = tmp.resolve("libuv-text.so");
        Files.writeString(notALibrary, "not a shared library");
        Map<String, String> env = finish(start(Map.of("JUV_LIBUV", notALibrary.toString()), "env",
                "-Djuv.cache.dir=" + cache), "env");
        assertEquals("3", env.get("exit"), env.toString());
        assertTrue(env.getOrDefault("error", "").contains(notALibrary + " (juv.libuv / JUV_LIBUV)"), env.toString());
    }

    /** Starts a JVM that loads libuv and reports what it loaded (see {@link Probe}). */
    private Process start(String name, String... jvmArgs) throws IOException {
        return start(Map.of(), name, jvmArgs);
    }

    private Process start(Map<String, String> env, String name, String... jvmArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(List.of(jvmArgs));
        cmd.add(Probe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".out").toFile());
        pb.environment().remove("JUV_LIBUV");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Waits for a probe and returns its key=value report plus "exit". */
    private Map<String, String> finish(Process p, String name) throws Exception {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("probe " + name + " did not finish in 120 s");
        }
        Map<String, String> report = new LinkedHashMap<>();
        StringBuilder error = null;
        for (String line : Files.readAllLines(tmp.resolve(name + ".out"), StandardCharsets.UTF_8)) {
            if (error != null) {
                error.append('\n').append(line);
            } else if (line.startsWith("error=")) {
                error = new StringBuilder(line.substring(6));
            } else {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    report.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        if (error != null) {
            report.put("error", error.toString());
        }
        report.put("exit", Integer.toString(p.exitValue()));
        return report;
    }

    private static String pinnedVersion() {
        Path sums = Path.of(System.getProperty("user.dir"), "native", "libuv.sha256");
        try {
            for (String line : Files.readAllLines(sums)) {
                if (line.startsWith("# version:")) {
                    return line.substring("# version:".length()).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /**
     * Loads libuv in a fresh JVM and prints {@code path=} and {@code version=}, or {@code error=}
     * with the load failure's class and message (exit status 3).
     */
    public static final class Probe {
        private Probe() {}

        /** Entry point of the probe JVM. */
        public static void main(String[] args) {
            try {
                String version = Sys.versionString();
                System.out.println("path=" + Sys.libraryPath());
                System.out.println("version=" + version);
            } catch (Throwable t) {
                Throwable root = t;
                while (root.getCause() != null && !(root instanceof Error && root.getMessage() != null
                        && root.getClass().getSimpleName().equals("LibUvLoadError"))) {
                    root = root.getCause();
                }
                System.out.println("error=" + root.getClass().getSimpleName() + ": " + root.getMessage());
                System.out.flush();
                System.exit(3);
            }
        }
    }
}
