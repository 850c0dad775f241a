package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.Tags;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_dns.py: only names that resolve without a network. */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
@Tag(Tags.DNS)
class DnsTest extends UvTestCase {

    /** Probed once, before any test's fd baseline: the JDK keeps descriptors it opens for IPv6. */
    static final boolean IPV6 = ipv6Loopback();

    @SuppressWarnings("try") // the socket is opened only to see whether ::1 can be bound
    private static boolean ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void getaddrinfoAsync() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<List<AddressInfo>> result = new AtomicReference<>();
        Dns.getaddrinfo(loop, "localhost", "80", StandardProtocolFamily.INET, 0, 0, 0, (list, error) -> {
            calls.incrementAndGet();
            assertNull(error);
            result.set(list);
        });
        loop.run();
        assertEquals(1, calls.get());
        assertFalse(result.get().isEmpty());
        for (AddressInfo ai : result.get()) {
            assertEquals(StandardProtocolFamily.INET, ai.family());
            assertEquals(80, ai.address().getPort());
        }
    }

    @Test
    void getaddrinfoSync() {
        List<AddressInfo> list = Dns.getaddrinfo("localhost", "80", StandardProtocolFamily.INET, 0, 0, 0);
        assertFalse(list.isEmpty());
        assertFalse(loop.run(), "the loop has nothing to do");
    }

    @Test
    void getaddrinfoSyncUnknownHostThrows() {
        assertThrows(UvException.class, () -> Dns.getaddrinfo("juv-test.invalid", null));
    }

    @Test
    void getaddrinfoWithoutService() {
        AtomicReference<List<AddressInfo>> result = new AtomicReference<>();
        Dns.getaddrinfo(loop, "localhost", null, (list, error) -> {
            assertNull(error);
            result.set(list);
        });
        loop.run();
        assertFalse(result.get().isEmpty());
        assertEquals(0, result.get().get(0).address().getPort());
    }

    @Test
    void getaddrinfoNamedService() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/etc/services"))
                && Files.readString(Path.of("/etc/services")).matches("(?s).*\\bhttp\\s+80/tcp.*"),
                "no services database with http on this system");
        AtomicReference<List<AddressInfo>> result = new AtomicReference<>();
        Dns.getaddrinfo(loop, "localhost", "http", (list, error) -> {
            assertNull(error);
            result.set(list);
        });
        loop.run();
        assertFalse(result.get().isEmpty());
        assertEquals(80, result.get().get(0).address().getPort());
    }

    @Test
    void getnameinfoIpv4() {
        AtomicInteger calls = new AtomicInteger();
        Dns.getnameinfo(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), 0, (host, service, error) -> {
            calls.incrementAndGet();
            assertNull(error);
            assertNotNull(host);
            assertNotNull(service);
        });
        loop.run();
        assertEquals(1, calls.get());
    }

    @Test
    void getnameinfoIpv6() throws IOException {
        assumeTrue(IPV6, "IPv6 loopback ::1 is not available");
        AtomicInteger calls = new AtomicInteger();
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName("::1"), 80);
        Dns.getnameinfo(loop, addr, 0, (host, service, error) -> {
            calls.incrementAndGet();
            assertNull(error);
            assertNotNull(host);
            assertNotNull(service);
        });
        loop.run();
        assertEquals(1, calls.get());
    }

    @Test
    void getnameinfoSync() {
        Dns.NameInfo info = Dns.getnameinfo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), 0);
        assertNotNull(info.host());
        assertNotNull(info.service());
        assertTrue(!info.host().isEmpty() && !info.service().isEmpty());
    }
}
