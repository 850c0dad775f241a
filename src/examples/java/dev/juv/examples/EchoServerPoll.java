package dev.juv.examples;

import dev.juv.Async;
import dev.juv.Loop;
import dev.juv.Poll;
import dev.juv.Signal;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A TCP echo server whose sockets are plain descriptors from the C library, each driven by a
 * {@link Poll}: what {@code Poll} is for, driving descriptors other code owns.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.EchoServerPoll [host] [port]</pre>
 * The defaults are 127.0.0.1 and 9876. It prints {@code Listening on <host>:<port>} when ready,
 * {@code <peer>: ready} and {@code <peer>: closed} per connection, and on SIGINT or SIGTERM
 * {@code Stopped!}, exiting 0. Linux and macOS only.
 */
public final class EchoServerPoll {
    private EchoServerPoll() {}

    private static final int BUFFER = 64 * 1024;

    /** One accepted connection: its descriptor, its poll and the bytes still to echo. */
    private static final class Connection {
        final int fd;
        final String peer;
        final Poll poll;
        final Arena arena = Arena.ofConfined();
        final MemorySegment buffer = arena.allocate(BUFFER);
        final MemorySegment errno = PosixSockets.callState(arena);
        long pending;
        int watching;
        boolean closing;

        Connection(Loop loop, PosixSockets.Accepted accepted) {
            this.fd = accepted.fd();
            this.peer = accepted.peer().getAddress().getHostAddress() + ":" + accepted.peer().getPort();
            this.poll = new Poll(loop, fd);
        }

        void start() {
            watch(Poll.READABLE);
            System.out.println(peer + ": ready");
        }

        void onEvents(int events) {
            if ((events & Poll.READABLE) != 0 && pending < BUFFER) {
                long n = PosixSockets.recv(fd, buffer.asSlice(pending), errno);
                if (n == 0) {
                    close();
                    return;
                }
                if (n > 0) {
                    pending += n;
                }
            }
            if ((events & Poll.WRITABLE) != 0 && pending > 0) {
                long n = PosixSockets.send(fd, buffer.asSlice(0, pending), errno);
                if (n > 0) {
                    MemorySegment.copy(buffer, n, buffer, 0, pending - n);
                    pending -= n;
                }
            }
            watch((pending < BUFFER ? Poll.READABLE : 0) | (pending > 0 ? Poll.WRITABLE : 0));
        }

        private void watch(int events) {
            if (events != watching) {
                watching = events;
                poll.start(events, (p, ev, error) -> {
                    if (error != null) {
                        System.err.println(peer + ": " + error.getMessage());
                        close();
                    } else {
                        try {
                            onEvents(ev);
                        } catch (IllegalStateException e) {
                            System.err.println(peer + ": " + e.getMessage());
                            close();
                        }
                    }
                });
            }
        }

        /** Stops and closes the poll; the descriptor is closed only once the poll is closed. */
        void close() {
            if (closing) {
                return;
            }
            closing = true;
            poll.stop();
            poll.close(h -> {
                PosixSockets.close(fd);
                arena.close();
                System.out.println(peer + ": closed");
                CONNECTIONS.remove(this);
            });
        }
    }

    private static final Set<Connection> CONNECTIONS = new LinkedHashSet<>();

    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9876;
        int listenFd = PosixSockets.listen(new InetSocketAddress(InetAddress.getByName(host), port), 128);
        InetSocketAddress local = PosixSockets.localAddress(listenFd);
        try (Loop loop = new Loop()) {
            Poll server = new Poll(loop, listenFd);
            server.start(Poll.READABLE, (p, events, error) -> {
                if (error != null) {
                    System.err.println("listener: " + error.getMessage());
                    return;
                }
                PosixSockets.Accepted a;
                while ((a = PosixSockets.accept(listenFd)) != null) {
                    Connection c = new Connection(loop, a);
                    CONNECTIONS.add(c);
                    c.start();
                }
            });
            Signal sigint = new Signal(loop);
            Signal sigterm = new Signal(loop);
            Async stop = new Async(loop, async -> {
                async.close();
                sigint.close();
                sigterm.close();
                server.stop();
                server.close(h -> PosixSockets.close(listenFd));
                for (Connection c : List.copyOf(CONNECTIONS)) {
                    c.close();
                }
            });
            sigint.start((s, signum) -> stop.send(), Signal.SIGINT);
            sigterm.start((s, signum) -> stop.send(), Signal.SIGTERM);
            System.out.println("Listening on " + local.getAddress().getHostAddress() + ":" + local.getPort());
            System.out.flush();
            loop.run();
        }
        System.out.println("Stopped!");
    }
}
