package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many virtual threads drive a started loop through futures (connect, write, read, stat, work,
 * close, cancel) while another thread closes the loop at a seeded moment: every future ends, each
 * either normally or with one of the failures the API names, no thread is left waiting, and the
 * JVM lives. The seeds make each run repeatable in its schedule of operations, not in its timing.
 */
@Timeout(120)
@Tag(Tags.THREADS)
class FuturesStormTest extends UvTestCase {
    /** What a future may fail with when its loop or handle goes away under it. */
    private static final Set<Class<?>> EXPECTED = Set.of(UvException.class, RejectedExecutionException.class,
            CancellationException.class, HandleClosedException.class);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void futuresFromManyThreadsWhileTheLoopCloses(long seed) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Random plan = new Random(seed);
        Loop loop = Loop.start("storm-" + seed);
        Tcp server = loop.submit(() -> {
            Tcp s = new Tcp(loop);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            s.listen(128, (srv, e) -> {
                Tcp c = new Tcp(loop);
                srv.accept(c);
                c.startRead((st, data, err) -> {
                    if (data == null) {
                        st.close();
                    } else {
                        st.write(data);
                    }
                });
            });
            return s;
        }).get(10, TimeUnit.SECONDS);
        InetSocketAddress at = loop.submit(server::localAddress).get(10, TimeUnit.SECONDS);
        int threads = 24;
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        Set<String> unexpected = ConcurrentHashMap.newKeySet();
        AtomicInteger completed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            long workerSeed = plan.nextLong();
            workers.add(Thread.ofVirtual().name("storm-worker-" + i).start(() -> {
                try {
                    go.await();
                    work(loop, at, file, new Random(workerSeed), unexpected, completed);
                } catch (Throwable e) {
                    unexpected.add("worker threw " + e);
                } finally {
                    done.countDown();
                }
            }));
        }
        go.countDown();
        Thread.sleep(plan.nextInt(200));
        loop.close(); // from this thread, while the workers' futures are in flight
        assertTrue(done.await(60, TimeUnit.SECONDS), "a worker is still waiting on a future after close");
        assertEquals(Set.of(), unexpected);
        assertTrue(completed.get() > 0, "no future completed at all");
        assertTrue(loop.isClosed());
    }

    /**
     * A started loop's thread decides to close between two of its runs; other threads starting
     * work at that moment must not slip a request in before the close, which would then find it
     * outstanding and fail with EBUSY (the storm above caught this about once in a hundred runs).
     */
    @org.junit.jupiter.api.Test
    void aStartedLoopClosesWhileOtherThreadsKeepStartingWork() throws Exception {
        for (int round = 0; round < 60; round++) {
            Loop loop = Loop.start("closing-" + round);
            AtomicBoolean stop = new AtomicBoolean();
            Set<String> unexpected = ConcurrentHashMap.newKeySet();
            List<Thread> starters = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                boolean fs = (i & 1) == 0;
                starters.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        CompletableFuture<?> f = fs ? Fs.statAsync(loop, dir.toString()) : loop.queueWorkAsync(() -> 1);
                        await(f, unexpected);
                    }
                }));
            }
            Thread.sleep(round % 7);
            loop.close(); // throws what the loop thread's own final close threw
            stop.set(true);
            for (Thread t : starters) {
                assertTrue(t.join(java.time.Duration.ofSeconds(30)), "a starter still waits on a future");
            }
            assertEquals(Set.of(), unexpected);
            assertTrue(loop.isClosed());
        }
    }

    private static void work(Loop loop, InetSocketAddress at, Path file, Random r, Set<String> unexpected,
            AtomicInteger completed) {
        for (int round = 0; round < 40; round++) {
            CompletableFuture<?> f;
            try {
                f = start(loop, at, file, r);
            } catch (RejectedExecutionException closed) {
                return; // submit, like ExecutorService.submit, refuses at once once the loop is closed
            }
            if (!await(f, unexpected)) {
                return; // the loop is gone: later rounds would only be refused
            }
            completed.incrementAndGet();
        }
    }

    private static CompletableFuture<?> start(Loop loop, InetSocketAddress at, Path file, Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> Fs.statAsync(loop, file.toString());
            case 1 -> loop.queueWorkAsync(() -> 42);
            case 2 -> loop.submit(() -> new Timer(loop)).thenCompose(Handle::closeAsync);
            case 3 -> {
                CompletableFuture<Stat> s = Fs.statAsync(loop, file.toString());
                s.cancel(true);
                yield s;
            }
            default -> echo(loop, at, r);
        };
    }

    /** One connection: connect, a write and its echo, close; each step a future. */
    private static CompletableFuture<?> echo(Loop loop, InetSocketAddress at, Random r) {
        byte[] data = new byte[1 + r.nextInt(4096)];
        r.nextBytes(data);
        return loop.submit(() -> new Tcp(loop))
                .thenCompose(t -> t.connectAsync(at))
                .thenCompose(t -> t.writeAsync(data).thenCompose(v -> t.readAsync())
                        .handle((ByteBuffer b, Throwable e) -> {
                            t.closeAsync();
                            if (e != null) {
                                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
                            }
                            return b;
                        }));
    }

    /** Waits for {@code f}; false once it failed because the loop or its handle went away. */
    private static boolean await(CompletableFuture<?> f, Set<String> unexpected) {
        try {
            f.get(30, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            unexpected.add("a future never completed: " + f);
            return false;
        } catch (CancellationException e) {
            return true;
        } catch (InterruptedException e) {
            unexpected.add("interrupted");
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            Throwable c = cause;
            if (c == null || EXPECTED.stream().noneMatch(k -> k.isInstance(c))) {
                unexpected.add("failed with " + c);
            }
            return false;
        }
    }
}
