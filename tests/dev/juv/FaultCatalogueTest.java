package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.CleanupGate;
import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault catalogue of the README's Reliability table (R-F): each fault provoked 100 times, with one counter per
 * request proving that its error arrives exactly once and only in the callback it belongs to.
 */
@Timeout(60)
@ExtendWith(CleanupGate.class)
@Tag(Tags.VOLUME)
class FaultCatalogueTest extends UvTestCase {
    static final int REPEATS = 100;
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    /** Per-request callback counters: how often each callback ran and the errors it was given. */
    static final class Tally {
        final String what;
        final int[] calls;
        final UvException[] errors;

        Tally(String what, int n) {
            this.what = what;
            calls = new int[n];
            errors = new UvException[n];
        }

        void record(int id, UvException error) {
            calls[id]++;
            if (error != null) {
                errors[id] = error;
            }
        }

        /** Every request called back exactly once, with an error the predicate accepts. */
        void assertEachOnce(Predicate<UvException> ok) {
            for (int i = 0; i < calls.length; i++) {
                assertEquals(1, calls[i], what + " #" + i + " called back " + calls[i] + " times");
                assertTrue(ok.test(errors[i]), what + " #" + i + " got " + errors[i]);
            }
        }

        /** Every request called back exactly once, with an error named one of {@code names}. */
        void assertEachOnceWith(String... names) {
            Set<String> allowed = Set.of(names);
            assertEachOnce(e -> e != null && allowed.contains(e.name()));
        }

        /** How many requests received an error of each name. */
        TreeMap<String, Integer> histogram() {
            TreeMap<String, Integer> h = new TreeMap<>();
            for (UvException e : errors) {
                h.merge(e == null ? "ok" : e.name(), 1, Integer::sum);
            }
            return h;
        }
    }

    private InetSocketAddress any() {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    /** A listening server that keeps every accepted connection, handing each to {@code onAccept}. */
    private Tcp server(List<Tcp> accepted, java.util.function.Consumer<Tcp> onAccept) {
        Tcp server = new Tcp(loop);
        server.bind(any());
        server.listen(1024, (s, error) -> {
            assertEquals(null, error);
            Tcp c = new Tcp(loop);
            s.accept(c);
            accepted.add(c);
            onAccept.accept(c);
        });
        return server;
    }

    /** Runs the loop until {@code done} holds; fails after {@code timeoutMs}. */
    static void runUntil(Loop loop, java.util.function.BooleanSupplier done, long timeoutMs) {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        Timer tick = new Timer(loop);
        tick.start(t -> {}, 5, 5);
        tick.unref();
        try {
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("condition not reached in " + timeoutMs + " ms");
                }
                tick.ref();
                loop.run(RunMode.ONCE);
                tick.unref();
            }
        } finally {
            tick.close();
            loop.run(RunMode.NOWAIT);
        }
    }

    private static void closeAll(List<? extends Handle> handles) {
        for (Handle h : handles) {
            h.close();
        }
    }

    // ---- F1: connect refused ----

    @Test
    void f1ConnectRefused() {
        // a bound socket that never listens: the port stays ours, and every SYN is refused
        Tcp bound = new Tcp(loop);
        bound.bind(any());
        InetSocketAddress target = bound.localAddress();
        Tally connects = new Tally("connect", REPEATS);
        List<Tcp> clients = new ArrayList<>();
        for (int i = 0; i < REPEATS; i++) {
            int id = i;
            Tcp c = new Tcp(loop);
            clients.add(c);
            c.connect(target, (t, error) -> {
                connects.record(id, error);
                t.close();
            });
        }
        loop.run();
        bound.close();
        loop.run();
        connects.assertEachOnceWith("ECONNREFUSED");
        assertTrue(clients.stream().allMatch(Handle::isClosed));
    }

    // ---- F2: peer reset in the middle of a read ----

    @Test
    void f2PeerResetMidRead() {
        List<Tcp> accepted = new ArrayList<>();
        byte[] chunk = new byte[1000];
        // the server sends a chunk, and resets the connection once the client acknowledges it
        Tcp server = server(accepted, c -> {
            c.write(chunk);
            c.startRead((s, d, e) -> {
                if (!s.isClosing()) {
                    s.closeReset(null);
                }
            });
        });
        InetSocketAddress target = server.localAddress();
        Tally ends = new Tally("read end", REPEATS);
        long[] bytes = new long[REPEATS];
        Tally connects = new Tally("connect", REPEATS);
        for (int i = 0; i < REPEATS; i++) {
            int id = i;
            Tcp c = new Tcp(loop);
            c.connect(target, (t, error) -> {
                connects.record(id, error);
                t.startRead((s, data, e) -> {
                    if (data != null) {
                        if (bytes[id] == 0) {
                            s.write(new byte[] {1});
                        }
                        bytes[id] += data.remaining();
                        return;
                    }
                    ends.record(id, e);
                    s.close();
                    if (ends.histogram().values().stream().mapToInt(Integer::intValue).sum() == REPEATS) {
                        server.close();
                    }
                });
            });
        }
        loop.run();
        connects.assertEachOnce(e -> e == null);
        ends.assertEachOnceWith("ECONNRESET", "EOF");
        assertTrue(ends.histogram().containsKey("ECONNRESET"), "no read saw the reset: " + ends.histogram());
        assertTrue(Arrays.stream(bytes).allMatch(b -> b <= chunk.length));
    }

    // ---- F3: writing to a peer that closed: EPIPE / ECONNRESET, no SIGPIPE ----

    @Test
    void f3WriteToAClosedPeer() {
        List<Tcp> accepted = new ArrayList<>();
        Tcp server = server(accepted, Handle::close);
        InetSocketAddress target = server.localAddress();
        int perClient = 64;
        Tally writes = new Tally("write", REPEATS * perClient);
        int[] refusedAtOnce = new int[1];
        int[] finished = new int[1];
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < REPEATS; i++) {
            int base = i * perClient;
            Tcp c = new Tcp(loop);
            c.connect(target, (t, error) -> {
                assertEquals(null, error);
                // the peer closes at once; keep writing one block at a time until the error
                writeNext(t, base, 0, perClient, block, writes, refusedAtOnce, () -> {
                    t.close();
                    if (++finished[0] == REPEATS) {
                        server.close();
                    }
                });
            });
        }
        loop.run();
        assertEquals(REPEATS, finished[0]);
        // every write submitted was called back once; the first failure is EPIPE or ECONNRESET, later
        // ones (queued behind it) ECANCELED or the same error; a write never submitted is not counted
        int failed = 0;
        for (int i = 0; i < writes.calls.length; i++) {
            assertTrue(writes.calls[i] <= 1, "write #" + i + " called back " + writes.calls[i] + " times");
            if (writes.errors[i] != null) {
                failed++;
                assertTrue(Set.of("EPIPE", "ECONNRESET", "ECANCELED").contains(writes.errors[i].name()),
                        writes.errors[i].toString());
            }
        }
        assertTrue(failed + refusedAtOnce[0] >= REPEATS, "each client saw its failure: " + writes.histogram());
    }

    private static void writeNext(Tcp t, int base, int n, int max, byte[] block, Tally writes, int[] refusedAtOnce,
            Runnable done) {
        if (n == max) {
            done.run();
            return;
        }
        int id = base + n;
        try {
            t.write(block, (s, e) -> {
                writes.record(id, e);
                if (e != null) {
                    done.run();
                } else {
                    writeNext(t, base, n + 1, max, block, writes, refusedAtOnce, done);
                }
            });
        } catch (UvException e) {
            assertTrue(Set.of("EPIPE", "ECONNRESET", "EBADF").contains(e.name()), e.toString());
            refusedAtOnce[0]++;
            writes.calls[id] = 1; // refused at once: the failure is the exception, never a callback
            done.run();
        }
    }

    // ---- F4: a connect that never completes (a full backlog), cancelled by close ----

    @Test
    void f4ConnectToAFullBacklogIsCancelledByClose() {
        int fd = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
        try {
            TestLibc.bind(fd, any());
            TestLibc.listen(fd, 0);
            InetSocketAddress target = TestLibc.getsockname(fd);
            // fill the accept queue: these complete (the kernel accepts up to backlog + 1)
            List<Tcp> fillers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Tcp f = new Tcp(loop);
                fillers.add(f);
                f.connect(target, (t, e) -> {});
            }
            Timer settle = new Timer(loop);
            settle.start(Handle::close, 200, 0);
            runUntil(loop, settle::isClosed, 10_000);
            Tally connects = new Tally("connect", REPEATS);
            List<Tcp> probes = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                int id = i;
                Tcp c = new Tcp(loop);
                probes.add(c);
                c.connect(target, (t, error) -> connects.record(id, error));
            }
            Timer deadline = new Timer(loop);
            deadline.start(t -> {
                t.close();
                closeAll(probes);
                closeAll(fillers);
            }, 300, 0);
            loop.run();
            connects.assertEachOnce(e -> e == null || e.name().equals("ECANCELED"));
            assumeTrue(connects.histogram().containsKey("ECANCELED"),
                    "the kernel completed every connect to the full backlog: " + connects.histogram());
        } finally {
            TestLibc.close(fd);
        }
    }

    // ---- F5: end of stream in the middle of a message ----

    @Test
    void f5EofMidMessage() {
        List<Tcp> accepted = new ArrayList<>();
        byte[] half = new byte[7]; // a 14-byte message cut in half
        Arrays.fill(half, (byte) 'h');
        Tcp server = server(accepted, c -> c.write(half, (s, e) -> s.shutdown((x, e2) -> x.close())));
        InetSocketAddress target = server.localAddress();
        Tally ends = new Tally("read end", REPEATS);
        int[] got = new int[REPEATS];
        int[] done = new int[1];
        for (int i = 0; i < REPEATS; i++) {
            int id = i;
            Tcp c = new Tcp(loop);
            c.connect(target, (t, error) -> t.startRead((s, data, e) -> {
                if (data != null) {
                    assertEquals(0, ends.calls[id], "data after the end");
                    got[id] += data.remaining();
                    return;
                }
                ends.record(id, e);
                s.close();
                if (++done[0] == REPEATS) {
                    server.close();
                }
            }));
        }
        loop.run();
        ends.assertEachOnceWith("EOF");
        for (int g : got) {
            assertEquals(half.length, g);
        }
    }

    // ---- F6: shutdown twice, and after close ----

    @Test
    void f6ShutdownTwiceAndAfterClose() {
        List<Tcp> accepted = new ArrayList<>();
        Tcp server = server(accepted, c -> c.startRead((s, d, e) -> {
            if (d == null) {
                s.close();
            }
        }));
        InetSocketAddress target = server.localAddress();
        Tally first = new Tally("first shutdown", REPEATS);
        Tally cancelled = new Tally("shutdown then close", REPEATS);
        int[] second = new int[1];
        int[] afterClose = new int[1];
        int[] done = new int[1];
        Runnable finish = () -> {
            if (++done[0] == 2 * REPEATS) {
                server.close();
            }
        };
        for (int i = 0; i < REPEATS; i++) {
            int id = i;
            Tcp a = new Tcp(loop);
            a.connect(target, (t, error) -> {
                t.shutdown((s, e) -> {
                    first.record(id, e);
                    s.close();
                    s.shutdown(null); // a race, not misuse: dropped without a callback
                    afterClose[0]++;
                    finish.run();
                });
                UvException again = assertThrows(UvException.class, () -> t.shutdown((s, e) -> second[0]++));
                assertEquals("ENOTCONN", again.name());
            });
            Tcp b = new Tcp(loop);
            b.connect(target, (t, error) -> {
                t.shutdown((s, e) -> {
                    cancelled.record(id, e);
                    finish.run();
                });
                t.close();
            });
        }
        loop.run();
        first.assertEachOnce(e -> e == null);
        cancelled.assertEachOnceWith("ECANCELED");
        assertEquals(0, second[0], "a refused shutdown was called back");
        assertEquals(REPEATS, afterClose[0]);
    }

    // ---- F7: spawning a program that does not exist ----

    @Test
    void f7SpawnEnoent() {
        int[] exits = new int[1];
        Tally spawns = new Tally("spawn", REPEATS);
        for (int i = 0; i < REPEATS; i++) {
            String missing = dir.resolve("no-such-program-" + i).toString();
            UvException e = assertThrows(UvException.class, () -> ChildProcess.spawn(loop,
                    ProcessOptions.command(missing, "arg"), (p, st, sig) -> exits[0]++));
            spawns.record(i, e);
            assertTrue(loop.handles().isEmpty(), "a failed spawn left a handle open");
        }
        loop.run();
        spawns.assertEachOnceWith("ENOENT");
        assertEquals(0, exits[0], "a failed spawn reported an exit");
    }

    // ---- F8: a name that does not exist, and cancelled lookups ----

    @Test
    void f8GetaddrinfoNonameAndCancelled() throws Exception {
        // x100 without the network: AI_NUMERICHOST makes the name fail in getaddrinfo itself
        Tally lookups = new Tally("getaddrinfo", REPEATS);
        for (int i = 0; i < REPEATS; i++) {
            int id = i;
            Dns.getaddrinfo(loop, "juv-fault-" + i + ".invalid", null, null, 0, 0, Dns.AI_NUMERICHOST, (list, e) -> {
                assertEquals(null, list);
                lookups.record(id, e);
            });
        }
        loop.run();
        lookups.assertEachOnceWith("EAI_NONAME");
        // a few through the resolver (this machine's answers ~10 a second): EAI_NONAME, or
        // EAI_AGAIN from a resolver that cannot be reached
        Tally resolved = new Tally("getaddrinfo via the resolver", 8);
        for (int i = 0; i < 8; i++) {
            int id = i;
            Dns.getaddrinfo(loop, "juv-fault-" + i + ".invalid", null, StandardProtocolFamily.INET, Dns.SOCK_STREAM, 0, 0,
                    (list, e) -> resolved.record(id, e));
        }
        loop.run();
        resolved.assertEachOnce(e -> e != null && e.name().startsWith("EAI_"));

        // every pool thread blocked in a read of a FIFO, so lookups stay queued and can be cancelled
        Path fifo = dir.resolve("fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo here");
        int fd = Fs.open(fifo.toString(), Fs.O_RDWR, 0);
        try {
            int blockers = 128 + 4; // more than any UV_THREADPOOL_SIZE this suite runs with
            int[] released = new int[1];
            for (int i = 0; i < blockers; i++) {
                Fs.read(loop, fd, 1, -1, (b, e) -> released[0]++);
            }
            Tally cancelled = new Tally("cancelled getaddrinfo", REPEATS);
            boolean[] yes = new boolean[REPEATS];
            for (int i = 0; i < REPEATS; i++) {
                int id = i;
                Request r = Dns.getaddrinfo(loop, "localhost", null, (list, e) -> cancelled.record(id, e));
                yes[i] = r.cancel();
                assertTrue(yes[i], "a lookup queued behind blocked reads could not be cancelled");
                assertTrue(!r.cancel(), "a second cancel succeeded");
            }
            Fs.write(fd, new byte[blockers], -1);
            loop.run();
            assertEquals(blockers, released[0]);
            cancelled.assertEachOnceWith("ECANCELED");
        } finally {
            Fs.close(fd);
        }
    }

    // ---- F9: close with 1000 writes queued: 1000 x ECANCELED ----

    @Test
    void f9CloseWithAThousandWritesQueued() {
        List<Tcp> accepted = new ArrayList<>();
        Tcp server = server(accepted, c -> {}); // accepts, never reads
        InetSocketAddress target = server.localAddress();
        int queued = 1000;
        byte[] filler = new byte[16 << 20];
        byte[] small = new byte[16];
        for (int rep = 0; rep < REPEATS; rep++) {
            Tally writes = new Tally("queued write", queued);
            Tally fill = new Tally("filler write", 1);
            Tcp c = new Tcp(loop);
            c.connect(target, (t, error) -> {
                assertEquals(null, error);
                t.write(filler, (s, e) -> fill.record(0, e));
                for (int i = 0; i < queued; i++) {
                    int id = i;
                    t.write(small, (s, e) -> writes.record(id, e));
                }
                assertTrue(t.writeQueueSize() > 0, "nothing queued");
                t.close();
            });
            runUntil(loop, () -> c.isClosed() && accepted.size() == 1, 10_000);
            writes.assertEachOnceWith("ECANCELED");
            fill.assertEachOnce(e -> e != null && e.name().equals("ECANCELED"));
            List<Tcp> peers = new ArrayList<>(accepted);
            closeAll(peers);
            accepted.clear();
            runUntil(loop, () -> peers.stream().allMatch(Handle::isClosed), 10_000);
        }
        server.close();
        loop.run();
    }

    // ---- F10: fs errors ----

    @Test
    void f10FsErrors() throws Exception {
        Path missing = dir.resolve("missing/file");
        String longName = dir.resolve("n".repeat(300)).toString();
        Path a = dir.resolve("loop-a");
        Path b = dir.resolve("loop-b");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        Tally noent = new Tally("stat ENOENT", REPEATS);
        Tally tooLong = new Tally("open ENAMETOOLONG", REPEATS);
        Tally loopErr = new Tally("open ELOOP", REPEATS);
        Tally isDir = new Tally("open EISDIR", REPEATS);
        Tally okStat = new Tally("stat ok", REPEATS);
        for (int i = 0; i < REPEATS; i++) {
            int id = i;
            Fs.stat(loop, missing.toString(), (r, e) -> noent.record(id, e));
            Fs.open(loop, longName, Fs.O_RDONLY, 0, (fd, e) -> tooLong.record(id, e));
            Fs.open(loop, a.toString(), Fs.O_RDONLY, 0, (fd, e) -> loopErr.record(id, e));
            Fs.open(loop, dir.toString(), Fs.O_WRONLY, 0, (fd, e) -> isDir.record(id, e));
            Fs.stat(loop, dir.toString(), (r, e) -> {
                assertNotNull(r);
                okStat.record(id, e);
            });
        }
        loop.run();
        noent.assertEachOnceWith("ENOENT");
        tooLong.assertEachOnceWith("ENAMETOOLONG");
        loopErr.assertEachOnceWith("ELOOP");
        isDir.assertEachOnceWith("EISDIR");
        okStat.assertEachOnce(e -> e == null);
    }

    // ---- F11: UDP to a closed port: the ICMP error reaches the connected socket only ----

    @Test
    void f11UdpToAClosedPort() {
        Udp gone = new Udp(loop);
        gone.bind(any());
        InetSocketAddress closedPort = gone.localAddress();
        gone.close();
        loop.run();
        Udp bystander = boundElsewhere(closedPort);
        int[] bystanderErrors = new int[1];
        bystander.startRecv((u, from, d, f, e) -> {
            if (e != null) {
                bystanderErrors[0]++;
            }
        });
        Tally recvErrors = new Tally("recv error", REPEATS);
        Tally sends = new Tally("send", REPEATS);
        for (int i = 0; i < REPEATS; i++) {
            int id = i;
            Udp u = boundElsewhere(closedPort);
            u.connect(closedPort);
            Timer deadline = new Timer(loop);
            u.startRecv((x, from, d, f, e) -> {
                if (e != null) {
                    recvErrors.record(id, e);
                    x.close();
                    deadline.close();
                }
            });
            u.send(null, new byte[] {1, 2, 3}, (x, e) -> sends.record(id, e));
            deadline.start(t -> {
                t.close();
                u.close();
            }, 2000, 0);
            runUntil(loop, () -> u.isClosed() && deadline.isClosed(), 10_000);
        }
        bystander.close();
        loop.run();
        recvErrors.assertEachOnceWith("ECONNREFUSED");
        // the send itself completes before the ICMP answer comes back
        sends.assertEachOnce(e -> e == null || e.name().equals("ECONNREFUSED"));
        assertEquals(0, bystanderErrors[0], "an unrelated socket saw the ICMP error");
    }

    /**
     * A UDP socket on an ephemeral loopback port other than {@code freed}'s: the kernel may hand the
     * freed port out again, and a socket given it would receive its own datagrams instead of the
     * ICMP error.
     */
    private Udp boundElsewhere(InetSocketAddress freed) {
        for (int attempt = 0; ; attempt++) {
            Udp u = new Udp(loop);
            u.bind(any());
            if (u.localAddress().getPort() != freed.getPort() || attempt == 10) {
                return u;
            }
            u.close();
        }
    }

    // ---- F12: a signal arriving while its handle closes ----

    @Test
    void f12SignalWhileItsHandleCloses() {
        int signum = Signal.SIGUSR1;
        // a lasting watcher keeps libuv's handler installed, so the signal never meets SIG_DFL
        Signal keeper = new Signal(loop);
        int[] kept = new int[1];
        keeper.start((s, n) -> kept[0]++, signum);
        int[] closing = new int[1];
        int[] closed = new int[1];
        for (int i = 0; i < REPEATS; i++) {
            Signal s = new Signal(loop);
            s.start((x, n) -> closing[0]++, signum);
            assertEquals(0, TestLibc.kill(Sys.getpid(), signum));
            s.close(h -> closed[0]++);
            // the close finishes only once libuv has drained the signal it caught for this handle
            runUntil(loop, s::isClosed, 10_000);
        }
        runUntil(loop, () -> kept[0] >= REPEATS, 10_000);
        keeper.close();
        loop.run();
        assertEquals(0, closing[0], "a closing signal handle was called back");
        assertEquals(REPEATS, closed[0]);
        assertEquals(REPEATS, kept[0], "the watcher that stayed open saw each delivery once");
    }
}
