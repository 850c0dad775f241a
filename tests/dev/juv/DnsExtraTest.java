package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dns beyond pyuv: input limits, cancellation, failures in the callback, hints and flags. */
@Timeout(60)
class DnsExtraTest extends UvTestCase {

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
     * Submits {@code n} lookups and cancels them newest first, straight away: the pool runs only a
     * few slow-I/O jobs at a time, so the later ones are still queued. Every callback runs once;
     * exactly those whose cancel() said true get ECANCELED.
     */
    private void submitAndCancel(int n, java.util.function.IntFunction<Request> submit, Integer[] codes) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(submit.apply(i));
        }
        boolean[] cancelled = new boolean[n];
        int yes = 0;
        for (int i = n - 1; i >= 0; i--) {
            cancelled[i] = requests.get(i).cancel();
            if (cancelled[i]) {
                yes++;
            }
        }
        loop.run();
        assertTrue(yes > 0, "no lookup could be cancelled");
        for (int i = 0; i < n; i++) {
            assertNotNull(codes[i], "callback " + i + " did not run");
            assertEquals(cancelled[i], codes[i] == Errno.ECANCELED, "request " + i + " status " + codes[i]);
            assertTrue(codes[i] == 0 || codes[i] == Errno.ECANCELED, "unexpected status " + codes[i]);
            assertTrue(requests.get(i).isDone());
            assertFalse(requests.get(i).cancel(), "a finished request cannot be cancelled");
        }
    }

    @Test
    void cancelGetaddrinfo() {
        int n = 100;
        Integer[] codes = new Integer[n];
        submitAndCancel(n, i -> Dns.getaddrinfo(loop, "localhost", "80", (list, error) -> {
            assertNull(codes[i], "second callback");
            int code = error == null ? 0 : error.code();
            assertEquals(code == 0, list != null);
            codes[i] = code;
        }), codes);
    }

    @Test
    void cancelGetnameinfo() {
        int n = 100;
        Integer[] codes = new Integer[n];
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), 80);
        submitAndCancel(n, i -> Dns.getnameinfo(loop, addr, 0, (host, service, error) -> {
            assertNull(codes[i], "second callback");
            int code = error == null ? 0 : error.code();
            assertEquals(code == 0, host != null);
            codes[i] = code;
        }), codes);
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
    void exceptionInCallbackReachesRun() {
        Dns.getaddrinfo(loop, "127.0.0.1", null, (list, error) -> {
            throw new IllegalStateException("from the callback");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.run());
        assertEquals("from the callback", e.getMessage());
        assertEquals(0, loop.outstandingRequests());
    }
}
