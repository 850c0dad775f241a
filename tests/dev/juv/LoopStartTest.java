package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Loop.start, submit and LoopGroup: loops that run on threads of their own, work handed to them
 * from any thread, close() from any thread, and one listening address spread over several loops.
 */
@Timeout(60)
@Tag(Tags.THREADS)
class LoopStartTest extends UvTestCase {
    static {
        // the JDK keeps a descriptor of its own from its first java.net.Socket on: open one here,
        // before the per-test descriptor baseline
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
                Socket a = ss.accept()) {
            c.getOutputStream().write(1);
            a.getInputStream().read();
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Thread thread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    @Test
    void aStartedLoopRunsOnItsNamedThreadAndStaysAliveWhileIdle() throws Exception {
        Loop l = Loop.start("juv-test-start");
        try {
            Executor asExecutor = l;
            assertEquals("juv-test-start", CompletableFuture.supplyAsync(() -> Thread.currentThread().getName(), asExecutor)
                    .get(10, TimeUnit.SECONDS));
            assertEquals("juv-test-start", l.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS));
            Thread.sleep(200); // idle: nothing keeps a plain loop alive, a started one stays
            Thread t = thread("juv-test-start");
            assertTrue(t != null && t.isAlive(), "the loop's thread ended while idle");
            assertTrue(l.submit(l::isLoopThread).get(10, TimeUnit.SECONDS));
            assertFalse(l.isLoopThread());
        } finally {
            l.close();
        }
        assertTrue(l.isClosed());
        Thread t = thread("juv-test-start");
        assertTrue(t == null || !t.isAlive(), "close() returned before the thread ended");
    }

    @Test
    void closeFromAnotherThreadClosesEveryHandleAndRunsTheirCloseCallbacks() throws Exception {
        Loop l = Loop.start("juv-test-close");
        AtomicInteger closeCallbacks = new AtomicInteger();
        List<Handle> made = l.submit(() -> {
            List<Handle> hs = new ArrayList<>();
            Timer repeating = new Timer(l);
            repeating.start(h -> {}, 1, 1);
            hs.add(repeating);
            Idle idle = new Idle(l);
            idle.start(h -> {});
            hs.add(idle);
            Tcp server = new Tcp(l);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.listen(8, (s, e) -> {});
            hs.add(server);
            Timer withCallback = new Timer(l);
            withCallback.unref();
            hs.add(withCallback);
            for (Handle h : hs) {
                h.setData(closeCallbacks);
            }
            return hs;
        }).get(10, TimeUnit.SECONDS);
        // one handle is closed by the user with a callback before the loop closes
        l.submit(() -> {
            made.get(3).close(h -> closeCallbacks.incrementAndGet());
            return null;
        }).get(10, TimeUnit.SECONDS);
        l.close();
        assertTrue(l.isClosed());
        assertEquals(1, closeCallbacks.get(), "the user's close callback ran once");
        for (Handle h : made) {
            assertTrue(h.isClosed(), h + " is not closed");
        }
        assertThrows(RejectedExecutionException.class, () -> l.execute(() -> {}));
        l.close(); // idempotent
    }

    @Test
    void closeFromInsideACallbackEndsTheLoopAfterThatTurn() throws Exception {
        Loop l = Loop.start("juv-test-inner-close");
        CountDownLatch fired = new CountDownLatch(1);
        l.execute(() -> {
            Timer t = new Timer(l);
            t.start(h -> {
                l.close(); // returns at once: the thread ends once this turn is over
                fired.countDown();
            }, 1, 1);
        });
        assertTrue(fired.await(10, TimeUnit.SECONDS));
        Thread t = thread("juv-test-inner-close");
        if (t != null) {
            t.join(10_000);
            assertFalse(t.isAlive(), "the loop's thread did not end");
        }
        assertTrue(l.isClosed());
        l.close();
    }

    @Test
    void submitCarriesResultsAndExceptionsAndRefusesBlockingTheLoopThread() throws Exception {
        Loop l = Loop.start("juv-test-submit");
        try {
            assertEquals(42, l.submit(() -> 6 * 7).join());
            ExecutionException ex = assertThrows(ExecutionException.class,
                    () -> l.submit(() -> {
                        throw new java.io.IOException("from the task");
                    }).get(10, TimeUnit.SECONDS));
            assertInstanceOf(java.io.IOException.class, ex.getCause());
            // join() on the loop thread for a future only that thread can complete: refused
            AtomicReference<Throwable> seen = new AtomicReference<>();
            l.submit(() -> {
                CompletableFuture<Integer> other = l.submit(() -> 1);
                try {
                    other.join();
                } catch (Throwable e) {
                    seen.set(e);
                }
                try {
                    other.thenApply(x -> x + 1).get();
                } catch (Throwable e) {
                    seen.get().addSuppressed(e);
                }
                return null;
            }).get(10, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, seen.get());
            assertInstanceOf(IllegalStateException.class, seen.get().getSuppressed()[0]);
            // a complete future answers on the loop thread too
            CompletableFuture<Integer> done = l.submit(() -> 5);
            assertEquals(5, done.get(10, TimeUnit.SECONDS));
            assertEquals(5, l.submit(done::join).get(10, TimeUnit.SECONDS));
        } finally {
            l.close();
        }
    }

    @Test
    void manyThreadsSubmitToOneStartedLoopAndEveryTaskRunsOnceOnItsThread() throws Exception {
        Loop l = Loop.start("juv-test-many");
        try {
            int threads = 6;
            int each = 2000;
            Set<String> names = ConcurrentHashMap.newKeySet();
            AtomicInteger ran = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            List<CompletableFuture<Integer>> last = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                CompletableFuture<Integer> mine = new CompletableFuture<>();
                last.add(mine);
                Thread t = Thread.ofVirtual().unstarted(() -> {
                    CompletableFuture<Integer> f = null;
                    for (int k = 0; k < each; k++) {
                        f = l.submit(() -> {
                            names.add(Thread.currentThread().getName());
                            return ran.incrementAndGet();
                        });
                    }
                    f.whenComplete((v, e) -> mine.complete(v));
                });
                ts.add(t);
                t.start();
            }
            for (Thread t : ts) {
                t.join();
            }
            for (CompletableFuture<Integer> f : last) {
                f.get(20, TimeUnit.SECONDS);
            }
            assertEquals(threads * each, ran.get());
            assertEquals(Set.of("juv-test-many"), names);
        } finally {
            l.close();
        }
    }

    @Test
    void aCallbackExceptionIsLoggedAndTheStartedLoopCarriesOn() throws Exception {
        Loop l = Loop.start("juv-test-throw");
        try {
            l.execute(() -> {
                throw new IllegalStateException("thrown by a task on purpose");
            });
            assertEquals("still running", l.submit(() -> "still running").get(10, TimeUnit.SECONDS));
        } finally {
            l.close();
        }
    }

    @Test
    void aGroupHandsOutItsLoopsRoundRobinOnNamedThreads() throws Exception {
        try (LoopGroup g = LoopGroup.start(3, "juv-test-group")) {
            assertEquals(3, g.loops().size());
            Set<Loop> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                seen.add(g.next());
            }
            assertEquals(3, seen.size());
            Set<String> names = new HashSet<>();
            for (Loop l : g.loops()) {
                names.add(l.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS));
            }
            assertEquals(Set.of("juv-test-group-0", "juv-test-group-1", "juv-test-group-2"), names);
        }
        assertThrows(IllegalArgumentException.class, () -> LoopGroup.start(0, "x"));
    }

    @Test
    void aGroupSpreadsOneAddresssConnectionsOverEveryLoopAndEchoesEveryByte() throws Exception {
        try (LoopGroup g = LoopGroup.start(3, "juv-test-listen")) {
            Set<String> servedOn = ConcurrentHashMap.newKeySet();
            InetSocketAddress at = g.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64,
                    (loop, tcp) -> {
                        if (loop.isLoopThread() && tcp.loop() == loop) {
                            servedOn.add(Thread.currentThread().getName());
                        }
                        tcp.startRead((s, data, error) -> {
                            if (data == null) {
                                s.close();
                                return;
                            }
                            s.write(data);
                        });
                    });
            assertTrue(at.getPort() > 0);
            int clients = 12;
            for (int i = 0; i < clients; i++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), at.getPort())) {
                    s.setSoTimeout(10_000);
                    byte[] msg = ("connection " + i + " ").repeat(200).getBytes(StandardCharsets.UTF_8);
                    OutputStream out = s.getOutputStream();
                    out.write(msg);
                    out.flush();
                    InputStream in = s.getInputStream();
                    assertArrayEquals(msg, in.readNBytes(msg.length));
                }
            }
            assertEquals(Set.of("juv-test-listen-0", "juv-test-listen-1", "juv-test-listen-2"), servedOn);
        }
    }
}
