package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.Tags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Fs's future forms: results, errors, threads, cancellation and the loop-thread wait check. */
@Timeout(60)
@Tag(Tags.FS)
@Tag(Tags.THREADS)
class FsFuturesTest extends UvTestCase {
    private static final long WAIT = 10;

    @TempDir
    Path dir;

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    /** The UvException code a future failed with. */
    private static int failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof UvException, e.toString());
        return ((UvException) e.getCause()).code();
    }

    /** A representative set of operations, their results and their ENOENT, awaited on this thread. */
    private void roundTrip(Loop l, String tag) throws Exception {
        Path base = Files.createDirectory(dir.resolve(tag));
        String file = base.resolve("f").toString();
        String missing = base.resolve("missing").toString();
        byte[] data = ("hello " + tag).getBytes(StandardCharsets.UTF_8);

        int fd = await(Fs.openAsync(l, file, Fs.O_CREAT | Fs.O_WRONLY, 0644));
        assertEquals(data.length, await(Fs.writeAsync(l, fd, data, 0)));
        assertEquals(null, await(Fs.closeAsync(l, fd)));
        fd = await(Fs.openAsync(l, file.getBytes(StandardCharsets.UTF_8), Fs.O_RDONLY, 0));
        assertArrayEquals(data, await(Fs.readAsync(l, fd, 100, 0)));
        assertEquals(0, await(Fs.readAsync(l, fd, 100, data.length)).length);
        await(Fs.closeAsync(l, fd));
        assertEquals(Errno.ENOENT, failure(Fs.openAsync(l, missing, Fs.O_RDONLY, 0)));
        assertEquals(Errno.EBADF, failure(Fs.closeAsync(l, fd)));

        assertEquals(data.length, await(Fs.statAsync(l, file)).size());
        assertEquals(Errno.ENOENT, failure(Fs.statAsync(l, missing)));

        String copy = base.resolve("copy").toString();
        await(Fs.copyfileAsync(l, file, copy, 0));
        assertArrayEquals(data, Files.readAllBytes(Path.of(copy)));
        assertEquals(Errno.ENOENT, failure(Fs.copyfileAsync(l, missing, copy + "2", 0)));

        String link = base.resolve("link").toString();
        Fs.symlink(file, link, 0);
        assertEquals(file, await(Fs.readlinkAsync(l, link)));
        assertEquals(Errno.ENOENT, failure(Fs.readlinkAsync(l, missing)));
        assertEquals(Path.of(file).toRealPath().toString(), await(Fs.realpathAsync(l, link)));
        assertEquals(Errno.ENOENT, failure(Fs.realpathAsync(l, missing)));

        String temp = await(Fs.mkdtempAsync(l, base.resolve("tXXXXXX").toString()));
        assertTrue(Files.isDirectory(Path.of(temp)), temp);
        assertEquals(Errno.ENOENT, failure(Fs.mkdtempAsync(l, base.resolve("no/tXXXXXX").toString())));

        List<String> names = new ArrayList<>();
        for (DirEntry e : await(Fs.scandirAsync(l, base.toString()))) {
            names.add(e.name());
        }
        assertEquals(List.of("copy", "f", "link", Path.of(temp).getFileName().toString()),
                names.stream().sorted().toList());
        assertEquals(Errno.ENOENT, failure(Fs.scandirAsync(l, missing)));
    }

    @Test
    void onAnIdleLoopTheFutureCompletesWhenTheLoopRuns() throws Exception {
        CompletableFuture<Stat> ok = Fs.statAsync(loop, dir.toString());
        CompletableFuture<Stat> bad = Fs.statAsync(loop, dir.resolve("missing").toString());
        AtomicReference<Thread> on = new AtomicReference<>();
        ok.thenRun(() -> on.set(Thread.currentThread()));
        loop.run();
        assertTrue(ok.get().isDirectory());
        assertSame(Thread.currentThread(), on.get(), "completed by the thread that ran the loop");
        assertEquals(Errno.ENOENT, failure(bad));
    }

    @Test
    void fromAPlatformThreadAndAVirtualThreadOfAStartedLoop() throws Exception {
        try (Loop l = Loop.start("fs-futures")) {
            roundTrip(l, "platform");
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread v = Thread.ofVirtual().start(() -> {
                try {
                    roundTrip(l, "virtual");
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            assertTrue(v.join(java.time.Duration.ofSeconds(WAIT * 3)), "the virtual thread finished");
            if (failed.get() != null) {
                throw new AssertionError("on a virtual thread", failed.get());
            }
        }
    }

    @Test
    void fromTheLoopThreadJoinIsRefusedUntilDone() throws Exception {
        try (Loop l = Loop.start("fs-futures-own")) {
            String path = dir.toString();
            CompletableFuture<Stat> f = l.submit(() -> {
                CompletableFuture<Stat> s = Fs.statAsync(l, path);
                assertThrows(IllegalStateException.class, s::join);
                assertThrows(IllegalStateException.class, () -> s.get(1, TimeUnit.SECONDS));
                assertThrows(IllegalStateException.class, s.thenApply(Stat::size)::join, "derived futures too");
                return s;
            }).get(WAIT, TimeUnit.SECONDS);
            assertTrue(await(f).isDirectory());
            // once complete, join on the loop thread returns
            assertTrue(l.submit(() -> f.join().isDirectory()).get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void argumentErrorsThrowOnTheCallingThread() throws Exception {
        try (Loop l = Loop.start("fs-futures-args")) {
            assertThrows(IllegalArgumentException.class, () -> Fs.statAsync(l, "a\0b"));
            assertThrows(IllegalArgumentException.class, () -> Fs.readAsync(l, 0, -1, 0));
            assertThrows(IllegalArgumentException.class, () -> Fs.closeAsync(l, -1));
            assertThrows(NullPointerException.class, () -> Fs.statAsync(null, "x"));
            assertThrows(NullPointerException.class, () -> Fs.scandirAsync(l, (String) null));
        }
    }

    @Test
    void cancelFromAnotherThreadCancelsAQueuedRequest() throws Exception {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        try (Loop l = Loop.start("fs-futures-cancel")) {
            l.submit(() -> {
                l.setExceptionHandler(handled::add);
                return null;
            }).get(WAIT, TimeUnit.SECONDS);
            Future<PoolGate> gate = l.submit(() -> new PoolGate(l));
            try (PoolGate _ = gate.get(WAIT, TimeUnit.SECONDS)) {
                Path never = dir.resolve("never");
                CompletableFuture<Void> f = Fs.mkdirAsync(l, never.toString(), 0755);
                CompletableFuture<Void> after = Fs.mkdirAsync(l, dir.resolve("after").toString(), 0755);
                assertTrue(f.cancel(true));
                assertTrue(f.isCancelled());
                assertThrows(CancellationException.class, f::join);
                // the starts handed to the loop before this have run: a cancel that came first reached them
                l.submit(() -> null).get(WAIT, TimeUnit.SECONDS);
                gate.get().close();
                await(after);
                // the pool runs requests in order: had the cancelled one run, it would be done now
                assertFalse(Files.exists(never), "the cancelled mkdir did not run");
                assertTrue(Files.isDirectory(dir.resolve("after")));
            }
            PoolGate.awaitDrained(l);
        }
        assertEquals(List.of(), handled, "the request's ECANCELED outcome failed nothing");
    }

    @Test
    void cancelOnTheLoopThreadOfAnIdleLoop() throws Exception {
        CompletableFuture<Void> f;
        try (PoolGate _ = new PoolGate(loop)) {
            f = Fs.mkdirAsync(loop, dir.resolve("never").toString(), 0755);
            assertTrue(f.cancel(false));
        }
        loop.run();
        assertTrue(f.isCancelled());
        assertFalse(Files.exists(dir.resolve("never")));
    }

    @Test
    void dirOperationsAsFutures() throws Exception {
        Files.writeString(dir.resolve("a"), "a");
        try (Loop l = Loop.start("fs-futures-dir")) {
            Dir d = await(Fs.opendirAsync(l, dir.toString(), 8));
            assertEquals(List.of("a"), await(Fs.readdirAsync(l, d)).stream().map(DirEntry::name).toList());
            assertEquals(List.of(), await(Fs.readdirAsync(l, d)));
            await(Fs.closedirAsync(l, d));
            assertTrue(d.isClosed());
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(Fs.readdirAsync(l, d)));
            assertTrue(e.getCause() instanceof IllegalStateException, "a closed Dir fails the future: " + e);
            assertEquals(Errno.ENOENT, failure(Fs.opendirAsync(l, dir.resolve("missing").toString())));
            Dir other = await(Fs.opendirAsync(l, dir.toString()));
            CompletableFuture<Void> closing = Fs.closedirAsync(l, other);
            closing.cancel(true);
            // a closedir is never cancelled: the stream closes all the same
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
            while (!other.isClosed()) {
                assertTrue(System.nanoTime() < deadline, "the cancelled closedir still closed the stream");
                Thread.sleep(5);
            }
        }
    }

    @Test
    void awaitingABlockedOpenDoesNotPinVirtualThreads() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mk.waitFor() == 0, "mkfifo is not available");
        int waiters = Runtime.getRuntime().availableProcessors() * 2 + dev.juv.programs.ExitWithPending.poolSize() + 1;
        List<Integer> fds = new CopyOnWriteArrayList<>();
        try (Loop l = Loop.start("fs-futures-fifo")) {
            CountDownLatch waiting = new CountDownLatch(waiters);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    CompletableFuture<Integer> f = Fs.openAsync(l, fifo.toString(), Fs.O_RDONLY, 0);
                    waiting.countDown();
                    try {
                        fds.add(f.get(WAIT * 3, TimeUnit.SECONDS));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            assertTrue(waiting.await(WAIT, TimeUnit.SECONDS));
            // more virtual threads wait than there are carriers: others still get to run
            for (int i = 0; i < 4; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                Thread.ofVirtual().start(ran::countDown);
                assertTrue(ran.await(WAIT, TimeUnit.SECONDS), "a virtual thread ran while the waits are parked");
            }
            assertEquals(0, fds.size(), "no open finished without a writer");
            int writer = Fs.open(fifo.toString(), Fs.O_WRONLY, 0); // returns once a reader has opened
            try {
                for (Thread t : threads) {
                    assertTrue(t.join(java.time.Duration.ofSeconds(WAIT * 3)));
                }
            } finally {
                Fs.close(writer);
                for (int fd : fds) {
                    Fs.close(fd);
                }
            }
            assertEquals(waiters, fds.size());
        }
    }

    /** Threads of this process waiting in the kernel for a FIFO's other end; -1 where /proc does not say. */
    private static int threadsWaitingForAFifoPartner() throws Exception {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        int n = 0;
        try (var s = Files.list(tasks)) {
            for (Path t : s.toList()) {
                try {
                    if (Files.readString(t.resolve("wchan")).contains("wait_for_partner")) {
                        n++;
                    }
                } catch (java.io.IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return n;
    }

    @Test
    void anOpenCancelledWhileRunningClosesTheDescriptorItGot() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mk.waitFor() == 0, "mkfifo is not available");
        assumeTrue(threadsWaitingForAFifoPartner() == 0, "/proc/self/task/*/wchan is not readable here");
        CompletableFuture<Integer> f = Fs.openAsync(loop, fifo.toString(), Fs.O_RDONLY, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (threadsWaitingForAFifoPartner() < 1) {
            assertTrue(System.nanoTime() < deadline, "the open reached the kernel");
            Thread.sleep(5);
        }
        assertTrue(f.cancel(true), "the future is cancelled though its open runs");
        int writer = Fs.open(fifo.toString(), Fs.O_WRONLY, 0); // lets the open finish
        try {
            loop.run(); // the open's descriptor is closed here; the leak gate checks no fd is left
        } finally {
            Fs.close(writer);
        }
        assertTrue(f.isCancelled());
    }
}
