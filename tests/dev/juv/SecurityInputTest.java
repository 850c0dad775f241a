package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.Native;
import dev.juv.support.CleanupGate;
import dev.juv.support.StandIns;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The security cases of the README's Reliability table (R-S). */
@Timeout(60)
@ExtendWith(CleanupGate.class)
class SecurityInputTest extends UvTestCase {
    @TempDir
    Path dir;

    private static final String NUL = "evil\0/etc/passwd";

    // ---- CVE-2024-24806: host names over 253 bytes or with NUL never reach uv_getaddrinfo ----

    @Test
    void longOrNulHostNamesNeverReachLibuv() {
        int requests = CleanupGate.liveRequests();
        long bytes = Native.liveBytes();
        List<String> bad = List.of("a".repeat(254), "a".repeat(256) + ".example", "é".repeat(127), "localhost\0.evil",
                "\0", ("x".repeat(63) + ".").repeat(4) + "yy", "a\uD800b");
        int[] called = new int[1];
        for (String h : bad) {
            assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfo(loop, h, null, (l, e) -> called[0]++), h);
            assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfo(h, null), h);
            assertEquals(requests, CleanupGate.liveRequests(), "a request was made for " + h.length());
            assertEquals(bytes, Native.liveBytes(), "native memory was used for " + h.length());
        }
        assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfo(loop, "localhost", "http\0x", (l, e) -> {}));
        loop.run();
        assertEquals(0, called[0]);
        // exactly 253 bytes is a legal name: it reaches getaddrinfo (and does not exist)
        String max = ("a".repeat(49) + ".").repeat(5) + "abc";
        assertEquals(253, max.length());
        UvException e = assertThrows(UvException.class, () -> Dns.getaddrinfo(max, null, null, 0, 0, Dns.AI_NUMERICHOST));
        assertTrue(e.name().startsWith("EAI_"), e.name());
    }

    // ---- pipe names longer than sun_path are refused, never truncated ----

    @Test
    void pipeNamesAreNeverTruncated() {
        String base = dir.toString() + "/";
        String exact = base + "p".repeat(Pipe.MAX_NAME_BYTES - base.length());
        String over = exact + "q";
        Pipe p = new Pipe(loop);
        assertThrows(IllegalArgumentException.class, () -> p.bind(over));
        assertFalse(Files.exists(Path.of(exact)), "the refused name was bound truncated");
        assertThrows(IllegalArgumentException.class, () -> new Pipe(loop).connect(over, (x, e) -> {}));
        p.bind(exact);
        assertEquals(exact, p.localName());
        Pipe c = new Pipe(loop);
        UvException[] err = new UvException[1];
        p.listen(1, (s, e) -> {
            Pipe in = new Pipe(loop);
            s.accept(in);
            in.close();
            s.close();
        });
        c.connect(exact, (x, e) -> {
            err[0] = e;
            x.close();
        });
        loop.run();
        assertEquals(null, err[0]);
        for (Handle h : loop.handles()) {
            h.close();
        }
        loop.run();
    }

    // ---- a NUL or an unpaired surrogate in any string argument is IllegalArgumentException ----

    private Object argument(Class<?> type, String good) {
        return type == Loop.class ? loop : StandIns.plain(type, 0, good);
    }

    /**
     * Every public static method of {@code owner} with a String parameter: that parameter given a
     * NUL, then an unpaired surrogate (every other one a harmless value) must throw
     * IllegalArgumentException and leave no request and no native memory behind.
     */
    private int everyStringParameter(Class<?> owner, String good) throws Exception {
        int checked = 0;
        for (Method m : owner.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() != owner) {
                continue;
            }
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                if (types[i] != String.class && types[i] != String[].class) {
                    continue;
                }
                for (String poison : List.of(NUL, "lone\uDC00surrogate")) {
                    Object[] args = new Object[types.length];
                    for (int k = 0; k < types.length; k++) {
                        args[k] = types[k] == String[].class ? new String[] {good} : argument(types[k], good);
                    }
                    args[i] = types[i] == String[].class ? new String[] {good, poison} : poison;
                    int requests = CleanupGate.liveRequests();
                    long bytes = Native.liveBytes();
                    Throwable thrown = null;
                    try {
                        m.invoke(null, args);
                    } catch (InvocationTargetException e) {
                        thrown = e.getCause();
                    }
                    String what = m + " argument " + i + " = " + (poison == NUL ? "NUL" : "lone surrogate");
                    assertTrue(thrown instanceof IllegalArgumentException, what + " gave " + thrown);
                    assertEquals(requests, CleanupGate.liveRequests(), what + " left a request");
                    assertEquals(bytes, Native.liveBytes(), what + " left native memory");
                    checked++;
                }
            }
        }
        loop.run();
        return checked;
    }

    @Test
    void everyStringOfFsDnsAndProcessOptionsRefusesNul() throws Exception {
        String good = dir.resolve("good").toString();
        int fs = everyStringParameter(Fs.class, good);
        int dns = everyStringParameter(Dns.class, "localhost");
        int proc = everyStringParameter(ProcessOptions.class, "true");
        assertTrue(fs >= 60, "Fs string parameters checked: " + fs);
        assertTrue(dns >= 4, "Dns string parameters checked: " + dns);
        assertTrue(proc >= 2, "ProcessOptions string parameters checked: " + proc);
        ProcessOptions o = new ProcessOptions();
        assertThrows(IllegalArgumentException.class, () -> o.file(NUL));
        assertThrows(IllegalArgumentException.class, () -> o.args("ok", NUL));
        assertThrows(IllegalArgumentException.class, () -> o.cwd(NUL));
        assertThrows(IllegalArgumentException.class, () -> o.env(Map.of("K", NUL)));
        assertThrows(IllegalArgumentException.class, () -> o.env(Map.of("K\0", "v")));
        assertThrows(IllegalArgumentException.class, () -> o.env(Map.of("K=V", "v")));
    }

    @Test
    void handleStringArgumentsRefuseNul() {
        for (String poison : List.of(NUL, "x\uD800")) {
            Pipe p = new Pipe(loop);
            assertThrows(IllegalArgumentException.class, () -> p.bind(dir + "/" + poison));
            assertThrows(IllegalArgumentException.class, () -> p.connect(dir + "/" + poison, (x, e) -> {}));
            FsEvent ev = new FsEvent(loop);
            assertThrows(IllegalArgumentException.class, () -> ev.start(dir + "/" + poison, 0, (h, f, e, err) -> {}));
            FsPoll fp = new FsPoll(loop);
            assertThrows(IllegalArgumentException.class, () -> fp.start(dir + "/" + poison, 100, (h, a, b, err) -> {}));
            Udp u = new Udp(loop);
            u.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            assertThrows(IllegalArgumentException.class, () -> u.setMembership("239.1.1.1" + poison, null, Udp.JOIN_GROUP));
            assertThrows(IllegalArgumentException.class, () -> u.setMembership("239.1.1.1", poison, Udp.JOIN_GROUP));
            assertThrows(IllegalArgumentException.class, () -> u.setMulticastInterface(poison));
            for (Handle h : List.of(p, ev, fp, u)) {
                assertFalse(h.isClosing(), h + " was changed by a refused call");
                h.close();
            }
        }
        loop.run();
    }

    // ---- non-UTF-8 names: byte-exact through the byte API; the text API never reaches another file ----

    @Test
    void nonUtf8NamesRoundTripAndNeverNameAnotherFile() throws Exception {
        byte[] dirBytes = dir.toString().getBytes(StandardCharsets.UTF_8);
        List<byte[]> names = List.of(new byte[] {(byte) 0xff, (byte) 0xfe, 'a'}, new byte[] {'b', (byte) 0x80},
                new byte[] {(byte) 0xc3, '(', 'x'}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80});
        for (byte[] name : names) {
            byte[] path = concat(dirBytes, new byte[] {'/'}, name);
            Fs.close(Fs.open(path, Fs.O_CREAT | Fs.O_WRONLY, 0600));
        }
        // decoys: what a lossy decoder would turn those names into
        Files.writeString(dir.resolve("\uFFFD\uFFFDa"), "decoy");
        Files.writeString(dir.resolve("a?"), "decoy");
        List<DirEntry> entries = Fs.scandir(dirBytes);
        for (byte[] name : names) {
            DirEntry e = entries.stream().filter(x -> Arrays.equals(x.rawName(), name)).findFirst().orElseThrow(
                    () -> new AssertionError("no entry with the raw name " + Arrays.toString(name)));
            byte[] path = concat(dirBytes, new byte[] {'/'}, e.rawName());
            assertEquals(0, Fs.stat(path).size());
            Fs.unlink(path);
            assertThrows(UvException.class, () -> Fs.stat(path));
        }
        // a lone surrogate has no UTF-8 form: refused, the decoy named "a?" stays
        assertThrows(IllegalArgumentException.class, () -> Fs.unlink(dir.resolve("a").toString() + "\uD800"));
        assertTrue(Files.exists(dir.resolve("a?")));
        assertTrue(Files.exists(dir.resolve("\uFFFD\uFFFDa")));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "only the two decoys are left");
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    // ---- signals the JVM owns ----

    @Test
    void jvmSignalsAreRefused() {
        Signal s = new Signal(loop);
        for (int signum : new int[] {Signal.SIGSEGV, Signal.SIGBUS, Signal.SIGFPE, Signal.SIGILL, Signal.SIGQUIT,
                Signal.SIGUSR2, Signal.SIGKILL, Signal.SIGSTOP}) {
            assertThrows(IllegalArgumentException.class, () -> s.start((x, n) -> {}, signum));
            assertThrows(IllegalArgumentException.class, () -> s.startOneshot((x, n) -> {}, signum));
        }
        assertEquals(0, s.signum());
        s.close();
        loop.run();
    }

    // ---- --illegal-native-access=deny with native access granted only to dev.juv ----

    @Test
    void runsWithNativeAccessGrantedOnlyToTheModule() throws Exception {
        Path classes = Path.of("target/classes");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(classes.resolve("module-info.class")),
                "no compiled module-info");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--illegal-native-access=deny", "--enable-native-access=dev.juv",
                "--module-path", classes.toString(), "--add-modules", "dev.juv",
                // the same libuv as this JVM (a bundled copy is not on the probe's module path)
                "-Djuv.libuv=" + Sys.libraryPath(),
                "-cp", "target/test-classes", "dev.juv.programs.NativeAccessProbe"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("timer fired in module dev.juv"), out);
        assertFalse(out.contains("WARNING"), out);
    }

    /** The probe on the class path or the module path under --illegal-native-access=deny, without the flag juv needs. */
    private static String deniedProbe(boolean modulePath) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 24,
                "--illegal-native-access exists from JDK 24 on");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--illegal-native-access=deny", "-Djuv.libuv=" + Sys.libraryPath()));
        if (modulePath) {
            cmd.addAll(List.of("--module-path", "target/classes", "--add-modules", "dev.juv", "-cp", "target/test-classes"));
        } else {
            cmd.addAll(List.of("-cp", "target/classes" + File.pathSeparator + "target/test-classes"));
        }
        cmd.add("dev.juv.programs.NativeAccessProbe");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.startsWith("failed: dev.juv.LibUvLoadError: juv needs native access"), out);
        return out;
    }

    @Test
    void deniedNativeAccessOnTheModulePathNamesTheModuleFlag() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("target/classes/module-info.class")),
                "no compiled module-info");
        String out = deniedProbe(true);
        assertTrue(out.contains("Add --enable-native-access=dev.juv to the java command line"), out);
    }

    @Test
    void deniedNativeAccessOnTheClassPathNamesAllUnnamed() throws Exception {
        String out = deniedProbe(false);
        assertTrue(out.contains("Add --enable-native-access=ALL-UNNAMED to the java command line"), out);
        assertTrue(out.contains("Enable-Native-Access: ALL-UNNAMED"), out);
    }
}
