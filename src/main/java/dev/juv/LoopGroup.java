package dev.juv;

import dev.juv.internal.Descriptors;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Several loops, each started on a thread of its own ({@link Loop#start}), so that a server uses
 * every core: {@link #next()} hands them out round robin, and {@link #listen} spreads the
 * connections of one listening address over all of them.
 */
public final class LoopGroup implements AutoCloseable {
    private final List<Loop> loops;
    private final AtomicInteger next = new AtomicInteger();

    private LoopGroup(List<Loop> loops) {
        this.loops = List.copyOf(loops);
    }

    /**
     * Starts {@code loops} loops, on threads named {@code namePrefix-0}, {@code namePrefix-1}...
     *
     * @param loops how many, at least 1
     * @param namePrefix the start of each thread's name
     * @return the running group
     * @throws IllegalArgumentException if {@code loops} is below 1
     */
    public static LoopGroup start(int loops, String namePrefix) {
        return start(loops, namePrefix, LoopOptions.defaults());
    }

    /**
     * Starts {@code loops} loops made with {@code options}, on threads named
     * {@code namePrefix-0}, {@code namePrefix-1}...
     *
     * @param loops how many, at least 1
     * @param namePrefix the start of each thread's name
     * @param options how each loop is set up
     * @return the running group
     * @throws IllegalArgumentException if {@code loops} is below 1
     * @throws UvException if a loop cannot be made; those already started are closed
     */
    public static LoopGroup start(int loops, String namePrefix, LoopOptions options) {
        Objects.requireNonNull(options, "options");
        if (loops < 1) {
            throw new IllegalArgumentException("a loop group needs at least one loop, not " + loops);
        }
        Objects.requireNonNull(namePrefix, "namePrefix");
        List<Loop> started = new ArrayList<>(loops);
        try {
            for (int i = 0; i < loops; i++) {
                started.add(Loop.start(namePrefix + "-" + i, options));
            }
        } catch (RuntimeException | Error e) {
            for (Loop l : started) {
                try {
                    l.close();
                } catch (RuntimeException | Error again) {
                    e.addSuppressed(again);
                }
            }
            throw e;
        }
        return new LoopGroup(started);
    }

    /**
     * The next loop, round robin.
     *
     * @return one of the group's loops
     */
    public Loop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    /**
     * The group's loops, in the order of their threads' names.
     *
     * @return an unmodifiable list
     */
    public List<Loop> loops() {
        return loops;
    }

    /**
     * Listens on {@code address} and spreads its connections over the group's loops, round
     * robin: each connection lives on one loop, and {@code onConnection} runs on that loop's
     * thread with the loop and the connected {@link Tcp}. The first loop accepts every
     * connection; one meant for another loop is handed over as a duplicate of its socket
     * descriptor (libuv 1.44 has no SO_REUSEPORT), and the accepting loop closes its own copy.
     * A connection that cannot be handed over (the target loop closed, descriptors exhausted) is
     * closed.
     *
     * @param address the address to bind; port 0 picks a free one
     * @param backlog the listen backlog
     * @param onConnection runs on the connection's loop with that loop and the connection
     * @return the bound address (with the port chosen when 0 was asked for)
     * @throws UvException if binding or listening fails
     */
    public InetSocketAddress listen(InetSocketAddress address, int backlog, BiConsumer<Loop, Tcp> onConnection) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(onConnection, "onConnection");
        Loop acceptor = loops.get(0);
        CompletableFuture<InetSocketAddress> bound = acceptor.submit(() -> {
            Tcp server = new Tcp(acceptor);
            try {
                server.bind(address);
                server.listen(backlog, (s, error) -> {
                    if (error != null) {
                        return;
                    }
                    Tcp client = new Tcp(acceptor);
                    try {
                        s.accept(client);
                    } catch (RuntimeException e) {
                        client.close();
                        return;
                    }
                    handOver(client, next(), onConnection);
                });
                return server.localAddress();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
        });
        try {
            return bound.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** On the accepting loop: gives {@code client} to {@code target}. */
    private static void handOver(Tcp client, Loop target, BiConsumer<Loop, Tcp> onConnection) {
        Loop acceptor = client.loop();
        if (target == acceptor) {
            onConnection.accept(target, client);
            return;
        }
        int dup = Descriptors.duplicate(client.fileno());
        client.close();
        if (dup < 0) {
            return; // EMFILE: the connection is dropped, the server goes on
        }
        try {
            target.execute(() -> {
                Tcp moved = null;
                try {
                    // refused when the target loop is closing: the task still runs, inside its close()
                    moved = new Tcp(target);
                    moved.open(dup);
                } catch (RuntimeException | Error e) {
                    if (moved != null) {
                        moved.close();
                    }
                    Descriptors.closeQuietly(dup);
                    throw e;
                }
                onConnection.accept(target, moved);
            });
        } catch (RejectedExecutionException closed) {
            Descriptors.closeQuietly(dup);
        }
    }

    /**
     * Closes every loop (each closes its handles and ends its thread); from any thread but the
     * group's own.
     */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Loop l : loops) {
            try {
                l.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
