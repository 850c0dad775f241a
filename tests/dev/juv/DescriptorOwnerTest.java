package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.internal.Descriptors;
import dev.juv.support.Child;
import dev.juv.support.ChildIo;
import dev.juv.support.CleanupGate;
import dev.juv.support.TestLibc;
import dev.juv.support.TestPty;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Descriptors have owners: closing or adopting a descriptor that a live juv handle or loop owns
 * is an {@link IllegalArgumentException} naming the owner, a released number is never refused,
 * and a {@link Poll} survives its descriptor being closed under it. Every sequence that used to
 * make libuv abort the process runs in its own JVM ({@link Cases}), so a regression shows as a
 * dead child, not a dead test run.
 */
@Timeout(120)
class DescriptorOwnerTest extends UvTestCase {
    static {
        Child.warmUp();
        ChildIo.takeLazyDescriptors();
    }

    // ---- in each case's own JVM ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close-reading-stream", "close-backend", "tty-on-pipe", "adopt-owned",
        "poll-on-owned", "poll-fd-closed-while-active", "poll-documented-order", "async-close-then-adopt",
        "spawn-pipe", "loop-init-emfile", "every-call-against-every-owner"})
    void theCaseEndsInRefusalsNotInACrash(String name) throws Exception {
        assumeTrue(TestLibc.SUPPORTED, "the cases use the C library's sockets (Linux, macOS)");
        try (Child c = Child.start(Cases.class.getName(), name)) {
            int status = c.waitFor(Duration.ofSeconds(90));
            c.assertNoCrash();
            assertEquals(0, status, "exit status; output:\n" + c.output());
            assertTrue(c.output().contains("DONE " + name), "the case did not finish:\n" + c.output());
        }
    }

    /** The adversarial sequences, one per JVM: {@code main(caseName)}; exit 0 and "DONE name" when all held. */
    public static final class Cases {
        private Cases() {}

        public static void main(String[] args) throws Throwable {
            String name = args[0];
            switch (name) {
                case "close-reading-stream" -> closeReadingStream();
                case "close-backend" -> closeBackend();
                case "tty-on-pipe" -> ttyOnPipe();
                case "adopt-owned" -> adoptOwned();
                case "poll-on-owned" -> pollOnOwned();
                case "poll-fd-closed-while-active" -> pollFdClosedWhileActive();
                case "poll-documented-order" -> pollDocumentedOrder();
                case "async-close-then-adopt" -> asyncCloseThenAdopt();
                case "spawn-pipe" -> spawnPipe();
                case "loop-init-emfile" -> loopInitEmfile();
                case "every-call-against-every-owner" -> everyCallAgainstEveryOwner();
                default -> throw new IllegalArgumentException(name);
            }
            System.out.println("DONE " + name);
            System.out.flush();
        }

        static void refused(String what, String owner, Runnable call) {
            try {
                call.run();
            } catch (IllegalArgumentException e) {
                if (!e.getMessage().contains(owner)) {
                    throw new IllegalStateException(what + ": the refusal does not name " + owner + ": " + e.getMessage());
                }
                System.out.println("REFUSED " + what + ": " + e.getMessage());
                return;
            }
            throw new IllegalStateException(what + " was accepted");
        }

        /** A connected TCP pair on {@code loop}: {server, client, accepted}. */
        static Tcp[] tcpPair(Loop loop) {
            Tcp server = new Tcp(loop);
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            Tcp[] out = new Tcp[3];
            out[0] = server;
            boolean[] connected = new boolean[1];
            server.listen(8, (s, e) -> {
                Tcp c = new Tcp(loop);
                s.accept(c);
                out[2] = c;
            });
            out[1] = new Tcp(loop);
            out[1].connect(server.localAddress(), (c, e) -> {
                if (e != null) {
                    throw e;
                }
                connected[0] = true;
            });
            while (out[2] == null || !connected[0]) {
                loop.run(RunMode.ONCE);
            }
            return out;
        }

        /** Writes to {@code from} and runs {@code loop} until {@code to} has read it: both still work. */
        static void stillWorks(Loop loop, Stream<?> from, Stream<?> to) {
            StringBuilder got = new StringBuilder();
            to.startRead((s, data, e) -> {
                if (data != null) {
                    got.append(StandardCharsets.UTF_8.decode(data));
                }
            });
            from.write("ping".getBytes(StandardCharsets.UTF_8));
            long end = System.nanoTime() + 10_000_000_000L;
            while (!got.toString().equals("ping")) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("no data; got '" + got + "'");
                }
                loop.run(RunMode.ONCE);
            }
            to.stopRead();
        }

        static void closeAll(Loop loop) {
            for (Handle h : loop.handles()) {
                h.close();
            }
            loop.run();
            loop.close();
        }

        static void closeReadingStream() {
            Loop loop = new Loop();
            Tcp[] p = tcpPair(loop);
            p[2].startRead((s, d, e) -> {});
            p[1].startRead((s, d, e) -> {});
            loop.run(RunMode.NOWAIT);
            int fd = p[2].fileno();
            refused("Fs.close(accepted.fileno())", "Tcp", () -> Fs.close(fd));
            refused("Fs.close(loop, accepted.fileno())", "Tcp", () -> Fs.close(loop, fd, (r, e) -> {}));
            refused("Fs.close(client.fileno())", "Tcp", () -> Fs.close(p[1].fileno()));
            refused("Fs.close(server.fileno())", "Tcp", () -> Fs.close(p[0].fileno()));
            p[2].stopRead();
            p[1].stopRead();
            stillWorks(loop, p[1], p[2]);
            stillWorks(loop, p[2], p[1]);
            closeAll(loop);
        }

        static void closeBackend() {
            Loop loop = new Loop();
            int fd = loop.backendFd();
            refused("Fs.close(loop.backendFd())", "backend", () -> Fs.close(fd));
            Loop other = new Loop();
            refused("Fs.close(loop, other.backendFd())", "backend", () -> Fs.close(other, fd, (r, e) -> {}));
            int[] fired = new int[1];
            new Timer(loop).start(t -> {
                fired[0]++;
                t.close();
            }, 1, 0);
            loop.run();
            if (fired[0] != 1) {
                throw new IllegalStateException("the timer did not fire");
            }
            loop.close();
            other.close();
            if (Descriptors.owner(fd) != null) {
                throw new IllegalStateException("the closed loop's backend is still recorded");
            }
        }

        /** A connected pipe pair on {@code loop} at {@code name}: {server, client, accepted}. */
        static Pipe[] pipePair(Loop loop, String name) {
            Pipe server = new Pipe(loop);
            server.bind(name);
            Pipe[] out = {server, new Pipe(loop), null};
            server.listen(4, (s, e) -> {
                out[2] = new Pipe(loop);
                s.accept(out[2]);
            });
            boolean[] connected = new boolean[1];
            out[1].connect(name, (c, e) -> connected[0] = e == null);
            while (out[2] == null || !connected[0]) {
                loop.run(RunMode.ONCE);
            }
            return out;
        }

        static void ttyOnPipe() throws Exception {
            Path dir = Files.createTempDirectory("juv-fds");
            Loop loop = new Loop();
            Loop other = new Loop();
            Pipe[] pipes = pipePair(loop, dir.resolve("p").toString());
            Pipe server = pipes[0];
            Pipe client = pipes[1];
            Pipe[] accepted = {pipes[2]};
            client.startRead((s, d, e) -> {});
            loop.run(RunMode.NOWAIT);
            refused("new Tty(loop, pipe.fileno())", "Pipe", () -> new Tty(loop, client.fileno(), true));
            refused("new Tty(other, pipe.fileno())", "Pipe", () -> new Tty(other, accepted[0].fileno(), false));
            refused("new Tty(loop, server.fileno())", "Pipe", () -> new Tty(loop, server.fileno(), true));
            client.stopRead();
            stillWorks(loop, accepted[0], client);
            stillWorks(loop, client, accepted[0]);
            closeAll(loop);
            closeAll(other);
            Files.deleteIfExists(dir.resolve("p"));
            Files.deleteIfExists(dir);
        }

        static void adoptOwned() {
            Loop a = new Loop();
            Loop b = new Loop();
            Tcp[] p = tcpPair(a);
            p[2].startRead((s, d, e) -> {});
            Udp udp = new Udp(a);
            udp.bind(new InetSocketAddress("127.0.0.1", 0));
            udp.startRecv((u, from, d, f, e) -> {});
            Udp sender = new Udp(b);
            sender.send(new InetSocketAddress("127.0.0.1", 9), new byte[] {1}); // binds implicitly
            a.run(RunMode.NOWAIT);
            b.run(RunMode.NOWAIT);
            int conn = p[2].fileno();
            refused("Pipe.open(another loop's Tcp)", "Tcp", () -> new Pipe(b).open(conn));
            refused("Pipe.open(this loop's Tcp)", "Tcp", () -> new Pipe(a).open(conn));
            refused("Tcp.open(another loop's Tcp)", "Tcp", () -> new Tcp(b).open(conn));
            refused("Tcp.open(this loop's Tcp)", "Tcp", () -> new Tcp(a).open(p[1].fileno()));
            refused("Tcp.open(its own socket)", "Tcp", () -> p[1].open(p[1].fileno()));
            refused("Udp.open(another loop's Udp)", "Udp", () -> new Udp(b).open(udp.fileno()));
            refused("Udp.open(this loop's Udp)", "Udp", () -> new Udp(a).open(udp.fileno()));
            refused("Udp.open(a socket bound by its first send)", "Udp", () -> new Udp(a).open(sender.fileno()));
            refused("Udp.open(a Tcp's socket)", "Tcp", () -> new Udp(a).open(p[0].fileno()));
            refused("Tcp.open(another loop's backend)", "backend", () -> new Tcp(a).open(b.backendFd()));
            refused("Pipe.open(its own loop's backend)", "backend", () -> new Pipe(a).open(a.backendFd()));
            refused("Udp.open(a backend)", "backend", () -> new Udp(b).open(a.backendFd()));
            p[2].stopRead();
            stillWorks(a, p[1], p[2]);
            // the UDP socket still receives
            boolean[] got = new boolean[1];
            udp.startRecv((u, from, d, f, e) -> got[0] |= d != null && d.remaining() == 3);
            Udp probe = new Udp(a);
            probe.send(udp.localAddress(), new byte[] {1, 2, 3});
            long end = System.nanoTime() + 10_000_000_000L;
            while (!got[0] && System.nanoTime() < end) {
                a.run(RunMode.ONCE);
            }
            if (!got[0]) {
                throw new IllegalStateException("the UDP socket no longer receives");
            }
            closeAll(a);
            closeAll(b);
        }

        static void pollOnOwned() {
            Loop a = new Loop();
            Loop b = new Loop();
            Tcp[] p = tcpPair(a);
            Udp udp = new Udp(a);
            udp.bind(new InetSocketAddress("127.0.0.1", 0));
            refused("new Poll(loop, tcp.fileno())", "Tcp", () -> new Poll(a, p[2].fileno()));
            refused("new Poll(other, tcp.fileno())", "Tcp", () -> new Poll(b, p[1].fileno()));
            refused("new Poll(loop, udp.fileno())", "Udp", () -> new Poll(a, udp.fileno()));
            // a loop's backend may be watched (embedding), and the Poll's duplicate keeps it valid
            Poll embed = new Poll(b, a.backendFd());
            embed.start(Poll.READABLE, (poll, events, e) -> {});
            b.run(RunMode.NOWAIT);
            refused("Fs.close(the Poll's own descriptor)", "Poll", () -> {
                for (int fd = 3; fd < 4096; fd++) {
                    if (Descriptors.owner(fd) == embed) {
                        Fs.close(fd);
                    }
                }
                throw new IllegalStateException("no descriptor owned by the Poll");
            });
            closeAll(a);
            // the watched loop is gone: the embedding Poll still holds a valid duplicate
            embed.start(Poll.READABLE | Poll.WRITABLE, (poll, events, e) -> {});
            b.run(RunMode.NOWAIT);
            closeAll(b);
        }

        /** A raw socket connected to a juv server on {@code loop}; the server's side is accepted. */
        static int rawConnected(Loop loop, List<Tcp> keep) {
            Tcp server = new Tcp(loop);
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            keep.add(server);
            server.listen(8, (s, e) -> {
                Tcp c = new Tcp(loop);
                s.accept(c);
                keep.add(c);
            });
            int fd = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
            if (TestLibc.connect(fd, server.localAddress()) != 0) {
                throw new IllegalStateException("connect failed");
            }
            int before = keep.size();
            while (keep.size() == before) {
                loop.run(RunMode.ONCE);
            }
            return fd;
        }

        static void pollFdClosedWhileActive() {
            Loop loop = new Loop();
            List<Tcp> keep = new ArrayList<>();
            int fd = rawConnected(loop, keep);
            Poll poll = new Poll(loop, fd);
            int[] events = new int[1];
            poll.start(Poll.READABLE | Poll.WRITABLE, (p, ev, e) -> events[0] |= ev);
            loop.run(RunMode.NOWAIT);
            loop.run(RunMode.NOWAIT);
            // the owner closes its descriptor under the active Poll, then the Poll changes events
            if (TestLibc.close(fd) != 0) {
                throw new IllegalStateException("close failed");
            }
            poll.start(Poll.READABLE, (p, ev, e) -> {});
            loop.run(RunMode.NOWAIT);
            // the number comes back as another socket; the Poll must not mix the two up
            int again = rawConnected(loop, keep);
            System.out.println("old fd " + fd + ", new fd " + again);
            poll.stop();
            poll.start(Poll.WRITABLE, (p, ev, e) -> {});
            loop.run(RunMode.NOWAIT);
            Poll second = new Poll(loop, again);
            second.start(Poll.WRITABLE, (p, ev, e) -> p.stop());
            loop.run(RunMode.NOWAIT);
            poll.close();
            second.close();
            loop.run(RunMode.NOWAIT);
            TestLibc.close(again);
            closeAll(loop);
            if ((events[0] & Poll.WRITABLE) == 0) {
                throw new IllegalStateException("the Poll never saw its socket writable");
            }
        }

        static void pollDocumentedOrder() {
            Loop loop = new Loop();
            List<Tcp> keep = new ArrayList<>();
            // close(), then close the descriptor at once, before the close callback has run
            for (int i = 0; i < 20; i++) {
                int fd = rawConnected(loop, keep);
                Poll poll = new Poll(loop, fd);
                poll.start(Poll.READABLE | Poll.WRITABLE, (p, ev, e) -> {});
                loop.run(RunMode.NOWAIT);
                boolean[] closed = new boolean[1];
                poll.close(p -> closed[0] = true);
                if (TestLibc.close(fd) != 0) {
                    throw new IllegalStateException("close failed");
                }
                // a new socket most likely gets the same number, watched by a new Poll meanwhile
                int next = rawConnected(loop, keep);
                Poll reuse = new Poll(loop, next);
                reuse.start(Poll.WRITABLE, (p, ev, e) -> p.stop());
                loop.run(RunMode.NOWAIT);
                if (!closed[0]) {
                    loop.run(RunMode.NOWAIT);
                }
                reuse.close();
                TestLibc.close(next);
                loop.run(RunMode.NOWAIT);
            }
            // stop(), close the descriptor, and close the Poll later
            int fd = rawConnected(loop, keep);
            Poll poll = new Poll(loop, fd);
            poll.start(Poll.READABLE, (p, ev, e) -> {});
            loop.run(RunMode.NOWAIT);
            poll.stop();
            TestLibc.close(fd);
            loop.run(RunMode.NOWAIT);
            poll.close();
            closeAll(loop);
        }

        static void asyncCloseThenAdopt() {
            Loop loop = new Loop();
            int adopted = 0;
            int closedFirst = 0;
            for (int i = 0; i < 50; i++) {
                int fd = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
                AtomicReference<UvException> outcome = new AtomicReference<>();
                boolean[] done = new boolean[1];
                Fs.close(loop, fd, (r, e) -> {
                    outcome.set(e);
                    done[0] = true;
                });
                Tcp tcp = new Tcp(loop);
                boolean took;
                try {
                    tcp.open(fd);
                    took = true;
                    try {
                        tcp.startRead((s, d, e) -> {});
                    } catch (UvException notConnected) {
                        // watched all the same
                    }
                } catch (IllegalArgumentException | UvException e) {
                    took = false; // the pool closed it first
                }
                while (!done[0]) {
                    loop.run(RunMode.ONCE);
                }
                if (took) {
                    adopted++;
                    if (outcome.get() == null || outcome.get().code() != Errno.EBUSY) {
                        throw new IllegalStateException("the pool closed an adopted descriptor: " + outcome.get());
                    }
                } else {
                    closedFirst++;
                    if (outcome.get() != null) {
                        throw new IllegalStateException("close failed: " + outcome.get());
                    }
                }
                tcp.close();
                loop.run();
            }
            System.out.println("adopted first " + adopted + ", closed first " + closedFirst);
            loop.close();
        }

        static void spawnPipe() {
            Loop loop = new Loop();
            Pipe out = new Pipe(loop);
            int[] exits = new int[1];
            ChildProcess.spawn(loop, ProcessOptions.command("/bin/sh", "-c", "echo hi")
                    .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), (p, status, signal) -> {
                        exits[0]++;
                        p.close();
                    });
            StringBuilder got = new StringBuilder();
            out.startRead((s, d, e) -> {
                if (d != null) {
                    got.append(StandardCharsets.UTF_8.decode(d));
                } else {
                    s.close();
                }
            });
            refused("Fs.close(a spawn pipe)", "Pipe", () -> Fs.close(Descriptors.fileno(out.ptr)));
            loop.run();
            if (!got.toString().equals("hi\n") || exits[0] != 1) {
                throw new IllegalStateException("got '" + got + "', exits " + exits[0]);
            }
            loop.close();
        }

        /** A descriptor and who owns it, for the matrix. */
        record Owned(String what, int fd, String ownerName) {}

        /**
         * Every descriptor-taking call against the descriptor of every kind of owner: each is
         * refused, naming the owner, except a Poll on a loop's backend (embedding), which works.
         */
        static void everyCallAgainstEveryOwner() throws Exception {
            Loop loop = new Loop();
            Loop other = new Loop();
            List<Owned> owned = new ArrayList<>();
            Tcp[] p = tcpPair(loop);
            p[2].startRead((s, d, e) -> {});
            owned.add(new Owned("listening Tcp", p[0].fileno(), "Tcp"));
            owned.add(new Owned("connected Tcp", p[1].fileno(), "Tcp"));
            owned.add(new Owned("accepted, reading Tcp", p[2].fileno(), "Tcp"));
            Tcp early = new Tcp(loop, java.net.StandardProtocolFamily.INET);
            owned.add(new Owned("Tcp made with its socket", Descriptors.fileno(early.ptr), "Tcp"));
            Udp bound = new Udp(loop);
            bound.bind(new InetSocketAddress("127.0.0.1", 0));
            owned.add(new Owned("bound Udp", Descriptors.fileno(bound.ptr), "Udp"));
            Udp sent = new Udp(loop);
            sent.trySend(bound.localAddress(), new byte[] {1});
            owned.add(new Owned("Udp bound by its first send", Descriptors.fileno(sent.ptr), "Udp"));
            Udp receiving = new Udp(other);
            receiving.startRecv((u, from, d, f, e) -> {});
            owned.add(new Owned("receiving Udp of another loop", Descriptors.fileno(receiving.ptr), "Udp"));
            Tcp openedTcp = new Tcp(loop);
            int rawTcp = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
            openedTcp.open(rawTcp);
            owned.add(new Owned("Tcp.open'ed socket", rawTcp, "Tcp"));
            Udp openedUdp = new Udp(loop);
            int rawUdp = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_DGRAM);
            openedUdp.open(rawUdp);
            owned.add(new Owned("Udp.open'ed socket", rawUdp, "Udp"));
            Pipe openedPipe = new Pipe(other);
            int rawPipe = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
            openedPipe.open(rawPipe);
            owned.add(new Owned("Pipe.open'ed socket", rawPipe, "Pipe"));
            int rawTty = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
            Tty tty = new Tty(loop, rawTty, false);
            owned.add(new Owned("Tty on a socket", rawTty, "Tty"));
            Path dir = Files.createTempDirectory("juv-fds");
            Pipe[] pipes = pipePair(loop, dir.resolve("p").toString());
            Pipe server = pipes[0];
            Pipe client = pipes[1];
            Pipe[] accepted = {pipes[2]};
            owned.add(new Owned("listening Pipe", Descriptors.fileno(server.ptr), "Pipe"));
            owned.add(new Owned("connecting Pipe", Descriptors.fileno(client.ptr), "Pipe"));
            owned.add(new Owned("accepted Pipe", Descriptors.fileno(accepted[0].ptr), "Pipe"));
            Pipe childOut = new Pipe(loop);
            ChildProcess child = ChildProcess.spawn(loop, ProcessOptions.command("/bin/sh", "-c", "sleep 5")
                    .stdio(Stdio.ignore(), Stdio.pipe(childOut, Stdio.WRITABLE)), (c, st, sig) -> c.close());
            owned.add(new Owned("spawn pipe", Descriptors.fileno(childOut.ptr), "Pipe"));
            int rawPolled = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
            Poll polled = new Poll(loop, rawPolled);
            polled.start(Poll.WRITABLE, (pl, ev, e) -> {});
            for (int fd = 3; fd < 4096; fd++) {
                if (Descriptors.owner(fd) == polled) {
                    owned.add(new Owned("a Poll's duplicate", fd, "Poll"));
                }
            }
            owned.add(new Owned("this loop's backend", loop.backendFd(), "backend"));
            owned.add(new Owned("another loop's backend", other.backendFd(), "backend"));
            loop.run(RunMode.NOWAIT);
            other.run(RunMode.NOWAIT);

            Loop[] loops = {loop, other};
            int refusedCount = 0;
            int allowed = 0;
            for (Owned o : owned) {
                if (o.fd() < 0) {
                    throw new IllegalStateException(o.what() + " has no descriptor");
                }
                int fd = o.fd();
                String n = o.ownerName();
                refused("Fs.close(" + o.what() + ")", n, () -> Fs.close(fd));
                refused("Fs.close(loop, " + o.what() + ")", n, () -> Fs.close(loop, fd, (r, e) -> {}));
                refusedCount += 2;
                for (Loop l : loops) {
                    String on = (l == loop ? "" : "other ");
                    refused(on + "Tcp.open(" + o.what() + ")", n, () -> new Tcp(l).open(fd));
                    refused(on + "Pipe.open(" + o.what() + ")", n, () -> new Pipe(l).open(fd));
                    refused(on + "Udp.open(" + o.what() + ")", n, () -> new Udp(l).open(fd));
                    refused(on + "new Tty(" + o.what() + ")", n, () -> new Tty(l, fd, true));
                    refusedCount += 4;
                    if (n.equals("backend") && fd == l.backendFd()) {
                        // an event poll cannot watch itself (epoll says EINVAL): refused before libuv
                        refused("new Poll(" + o.what() + ") on its own loop", "itself", () -> new Poll(l, fd));
                        refusedCount++;
                    } else if (n.equals("backend")) {
                        Poll embed = new Poll(l, fd);
                        embed.start(Poll.READABLE, (pl, ev, e) -> {});
                        l.run(RunMode.NOWAIT);
                        embed.close();
                        allowed++;
                    } else {
                        refused(on + "new Poll(" + o.what() + ")", n, () -> new Poll(l, fd));
                        refusedCount++;
                    }
                }
            }
            System.out.println("owners " + owned.size() + ", refused " + refusedCount + ", allowed " + allowed);
            // everything still works, and closing it all frees every number
            stillWorks(loop, p[1], p[2]);
            stillWorks(loop, accepted[0], client);
            for (Loop l : loops) {
                for (Handle h : l.handles()) {
                    if (!(h instanceof ChildProcess)) {
                        h.close();
                    }
                }
            }
            child.kill(Signal.SIGTERM);
            loop.run();
            other.run();
            TestLibc.close(rawPolled);
            loop.close();
            other.close();
            for (Owned o : owned) {
                if (Descriptors.owner(o.fd()) != null) {
                    throw new IllegalStateException(o.what() + ": descriptor " + o.fd() + " still recorded as "
                            + Descriptors.owner(o.fd()));
                }
            }
            Files.deleteIfExists(dir.resolve("p"));
            Files.deleteIfExists(dir);
        }

        /** uv_loop_init failing with EMFILE at each of its steps leaves no descriptor behind. */
        static void loopInitEmfile() throws Throwable {
            // what runs while no descriptor is left must not need one to load its classes
            new Loop().close();
            try {
                Fs.open("/nonexistent/juv", Fs.O_RDONLY, 0);
            } catch (UvException expected) {
                System.out.println("warm: " + expected.code() + " " + Errno.EMFILE + " " + Errno.ENFILE);
            }
            int open = CleanupGate.openFds();
            if (TestLibc.setrlimit(TestLibc.RLIMIT_NOFILE, open + 64, open + 64) != 0) {
                throw new IllegalStateException("setrlimit failed");
            }
            int failures = 0;
            for (int spare = 0; spare <= 6; spare++) {
                int before = CleanupGate.openFds();
                List<Integer> filler = new ArrayList<>();
                while (true) {
                    try {
                        filler.add(Fs.open("/dev/null", Fs.O_RDONLY, 0));
                    } catch (UvException e) {
                        if (e.code() != Errno.EMFILE) {
                            throw e;
                        }
                        break;
                    }
                }
                for (int i = 0; i < spare && !filler.isEmpty(); i++) {
                    Fs.close(filler.remove(filler.size() - 1));
                }
                String result;
                try {
                    new Loop().close();
                    result = "the loop opened and closed";
                } catch (UvException e) {
                    if (e.code() != Errno.EMFILE && e.code() != Errno.ENFILE) {
                        throw e;
                    }
                    failures++;
                    result = e.getMessage();
                }
                for (int fd : filler) {
                    Fs.close(fd);
                }
                int after = CleanupGate.openFds();
                System.out.println(spare + " spare: " + result + "; " + before + " -> " + after);
                if (after != before) {
                    throw new IllegalStateException(spare + " spare descriptors: " + before + " open before new Loop(), "
                            + after + " after");
                }
            }
            if (failures < 2) {
                throw new IllegalStateException("uv_loop_init failed only " + failures + " times");
            }
            new Loop().close();
        }

    }

    // ---- in this JVM: nothing here can abort libuv even if ownership were lost ----

    @Test
    void aClosedStreamsNumberIsFreeBeforeItsCloseCallback() {
        for (int i = 0; i < 20; i++) {
            Tcp tcp = new Tcp(loop);
            tcp.bind(new InetSocketAddress("127.0.0.1", 0));
            int fd = tcp.fileno();
            assertTrue(Descriptors.owner(fd) == tcp, "the bound socket is recorded");
            tcp.close();
            assertNull(Descriptors.owner(fd), "uv_close closed the socket: the number is free");
            // most likely the same number again, now a file of the caller's
            int file = Fs.open("/dev/null", Fs.O_RDONLY, 0);
            Fs.close(file);
            loop.run();
        }
    }

    @Test
    void ownershipEndsWithTheHandleForEveryKind(@TempDir Path dir) {
        List<Handle> handles = new ArrayList<>();
        List<Integer> fds = new ArrayList<>();
        Consumer<Handle> add = h -> {
            // read without fileno(), which would record the descriptor itself
            int fd = Descriptors.fileno(h.ptr);
            assertTrue(fd >= 0, h + " has no descriptor");
            assertTrue(Descriptors.owner(fd) == h, h + ": descriptor " + fd + " not recorded");
            handles.add(h);
            fds.add(fd);
        };
        Tcp tcp = new Tcp(loop);
        tcp.bind(new InetSocketAddress("127.0.0.1", 0));
        add.accept(tcp);
        add.accept(new Tcp(loop, java.net.StandardProtocolFamily.INET));
        add.accept(new Udp(loop, java.net.StandardProtocolFamily.INET));
        Udp recv = new Udp(loop);
        recv.startRecv((u, from, d, f, e) -> {});
        add.accept(recv);
        Pipe pipe = new Pipe(loop);
        pipe.bind(dir.resolve("p").toString());
        add.accept(pipe);
        Tcp connecting = new Tcp(loop);
        connecting.connect(tcp.localAddress(), (c, e) -> {});
        add.accept(connecting);
        for (int i = 0; i < handles.size(); i++) {
            int fd = fds.get(i);
            Handle h = handles.get(i);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fs.close(fd));
            assertTrue(e.getMessage().contains(h.getClass().getSimpleName()), e.getMessage());
        }
        handles.forEach(Handle::close);
        for (int fd : fds) {
            assertNull(Descriptors.owner(fd), "descriptor " + fd + " still recorded after close");
        }
        loop.run();
    }

    @Test
    void handlesReceivedOverIpcAreRecordedWhenAccepted(@TempDir Path dir) {
        String name = dir.resolve("ipc").toString();
        // libuv does not listen on an IPC pipe: the two ends are IPC pipes, the listener is not
        Pipe server = new Pipe(loop);
        server.bind(name);
        Pipe[] accepted = new Pipe[1];
        server.listen(4, (s, e) -> {
            accepted[0] = new Pipe(loop, true);
            s.accept(accepted[0]);
        });
        Pipe client = new Pipe(loop, true);
        client.connect(name, (c, e) -> {});
        while (accepted[0] == null) {
            loop.run(RunMode.ONCE);
        }
        Tcp tcp = new Tcp(loop);
        tcp.bind(new InetSocketAddress("127.0.0.1", 0));
        Udp udp = new Udp(loop);
        udp.bind(new InetSocketAddress("127.0.0.1", 0));
        List<Handle> received = new ArrayList<>();
        accepted[0].startRead((s, d, e) -> {
            Pipe p = s;
            while (p.pendingCount() > 0) {
                Handle h = p.pendingType() == HandleType.TCP ? new Tcp(loop) : new Udp(loop);
                p.accept(h);
                received.add(h);
            }
        });
        client.write(new byte[] {1}, tcp, null);
        client.write(new byte[] {2}, udp, null);
        while (received.size() < 2) {
            loop.run(RunMode.ONCE);
        }
        for (Handle h : received) {
            int fd = Descriptors.fileno(h.ptr);
            assertTrue(Descriptors.owner(fd) == h, h + ": received descriptor " + fd + " not recorded");
            assertThrows(IllegalArgumentException.class, () -> Fs.close(fd));
        }
        for (Handle h : loop.handles()) {
            h.close();
        }
        loop.run();
    }

    @Test
    void aTerminalTtyOwnsItsReopenedDescriptorNotTheCallers() {
        TestPty pty = TestPty.open(80, 24);
        assumeTrue(pty != null, "no pseudo-terminal can be opened here");
        try {
            int slave = pty.openSlave();
            Tty tty = new Tty(loop, slave, false);
            int own = Descriptors.fileno(tty.ptr);
            assertTrue(Descriptors.owner(own) == tty, "the Tty's descriptor " + own + " is not recorded");
            if (own != slave) {
                assertNull(Descriptors.owner(slave), "the caller's descriptor stays the caller's");
            }
            assertThrows(IllegalArgumentException.class, () -> Fs.close(own));
            assertThrows(IllegalArgumentException.class, () -> new Tty(loop, own, true));
            tty.close();
            assertNull(Descriptors.owner(own));
            loop.run();
            if (own != slave) {
                TestLibc.close(slave);
            }
        } finally {
            pty.close();
        }
    }

    @Test
    void fsCloseOfOwnedAndFreeNumbersFromManyThreads() throws Exception {
        // file threads open and close their own descriptors while the loop thread makes and
        // closes sockets: numbers pass back and forth, and no closer may ever be refused
        int threads = 3;
        int rounds = 3000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> closers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        int fd = Fs.open("/dev/null", Fs.O_RDONLY, 0);
                        Fs.close(fd);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            th.start();
            closers.add(th);
        }
        start.countDown();
        int sockets = 0;
        while (closers.stream().anyMatch(Thread::isAlive)) {
            Tcp tcp = new Tcp(loop);
            tcp.bind(new InetSocketAddress("127.0.0.1", 0));
            Udp udp = new Udp(loop);
            udp.bind(new InetSocketAddress("127.0.0.1", 0));
            tcp.close();
            udp.close();
            loop.run();
            sockets++;
        }
        for (Thread th : closers) {
            th.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a closer was refused or failed", failure.get());
        }
        assertTrue(sockets > 0);
    }

    @Test
    void aSlowCloseHoldsUpOnlyItsOwnNumber() throws Exception {
        int fd = Fs.open("/dev/null", Fs.O_RDONLY, 0);
        CountDownLatch inClose = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // a close(2) that blocks, as on a network file system
        Thread slow = new Thread(() -> {
            try {
                Descriptors.closeUnowned(fd, "test", () -> {
                    inClose.countDown();
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return TestLibc.close(fd);
                });
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        slow.start();
        assertTrue(inClose.await(10, java.util.concurrent.TimeUnit.SECONDS));
        boolean[] sameNumberDone = {false};
        Thread same = new Thread(() -> {
            Descriptors.closeUnowned(fd, "test", () -> null);
            sameNumberDone[0] = true;
        });
        same.start();
        // handles open and close descriptors of every lock stripe meanwhile, without waiting
        long start = System.nanoTime();
        for (int i = 0; i < 128; i++) {
            Tcp tcp = new Tcp(loop);
            tcp.bind(new InetSocketAddress("127.0.0.1", 0));
            tcp.close();
        }
        loop.run();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        same.join(200);
        assertTrue(same.isAlive(), "a second close of the same number went ahead of the first");
        finish.countDown();
        slow.join(10_000);
        same.join(10_000);
        assertTrue(sameNumberDone[0], "the second close never ran");
        assertNull(failure.get());
        assertTrue(tookMs < 5_000, "handle closes waited for an unrelated close: " + tookMs + " ms");
        assertNull(Descriptors.owner(fd));
    }

    @Test
    void anAsyncCloseOfAFreeDescriptorClosesIt() {
        int fd = Fs.open("/dev/null", Fs.O_RDONLY, 0);
        UvException[] error = {null};
        boolean[] called = {false};
        Fs.close(loop, fd, (r, e) -> {
            called[0] = true;
            error[0] = e;
        });
        loop.run();
        assertTrue(called[0]);
        assertNull(error[0]);
        // a cancelled one leaves it open, and says so
        int fd2 = Fs.open("/dev/null", Fs.O_RDONLY, 0);
        UvException[] cancelError = {null};
        boolean cancelled = Fs.close(loop, fd2, (r, e) -> cancelError[0] = e).cancel();
        loop.run();
        if (cancelled) {
            assertEquals(Errno.ECANCELED, cancelError[0].code());
            Fs.close(fd2);
        } else {
            assertNull(cancelError[0]);
        }
    }

    @Test
    void opendirWithTooManyEntriesIsRefusedBeforeOpening(@TempDir Path dir) {
        int before = fdTable().size();
        for (int i = 0; i < 50; i++) {
            assertThrows(IllegalArgumentException.class, () -> Fs.opendir(dir.toString(), Integer.MAX_VALUE));
            assertThrows(IllegalArgumentException.class,
                    () -> Fs.opendir(loop, dir.toString(), Dir.MAX_ENTRIES + 1, (d, e) -> {}));
        }
        assertEquals(before, fdTable().size(), "descriptors leaked");
        try (Dir d = Fs.opendir(dir.toString(), Dir.MAX_ENTRIES)) {
            assertEquals(List.of(), Fs.readdir(d));
        }
    }

    @Test
    void aPollsUserDescriptorStaysTheCallersAndItsDuplicateIsClosedWithIt() {
        assumeTrue(TestLibc.SUPPORTED && Descriptors.canDuplicate(), "needs a C library socket and fcntl");
        int fd = TestLibc.socket(TestLibc.AF_INET, TestLibc.SOCK_STREAM);
        int before = fdTable().size();
        Poll poll = new Poll(loop, fd);
        assertEquals(fd, poll.fileno());
        assertNull(Descriptors.owner(fd), "the caller's descriptor is not juv's");
        assertEquals(before + 1, fdTable().size(), "one duplicate");
        poll.close();
        assertEquals(before, fdTable().size(), "the duplicate is closed by close()");
        loop.run();
        assertEquals(0, TestLibc.close(fd));
    }
}
