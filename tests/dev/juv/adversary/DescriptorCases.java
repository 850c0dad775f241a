package dev.juv.adversary;

import static dev.juv.adversary.Kit.check;

import dev.juv.Async;
import dev.juv.ChildProcess;
import dev.juv.FsEvent;
import dev.juv.Fs;
import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.Poll;
import dev.juv.ProcessOptions;
import dev.juv.RunMode;
import dev.juv.Signal;
import dev.juv.Stdio;
import dev.juv.Tcp;
import dev.juv.Timer;
import dev.juv.Tty;
import dev.juv.Udp;
import dev.juv.UvException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Descriptors have owners: closing (Fs.close, sync and async) or adopting (new Tty, Pipe.open,
 * Tcp.open, Udp.open, new Poll) a descriptor that a live handle or a loop owns is an
 * IllegalArgumentException, and the owner keeps working afterwards.
 */
final class DescriptorCases {
    private DescriptorCases() {}

    /** Makes an owner on {@code loop} and returns its descriptor. */
    @FunctionalInterface
    interface Owner {
        int make(Loop loop) throws Exception;
    }

    /** Something done to a foreign descriptor from {@code loop}. */
    @FunctionalInterface
    interface Attack {
        void on(Loop loop, int fd) throws Exception;
    }

    static void register(Catalogue c) {
        Owner readingTcp = loop -> {
            Tcp[] p = Kit.tcpPair(loop);
            p[0].startRead((s, d, e) -> {});
            return p[0].fileno();
        };
        Owner listeningTcp = loop -> {
            Tcp s = new Tcp(loop);
            s.bind(Kit.LOOPBACK);
            s.listen(4, (x, e) -> {});
            return s.fileno();
        };
        Owner readingPipe = loop -> {
            Pipe[] p = Kit.pipePair(loop, Kit.tempDir());
            p[0].startRead((s, d, e) -> {});
            return p[0].fileno();
        };
        Owner receivingUdp = loop -> {
            Udp u = new Udp(loop);
            u.bind(Kit.LOOPBACK);
            u.startRecv((x, f, d, fl, e) -> {});
            return u.fileno();
        };
        Owner backend = Loop::backendFd;
        Owner childStdin = loop -> {
            Pipe in = new Pipe(loop);
            ChildProcess.spawn(loop, ProcessOptions.command("sleep", "2").stdio(Stdio.pipe(in, Stdio.READABLE),
                    Stdio.ignore(), Stdio.ignore()), (p, s, sig) -> p.close());
            return in.fileno();
        };
        String[][] owners = {{"reading-tcp", "a reading TCP stream's"}, {"listening-tcp", "a listening TCP server's"},
            {"reading-pipe", "a reading pipe's"}, {"receiving-udp", "a receiving UDP socket's"},
            {"backend", "the loop's backend (epoll)"}, {"child-stdin", "a child's stdin pipe's"}};
        Owner[] makers = {readingTcp, listeningTcp, readingPipe, receivingUdp, backend, childStdin};
        for (int i = 0; i < owners.length; i++) {
            Owner m = makers[i];
            c.add("fs-close-" + owners[i][0], "Fs.close of " + owners[i][1] + " descriptor: IllegalArgumentException; the owner still works", 15,
                    () -> attack(m, DescriptorCases::fsClose, false));
            c.add("fs-close-async-" + owners[i][0], "asynchronous Fs.close of " + owners[i][1] + " descriptor: IllegalArgumentException", 15,
                    () -> attack(m, DescriptorCases::fsCloseAsync, false));
        }
        Attack[] adopters = {DescriptorCases::tty, DescriptorCases::pipeOpen, DescriptorCases::tcpOpen,
            DescriptorCases::udpOpen, DescriptorCases::poll};
        String[] adopterNames = {"tty", "pipe-open", "tcp-open", "udp-open", "poll"};
        for (int i = 0; i < owners.length; i++) {
            if (owners[i][0].equals("child-stdin") || owners[i][0].equals("listening-tcp")) {
                continue;
            }
            Owner m = owners[i][0].equals("backend") ? backend : makers[i];
            String on = owners[i][0];
            c.add("adopt-" + on + "-same-loop", "new Tty / Pipe.open / Tcp.open / Udp.open / new Poll on " + owners[i][1]
                    + " descriptor, same loop: IllegalArgumentException each", 15, () -> adoptAll(m, adopters, adopterNames, false));
            if (on.equals("backend")) {
                // watching another loop's backend with a Poll is what uv_backend_fd is for (embedding)
                Attack[] adopting = java.util.Arrays.copyOf(adopters, adopters.length - 1);
                String[] adoptingNames = java.util.Arrays.copyOf(adopterNames, adopterNames.length - 1);
                c.add("adopt-" + on + "-other-loop", "new Tty / Pipe.open / Tcp.open / Udp.open on another loop's backend"
                        + " descriptor: IllegalArgumentException each", 15, () -> adoptAll(m, adopting, adoptingNames, true));
                c.add("poll-backend-other-loop", "a Poll of another loop's backend (embedding): accepted, and reports the"
                        + " inner loop's async wake-up", 15, DescriptorCases::embed);
                continue;
            }
            c.add("adopt-" + on + "-other-loop", "the same adoptions from another loop: IllegalArgumentException each", 15,
                    () -> adoptAll(m, adopters, adopterNames, true));
        }
        c.add("fs-close-tty-fd", "Fs.close of a descriptor a Tty adopted: IllegalArgumentException", 15,
                DescriptorCases::ttyOwned);
        c.add("loop-internal-fds", "Fs.close and adoption of the descriptors a loop opened for itself (eventfd, signal pipe, inotify): IllegalArgumentException", 15,
                DescriptorCases::internalFds);
        c.knownLimit("loop-internal-fds", "the descriptors libuv opens for itself (signal pipes, the async eventfd,"
                + " inotify, /dev/urandom) are recorded nowhere juv can read without libuv's private loop layout;"
                + " juv cannot tell them from the caller's own");
        c.add("fs-close-live-poll-fd", "Fs.close of a FIFO a live Poll watches: refused, or safe with the Poll stopped and closed afterwards", 15,
                DescriptorCases::livePoll);
        c.add("poll-documented-order", "stop and close the Poll, then Fs.close its descriptor, then poll a new descriptor with that number", 15,
                DescriptorCases::pollOrder);
        c.add("poll-twice-same-fd", "a second Poll on a descriptor a live Poll watches: IllegalArgumentException or EEXIST", 15,
                DescriptorCases::pollTwice);
        c.add("adopt-fd-of-closed-handle", "Tcp.open of the number a closed Tcp had: IllegalArgumentException or UvException, no crash", 15,
                DescriptorCases::closedHandleFd);
    }

    static String embed() throws Exception {
        Loop outer = new Loop();
        Loop inner = new Loop();
        boolean[] fired = {false};
        // an fd event of the inner loop (its async eventfd) makes the backend readable; a timer would not
        Async a = new Async(inner, x -> fired[0] = true);
        Poll p = new Poll(outer, inner.backendFd());
        p.start(Poll.READABLE, (h, ev, e) -> {
            inner.run(RunMode.NOWAIT);
            if (fired[0]) {
                h.close();
            }
        });
        inner.run(RunMode.NOWAIT); // libuv adds its watchers to the backend as the loop runs
        a.send();
        check(Kit.runUntil(outer, () -> fired[0], 3000), "the inner loop's async never ran through the outer loop");
        a.close();
        p.close();
        Kit.cleanUp(outer);
        Kit.cleanUp(inner);
        return "embedded";
    }

    static void fsClose(Loop loop, int fd) {
        Fs.close(fd);
    }

    /** What the callback of the last asynchronous close said: null until it runs. */
    private static volatile String asyncClose;

    static void fsCloseAsync(Loop loop, int fd) {
        asyncClose = null;
        Fs.close(loop, fd, (r, e) -> asyncClose = e == null ? "closed" : e.name());
    }

    static void tty(Loop loop, int fd) {
        new Tty(loop, fd, true);
    }

    static void pipeOpen(Loop loop, int fd) {
        adopt(new Pipe(loop), fd);
    }

    static void tcpOpen(Loop loop, int fd) {
        adopt(new Tcp(loop), fd);
    }

    static void udpOpen(Loop loop, int fd) {
        adopt(new Udp(loop), fd);
    }

    /** open(fd) on a new handle, which is closed again when it refuses or once it has adopted. */
    private static void adopt(dev.juv.Handle h, int fd) {
        try {
            switch (h) {
                case Pipe p -> p.open(fd);
                case Tcp t -> t.open(fd);
                case Udp u -> u.open(fd);
                default -> throw new IllegalArgumentException(h.toString());
            }
        } finally {
            if (!h.isClosing()) {
                h.close();
            }
        }
    }

    static void poll(Loop loop, int fd) {
        new Poll(loop, fd).start(Poll.READABLE, (h, ev, e) -> {});
    }

    /** The owner still works: a timer fires, and a TCP pair on the loop exchanges bytes. */
    private static void stillWorks(Loop loop) {
        Tcp[] p = Kit.tcpPair(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Kit.collect(p[0], got);
        p[1].write(new byte[] {7, 8, 9});
        check(Kit.runUntil(loop, () -> got.size() == 3, 3000), "a new connection on the loop no longer works");
        p[0].close();
        p[1].close();
    }

    static String attack(Owner owner, Attack attack, boolean otherLoop) throws Exception {
        Loop loop = new Loop();
        int fd = owner.make(loop);
        Loop from = otherLoop ? new Loop() : loop;
        String target = Kit.fdTarget(fd);
        Throwable t = Kit.outcome("the attack on owned descriptor " + fd + " (" + target + ")",
                () -> attack.on(from, fd), IllegalArgumentException.class);
        Kit.runBounded(from, 200);
        if (t == null) {
            // an asynchronous close may instead report its refusal to its callback, as an error
            String said = asyncClose;
            check(said != null && !said.equals("closed"), "the attack on owned descriptor " + fd + " (" + target
                    + ") was accepted" + (said == null ? "" : " and the callback said " + said)
                    + ", expected IllegalArgumentException");
        }
        Kit.runBounded(loop, 200);
        stillWorks(loop);
        Kit.cleanUp(loop);
        if (otherLoop) {
            Kit.cleanUp(from);
        }
        return t != null ? "refused" : "refused in the callback: " + asyncClose;
    }

    static String adoptAll(Owner owner, Attack[] attacks, String[] names, boolean otherLoop) throws Exception {
        Loop loop = new Loop();
        int fd = owner.make(loop);
        Loop from = otherLoop ? new Loop() : loop;
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < attacks.length; i++) {
            Attack a = attacks[i];
            try {
                a.on(from, fd);
                bad.add(names[i] + " accepted");
            } catch (IllegalArgumentException expected) {
                // the contract
            } catch (Throwable t) {
                bad.add(names[i] + " threw " + t);
            }
            Kit.runBounded(from, 100);
        }
        check(bad.isEmpty(), "descriptor " + fd + " (" + Kit.fdTarget(fd) + "): " + bad);
        stillWorks(loop);
        Kit.cleanUp(loop);
        if (otherLoop) {
            Kit.cleanUp(from);
        }
        return "refused " + attacks.length + " of " + attacks.length;
    }

    static String ttyOwned() throws Exception {
        Loop loop = new Loop();
        Path dir = Kit.tempDir();
        Path fifo = Kit.fifo(dir, "t");
        int fd = Fs.open(fifo.toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0);
        Tty t = new Tty(loop, fd, true);
        t.startRead((s, d, e) -> {});
        Kit.mustThrow("Fs.close of the Tty's descriptor", () -> Fs.close(fd), IllegalArgumentException.class);
        Kit.runBounded(loop, 100);
        Kit.cleanUp(loop);
        return "refused";
    }

    static String internalFds() throws Exception {
        Loop warm = new Loop();
        warm.close();
        List<Integer> before = Kit.fdList();
        Loop loop = new Loop();
        Signal s = new Signal(loop);
        s.start((h, n) -> {}, Signal.SIGUSR1);
        FsEvent ev = new FsEvent(loop);
        ev.start(Kit.tempDir().toString(), 0, (h, f, e, err) -> {});
        Timer t = new Timer(loop);
        t.start(h -> {}, 0, 0);
        Kit.runBounded(loop, 50);
        List<Integer> after = Kit.fdList();
        after.removeAll(before);
        List<String> bad = new ArrayList<>();
        for (int fd : after) {
            String target = Kit.fdTarget(fd);
            if (target.contains("juv-adv")) {
                continue;
            }
            Attack[] as = {DescriptorCases::fsClose, DescriptorCases::pipeOpen, DescriptorCases::tty, DescriptorCases::poll};
            String[] ns = {"Fs.close", "Pipe.open", "new Tty", "new Poll"};
            for (int i = 0; i < as.length; i++) {
                Attack a = as[i];
                try {
                    a.on(loop, fd);
                    bad.add(ns[i] + "(" + fd + " " + target + ") accepted");
                } catch (IllegalArgumentException expected) {
                    // the contract
                } catch (Throwable x) {
                    bad.add(ns[i] + "(" + fd + " " + target + ") threw " + x);
                }
                Kit.runBounded(loop, 20);
            }
        }
        check(!after.isEmpty(), "the loop opened no descriptor of its own?");
        check(bad.isEmpty(), bad.toString());
        stillWorks(loop);
        Kit.cleanUp(loop);
        return after.size() + " internal descriptors refused";
    }

    static String livePoll() throws Exception {
        Loop loop = new Loop();
        Path fifo = Kit.fifo(Kit.tempDir(), "p");
        int fd = Fs.open(fifo.toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0);
        Poll p = new Poll(loop, fd);
        p.start(Poll.READABLE, (h, ev, e) -> {});
        Kit.runBounded(loop, 20);
        Throwable t = Kit.outcome("Fs.close of the polled descriptor", () -> Fs.close(fd), IllegalArgumentException.class);
        int fd2 = Fs.open(fifo.toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0);
        Kit.runBounded(loop, 20);
        p.stop();
        p.close();
        Kit.runBounded(loop, 100);
        Poll q = new Poll(loop, fd2);
        q.start(Poll.WRITABLE, (h, ev, e) -> h.close());
        Kit.runBounded(loop, 500);
        Fs.close(fd2);
        if (t != null) {
            Fs.close(fd);
        }
        stillWorks(loop);
        Kit.cleanUp(loop);
        return t == null ? "accepted, then safe" : "refused";
    }

    static String pollOrder() throws Exception {
        Loop loop = new Loop();
        Path fifo = Kit.fifo(Kit.tempDir(), "p");
        int fd = Fs.open(fifo.toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0);
        Poll p = new Poll(loop, fd);
        p.start(Poll.READABLE, (h, ev, e) -> {});
        Kit.runBounded(loop, 20);
        p.stop();
        p.close();
        Kit.runBounded(loop, 100);
        Fs.close(fd);
        int fd2 = Fs.open(fifo.toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0);
        boolean[] fired = {false};
        Poll q = new Poll(loop, fd2);
        q.start(Poll.WRITABLE, (h, ev, e) -> {
            fired[0] = true;
            h.close();
        });
        check(Kit.runUntil(loop, () -> fired[0], 3000), "the new Poll never fired");
        Kit.cleanUp(loop);
        Fs.close(fd2);
        return "fd " + fd + " then " + fd2;
    }

    static String pollTwice() throws Exception {
        Loop loop = new Loop();
        Path fifo = Kit.fifo(Kit.tempDir(), "p");
        int fd = Fs.open(fifo.toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0);
        Poll p = new Poll(loop, fd);
        p.start(Poll.READABLE, (h, ev, e) -> {});
        Throwable t = Kit.mustThrow("a second Poll on the same descriptor", () -> new Poll(loop, fd).start(Poll.READABLE,
                (h, ev, e) -> {}), IllegalArgumentException.class, UvException.class);
        Kit.runBounded(loop, 50);
        Kit.cleanUp(loop);
        Fs.close(fd);
        return "refused: " + t;
    }

    static String closedHandleFd() throws Exception {
        Loop loop = new Loop();
        Tcp a = new Tcp(loop);
        a.bind(Kit.LOOPBACK);
        int fd = a.fileno();
        a.close();
        Kit.runBounded(loop, 50);
        Throwable t = Kit.outcome("Tcp.open of the closed handle's number", () -> tcpOpen(loop, fd),
                IllegalArgumentException.class, UvException.class);
        Kit.runBounded(loop, 50);
        stillWorks(loop);
        Kit.cleanUp(loop);
        return t == null ? "accepted (number reused?)" : "refused: " + t;
    }
}
