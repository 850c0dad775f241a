package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dns's future forms, with loopback names only. */
@Timeout(60)
@Tag(Tags.DNS)
@Tag(Tags.THREADS)
class DnsFuturesTest extends UvTestCase {
    private static final long WAIT = 10;

    private static int failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof UvException, e.toString());
        return ((UvException) e.getCause()).code();
    }

    private static void lookups(Loop l) throws Exception {
        List<AddressInfo> local = Dns.getaddrinfoAsync(l, "localhost", null).get(WAIT, TimeUnit.SECONDS);
        assertFalse(local.isEmpty());
        assertTrue(local.stream().allMatch(a -> a.address().getAddress().isLoopbackAddress()), local::toString);
        List<AddressInfo> numeric = Dns.getaddrinfoAsync(l, "127.0.0.1", "80", StandardProtocolFamily.INET,
                Dns.SOCK_STREAM, 0, Dns.AI_NUMERICHOST | Dns.AI_NUMERICSERV).get(WAIT, TimeUnit.SECONDS);
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80), numeric.get(0).address());
        // AI_NUMERICHOST keeps the failing lookup off the network
        assertEquals(Errno.EAI_NONAME, failure(Dns.getaddrinfoAsync(l, "localhost", null, null, 0, 0,
                Dns.AI_NUMERICHOST)));
        assertEquals(Errno.EINVAL, failure(Dns.getaddrinfoAsync(l, null, null)));
        Dns.NameInfo names = Dns.getnameinfoAsync(l, new InetSocketAddress("127.0.0.1", 80),
                Dns.NI_NUMERICHOST | Dns.NI_NUMERICSERV).get(WAIT, TimeUnit.SECONDS);
        assertEquals(new Dns.NameInfo("127.0.0.1", "80"), names);
    }

    @Test
    void lookupsFromAPlatformAndAVirtualThread() throws Exception {
        try (Loop l = Loop.start("dns-futures")) {
            lookups(l);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread v = Thread.ofVirtual().start(() -> {
                try {
                    lookups(l);
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            assertTrue(v.join(java.time.Duration.ofSeconds(WAIT * 3)));
            if (failed.get() != null) {
                throw new AssertionError("on a virtual thread", failed.get());
            }
        }
    }

    @Test
    void onAnIdleLoop() throws Exception {
        CompletableFuture<Dns.NameInfo> f = Dns.getnameinfoAsync(loop, new InetSocketAddress("127.0.0.1", 0),
                Dns.NI_NUMERICHOST | Dns.NI_NUMERICSERV);
        assertFalse(f.isDone());
        loop.run();
        assertEquals("127.0.0.1", f.get().host());
    }

    @Test
    void argumentErrorsThrowOnTheCallingThread() {
        assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfoAsync(loop, "a\0b", null));
        assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfoAsync(loop, "localhost", "70000"));
        assertThrows(IllegalArgumentException.class,
                () -> Dns.getnameinfoAsync(loop, InetSocketAddress.createUnresolved("localhost", 1), 0));
        assertThrows(NullPointerException.class, () -> Dns.getaddrinfoAsync(null, "localhost", null));
    }

    @Test
    void cancelAQueuedLookupFromAnotherThread() throws Exception {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        try (Loop l = Loop.start("dns-futures-cancel")) {
            l.submit(() -> {
                l.setExceptionHandler(handled::add);
                return null;
            }).get(WAIT, TimeUnit.SECONDS);
            CompletableFuture<List<AddressInfo>> a;
            CompletableFuture<Dns.NameInfo> n;
            CompletableFuture<Dns.NameInfo> after;
            try (PoolGate _ = l.submit(() -> new PoolGate(l)).get(WAIT, TimeUnit.SECONDS)) {
                a = Dns.getaddrinfoAsync(l, "localhost", null);
                n = Dns.getnameinfoAsync(l, new InetSocketAddress("127.0.0.1", 80), Dns.NI_NUMERICHOST);
                after = Dns.getnameinfoAsync(l, new InetSocketAddress("127.0.0.1", 80), Dns.NI_NUMERICHOST);
                assertTrue(a.cancel(true));
                assertTrue(n.cancel(true));
                // the starts handed to the loop before this have run: a cancel that came first reached them
                l.submit(() -> null).get(WAIT, TimeUnit.SECONDS);
            }
            assertEquals("127.0.0.1", after.get(WAIT, TimeUnit.SECONDS).host());
            assertTrue(a.isCancelled());
            assertTrue(n.isCancelled());
            PoolGate.awaitDrained(l);
        }
        assertEquals(List.of(), handled);
    }
}
