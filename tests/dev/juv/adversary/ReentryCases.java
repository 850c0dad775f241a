package dev.juv.adversary;

import static dev.juv.adversary.Kit.check;

import dev.juv.Async;
import dev.juv.Check;
import dev.juv.ChildProcess;
import dev.juv.Dns;
import dev.juv.Fs;
import dev.juv.FsEvent;
import dev.juv.FsPoll;
import dev.juv.Idle;
import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.Poll;
import dev.juv.Prepare;
import dev.juv.ProcessOptions;
import dev.juv.RunMode;
import dev.juv.Signal;
import dev.juv.Sys;
import dev.juv.Tcp;
import dev.juv.Timer;
import dev.juv.Udp;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Re-entering the loop from inside each kind of callback: {@code run()}, {@code run(NOWAIT)},
 * {@code run(ONCE)} and {@code close()} of the running loop must each throw
 * IllegalStateException; afterwards the loop carries on (a new timer fires) and cleans up.
 */
final class ReentryCases {
    private ReentryCases() {}

    /** Arms one callback of some kind on {@code loop}; {@code hit} must run inside it. */
    @FunctionalInterface
    interface Arm {
        void arm(Loop loop, Runnable hit) throws Exception;
    }

    static void register(Catalogue c) {
        kind(c, "timer", "timer callback", (loop, hit) -> new Timer(loop).start(h -> {
            hit.run();
            h.close();
        }, 0, 0));
        kind(c, "idle", "idle callback", (loop, hit) -> new Idle(loop).start(h -> {
            h.close();
            hit.run();
        }));
        kind(c, "prepare", "prepare callback", (loop, hit) -> new Prepare(loop).start(h -> {
            h.close();
            hit.run();
        }));
        kind(c, "check", "check callback", (loop, hit) -> {
            new Check(loop).start(h -> {
                h.close();
                hit.run();
            });
            new Timer(loop).start(h -> h.close(), 1, 0); // one iteration with a poll phase
        });
        kind(c, "async", "async callback", (loop, hit) -> new Async(loop, h -> {
            h.close();
            hit.run();
        }).send());
        kind(c, "signal", "signal callback (SIGUSR1 raised at itself)", (loop, hit) -> {
            Signal s = new Signal(loop);
            s.start((h, n) -> {
                h.close();
                hit.run();
            }, Signal.SIGUSR1);
            ChildProcess.kill(Sys.getpid(), Signal.SIGUSR1);
        });
        kind(c, "signal-oneshot", "one-shot signal callback", (loop, hit) -> {
            Signal s = new Signal(loop);
            s.startOneshot((h, n) -> {
                hit.run();
                h.close();
            }, Signal.SIGUSR1);
            ChildProcess.kill(Sys.getpid(), Signal.SIGUSR1);
        });
        kind(c, "poll", "poll callback (a FIFO opened read-write, WRITABLE)", (loop, hit) -> {
            Path fifo = Kit.fifo(Kit.tempDir(), "f");
            int fd = Fs.open(fifo.toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0);
            Poll p = new Poll(loop, fd);
            p.start(Poll.WRITABLE, (h, ev, err) -> {
                h.close(x -> Fs.close(fd));
                hit.run();
            });
        });
        kind(c, "tcp-read", "TCP read callback", (loop, hit) -> {
            Tcp[] pair = Kit.tcpPair(loop);
            pair[0].startRead((s, data, err) -> {
                pair[0].close();
                pair[1].close();
                hit.run();
            });
            pair[1].write(new byte[] {1, 2, 3});
        });
        kind(c, "pipe-read", "pipe read callback", (loop, hit) -> {
            Pipe[] pair = Kit.pipePair(loop, Kit.tempDir());
            pair[0].startRead((s, data, err) -> {
                pair[0].close();
                pair[1].close();
                hit.run();
            });
            pair[1].write(new byte[] {1, 2, 3});
        });
        kind(c, "write", "write callback", (loop, hit) -> {
            Tcp[] pair = Kit.tcpPair(loop);
            pair[1].write(new byte[] {1, 2, 3}, (s, err) -> {
                pair[0].close();
                pair[1].close();
                hit.run();
            });
        });
        kind(c, "shutdown", "shutdown callback", (loop, hit) -> {
            Tcp[] pair = Kit.tcpPair(loop);
            pair[1].shutdown((s, err) -> {
                pair[0].close();
                pair[1].close();
                hit.run();
            });
        });
        kind(c, "connect", "connect callback", (loop, hit) -> {
            Tcp server = new Tcp(loop);
            server.bind(Kit.LOOPBACK);
            server.listen(4, (s, e) -> {
                Tcp in = new Tcp(loop);
                s.accept(in);
                in.close();
                s.close();
            });
            Tcp client = new Tcp(loop);
            client.connect(server.localAddress(), (s, err) -> {
                s.close();
                hit.run();
            });
        });
        kind(c, "listen", "connection (listen) callback", (loop, hit) -> {
            Tcp server = new Tcp(loop);
            server.bind(Kit.LOOPBACK);
            Tcp client = new Tcp(loop);
            server.listen(4, (s, e) -> {
                Tcp in = new Tcp(loop);
                s.accept(in);
                in.close();
                s.close();
                client.close();
                hit.run();
            });
            client.connect(server.localAddress(), (s, err) -> {});
        });
        kind(c, "udp-recv", "UDP receive callback", (loop, hit) -> {
            Udp a = new Udp(loop);
            a.bind(Kit.LOOPBACK);
            Udp b = new Udp(loop);
            a.startRecv((u, from, data, flags, err) -> {
                if (data != null) {
                    a.close();
                    b.close();
                    hit.run();
                }
            });
            b.send(a.localAddress(), new byte[] {1, 2, 3});
        });
        kind(c, "udp-send", "UDP send callback", (loop, hit) -> {
            Udp a = new Udp(loop);
            a.bind(Kit.LOOPBACK);
            Udp b = new Udp(loop);
            b.send(a.localAddress(), new byte[] {1}, (u, err) -> {
                a.close();
                b.close();
                hit.run();
            });
        });
        kind(c, "fs", "fs request callback", (loop, hit) -> Fs.stat(loop, ".", (st, err) -> hit.run()));
        kind(c, "work-after", "queueWork after callback", (loop, hit) -> loop.queueWork(() -> {}, err -> hit.run()));
        kind(c, "work-body", "queueWork body, on a pool thread while the loop runs", (loop, hit) ->
                new Timer(loop).start(h -> {
                    h.close();
                    loop.queueWork(hit, null);
                }, 0, 0));
        kind(c, "getaddrinfo", "getaddrinfo callback", (loop, hit) ->
                Dns.getaddrinfo(loop, "localhost", null, (list, err) -> hit.run()));
        kind(c, "getnameinfo", "getnameinfo callback", (loop, hit) ->
                Dns.getnameinfo(loop, new InetSocketAddress("127.0.0.1", 80), 0, (host, svc, err) -> hit.run()));
        kind(c, "random", "random request callback", (loop, hit) -> Sys.random(loop, 16, (b, err) -> hit.run()));
        kind(c, "child-exit", "child process exit callback", (loop, hit) ->
                ChildProcess.spawn(loop, ProcessOptions.command("true"), (p, st, sig) -> {
                    p.close();
                    hit.run();
                }));
        kind(c, "fs-event", "FsEvent callback", (loop, hit) -> {
            Path dir = Kit.tempDir();
            FsEvent e = new FsEvent(loop);
            e.start(dir.toString(), 0, (h, name, ev, err) -> {
                if (!h.isClosing()) {
                    h.close();
                    hit.run();
                }
            });
            Files.writeString(dir.resolve("x"), "x");
        });
        kind(c, "fs-poll", "FsPoll callback", (loop, hit) -> {
            Path f = Kit.tempDir().resolve("x");
            Files.writeString(f, "x");
            FsPoll p = new FsPoll(loop);
            p.start(f.toString(), 20, (h, prev, cur, err) -> {
                if (!h.isClosing()) {
                    h.close();
                    hit.run();
                }
            });
            new Timer(loop).start(h -> {
                try {
                    Files.writeString(f, "longer content");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                h.close();
            }, 100, 0);
        });
        kind(c, "close-callback", "a handle's close callback", (loop, hit) -> new Timer(loop).close(h -> hit.run()));
        kind(c, "execute-task", "a task run by execute()", (loop, hit) -> loop.execute(hit));
        kind(c, "exception-handler", "the loop's exception handler", (loop, hit) -> {
            loop.setExceptionHandler(t -> hit.run());
            new Timer(loop).start(h -> {
                h.close();
                throw new IllegalArgumentException("thrown on purpose");
            }, 0, 0);
        });
    }

    private static void kind(Catalogue c, String name, String what, Arm arm) {
        c.add("run-close-in-" + name, "run()/run(NOWAIT)/run(ONCE)/close() inside the " + what
                + " throw IllegalStateException; the loop carries on", 15, () -> reenter(arm));
    }

    static String reenter(Arm arm) throws Exception {
        Loop loop = new Loop();
        List<String> bad = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger hits = new AtomicInteger();
        Runnable hit = () -> {
            probe(loop, bad);
            hits.incrementAndGet();
        };
        arm.arm(loop, hit);
        check(Kit.runUntil(loop, () -> hits.get() > 0, 8000), "the callback never ran");
        check(bad.isEmpty(), "re-entry accepted or wrong exception: " + bad);
        boolean[] fired = {false};
        new Timer(loop).start(h -> {
            fired[0] = true;
            h.close();
        }, 0, 0);
        check(Kit.runUntil(loop, () -> fired[0], 3000), "the loop no longer runs a timer after the re-entry attempts");
        String notes = Kit.cleanUp(loop);
        return "re-entry refused 4 of 4; " + notes;
    }

    private static void probe(Loop loop, List<String> bad) {
        Kit.expectIse(bad, "run()", loop::run);
        Kit.expectIse(bad, "run(NOWAIT)", () -> loop.run(RunMode.NOWAIT));
        Kit.expectIse(bad, "run(ONCE)", () -> loop.run(RunMode.ONCE));
        Kit.expectIse(bad, "close()", loop::close);
    }

}
