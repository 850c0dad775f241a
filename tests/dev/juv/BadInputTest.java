package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.LibUv;
import dev.juv.internal.Native;
import dev.juv.support.CleanupGate;
import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input families of the README's Reliability table (R-B): each family draws {@value #CASES} cases from a
 * seeded {@link Random} ({@code -Djuv.test.seed}, the seed is in the case name). Every case ends
 * in success or in an exception of a documented kind (IllegalArgumentException,
 * NullPointerException, UvException, and where a method documents it IndexOutOfBoundsException or
 * UnsupportedOperationException), never a crash or a hang; where the JDK has an opinion
 * (addresses, ports, paths), accept/reject and the value agree with it on every case.
 */
@Timeout(120)
@ExtendWith(CleanupGate.class)
@Tag(Tags.VOLUME)
class BadInputTest extends UvTestCase {
    static final long SEED = Long.getLong("juv.test.seed", 0x6A75760BADL);
    static final int CASES = 10_000;
    /** Families whose cases each start a process: fewer cases (a fork of the JVM costs ~1 ms). */
    static final int SLOW_CASES = 2_000;
    private static final Map<String, String> TIMES = new TreeMap<>();

    @TempDir
    Path dir;

    static Stream<Long> seeds() {
        return Stream.of(SEED);
    }

    @AfterAll
    static void printTimes() {
        TIMES.forEach((k, v) -> System.out.println("bad-input family " + k + ": " + v));
    }

    /** What one family's cases ended in. */
    static final class Outcomes {
        final String family;
        final long seed;
        final long start = System.nanoTime();
        final TreeMap<String, Integer> kinds = new TreeMap<>();
        final Set<Class<? extends Throwable>> extra;
        int cases;

        @SafeVarargs
        Outcomes(String family, long seed, Class<? extends Throwable>... extra) {
            this.family = family;
            this.seed = seed;
            Set<Class<? extends Throwable>> kinds = new java.util.HashSet<>();
            for (Class<? extends Throwable> k : extra) {
                kinds.add(k);
            }
            this.extra = Set.copyOf(kinds);
        }

        /** Runs one case: its result, or the documented exception it threw (any other fails). */
        <T> Result<T> attempt(Object input, Supplier<T> call) {
            cases++;
            try {
                T v = call.get();
                kinds.merge("ok", 1, Integer::sum);
                return new Result<>(v, null);
            } catch (UvException e) {
                kinds.merge(e.name(), 1, Integer::sum);
                return new Result<>(null, e);
            } catch (IllegalArgumentException | NullPointerException e) {
                kinds.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                return new Result<>(null, e);
            } catch (RuntimeException e) {
                if (extra.contains(e.getClass()) || extra.stream().anyMatch(c -> c.isInstance(e))) {
                    kinds.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    return new Result<>(null, e);
                }
                throw new AssertionError(family + " seed " + seed + ": undocumented " + e + " for " + show(input), e);
            }
        }

        Result<Void> run(Object input, Runnable call) {
            return attempt(input, () -> {
                call.run();
                return null;
            });
        }

        void done(int expected) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            synchronized (TIMES) {
                TIMES.put(family, "seed " + seed + ", " + cases + " cases in " + ms + " ms " + kinds);
            }
            assertTrue(cases >= expected, family + ": only " + cases + " cases");
        }

        void expect(boolean ok, Object input, Result<?> r, String what) {
            assertTrue(ok, family + " seed " + seed + ": " + what + " for " + show(input) + ", got "
                    + (r == null ? "?" : r.error == null ? "success" : r.error.toString()));
        }
    }

    record Result<T>(T value, RuntimeException error) {
        boolean ok() {
            return error == null;
        }

        boolean is(Class<? extends Throwable> c) {
            return c.isInstance(error);
        }

        String name() {
            return error instanceof UvException u ? u.name() : error == null ? "ok" : error.getClass().getSimpleName();
        }
    }

    static String show(Object input) {
        if (input instanceof String s) {
            StringBuilder b = new StringBuilder("\"");
            s.codePoints().limit(200).forEach(c -> {
                if (c < 0x20 || c > 0x7e) {
                    b.append(String.format("\\u{%x}", c));
                } else {
                    b.appendCodePoint(c);
                }
            });
            return b.append(s.length() > 200 ? "...\" (" + s.length() + " chars)" : "\"").toString();
        }
        if (input instanceof byte[] b) {
            return "bytes" + Arrays.toString(Arrays.copyOf(b, Math.min(b.length, 64))) + " (" + b.length + ")";
        }
        return String.valueOf(input);
    }

    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    // ---- generators ----

    private static final String HEX = "0123456789abcdefABCDEF";

    static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    static String randomUnicode(Random r, int maxChars) {
        int n = r.nextInt(maxChars + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            if (kind < 5) {
                b.append((char) ('a' + r.nextInt(26)));
            } else if (kind == 5) {
                b.append('.');
            } else if (kind == 6) {
                b.append((char) r.nextInt(0x80));
            } else if (kind == 7) {
                b.append((char) (0x80 + r.nextInt(0xD000)));
            } else if (kind == 8) {
                b.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000));
            } else {
                b.append((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate
            }
        }
        return b.toString();
    }

    static String ipv4Text(Random r) {
        int parts = 1 + r.nextInt(5);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            if (i > 0) {
                b.append(r.nextInt(20) == 0 ? ".." : ".");
            }
            switch (r.nextInt(12)) {
                case 0 -> b.append(r.nextInt(1000));
                case 1 -> b.append("0").append(r.nextInt(100));
                case 2 -> b.append(-r.nextInt(10));
                case 3 -> b.append("0x").append(Integer.toHexString(r.nextInt(300)));
                case 4 -> b.append(r.nextLong());
                case 5 -> b.append(pick(r, "", " ", "a", "1 ", "+1", "٣"));
                default -> b.append(r.nextInt(256));
            }
        }
        if (r.nextInt(15) == 0) {
            b.insert(0, pick(r, " ", "0", ":", "["));
        }
        if (r.nextInt(15) == 0) {
            b.append(pick(r, " ", ".", ":80", "%lo", "/24"));
        }
        return b.toString();
    }

    static String ipv6Text(Random r) {
        if (r.nextInt(20) == 0) {
            return pick(r, "::", "::1", ":::", "::ffff:127.0.0.1", "1::2::3", "fe80::1%lo", "fe80::1%", "[::1]", "%1",
                    "::ffff:1.2.3", "0:0:0:0:0:0:0:0:0");
        }
        int groups = 1 + r.nextInt(9);
        int gap = r.nextInt(3) == 0 ? r.nextInt(groups + 1) : -1;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < groups; i++) {
            if (i == gap) {
                b.append("::");
            } else if (i > 0) {
                b.append(':');
            }
            int len = r.nextInt(12) == 0 ? 5 : 1 + r.nextInt(4);
            for (int k = 0; k < len; k++) {
                b.append(r.nextInt(25) == 0 ? 'g' : HEX.charAt(r.nextInt(HEX.length())));
            }
        }
        if (gap == groups) {
            b.append("::");
        }
        if (r.nextInt(6) == 0) {
            b.append(':').append(r.nextInt(300)).append('.').append(r.nextInt(256)).append('.')
                    .append(r.nextInt(256)).append('.').append(r.nextInt(256));
        }
        if (r.nextInt(4) == 0) {
            b.append('%').append(switch (r.nextInt(5)) {
                case 0 -> Integer.toString(r.nextInt(5));
                case 1 -> Integer.toString(r.nextInt());
                case 2 -> "lo";
                case 3 -> "";
                default -> randomUnicode(r, 6);
            });
        }
        return b.toString();
    }

    static InetAddress jdkLiteral(String s) {
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** libuv's own parser, for the cross-check; null when it refuses. */
    static byte[] uvPton(int af, String s) {
        long src;
        try {
            src = Native.cstring(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        long dst = Native.calloc(16);
        try {
            int r = LibUv.uv_inet_pton(af, src, dst);
            return r == 0 ? Native.bytes(dst, af == dev.juv.internal.Sockaddr.AF_INET ? 4 : 16) : null;
        } finally {
            Native.free(src);
            Native.free(dst);
        }
    }

    /** libuv's bytes and the JDK's address are the same (the JDK turns ::ffff:a.b.c.d into IPv4). */
    static boolean sameAddress(byte[] uv, InetAddress jdk) {
        byte[] j = jdk.getAddress();
        if (uv.length == 16 && j.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(j, 0, mapped, 12, 4);
            return Arrays.equals(uv, mapped);
        }
        return Arrays.equals(uv, j);
    }

    // ---- 1, 2: address text (IPv4, IPv6 with scope) ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void ipv4Text(long seed) {
        addressFamily("ipv4 text", seed, BadInputTest::ipv4Text, dev.juv.internal.Sockaddr.AF_INET);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void ipv6TextAndScope(long seed) {
        addressFamily("ipv6 text + scope", seed, BadInputTest::ipv6Text, dev.juv.internal.Sockaddr.AF_INET6);
    }

    /**
     * Address text: the JDK decides what is an address; juv carries exactly that address through
     * libuv (a numeric getnameinfo gives it back), refuses an unresolved one before any native
     * call, and every text libuv's own parser accepts is the same address for the JDK.
     */
    private void addressFamily(String name, long seed, java.util.function.Function<Random, String> gen, int af) {
        Random r = new Random(seed ^ name.hashCode());
        Outcomes o = new Outcomes(name, seed);
        Udp probe = new Udp(loop);
        int flags = Dns.NI_NUMERICHOST | Dns.NI_NUMERICSERV;
        int[] pending = new int[1];
        int jdkAccepted = 0;
        for (int i = 0; i < CASES; i++) {
            String text = gen.apply(r);
            int port = r.nextInt(65536);
            InetAddress jdk = jdkLiteral(text);
            String plain = text.indexOf('%') >= 0 ? text.substring(0, text.indexOf('%')) : text;
            byte[] uv = text.indexOf('%') >= 0 ? null : uvPton(af, plain);
            if (uv != null) {
                o.expect(jdk != null && sameAddress(uv, jdk), text, null,
                        "libuv parses it as " + Arrays.toString(uv) + ", the JDK as " + jdk);
            }
            if (jdk == null) {
                InetSocketAddress unresolved;
                try {
                    unresolved = InetSocketAddress.createUnresolved(text, port);
                } catch (IllegalArgumentException e) {
                    o.cases++;
                    continue;
                }
                Result<Void> res = o.run(text, () -> probe.connect(unresolved));
                o.expect(res.is(IllegalArgumentException.class), text, res, "an unresolved address must be refused");
                continue;
            }
            jdkAccepted++;
            InetSocketAddress address = new InetSocketAddress(jdk, port);
            pending[0]++;
            Result<Request> res = o.attempt(text, () -> Dns.getnameinfo(loop, address, flags, (host, service, e) -> {
                pending[0]--;
                o.expect(e == null, text, null, "numeric getnameinfo failed: " + e);
                InetAddress back = jdkLiteral(host);
                o.expect(back != null && Arrays.equals(back.getAddress(), jdk.getAddress()), text, null,
                        "juv carried it as " + host + ", the JDK reads " + jdk);
                if (jdk instanceof Inet6Address j6 && j6.getScopeId() != 0 && j6.isLinkLocalAddress()) {
                    o.expect(back instanceof Inet6Address b6 && b6.getScopeId() == j6.getScopeId(), text, null,
                            "scope lost: " + host);
                }
                assertEquals(Integer.toString(port), service);
            }));
            o.expect(res.ok(), text, res, "a JDK address must be accepted");
            if (pending[0] >= 512) {
                loop.run();
            }
        }
        loop.run();
        probe.close();
        loop.run();
        assertEquals(0, pending[0]);
        assertTrue(jdkAccepted > CASES / 10, "too few valid addresses generated: " + jdkAccepted);
        o.done(CASES);
    }

    // ---- 3: ports ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void ports(long seed) {
        Random r = new Random(seed ^ 3);
        Outcomes o = new Outcomes("ports", seed);
        InetAddress lo = InetAddress.getLoopbackAddress();
        int[] special = {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 65535, 1, -65536, 131072};
        int[] lookups = new int[1];
        // a port in use: libuv keeps bind's EADDRINUSE for the next listen; juv reports it from bind
        Tcp holder = new Tcp(loop);
        holder.bind(new InetSocketAddress(lo, 0));
        holder.listen(1, (s, e) -> {});
        Tcp second = new Tcp(loop);
        Result<Void> inUse = o.run("port in use", () -> second.bind(holder.localAddress()));
        o.expect("EADDRINUSE".equals(inUse.name()), "port in use", inUse, "EADDRINUSE from bind itself");
        holder.close();
        second.close();
        for (int i = 0; i < CASES; i++) {
            int port = i < special.length ? special[i] : switch (r.nextInt(4)) {
                case 0 -> r.nextInt();
                case 1 -> 65536 + r.nextInt(1000);
                case 2 -> -r.nextInt(1000);
                default -> r.nextInt(65536);
            };
            boolean valid = port >= 0 && port <= 65535;
            InetSocketAddress a;
            try {
                a = new InetSocketAddress(lo, port);
            } catch (IllegalArgumentException e) {
                o.cases++;
                o.expect(!valid, port, null, "the JDK refused a valid port");
                // the same number as a service name: a lookup must fail, never wrap around
                // the same number as a numeric service: refused, where glibc would keep its low 16 bits
                int p = port;
                Result<Request> res = o.attempt(port, () -> Dns.getaddrinfo(loop, "127.0.0.1", Integer.toString(p),
                        null, 0, 0, Dns.AI_NUMERICHOST | Dns.AI_NUMERICSERV, (list, err) -> wrapped.add(p)));
                o.expect(res.is(IllegalArgumentException.class), port, res, "a numeric service outside 0..65535");
                continue;
            }
            o.expect(valid, port, null, "the JDK accepted an invalid port");
            if (r.nextInt(8) == 0) {
                lookups[0]++;
                int p = port;
                Result<Request> res = o.attempt(port, () -> Dns.getaddrinfo(loop, "127.0.0.1", Integer.toString(p),
                        null, 0, 0, Dns.AI_NUMERICHOST | Dns.AI_NUMERICSERV, (list, err) -> {
                            lookups[0]--;
                            o.expect(err == null && list.stream().allMatch(ai -> ai.address().getPort() == p), p, null,
                                    "numeric service resolved to " + list + " / " + err);
                        }));
                o.expect(res.ok(), port, res, "a numeric service in range");
            }
            if (r.nextInt(4) != 0) {
                continue; // binding every one is not needed: 1 in 4
            }
            Tcp t = new Tcp(loop);
            Result<Void> res = o.run(port, () -> t.bind(a));
            if (res.ok() && port != 0) {
                assertEquals(port, t.localAddress().getPort());
            }
            o.expect(res.ok() || res.error instanceof UvException, port, res, "bind on loopback");
            t.close();
            if (i % 256 == 0) {
                loop.run();
            }
        }
        loop.run();
        assertEquals(0, lookups[0]);
        o.done(CASES);
        assertTrue(wrapped.isEmpty(), "numeric services outside 0..65535 reached getaddrinfo: " + wrapped);
    }

    private final List<Integer> wrapped = new ArrayList<>();

    // ---- 4: host names ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void hostNames(long seed) {
        Random r = new Random(seed ^ 4);
        Outcomes o = new Outcomes("host names", seed);
        int[] pending = new int[1];
        for (int i = 0; i < CASES; i++) {
            String host = switch (r.nextInt(6)) {
                case 0 -> "a".repeat(200 + r.nextInt(100));
                case 1 -> "x".repeat(r.nextInt(20)) + "\0" + "y".repeat(r.nextInt(20));
                case 2 -> pick(r, "", ".", "..", "localhost", "127.0.0.1", "::1", "a.b.c.invalid");
                case 3 -> ("label" + r.nextInt(100) + ".").repeat(1 + r.nextInt(40));
                default -> randomUnicode(r, 1 + r.nextInt(150));
            };
            byte[] utf8 = host.getBytes(StandardCharsets.UTF_8);
            boolean refused = host.indexOf('\0') >= 0 || utf8.length > Dns.MAX_HOST_LENGTH || hasLoneSurrogate(host);
            pending[0]++;
            Result<Request> res = o.attempt(host, () -> Dns.getaddrinfo(loop, host, null, null, 0, 0, Dns.AI_NUMERICHOST,
                    (list, e) -> {
                        pending[0]--;
                        o.expect((list == null) != (e == null), host, null, "list and error both or neither");
                    }));
            if (!res.ok()) {
                pending[0]--;
            }
            if (refused) {
                o.expect(res.is(IllegalArgumentException.class), host, res, "must be refused in Java");
            } else {
                // libuv may refuse a name its IDNA conversion rejects, at once (a UvException)
                o.expect(res.ok() || res.error instanceof UvException, host, res, "a host within the limits reaches libuv");
            }
            if (pending[0] >= 512) {
                loop.run();
            }
        }
        loop.run();
        assertEquals(0, pending[0]);
        o.done(CASES);
    }

    // ---- 5: pipe names ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void pipeNames(long seed) {
        Random r = new Random(seed ^ 5);
        Outcomes o = new Outcomes("pipe names", seed, UnsupportedOperationException.class);
        String base = dir.toString() + "/";
        int[] connects = new int[1];
        for (int i = 0; i < CASES; i++) {
            String name = switch (r.nextInt(8)) {
                case 0 -> "";
                case 1 -> "\0" + "abstract-" + r.nextInt(1000) + "x".repeat(r.nextInt(110));
                case 2 -> base + "p" + i + "\0tail";
                case 3 -> base + "sub-" + r.nextInt(5) + "/p" + i;
                case 4 -> base + randomUnicode(r, 40).replace('/', '_').replace('\0', '_');
                default -> base + "p" + i + "-" + "n".repeat(r.nextInt(120 - base.length() > 0 ? 120 - base.length() : 1));
            };
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            boolean nul = name.indexOf('\0', 1) >= 0 || hasLoneSurrogate(name);
            boolean tooLong = b.length > Pipe.MAX_NAME_BYTES;
            Pipe p = new Pipe(loop);
            Result<Void> res = o.run(name, () -> p.bind(name));
            if (name.isEmpty() || nul || tooLong) {
                o.expect(res.is(IllegalArgumentException.class), name, res, "must be refused in Java");
            } else if (b[0] == 0) {
                o.expect(res.ok() || res.error instanceof UvException || res.is(UnsupportedOperationException.class)
                        && !LibUv.has_uv_pipe_bind2(), name, res, "abstract name");
            } else if (res.ok()) {
                String bound = p.localName();
                o.expect(name.equals(bound), name, res, "bound as " + show(bound) + ": the name given, never another");
            }
            p.close();
            if (i % 16 == 0) {
                Pipe c = new Pipe(loop);
                connects[0]++;
                Result<Void> cr = o.run(name, () -> c.connect(name, (x, e) -> {
                    connects[0]--;
                    x.close();
                }));
                if (!cr.ok()) {
                    connects[0]--;
                    c.close();
                }
            }
            if (i % 256 == 0) {
                loop.run();
            }
        }
        loop.run();
        assertEquals(0, connects[0]);
        o.done(CASES);
    }

    // ---- 6, 7: fs paths as strings (against the JDK) and as raw bytes ----

    /** The libuv error name the JDK's exception stands for, "ok", or "IllegalArgumentException". */
    static String jdkStat(String path) {
        try {
            Files.readAttributes(Path.of(path), BasicFileAttributes.class);
            return "ok";
        } catch (InvalidPathException e) {
            return "IllegalArgumentException";
        } catch (NoSuchFileException e) {
            return "ENOENT"; // JDK 25 reports ENOTDIR as NoSuchFileException as well
        } catch (AccessDeniedException e) {
            return "EACCES";
        } catch (FileSystemException e) {
            String why = String.valueOf(e.getReason());
            return why.contains("too long") ? "ENAMETOOLONG" : why.contains("Not a directory") ? "ENOTDIR"
                    : why.contains("symbolic links") ? "ELOOP" : "other: " + why;
        } catch (IOException e) {
            return "other: " + e;
        }
    }

    /** Whether this JDK reports ENOTDIR as such (17 does) or as NoSuchFileException (25 does). */
    static final boolean JDK_KEEPS_ENOTDIR = jdkKeepsEnotdir();

    private static boolean jdkKeepsEnotdir() {
        try {
            Path f = Files.createTempFile("juv", "");
            try {
                return jdkStat(f + "/x").equals("ENOTDIR");
            } finally {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final boolean UTF8_NAMES = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void fsPathsAgainstTheJdk(long seed) throws IOException {
        Random r = new Random(seed ^ 6);
        Outcomes o = new Outcomes("fs paths", seed);
        Files.writeString(dir.resolve("file"), "x");
        Files.createDirectories(dir.resolve("d/e"));
        Files.createSymbolicLink(dir.resolve("self"), dir.resolve("self"));
        String[] parts = {"file", "d", "e", "..", ".", "self", "missing", "file/x", "", "n".repeat(255), "n".repeat(256)};
        while (o.cases < CASES) {
            StringBuilder b = new StringBuilder(r.nextInt(30) == 0 ? "" : dir.toString());
            int n = r.nextInt(30) == 0 ? 1 + r.nextInt(20) : 1 + r.nextInt(4);
            for (int k = 0; k < n; k++) {
                b.append('/');
                int kind = r.nextInt(12);
                b.append(kind < parts.length ? parts[kind] : randomUnicode(r, 12).replace('\0', 'z'));
            }
            if (r.nextInt(20) == 0) {
                b.append("/").append("L".repeat(4096 + r.nextInt(100)));
            }
            if (r.nextInt(25) == 0) {
                b.insert(r.nextInt(b.length() + 1), '\0');
            }
            String path = b.toString();
            if (path.endsWith("/") || (!UTF8_NAMES && !path.chars().allMatch(c -> c < 0x80))) {
                continue; // the JDK drops a trailing slash, and maps names through sun.jnu.encoding
            }
            Result<Stat> res = o.attempt(path, () -> Fs.stat(path));
            String expected = jdkStat(path);
            String got = res.ok() ? "ok" : res.name().equals("ENOTDIR") && !JDK_KEEPS_ENOTDIR ? "ENOENT" : res.name();
            o.expect(expected.equals(got), path, res, "the JDK says " + expected);
        }
        o.done(CASES);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void fsPathBytes(long seed) throws IOException {
        Random r = new Random(seed ^ 7);
        Outcomes o = new Outcomes("fs path bytes", seed);
        byte[] prefix = (dir.toString() + "/").getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("made"));
        for (int i = 0; i < CASES; i++) {
            int len = switch (r.nextInt(6)) {
                case 0 -> 4096 + r.nextInt(200);
                case 1 -> 256 + r.nextInt(10);
                default -> 1 + r.nextInt(40);
            };
            byte[] tail = new byte[len];
            r.nextBytes(tail);
            for (int k = 0; k < len; k++) {
                if (tail[k] == '/' || tail[k] == '.' || (tail[k] == 0 && r.nextInt(40) != 0)) {
                    tail[k] = (byte) 0xff;
                }
            }
            byte[] path = new byte[prefix.length + len];
            System.arraycopy(prefix, 0, path, 0, prefix.length);
            System.arraycopy(tail, 0, path, prefix.length, len);
            boolean nul = false;
            for (byte x : tail) {
                nul |= x == 0;
            }
            Result<Stat> res = o.attempt(path, () -> Fs.stat(path));
            if (nul) {
                o.expect(res.is(IllegalArgumentException.class), path, res, "a NUL byte must be refused");
            } else if (path.length >= 4096 || len > 255) {
                o.expect("ENAMETOOLONG".equals(res.name()), path, res, "ENAMETOOLONG");
            } else {
                o.expect("ENOENT".equals(res.name()), path, res, "ENOENT");
            }
            if (!nul && len <= 255 && r.nextInt(10) == 0) {
                // create it by its bytes, find it by its bytes, remove it: never another file
                byte[] made = Arrays.copyOf(path, path.length);
                Result<Void> mk = o.run(made, () -> Fs.mkdir(made, 0700));
                o.expect(mk.ok(), made, mk, "mkdir by bytes");
                Fs.stat(made);
                Fs.rmdir(made);
            }
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("made")), s.toList(), "a byte path touched another file");
        }
        o.done(CASES);
    }

    // ---- 8: open flags and modes ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void openFlagsAndModes(long seed) throws IOException {
        Random r = new Random(seed ^ 8);
        Outcomes o = new Outcomes("open flags and modes", seed);
        Path file = dir.resolve("target");
        Files.writeString(file, "content");
        Files.createDirectories(dir.resolve("new"));
        int known = Fs.O_RDONLY | Fs.O_WRONLY | Fs.O_RDWR | Fs.O_CREAT | Fs.O_EXCL | Fs.O_TRUNC | Fs.O_APPEND
                | Fs.O_SYNC | Fs.O_DSYNC | Fs.O_DIRECTORY | Fs.O_NOFOLLOW | Fs.O_NOCTTY | Fs.O_NONBLOCK | Fs.O_CLOEXEC;
        for (int i = 0; i < CASES; i++) {
            int flags = switch (r.nextInt(4)) {
                case 0 -> r.nextInt();
                case 1 -> r.nextInt() & known;
                case 2 -> -1;
                default -> r.nextInt() & (known | Fs.O_DIRECT | Fs.O_NOATIME);
            };
            int mode = r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(010000);
            String path = switch (r.nextInt(3)) {
                case 0 -> file.toString();
                case 1 -> dir.toString();
                default -> dir.resolve("new/f" + i).toString();
            };
            Result<Integer> res = o.attempt(flags + "/" + mode + " " + path, () -> Fs.open(path, flags, mode));
            if (res.ok()) {
                int fd = res.value();
                assertTrue(fd >= 0);
                Fs.close(fd);
            }
        }
        o.done(CASES);
    }

    // ---- 9: offsets and lengths ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void offsetsAndLengths(long seed) throws IOException {
        Random r = new Random(seed ^ 9);
        Outcomes o = new Outcomes("offsets and lengths", seed, IndexOutOfBoundsException.class);
        byte[] content = new byte[4096];
        r.nextBytes(content);
        Path file = dir.resolve("data");
        Files.write(file, content);
        int fd = Fs.open(file.toString(), Fs.O_RDWR, 0);
        Tcp unconnected = new Tcp(loop);
        try {
            for (int i = 0; i < CASES; i++) {
                int length = switch (r.nextInt(8)) {
                    case 0 -> -1 - r.nextInt(100);
                    case 1 -> Integer.MIN_VALUE;
                    case 2 -> r.nextInt(200) == 0 ? Integer.MAX_VALUE : 1 << 20;
                    default -> r.nextInt(5000);
                };
                long offset = switch (r.nextInt(8)) {
                    case 0 -> -1;
                    case 1 -> -2 - r.nextInt(100);
                    case 2 -> Long.MIN_VALUE;
                    case 3 -> Long.MAX_VALUE;
                    case 4 -> content.length + r.nextInt(10_000);
                    default -> r.nextInt(content.length + 1);
                };
                String input = "read length " + length + " offset " + offset;
                Result<byte[]> res = o.attempt(input, () -> Fs.read(fd, length, offset));
                if (length < 0 || offset < -1) {
                    o.expect(res.is(IllegalArgumentException.class), input, res, "must be refused in Java");
                } else if (offset >= 0 && res.ok()) {
                    int from = (int) Math.min(offset, content.length);
                    int to = (int) Math.min((long) from + length, content.length);
                    assertArrayEquals(Arrays.copyOfRange(content, from, to), res.value(), input);
                } else if (offset >= 0) {
                    o.expect(offset > Long.MAX_VALUE / 2 && res.error instanceof UvException, input, res,
                            "a read inside the file must work");
                }
                // a write of part of an array onto a stream: the range is checked before any native call
                byte[] data = new byte[r.nextInt(64)];
                int off = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(80) - 8;
                int len = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(80) - 8;
                String winput = "write " + data.length + " bytes offset " + off + " length " + len;
                Result<Void> w = o.run(winput, () -> unconnected.write(data, off, len, null));
                boolean inRange = off >= 0 && len >= 0 && (long) off + len <= data.length;
                o.expect(inRange ? w.error instanceof UvException : w.is(IllegalArgumentException.class)
                        || w.is(IndexOutOfBoundsException.class), winput, w, inRange ? "EBADF (not connected)"
                        : "a bad range must be refused in Java");
                if (i % 8 == 0) {
                    long newLength = r.nextInt(4) == 0 ? -r.nextInt(1000) - 1 : content.length;
                    Result<Void> t = o.run("ftruncate " + newLength, () -> Fs.ftruncate(fd, newLength));
                    o.expect(newLength < 0 ? t.is(IllegalArgumentException.class) : t.ok(), newLength, t, "ftruncate");
                }
            }
        } finally {
            Fs.close(fd);
            unconnected.close();
            loop.run();
        }
        o.done(CASES);
    }

    // ---- 10: buffer lists ----

    static ByteBuffer randomBuffer(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        ByteBuffer buf = switch (r.nextInt(6)) {
            case 0 -> ByteBuffer.wrap(b);
            case 1 -> ByteBuffer.allocateDirect(size).put(b).flip();
            case 2 -> ByteBuffer.wrap(b).asReadOnlyBuffer();
            case 3 -> ByteBuffer.allocateDirect(size).put(b).flip().asReadOnlyBuffer();
            case 4 -> {
                byte[] wide = new byte[size + 10];
                System.arraycopy(b, 0, wide, 5, size);
                yield ByteBuffer.wrap(wide, 5, size).slice();
            }
            default -> {
                ByteBuffer d = ByteBuffer.allocateDirect(size + 10);
                d.position(5);
                d.put(b);
                d.position(5).limit(5 + size);
                yield d;
            }
        };
        return buf;
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void bufferLists(long seed) throws IOException {
        Random r = new Random(seed ^ 10);
        Outcomes o = new Outcomes("buffer lists", seed);
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Tcp[] peer = new Tcp[1];
        server.listen(1, (s, e) -> {
            peer[0] = new Tcp(loop);
            s.accept(peer[0]);
            s.close();
        });
        Tcp client = new Tcp(loop);
        client.connect(server.localAddress(), (c, e) -> assertEquals(null, e));
        while (peer[0] == null) {
            loop.run(RunMode.ONCE);
        }
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        peer[0].startRead((s, d, e) -> {
            if (d != null) {
                byte[] b = new byte[d.remaining()];
                d.get(b);
                received.write(b, 0, b.length);
            }
        });
        Path file = dir.resolve("lists");
        int fd = Fs.open(file.toString(), Fs.O_RDWR | Fs.O_CREAT | Fs.O_TRUNC, 0600);
        long fileAt = 0;
        int[] writes = new int[1];
        try {
            for (int i = 0; i < CASES; i++) {
                int count = switch (r.nextInt(20)) {
                    case 0 -> 0;
                    case 1 -> 1025 + r.nextInt(1500);
                    default -> 1 + r.nextInt(8);
                };
                ByteBuffer[] list = new ByteBuffer[count];
                for (int k = 0; k < count; k++) {
                    list[k] = randomBuffer(r, r.nextInt(8) == 0 ? 0 : r.nextInt(count > 100 ? 8 : 300));
                }
                boolean hasNull = count > 0 && r.nextInt(30) == 0;
                if (hasNull) {
                    list[r.nextInt(count)] = null;
                }
                int[] positions = new int[count];
                for (int k = 0; k < count; k++) {
                    positions[k] = list[k] == null ? -1 : list[k].position();
                }
                String input = count + " buffers" + (hasNull ? " with a null" : "");
                writes[0]++;
                Result<Void> res = o.run(input, () -> client.write(list, (s, e) -> {
                    writes[0]--;
                    assertEquals(null, e);
                }));
                if (!res.ok()) {
                    writes[0]--;
                }
                if (count == 0) {
                    o.expect(res.is(IllegalArgumentException.class), input, res, "no buffer");
                } else if (hasNull) {
                    o.expect(res.is(NullPointerException.class), input, res, "a null buffer");
                } else {
                    o.expect(res.ok(), input, res, "a list of buffers");
                    for (int k = 0; k < count; k++) {
                        assertEquals(positions[k], list[k].position(), "write moved a buffer's position");
                        ByteBuffer d = list[k].duplicate();
                        byte[] b = new byte[d.remaining()];
                        d.get(b);
                        expected.write(b, 0, b.length);
                    }
                    if (i % 4 == 0) {
                        long at = fileAt;
                        Result<Long> fw = o.attempt(input, () -> Fs.write(fd, list, at));
                        o.expect(fw.ok(), input, fw, "fs write of a list");
                        fileAt += fw.value();
                    }
                }
                if (i % 64 == 0) {
                    loop.run(RunMode.NOWAIT);
                }
            }
            while (writes[0] > 0 || received.size() < expected.size()) {
                loop.run(RunMode.ONCE);
            }
            assertArrayEquals(expected.toByteArray(), received.toByteArray(), "bytes on the wire");
        } finally {
            Fs.close(fd);
            client.close();
            peer[0].close();
            loop.run();
        }
        byte[] written = Files.readAllBytes(file);
        assertEquals(fileAt, written.length);
        o.done(CASES);
    }

    // ---- 11: timeouts ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void timeouts(long seed) {
        Random r = new Random(seed ^ 11);
        Outcomes o = new Outcomes("timeouts", seed);
        Timer t = new Timer(loop);
        FsPoll poll = new FsPoll(loop);
        Tcp tcp = new Tcp(loop);
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        for (int i = 0; i < CASES; i++) {
            long timeout = randomLong(r);
            long repeat = randomLong(r);
            String input = "timeout " + timeout + " repeat " + repeat;
            Result<Void> res = o.run(input, () -> t.start(x -> {}, timeout, repeat));
            o.expect(timeout < 0 || repeat < 0 ? res.is(IllegalArgumentException.class) : res.ok(), input, res,
                    "timer start");
            t.stop();
            Result<Void> rep = o.run(repeat, () -> t.setRepeat(repeat));
            o.expect(repeat < 0 ? rep.is(IllegalArgumentException.class) : rep.ok(), repeat, rep, "setRepeat");
            if (i % 10 == 0) {
                long interval = randomLong(r);
                Result<Void> p = o.run("interval " + interval, () -> poll.start(dir.toString(), interval, (h, a, b, e) -> {}));
                o.expect(interval < 0 || interval > 0xFFFF_FFFFL ? p.is(IllegalArgumentException.class) : p.ok(),
                        interval, p, "fs poll interval");
                poll.stop();
                int delay = (int) timeout;
                boolean enable = r.nextBoolean();
                Result<Void> k = o.run("keepalive " + enable + " " + delay, () -> tcp.setKeepAlive(enable, delay));
                o.expect(delay < 0 || (enable && delay == 0) ? k.is(IllegalArgumentException.class)
                        : k.ok() || k.error instanceof UvException, delay, k, "keep-alive delay");
            }
        }
        t.close();
        poll.close();
        tcp.close();
        loop.run();
        o.done(CASES);
    }

    static long randomLong(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> -1;
            case 1 -> Long.MAX_VALUE;
            case 2 -> Long.MIN_VALUE;
            case 3 -> r.nextLong();
            case 4 -> 0xFFFF_FFFFL + r.nextInt(3) - 1;
            default -> r.nextInt(100_000);
        };
    }

    // ---- 12: signal numbers ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void signalNumbers(long seed) {
        Random r = new Random(seed ^ 12);
        Outcomes o = new Outcomes("signal numbers", seed);
        Set<Integer> reserved = Set.of(Signal.SIGSEGV, Signal.SIGBUS, Signal.SIGFPE, Signal.SIGILL, Signal.SIGQUIT,
                Signal.SIGUSR2, Signal.SIGKILL, Signal.SIGSTOP);
        Signal s = new Signal(loop);
        for (int i = 0; i < CASES; i++) {
            int signum = i < 206 ? i - 5 : r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(300) - 50;
            boolean once = r.nextBoolean();
            Signal target = once ? new Signal(loop) : s;
            Result<Void> res = o.run(signum, () -> {
                if (once) {
                    target.startOneshot((x, n) -> {}, signum);
                } else {
                    target.start((x, n) -> {}, signum);
                }
            });
            if (signum <= 0 || signum >= 128 || reserved.contains(signum)) {
                o.expect(res.is(IllegalArgumentException.class), signum, res, "must be refused in Java");
            } else {
                o.expect(res.ok() || res.error instanceof UvException, signum, res, "a signal number in range");
            }
            if (res.ok()) {
                assertEquals(signum, target.signum());
            }
            target.stop();
            if (once) {
                target.close();
            }
            if (i % 256 == 0) {
                loop.run();
            }
        }
        s.close();
        loop.run();
        o.done(CASES);
    }

    // ---- 13: file descriptors ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void fileDescriptors(long seed) throws IOException {
        Random r = new Random(seed ^ 13);
        Outcomes o = new Outcomes("file descriptors", seed);
        Files.writeString(dir.resolve("f"), "x");
        for (int i = 0; i < CASES; i++) {
            // descriptors this case owns, or that are certainly not open: never one of the JVM's
            int kind = r.nextInt(6);
            int fd;
            boolean owned = false;
            switch (kind) {
                case 0 -> fd = -1 - r.nextInt(Integer.MAX_VALUE);
                case 1 -> fd = 1_000_000 + r.nextInt(1_000_000); // above RLIMIT_NOFILE: never open
                case 2 -> {
                    fd = Fs.open(dir.resolve("f").toString(), Fs.O_RDONLY, 0);
                    Fs.close(fd); // closed: nothing else of this single-threaded test reopens it meanwhile
                }
                case 3 -> {
                    fd = Fs.open(dir.resolve("f").toString(), Fs.O_RDONLY, 0);
                    owned = true;
                }
                case 4 -> {
                    fd = Fs.open(dir.toString(), Fs.O_RDONLY, 0);
                    owned = true;
                }
                default -> {
                    fd = TestLibc.socket(r.nextBoolean() ? TestLibc.AF_INET : TestLibc.AF_INET6,
                            r.nextBoolean() ? TestLibc.SOCK_STREAM : TestLibc.SOCK_DGRAM);
                    owned = true;
                }
            }
            int f = fd;
            int which = r.nextInt(6);
            Handle[] made = new Handle[1];
            boolean[] adopted = new boolean[1];
            Result<Void> res = o.run(kind + ":" + which + " fd " + fd, () -> {
                switch (which) {
                    case 0 -> {
                        Tcp t = new Tcp(loop);
                        made[0] = t;
                        t.open(f);
                        adopted[0] = true;
                    }
                    case 1 -> {
                        Pipe p = new Pipe(loop);
                        made[0] = p;
                        p.open(f);
                        adopted[0] = true;
                    }
                    case 2 -> {
                        Udp u = new Udp(loop);
                        made[0] = u;
                        u.open(f);
                        adopted[0] = true;
                    }
                    case 3 -> {
                        Poll p = new Poll(loop, f);
                        made[0] = p;
                        p.start(Poll.READABLE, (x, ev, e) -> {});
                    }
                    case 4 -> Fs.fstat(f);
                    default -> {
                        Tty t = new Tty(loop, f, true);
                        made[0] = t;
                        adopted[0] = true;
                    }
                }
            });
            if (kind <= 2) {
                o.expect(!res.ok(), f, res, "a descriptor that is not open must fail");
            }
            if (made[0] != null) {
                made[0].close();
            }
            loop.run();
            if (owned && !adopted[0]) {
                TestLibc.close(f);
            }
        }
        o.done(CASES);
    }

    // ---- 14: socket options ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void socketOptions(long seed) {
        Random r = new Random(seed ^ 14);
        Outcomes o = new Outcomes("socket options", seed);
        Udp[] uh = {new Udp(loop)};
        uh[0].bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Tcp t = new Tcp(loop);
        t.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        for (int i = 0; i < CASES; i++) {
            int v = switch (r.nextInt(6)) {
                case 0 -> r.nextInt();
                case 1 -> r.nextInt(3) - 1;
                case 2 -> 256 + r.nextInt(3) - 1;
                case 3 -> Integer.MAX_VALUE;
                default -> r.nextInt(1 << 22);
            };
            Udp u = uh[0];
            Handle h = r.nextBoolean() ? u : t;
            int op = r.nextInt(7);
            String input = op + " " + v;
            Result<Void> res = o.run(input, () -> {
                switch (op) {
                    case 0 -> h.setSendBufferSize(v);
                    case 1 -> h.setRecvBufferSize(v);
                    case 2 -> u.setTtl(v);
                    case 3 -> u.setMulticastTtl(v);
                    case 4 -> u.setMembership(multicastText(r), r.nextInt(3) == 0 ? multicastText(r) : null,
                            r.nextInt(5) == 0 ? v : Udp.JOIN_GROUP);
                    case 5 -> u.setMulticastInterface(r.nextBoolean() ? multicastText(r) : null);
                    default -> u.setBroadcast(r.nextBoolean());
                }
            });
            switch (op) {
                case 0, 1 -> o.expect(v <= 0 ? res.is(IllegalArgumentException.class) : res.ok()
                        || res.error instanceof UvException, input, res, "buffer size");
                case 2 -> o.expect(v < 1 || v > 255 ? res.is(IllegalArgumentException.class) : res.ok(), input, res, "TTL");
                case 3 -> o.expect(v < 0 || v > 255 ? res.is(IllegalArgumentException.class) : res.ok(), input, res,
                        "multicast TTL");
                default -> { }
            }
            if (op == 4 && res.ok()) {
                // joined: leave again, so the kernel's membership list does not grow
                u.close();
                loop.run();
                uh[0] = new Udp(loop);
                uh[0].bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
        }
        uh[0].close();
        t.close();
        loop.run();
        o.done(CASES);
    }

    static String multicastText(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> "239.255." + r.nextInt(256) + "." + r.nextInt(256);
            case 1 -> "1.2.3.4";
            case 2 -> "ff02::" + Integer.toHexString(r.nextInt(65536));
            case 3 -> "127.0.0.1";
            case 4 -> "not an address";
            case 5 -> "239.1.1.1\0";
            default -> randomUnicode(r, 10);
        };
    }

    // ---- 15: process options (fewer cases: each that reaches uv_spawn forks) ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void processOptions(long seed) {
        Random r = new Random(seed ^ 15);
        Outcomes o = new Outcomes("process options", seed);
        int[] exits = new int[1];
        int spawned = 0;
        for (int i = 0; i < SLOW_CASES; i++) {
            List<String> argv = new ArrayList<>();
            argv.add(r.nextInt(10) == 0 ? "true" : dir.resolve("missing-" + r.nextInt(100)).toString());
            int n = r.nextInt(4);
            for (int k = 0; k < n; k++) {
                argv.add(r.nextInt(15) == 0 ? "a\0b" : randomUnicode(r, 8).replace('\0', 'z'));
            }
            Map<String, String> env = new LinkedHashMap<>();
            if (r.nextInt(3) == 0) {
                env.put(r.nextInt(10) == 0 ? pick(r, "", "A=B", "N\0UL") : "K" + r.nextInt(100),
                        r.nextInt(10) == 0 ? "v\0" : randomUnicode(r, 6).replace('\0', 'z'));
            }
            String cwd = switch (r.nextInt(6)) {
                case 0 -> dir.resolve("no-such-dir").toString();
                case 1 -> "bad\0cwd";
                case 2 -> dir.toString();
                default -> null;
            };
            boolean nul = argv.stream().anyMatch(a -> a.indexOf('\0') >= 0 || hasLoneSurrogate(a))
                    || env.entrySet().stream().anyMatch(e -> hasLoneSurrogate(e.getKey() + e.getValue()))
                    || env.entrySet().stream().anyMatch(e -> (e.getKey() + e.getValue()).indexOf('\0') >= 0)
                    || (cwd != null && cwd.indexOf('\0') >= 0);
            boolean badEnvName = env.keySet().stream().anyMatch(k -> k.isEmpty() || k.indexOf('=') >= 0);
            int which = r.nextInt(4);
            int id = switch (r.nextInt(4)) {
                case 0 -> -1;
                case 1 -> r.nextInt();
                case 2 -> 65534;
                default -> 0;
            };
            String input = argv + " env " + env + " cwd " + cwd + " id " + which + ":" + id;
            ChildProcess[] child = new ChildProcess[1];
            Result<Void> res = o.run(input, () -> {
                ProcessOptions p = ProcessOptions.command(argv.toArray(new String[0])).env(env).cwd(cwd);
                if (which == 1) {
                    p.uid(id);
                } else if (which == 2) {
                    p.gid(id);
                }
                child[0] = ChildProcess.spawn(loop, p, (c, st, sig) -> {
                    exits[0]++;
                    c.close();
                });
            });
            if (nul || badEnvName) {
                o.expect(res.is(IllegalArgumentException.class), input, res, "must be refused in Java");
            } else if (res.ok()) {
                spawned++;
                loop.run();
            } else {
                o.expect(res.error instanceof UvException, input, res, "a failed spawn is a UvException");
                assertTrue(loop.handles().isEmpty(), "a failed spawn left a handle");
            }
        }
        loop.run();
        assertEquals(spawned, exits[0], "every child spawned reported its exit once");
        o.done(SLOW_CASES);
    }

    // ---- 16: UDP payload sizes ----

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void udpPayloadSizes(long seed) {
        Random r = new Random(seed ^ 16);
        Outcomes o = new Outcomes("udp payload sizes", seed);
        Udp sink = new Udp(loop);
        sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress to = sink.localAddress();
        Udp u = new Udp(loop);
        u.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int[] pending = new int[1];
        Map<String, Integer> async = new HashMap<>();
        byte[] big = new byte[70_000];
        for (int i = 0; i < CASES; i++) {
            int size = switch (r.nextInt(5)) {
                case 0 -> 65507 + r.nextInt(3) - 1;
                case 1 -> 65508 + r.nextInt(4000);
                case 2 -> 0;
                default -> r.nextInt(2000);
            };
            ByteBuffer data = r.nextBoolean() ? ByteBuffer.wrap(big, 0, size) : ByteBuffer.allocateDirect(size);
            pending[0]++;
            boolean oversized = size > 65507;
            Result<Void> res = o.run(size, () -> u.send(to, data, (x, e) -> {
                pending[0]--;
                async.merge(e == null ? "ok" : e.name(), 1, Integer::sum);
                o.expect(oversized ? e != null && "EMSGSIZE".equals(e.name()) : e == null, size, null,
                        "send callback error " + e);
            }));
            if (!res.ok()) {
                pending[0]--;
            }
            o.expect(res.ok(), size, res,
                    "a send is accepted; an oversized datagram is never queued and its callback gets EMSGSIZE");
            if (r.nextInt(4) == 0) {
                Result<Integer> t = o.attempt(size, () -> u.trySend(to, data));
                o.expect(size > 65507 ? !t.ok() : t.ok() && t.value() == size || "EAGAIN".equals(t.name()), size, t,
                        "trySend");
            }
            if (pending[0] > 256) {
                loop.run(RunMode.NOWAIT);
            }
        }
        while (pending[0] > 0) {
            loop.run(RunMode.ONCE);
        }
        sink.close();
        u.close();
        loop.run();
        System.out.println("udp payload send callbacks: " + async);
        o.done(CASES);
    }
}
