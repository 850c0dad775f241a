package dev.juv;

import static dev.juv.StreamFuturesTest.await;
import static dev.juv.StreamFuturesTest.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.StreamFuturesTest.From;
import dev.juv.support.Tags;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * acceptAsync, readAsync and its back-pressure, and the java.io views of a stream.
 */
@Timeout(60)
class ReadAsyncTest extends UvTestCase {
    @TempDir
    Path dir;

    private static <T> T on(Loop started, java.util.concurrent.Callable<T> task) throws Exception {
        return started.submit(task).get(10, TimeUnit.SECONDS);
    }

    /** A Tcp on the started loop listening for acceptAsync on a free loopback port. */
    private static Tcp listening(Loop started) throws Exception {
        return on(started, () -> {
            Tcp s = new Tcp(started);
            s.bind(loopback(0));
            s.listen(8);
            return s;
        });
    }

    @ParameterizedTest
    @EnumSource(From.class)
    @Tag(Tags.THREADS)
    void acceptThenReadToTheEnd(From from) throws Exception {
        try (Loop started = Loop.start("read-" + from)) {
            Tcp server = listening(started);
            InetSocketAddress at = on(started, server::localAddress);
            // a future that waits for a connection, and a connection that waits for a future
            CompletableFuture<Tcp> early = on(started, server::acceptAsync);
            Tcp c1 = on(started, () -> new Tcp(started));
            Tcp c2 = on(started, () -> new Tcp(started));
            c1.connectAsync(at).get(10, TimeUnit.SECONDS);
            Tcp a1 = early.get(10, TimeUnit.SECONDS);
            c2.connectAsync(at).get(10, TimeUnit.SECONDS);
            Tcp a2 = await(started, from, server::acceptAsync);
            assertNotNull(a1);
            assertNotNull(a2);
            c1.writeAsync("one".getBytes()).get(10, TimeUnit.SECONDS);
            c1.shutdownAsync().get(10, TimeUnit.SECONDS);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer chunk;
            while ((chunk = await(started, from, a1::readAsync)) != null) {
                assertTrue(chunk.hasArray(), "a heap buffer the caller owns");
                got.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            }
            assertEquals("one", got.toString());
            assertNull(await(started, from, a1::readAsync), "the end, again");
            // mixing is refused both ways
            CompletableFuture<ByteBuffer> mixed = on(started, () -> {
                a2.startRead((s, d, e) -> { });
                return a2.readAsync();
            });
            assertInstanceOf(IllegalStateException.class,
                    assertThrows(ExecutionException.class, () -> mixed.get(10, TimeUnit.SECONDS)).getCause());
            ExecutionException other = assertThrows(ExecutionException.class, () -> on(started, () -> {
                a1.startRead((s, d, e) -> { });
                return null;
            }));
            assertInstanceOf(IllegalStateException.class, other.getCause());
        }
    }

    @Test
    void closingTheServerFailsWaitersAndClosesUntakenConnections() throws Exception {
        Pipe server = new Pipe(loop);
        String name = dir.resolve("s.sock").toString();
        server.bind(name);
        server.listen(4);
        Pipe client = new Pipe(loop);
        boolean[] connected = new boolean[1];
        client.connect(name, (p, e) -> {
            connected[0] = e == null;
            server.close(); // the connection nobody took goes with it
            p.close();
        });
        loop.run();
        assertTrue(connected[0]);
        assertEquals(0, loop.handles().size(), "the untaken connection was never made a handle");

        Tcp tcp = new Tcp(loop);
        tcp.bind(loopback(0));
        tcp.listen(4);
        CompletableFuture<Tcp> waiting = tcp.acceptAsync();
        CompletableFuture<Tcp> cancelled = tcp.acceptAsync();
        cancelled.cancel(true);
        tcp.close();
        loop.run();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(1, TimeUnit.SECONDS));
        assertEquals("ECANCELED", assertInstanceOf(UvException.class, e.getCause()).name());
        assertThrows(CancellationException.class, cancelled::join);
        // acceptAsync without listen(backlog) is refused through the future
        Tcp plain = new Tcp(loop);
        CompletableFuture<Tcp> refused = plain.acceptAsync();
        assertInstanceOf(IllegalStateException.class,
                assertThrows(ExecutionException.class, () -> refused.get(1, TimeUnit.SECONDS)).getCause());
        plain.close();
        loop.run();
    }

    @Test
    void closingAReadingStreamFailsTheReadWithECanceled() throws Exception {
        Tcp server = new Tcp(loop);
        server.bind(loopback(0));
        server.listen(4);
        Tcp client = new Tcp(loop);
        CompletableFuture<ByteBuffer> read = new CompletableFuture<>();
        client.connectAsync(server.localAddress()).thenAccept(c -> {
            c.readAsync().whenComplete((b, e) -> {
                if (e != null) {
                    read.completeExceptionally(e);
                } else {
                    read.complete(b);
                }
            });
            c.close();
        });
        server.acceptAsync().thenAccept(a -> {
            a.close();
            server.close();
        });
        loop.run();
        ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(1, TimeUnit.SECONDS));
        assertEquals("ECANCELED", assertInstanceOf(UvException.class, e.getCause()).name());
    }

    /**
     * A reader that does not read while its peer sends 64 MiB: the unread bytes stay under the
     * bound, the sender's write queue holds the rest, and once the reader reads, every byte
     * arrives in order.
     */
    @Test
    void aSlowReaderHoldsItsPeerBack() throws Exception {
        final int total = 64 << 20;
        Tcp server = new Tcp(loop);
        server.bind(loopback(0));
        server.listen(4);
        Tcp sender = new Tcp(loop);
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31 + (i >>> 11));
        }
        long[] heldBack = new long[1];
        long[] received = new long[1];
        boolean[] inOrder = {true};
        Tcp[] reader = new Tcp[1];
        int[] writesDone = new int[1];
        sender.connectAsync(server.localAddress()).thenAccept(s -> {
            for (int i = 0; i < total / block.length; i++) {
                s.write(block, (w, e) -> writesDone[0]++);
            }
        });
        Timer watch = new Timer(loop);
        int[] calmTicks = new int[1];
        server.acceptAsync().thenAccept(a -> {
            reader[0] = a;
            a.readAsync().thenAccept(first -> {
                // one chunk taken; then nothing is read until the reader has stopped reading and the
                // sender's queue has stopped shrinking for a while
                received[0] += check(first, 0, block, inOrder);
                watch.start(t -> {
                    if (!a.readerPaused()) {
                        return;
                    }
                    if (++calmTicks[0] < 20) {
                        return;
                    }
                    t.stop();
                    heldBack[0] = sender.writeQueueSize();
                    drain(a, received, block, inOrder, () -> {
                        watch.close();
                        a.close();
                        sender.close();
                        server.close();
                    });
                }, 10, 10);
            });
        });
        loop.run();
        assertEquals(total, received[0]);
        assertTrue(inOrder[0], "bytes arrived in order");
        assertEquals(total / block.length, writesDone[0]);
        long bound = StreamReader.HIGH + loop.readBufferSize;
        assertTrue(reader[0].maxQueuedReadBytes() <= bound,
                "unread bytes stayed under the bound: " + reader[0].maxQueuedReadBytes());
        assertTrue(heldBack[0] > total / 2, "the sender was held back: its queue held " + heldBack[0] + " bytes");
    }

    /** Checks a chunk against the pattern at offset {@code at}; returns its length. */
    private static int check(ByteBuffer chunk, long at, byte[] block, boolean[] inOrder) {
        int n = chunk.remaining();
        for (int i = 0; i < n; i++) {
            if (chunk.get(chunk.position() + i) != block[(int) ((at + i) % block.length)]) {
                inOrder[0] = false;
                break;
            }
        }
        return n;
    }

    private static void drain(Tcp a, long[] received, byte[] block, boolean[] inOrder, Runnable done) {
        a.readAsync().thenAccept(chunk -> {
            received[0] += check(chunk, received[0], block, inOrder);
            if (received[0] >= 64L << 20) {
                done.run();
            } else {
                drain(a, received, block, inOrder, done);
            }
        });
    }

    /** A straight-line echo over the java.io views, on virtual threads, byte-exact over 1 MiB. */
    @Test
    @Tag(Tags.THREADS)
    void straightLineEchoOverJavaIo() throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        try (Loop started = Loop.start("echo-io")) {
            Tcp server = listening(started);
            InetSocketAddress at = on(started, server::localAddress);
            CompletableFuture<Void> served = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    Tcp c = server.acceptAsync().join();
                    try (InputStream in = c.inputStream(); OutputStream out = c.outputStream()) {
                        in.transferTo(out);
                    }
                    c.closeAsync().join();
                    served.complete(null);
                } catch (Throwable e) {
                    served.completeExceptionally(e);
                }
            });
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    Tcp c = started.submit(() -> new Tcp(started)).join();
                    c.connectAsync(at).join();
                    Thread writer = Thread.ofVirtual().start(() -> {
                        try (OutputStream out = c.outputStream()) {
                            for (int i = 0; i < payload.length; i += 8192) {
                                out.write(payload, i, 8192);
                            }
                        } catch (IOException e) {
                            echoed.completeExceptionally(e);
                        }
                    });
                    byte[] back = c.inputStream().readAllBytes();
                    writer.join();
                    c.closeAsync().join();
                    echoed.complete(back);
                } catch (Throwable e) {
                    echoed.completeExceptionally(e);
                }
            });
            assertArrayEquals(payload, echoed.get(30, TimeUnit.SECONDS));
            served.get(10, TimeUnit.SECONDS);
            server.closeAsync().get(10, TimeUnit.SECONDS);
        }
    }

    /** What the output-stream tests write: 512 of these, 32 MiB, more than the kernel holds unread. */
    private static final int CHUNK = 64 * 1024;

    /**
     * The output stream pipelines: against a peer that does not read, writes return while
     * earlier bytes are still queued, up to the stream's bound and no further; once the peer
     * reads, every byte arrives in order, and close() waits for them all.
     */
    @Test
    @Tag(Tags.THREADS)
    void outputStreamWritesAheadUpToItsBound() throws Exception {
        try (Loop started = Loop.start("write-ahead")) {
            Tcp[] tcp = connected(started);
            Tcp client = tcp[1];
            Tcp peer = tcp[2];
            AtomicLong returned = new AtomicLong();
            CompletableFuture<Void> wrote = writeChunks(client.outputStream(), returned);
            long queued = heldBack(started, client, returned, wrote);
            assertTrue(queued > CHUNK, "never more than one write queued (" + queued + " B): no write ahead");
            assertTrue(queued <= StreamOutput.IN_FLIGHT + CHUNK, queued + " B queued, over the bound");
            // now the peer reads: every byte in order
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            CompletableFuture<Void> eof = new CompletableFuture<>();
            started.execute(() -> peer.startRead((p, data, e) -> {
                if (data != null) {
                    byte[] x = new byte[data.remaining()];
                    data.get(x);
                    got.write(x, 0, x.length);
                } else {
                    eof.complete(null);
                }
            }));
            wrote.get(30, TimeUnit.SECONDS);
            eof.get(30, TimeUnit.SECONDS); // close() flushed, then shut the write side down
            byte[] all = got.toByteArray();
            assertEquals(512L * CHUNK, all.length);
            for (int i = 0; i < 512; i++) {
                assertEquals((byte) i, all[i * CHUNK], "chunk " + i + " out of order");
                assertEquals((byte) i, all[i * CHUNK + CHUNK - 1], "chunk " + i + " torn");
            }
            closeAll(started, tcp);
        }
    }

    /** A write that fails after its write() returned surfaces at a later write, flush or close. */
    @Test
    @Tag(Tags.THREADS)
    void outputStreamReportsAFailedWriteLater() throws Exception {
        try (Loop started = Loop.start("write-fails")) {
            Tcp[] tcp = connected(started);
            AtomicLong returned = new AtomicLong();
            CompletableFuture<Void> wrote = writeChunks(tcp[1].outputStream(), returned);
            assertTrue(heldBack(started, tcp[1], returned, wrote) > CHUNK, "no write ahead");
            // the writes queued behind full buffers fail when the peer resets the connection
            started.execute(() -> tcp[2].closeReset(null));
            ExecutionException failed = assertThrows(ExecutionException.class, () -> wrote.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, failed.getCause());
            closeAll(started, tcp);
        }
    }

    /**
     * Writes 512 chunks, each filled with its number, on a virtual thread, counting the writes
     * that returned, then closes {@code out}; completes when close() returns.
     */
    private static CompletableFuture<Void> writeChunks(OutputStream out, AtomicLong returned) {
        CompletableFuture<Void> wrote = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (out) {
                byte[] b = new byte[CHUNK];
                for (int i = 0; i < 512; i++) {
                    Arrays.fill(b, (byte) i);
                    out.write(b);
                    returned.addAndGet(CHUNK);
                }
            } catch (Throwable e) {
                wrote.completeExceptionally(e);
                return;
            }
            wrote.complete(null);
        });
        return wrote;
    }

    /** Closes the handles that are still open, on their started loop. */
    private static void closeAll(Loop started, Tcp... handles) throws Exception {
        started.submit(() -> {
            for (Tcp t : handles) {
                if (t.isOpen()) {
                    t.close();
                }
            }
            return null;
        }).get(10, TimeUnit.SECONDS);
    }

    /** {listening server, connected client, the server's side of it} on a started loop. */
    private static Tcp[] connected(Loop started) throws Exception {
        Tcp server = listening(started);
        InetSocketAddress at = on(started, server::localAddress);
        Tcp client = on(started, () -> new Tcp(started));
        CompletableFuture<Tcp> accepted = server.acceptAsync();
        client.connectAsync(at).get(10, TimeUnit.SECONDS);
        return new Tcp[] {server, client, accepted.get(10, TimeUnit.SECONDS)};
    }

    /**
     * Waits until the writer is held back (more than one write queued in libuv behind the
     * kernel's full buffers, and no write returned for 100 ms) and returns the bytes queued; an
     * output stream that waits for each write never gets there, and the wait fails after 20 s.
     */
    private static long heldBack(Loop started, Tcp client, AtomicLong returned, CompletableFuture<Void> wrote)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long last = -1;
        while (System.nanoTime() < end) {
            long r = returned.get();
            long queued = on(started, client::writeQueueSize);
            if (queued > CHUNK && r == last) {
                return queued;
            }
            assertFalse(wrote.isDone(), "32 MiB fitted into the kernel's buffers");
            last = r;
            Thread.sleep(100);
        }
        return on(started, client::writeQueueSize);
    }

    @Test
    void blockingViewsRefuseTheLoopThread() throws Exception {
        Tcp t = new Tcp(loop);
        InputStream in = t.inputStream();
        OutputStream out = t.outputStream();
        boolean[] ran = new boolean[1];
        loop.execute(() -> {
            assertThrows(IllegalStateException.class, in::read);
            assertThrows(IllegalStateException.class, () -> out.write(1));
            assertThrows(IllegalStateException.class, out::close);
            ran[0] = true;
            t.close();
        });
        loop.run();
        assertTrue(ran[0]);
        // off the loop thread, a closed stream is an IOException
        assertThrows(IOException.class, in::read);
        assertFalse(t.isOpen());
    }
}
