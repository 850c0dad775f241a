package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.ChildIo;
import dev.juv.support.Tags;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dns beyond pyuv's test_dns.py (that port is {@link DnsTest}): juv's own contract for lookups,
 * input limits refused before libuv, cancellation, failures in the callback, hints and flags,
 * many lookups at once, agreement with the JDK's resolver.
 */
@Timeout(60)
@Tag(Tags.THREADS)
@Tag(Tags.DNS)
class DnsContractTest extends UvTestCase {
    static {
        ChildIo.takeLazyDescriptors();
    }

    /** A name in the reserved .invalid domain of exactly {@code bytes} bytes, labels of at most 63. */
    private static String invalidName(int bytes) {
        String suffix = ".invalid";
        StringBuilder sb = new StringBuilder();
        while (sb.length() < bytes - suffix.length()) {
            if (sb.length() > 0 && sb.length() % 60 == 59) {
                sb.append('.');
            } else {
                sb.append('a');
            }
        }
        if (sb.charAt(sb.length() - 1) == '.') {
            sb.setCharAt(sb.length() - 1, 'b');
        }
        return sb + suffix;
    }

    @Test
    void hostOver253BytesIsRefusedBeforeLibuv() {
        String longName = invalidName(254);
        assertEquals(254, longName.length());
        assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfo(loop, longName, null, (l, e) -> {}));
        assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfo(longName, "80"));
        // multi-byte characters count in UTF-8 bytes
        String wide = "é".repeat(127);
        assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfo(wide, null));
        assertEquals(0, loop.outstandingRequests());
    }

    @Test
    void host253BytesReachesLibuv() {
        String name = invalidName(253);
        assertEquals(253, name.length());
        AtomicReference<UvException> err = new AtomicReference<>();
        Dns.getaddrinfo(loop, name, null, (list, error) -> {
            assertNull(list);
            err.set(error);
        });
        loop.run();
        assertNotNull(err.get());
    }

    @Test
    void nulInHostOrServiceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfo(loop, "local\0host", null, (l, e) -> {}));
        assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfo(loop, "localhost", "8\0", (l, e) -> {}));
        assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfo("localhost\0.evil", null));
    }

    @Test
    void nullArgumentsAndBadFamily() {
        assertThrows(NullPointerException.class, () -> Dns.getaddrinfo(loop, "localhost", null, null));
        assertThrows(NullPointerException.class, () -> Dns.getnameinfo(loop, null, 0, (h, s, e) -> {}));
        assertThrows(IllegalArgumentException.class,
                () -> Dns.getaddrinfo("localhost", null, StandardProtocolFamily.UNIX, 0, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Dns.getnameinfo(InetSocketAddress.createUnresolved("localhost", 80), 0));
        // no host and no service: libuv says EINVAL at once
        UvException e = assertThrows(UvException.class, () -> Dns.getaddrinfo(loop, null, null, (l, x) -> {}));
        assertEquals(Errno.EINVAL, e.code());
    }

    @Test
    void invalidNameFailsInTheCallback() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<UvException> err = new AtomicReference<>();
        Dns.getaddrinfo(loop, "juv-test.invalid", "80", (list, error) -> {
            calls.incrementAndGet();
            assertNull(list);
            err.set(error);
        });
        loop.run();
        assertEquals(1, calls.get());
        assertNotNull(err.get());
        Set<Integer> expected = Set.of(Errno.EAI_NONAME, Errno.EAI_NODATA, Errno.EAI_AGAIN, Errno.EAI_FAIL);
        assertTrue(expected.contains(err.get().code()), "unexpected error " + err.get());
        assertTrue(err.get().getMessage().contains("juv-test.invalid"), err.get().getMessage());
    }

    @Test
    void syncFailureCarriesNameAndCode() {
        UvException e = assertThrows(UvException.class, () -> Dns.getaddrinfo("juv-test.invalid", null));
        assertTrue(e.name().startsWith("EAI_"), e.name());
        assertTrue(e.getStackTrace().length > 0, "a sync failure has its caller's stack trace");
    }

    /**
     * Holds every thread of juv's pool (where lookups run) inside a blocking read(2) of a socket
     * whose other end a silent child ({@code sleep}) holds, so that a request submitted meanwhile
     * stays queued and can be cancelled.
     * {@link #release} kills the child: every read then ends at EOF, and the loop must run
     * until all of them have reported.
     */
    private final class PoolBlocker {
        private final Pipe pipe = new Pipe(loop);
        private final ChildProcess child;
        private final AtomicInteger pending = new AtomicInteger();

        PoolBlocker() {
            child = ChildProcess.spawn(loop, ProcessOptions.command("sleep", "30")
                    .stdio(Stdio.ignore(), Stdio.pipe(pipe, Stdio.WRITABLE)), (p, st, sig) -> p.close());
            pipe.setBlocking(true);
            int fd = pipe.fileno();
            int count = poolSize() + 4;
            // reads that block juv's pool (where lookups run too) until the child is killed
            for (int i = 0; i < count; i++) {
                pending.incrementAndGet();
                Fs.read(loop, fd, 16, -1, (bytes, error) -> {
                    if (pending.decrementAndGet() == 0) {
                        pipe.close();
                    }
                });
            }
        }

        /** Lets every blocked read return. */
        void release() {
            child.kill(Signal.SIGKILL);
        }

        /** After the loop has run: every read has reported. */
        void finish() {
            assertEquals(0, pending.get(), "blocked reads still pending");
        }
    }

    private static int poolSize() {
        String env = System.getenv("UV_THREADPOOL_SIZE");
        int n = 4;
        if (env != null) {
            try {
                n = Integer.parseInt(env.trim());
            } catch (NumberFormatException ignored) {
                // libuv falls back to its default as well
            }
        }
        return Math.max(1, Math.min(n, 1024));
    }

    @Test
    void cancelGetaddrinfo() {
        PoolBlocker blocker = new PoolBlocker();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<UvException> err = new AtomicReference<>();
        Request r = Dns.getaddrinfo(loop, "localhost", "80", (list, error) -> {
            calls.incrementAndGet();
            assertNull(list);
            err.set(error);
        });
        assertTrue(r.cancel(), "a queued lookup can be cancelled");
        assertFalse(r.cancel(), "cancelling twice");
        blocker.release();
        loop.run();
        blocker.finish();
        assertEquals(1, calls.get());
        assertEquals(Errno.ECANCELED, err.get().code());
        assertTrue(r.isDone());
        assertFalse(r.cancel(), "a finished request cannot be cancelled");
    }

    @Test
    void cancelGetnameinfo() {
        PoolBlocker blocker = new PoolBlocker();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<UvException> err = new AtomicReference<>();
        Request r = Dns.getnameinfo(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), 0,
                (host, service, error) -> {
                    calls.incrementAndGet();
                    assertNull(host);
                    assertNull(service);
                    err.set(error);
                });
        assertTrue(r.cancel());
        blocker.release();
        loop.run();
        blocker.finish();
        assertEquals(1, calls.get());
        assertEquals(Errno.ECANCELED, err.get().code());
    }

    @Test
    void cancelSomeOfManyLookups() {
        int n = 200;
        Integer[] codes = new Integer[n];
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            requests.add(Dns.getaddrinfo(loop, "localhost", null, (list, error) -> {
                assertNull(codes[k], "second callback");
                int code = error == null ? 0 : error.code();
                assertEquals(code == 0, list != null);
                codes[k] = code;
            }));
        }
        boolean[] cancelled = new boolean[n];
        for (int i = n - 1; i >= 0; i--) {
            cancelled[i] = requests.get(i).cancel();
        }
        loop.run();
        for (int i = 0; i < n; i++) {
            assertNotNull(codes[i], "callback " + i + " did not run");
            assertEquals(cancelled[i], codes[i] == Errno.ECANCELED, "request " + i + " status " + codes[i]);
            assertTrue(codes[i] == 0 || codes[i] == Errno.ECANCELED, "unexpected status " + codes[i]);
        }
    }

    @Test
    void numericHostAndHints() {
        List<AddressInfo> list = Dns.getaddrinfo("127.0.0.1", "8080", null, Dns.SOCK_STREAM, 0,
                Dns.AI_NUMERICHOST | Dns.AI_NUMERICSERV);
        assertEquals(1, list.size());
        AddressInfo ai = list.get(0);
        assertEquals(StandardProtocolFamily.INET, ai.family());
        assertEquals(Dns.SOCK_STREAM, ai.socktype());
        assertEquals(Dns.IPPROTO_TCP, ai.protocol());
        assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), ai.address());

        List<AddressInfo> udp = Dns.getaddrinfo("127.0.0.1", "53", null, Dns.SOCK_DGRAM, 0, Dns.AI_NUMERICHOST);
        assertEquals(1, udp.size());
        assertEquals(Dns.IPPROTO_UDP, udp.get(0).protocol());

        UvException notNumeric = assertThrows(UvException.class,
                () -> Dns.getaddrinfo("localhost", null, null, 0, 0, Dns.AI_NUMERICHOST));
        assertEquals(Errno.EAI_NONAME, notNumeric.code());
    }

    @Test
    void ipv6NumericHost() {
        List<AddressInfo> list = Dns.getaddrinfo("::1", "443", StandardProtocolFamily.INET6, Dns.SOCK_STREAM, 0,
                Dns.AI_NUMERICHOST);
        assertEquals(1, list.size());
        assertEquals(StandardProtocolFamily.INET6, list.get(0).family());
        assertTrue(list.get(0).address().getAddress().isLoopbackAddress());
        assertEquals(443, list.get(0).address().getPort());
    }

    @Test
    void canonicalNameOnRequest() {
        List<AddressInfo> list = Dns.getaddrinfo("localhost", null, StandardProtocolFamily.INET, Dns.SOCK_STREAM, 0,
                Dns.AI_CANONNAME);
        assertNotNull(list.get(0).canonicalName());
        List<AddressInfo> plain = Dns.getaddrinfo("localhost", null, StandardProtocolFamily.INET, Dns.SOCK_STREAM, 0, 0);
        assertNull(plain.get(0).canonicalName());
    }

    @Test
    void localhostAgreesWithTheJdk() throws Exception {
        Set<InetAddress> jdk = Set.of(InetAddress.getAllByName("localhost"));
        List<AddressInfo> list = Dns.getaddrinfo("localhost", null, null, Dns.SOCK_STREAM, 0, 0);
        for (AddressInfo ai : list) {
            assertTrue(jdk.contains(ai.address().getAddress()), ai + " not in " + jdk);
        }
    }

    @Test
    void numericNameinfoFlags() {
        Dns.NameInfo info = Dns.getnameinfo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80),
                Dns.NI_NUMERICHOST | Dns.NI_NUMERICSERV);
        assertEquals("127.0.0.1", info.host());
        assertEquals("80", info.service());
    }

    @Test
    void manyConcurrentLookups() {
        int n = 1000;
        AtomicInteger ok = new AtomicInteger();
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int port = 1000 + i;
            requests.add(Dns.getaddrinfo(loop, "127.0.0.1", Integer.toString(port), null, Dns.SOCK_STREAM, 0,
                    Dns.AI_NUMERICHOST, (list, error) -> {
                        assertNull(error);
                        assertEquals(port, list.get(0).address().getPort());
                        ok.incrementAndGet();
                    }));
        }
        assertEquals(n, loop.outstandingRequests());
        loop.run();
        assertEquals(n, ok.get());
        assertTrue(requests.stream().allMatch(Request::isDone));
    }

    @Test
    void syncLookupInsideACallback() {
        AtomicReference<List<AddressInfo>> result = new AtomicReference<>();
        AtomicReference<Dns.NameInfo> name = new AtomicReference<>();
        Timer t = new Timer(loop);
        t.start(timer -> {
            result.set(Dns.getaddrinfo("127.0.0.1", "80", null, Dns.SOCK_STREAM, 0, Dns.AI_NUMERICHOST));
            name.set(Dns.getnameinfo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80),
                    Dns.NI_NUMERICHOST | Dns.NI_NUMERICSERV));
            timer.close();
        }, 1, 0);
        loop.run();
        assertEquals(1, result.get().size());
        assertEquals("80", name.get().service());
    }

    @Test
    void syncLookupCost() {
        int n = 2000;
        for (int i = 0; i < 200; i++) {
            Dns.getaddrinfo("127.0.0.1", "80", null, 0, 0, Dns.AI_NUMERICHOST);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Dns.getaddrinfo("127.0.0.1", "80", null, 0, 0, Dns.AI_NUMERICHOST);
        }
        long sync = (System.nanoTime() - t0) / n;
        AtomicInteger left = new AtomicInteger(n);
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Dns.getaddrinfo(loop, "127.0.0.1", "80", null, 0, 0, Dns.AI_NUMERICHOST, (l, e) -> left.decrementAndGet());
        }
        loop.run();
        long async = (System.nanoTime() - t1) / n;
        assertEquals(0, left.get());
        System.out.println("numeric getaddrinfo: sync " + sync / 1000 + " us/call, async " + async / 1000
                + " us/call amortised over " + n + " in flight");
    }

    /** A random host-like string: ASCII, other code points, sometimes a NUL, sometimes long. */
    static String randomHost(java.util.Random rnd) {
        int len = rnd.nextInt(10) == 0 ? 240 + rnd.nextInt(40) : rnd.nextInt(30);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int kind = rnd.nextInt(20);
            if (kind == 0) {
                sb.append('\0');
            } else if (kind < 3) {
                int cp;
                do {
                    cp = 0x80 + rnd.nextInt(0x10FFFF - 0x80);
                } while (cp >= 0xD800 && cp <= 0xDFFF);
                sb.appendCodePoint(cp);
            } else {
                sb.append("0123456789abcdef.:-x%[]"
                        .charAt(rnd.nextInt(23)));
            }
        }
        return sb.toString();
    }

    @Test
    void randomHostsAreRefusedOrAnsweredNeverCrash() {
        java.util.Random rnd = new java.util.Random(24806);
        int refused = 0;
        int answered = 0;
        int failed = 0;
        for (int i = 0; i < 3000; i++) {
            String host = randomHost(rnd);
            boolean bad = host.indexOf('\0') >= 0
                    || host.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Dns.MAX_HOST_LENGTH;
            try {
                List<AddressInfo> list = Dns.getaddrinfo(host, null, null, 0, 0, Dns.AI_NUMERICHOST);
                assertFalse(bad, "accepted " + host);
                assertFalse(list.isEmpty());
                answered++;
            } catch (IllegalArgumentException e) {
                assertTrue(bad, "refused " + host + ": " + e.getMessage());
                refused++;
            } catch (UvException e) {
                assertFalse(bad, "reached libuv: " + host);
                failed++;
            }
        }
        assertTrue(refused > 0 && failed > 0, refused + " refused, " + failed + " failed, " + answered + " answered");
    }

    @Test
    void exceptionInCallbackReachesRun() {
        Dns.getaddrinfo(loop, "127.0.0.1", null, (list, error) -> {
            throw new IllegalStateException("from the callback");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.run());
        assertEquals("from the callback", e.getMessage());
        assertEquals(0, loop.outstandingRequests());
    }
}
