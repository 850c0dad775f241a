package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The futures of streams and UDP: connectAsync, writeAsync, shutdownAsync, sendAsync, started
 * from the loop thread, a platform thread and a virtual thread of a started loop; their failures
 * and their cancellation.
 */
@Timeout(30)
@Tag(Tags.THREADS)
class StreamFuturesTest extends UvTestCase {
    @TempDir
    Path dir;

    /** Where an operation is started. */
    enum From {
        LOOP, PLATFORM, VIRTUAL
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Starts {@code op} from {@code from} and waits (off the loop thread) for its future's outcome. */
    static <T> T await(Loop started, From from, Callable<CompletableFuture<T>> op) throws Exception {
        CompletableFuture<T> f = switch (from) {
            case LOOP -> started.submit(op).get(10, TimeUnit.SECONDS);
            case PLATFORM -> op.call();
            case VIRTUAL -> {
                CompletableFuture<CompletableFuture<T>> made = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try {
                        CompletableFuture<T> g = op.call();
                        try {
                            g.join(); // parks the virtual thread
                        } catch (CompletionException | CancellationException failed) {
                            // reported by the future itself below
                        }
                        made.complete(g);
                    } catch (Throwable e) {
                        made.completeExceptionally(e);
                    }
                });
                try {
                    yield made.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw (Exception) e.getCause();
                }
            }
        };
        return f.get(10, TimeUnit.SECONDS);
    }

    /** A server on a started loop that collects what each connection sends until its end. */
    static final class Sink {
        final Tcp server;
        final CompletableFuture<byte[]> received = new CompletableFuture<>();

        Sink(Loop started) throws Exception {
            server = started.submit(() -> {
                Tcp s = new Tcp(started);
                s.bind(loopback(0));
                s.listen(8, (srv, e) -> {
                    Tcp c = new Tcp(started);
                    srv.accept(c);
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    c.startRead((r, data, err) -> {
                        if (err == null) {
                            byte[] b = new byte[data.remaining()];
                            data.get(b);
                            got.writeBytes(b);
                        } else {
                            received.complete(got.toByteArray());
                            r.close();
                        }
                    });
                });
                return s;
            }).get(10, TimeUnit.SECONDS);
        }

        InetSocketAddress address() throws Exception {
            return server.loop().submit(server::localAddress).get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(From.class)
    void tcpConnectWriteShutdown(From from) throws Exception {
        try (Loop started = Loop.start("futures-" + from)) {
            Sink sink = new Sink(started);
            InetSocketAddress at = sink.address();
            Tcp client = started.submit(() -> new Tcp(started)).get(10, TimeUnit.SECONDS);
            assertSame(client, await(started, from, () -> client.connectAsync(at)));
            byte[] first = "hello, ".getBytes();
            CompletableFuture<Void> w = switch (from) {
                // the array is reused at once: the future's bytes were taken when it was made
                case PLATFORM -> {
                    CompletableFuture<Void> f = client.writeAsync(first);
                    Arrays.fill(first, (byte) '!');
                    yield f;
                }
                default -> CompletableFuture.completedFuture(
                        await(started, from, () -> client.writeAsync(first)));
            };
            assertNull(w.get(10, TimeUnit.SECONDS));
            ByteBuffer heap = ByteBuffer.wrap("wor".getBytes());
            ByteBuffer direct = ByteBuffer.allocateDirect(3).put("ld.".getBytes()).flip();
            assertNull(await(started, from, () -> client.writeAsync(heap, direct)));
            assertEquals(0, heap.position(), "no write moves a buffer's position");
            assertNull(await(started, from, client::shutdownAsync));
            assertEquals("hello, world.", new String(sink.received.get(10, TimeUnit.SECONDS)));
            assertNull(await(started, from, client::closeAsync));
        }
    }

    @ParameterizedTest
    @EnumSource(From.class)
    void pipeConnectAndUdpSend(From from) throws Exception {
        try (Loop started = Loop.start("futures-" + from)) {
            String name = dir.resolve("p.sock").toString();
            CompletableFuture<String> accepted = new CompletableFuture<>();
            Pipe server = started.submit(() -> {
                Pipe s = new Pipe(started);
                s.bind(name);
                s.listen(4, (srv, e) -> {
                    Pipe c = new Pipe(started);
                    srv.accept(c);
                    accepted.complete("yes");
                    c.close();
                });
                return s;
            }).get(10, TimeUnit.SECONDS);
            Pipe client = started.submit(() -> new Pipe(started)).get(10, TimeUnit.SECONDS);
            assertSame(client, await(started, from, () -> client.connectAsync(name)));
            assertEquals("yes", accepted.get(10, TimeUnit.SECONDS));

            CompletableFuture<String> datagram = new CompletableFuture<>();
            Udp receiver = started.submit(() -> {
                Udp r = new Udp(started);
                r.bind(loopback(0));
                r.startRecv((u, sender, data, flags, e) -> {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    datagram.complete(new String(b));
                });
                return r;
            }).get(10, TimeUnit.SECONDS);
            InetSocketAddress to = started.submit(receiver::localAddress).get(10, TimeUnit.SECONDS);
            Udp sender = started.submit(() -> new Udp(started)).get(10, TimeUnit.SECONDS);
            assertNull(await(started, from, () -> sender.sendAsync(to, "ping".getBytes())));
            assertEquals("ping", datagram.get(10, TimeUnit.SECONDS));
            server.closeAsync().get(10, TimeUnit.SECONDS);
        }
    }

    private static <T> UvException failure(Loop started, From from, Callable<CompletableFuture<T>> op) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(started, from, op));
        return assertInstanceOf(UvException.class, e.getCause());
    }

    @ParameterizedTest
    @EnumSource(From.class)
    void failuresCompleteExceptionally(From from) throws Exception {
        try (Loop started = Loop.start("futures-" + from)) {
            int closedPort = started.submit(() -> {
                Tcp t = new Tcp(started);
                t.bind(loopback(0));
                int port = t.localAddress().getPort();
                t.close();
                return port;
            }).get(10, TimeUnit.SECONDS);
            Tcp tcp = started.submit(() -> new Tcp(started)).get(10, TimeUnit.SECONDS);
            assertEquals("ECONNREFUSED",
                    failure(started, from, () -> tcp.connectAsync(loopback(closedPort))).name());
            Pipe pipe = started.submit(() -> new Pipe(started)).get(10, TimeUnit.SECONDS);
            assertEquals("ENOENT", failure(started, from,
                    () -> pipe.connectAsync(dir.resolve("nobody").toString())).name());
            // a stream that is closed: a race, reported as ECANCELED
            tcp.closeAsync().get(10, TimeUnit.SECONDS);
            assertEquals("ECANCELED", failure(started, from, () -> tcp.writeAsync(new byte[1])).name());
            assertEquals("ECANCELED", failure(started, from, () -> tcp.shutdownAsync()).name());
            Udp udp = started.submit(() -> new Udp(started)).get(10, TimeUnit.SECONDS);
            udp.closeAsync().get(10, TimeUnit.SECONDS);
            assertEquals("ECANCELED", failure(started, from,
                    () -> udp.sendAsync(loopback(9), new byte[1])).name());
            // argument errors throw at once, on the caller's thread
            assertThrows(NullPointerException.class, () -> tcp.writeAsync((byte[]) null));
            assertThrows(IllegalArgumentException.class, () -> tcp.writeAsync(new ByteBuffer[0]));
            assertThrows(IllegalArgumentException.class,
                    () -> tcp.connectAsync(InetSocketAddress.createUnresolved("example.invalid", 1)));
            assertThrows(IllegalArgumentException.class, () -> pipe.connectAsync(""));
        }
    }

    @Test
    void cancelClosesNothingAndTheOperationGoesOn() throws Exception {
        try (Loop started = Loop.start("futures-cancel")) {
            Sink sink = new Sink(started);
            InetSocketAddress at = sink.address();
            Tcp client = started.submit(() -> new Tcp(started)).get(10, TimeUnit.SECONDS);
            // the loop is held by a task, so the connect handed to it waits behind that task and is
            // cancelled before it can be done
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            started.execute(() -> {
                holding.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            CompletableFuture<Tcp> connect = client.connectAsync(at);
            boolean cancelled = connect.cancel(true);
            hold.countDown();
            assertTrue(cancelled, "the connect could not have completed while the loop was held");
            assertTrue(connect.isCancelled());
            assertThrows(CancellationException.class, connect::join);
            assertTrue(client.isOpen(), "cancelling the future closes nothing");
            // the connect went on: the stream works once it is done
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!started.submit(client::isWritable).get(10, TimeUnit.SECONDS)) {
                assertTrue(System.nanoTime() < deadline, "the connect never completed");
                Thread.sleep(5);
            }
            started.submit(() -> {
                client.write("after".getBytes());
                client.shutdown(null);
                return null;
            }).get(10, TimeUnit.SECONDS);
            assertArrayEquals("after".getBytes(), sink.received.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void onTheIdleLoopAFutureStartsAtOnce() throws Exception {
        Tcp t = new Tcp(loop);
        t.close();
        CompletableFuture<Void> f = t.writeAsync(new byte[1]);
        loop.run();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertEquals("ECANCELED", assertInstanceOf(UvException.class, e.getCause()).name());
    }
}
