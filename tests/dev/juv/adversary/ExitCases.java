package dev.juv.adversary;

import dev.juv.ChildProcess;
import dev.juv.Dns;
import dev.juv.Fs;
import dev.juv.Loop;
import dev.juv.ProcessOptions;
import dev.juv.Signal;
import dev.juv.Sys;
import dev.juv.Timer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * System.exit with every kind of request pending: the case sets the scene, prints its verdict
 * and calls System.exit; the parent requires the JVM gone within 3 s of the verdict. Blocking
 * requests are fs opens and reads of a FIFO that nobody writes to (one or all four of libuv's
 * pool threads); the others (stat, DNS, random...) wait in the pool's queue behind them.
 */
final class ExitCases {
    private ExitCases() {}

    static final long EXIT_BOUND_MS = 3000;
    static final int POOL = 4;

    static void register(Catalogue c) {
        exit(c, "fs-open-fifo-blocked", "an async Fs.open of a FIFO without writer blocks a pool thread", loop -> blockOpens(loop, 1));
        exit(c, "fs-read-fifo-blocked", "an async Fs.read of an empty FIFO blocks a pool thread", ExitCases::blockRead);
        exit(c, "fs-pool-saturated-stat-queued", "all pool threads blocked, an Fs.stat queued", loop -> {
            blockOpens(loop, POOL);
            Fs.stat(loop, ".", (s, e) -> {});
        });
        exit(c, "dns-queued", "all pool threads blocked, a getaddrinfo queued", loop -> {
            blockOpens(loop, POOL);
            Dns.getaddrinfo(loop, "localhost", null, (l, e) -> {});
        });
        exit(c, "getnameinfo-queued", "all pool threads blocked, a getnameinfo queued", loop -> {
            blockOpens(loop, POOL);
            Dns.getnameinfo(loop, new InetSocketAddress("127.0.0.1", 80), 0, (h, s, e) -> {});
        });
        exit(c, "dns-in-flight", "a getaddrinfo of localhost just submitted", loop ->
                Dns.getaddrinfo(loop, "localhost", null, (l, e) -> {}));
        exit(c, "random-queued", "all pool threads blocked, a random request queued", loop -> {
            blockOpens(loop, POOL);
            Sys.random(loop, 64, (b, e) -> {});
        });
        exit(c, "random-large-in-flight", "a random request of the largest length (64 MiB) in flight", loop -> {
            Sys.random(loop, Sys.MAX_RANDOM_LENGTH, (b, e) -> {});
            Kit.sleep(100);
        });
        exit(c, "work-blocked", "a queueWork body that never returns", loop -> {
            loop.queueWork(() -> Kit.sleep(600_000), null);
            Kit.sleep(100);
        });
        exit(c, "child-running", "a spawned child still running", loop ->
                ChildProcess.spawn(loop, ProcessOptions.command("sleep", "30"), (p, s, g) -> {}));
        exit(c, "signal-watched", "SIGTERM and SIGINT watched, a fs open blocked", loop -> {
            new Signal(loop).start((h, n) -> {}, Signal.SIGTERM);
            new Signal(loop).start((h, n) -> {}, Signal.SIGINT);
            blockOpens(loop, 1);
        });
        exit(c, "default-loop-fs-blocked", "a blocked fs open on the default loop", loop -> blockOpens(Loop.defaultLoop(), 1));
        c.add("exit-from-callback-fs-blocked", "System.exit inside a timer callback while a fs open blocks", 15, EXIT_BOUND_MS,
                List.of(), ExitCases::exitFromCallback);
        c.add("exit-loop-running-elsewhere-fs-blocked", "System.exit while another thread runs the loop and a fs open blocks", 15,
                EXIT_BOUND_MS, List.of(), ExitCases::exitWhileRunning);
        c.add("exit-hook-closes-loop-fs-blocked", "a shutdown hook that closes the loop while a fs open blocks", 15, EXIT_BOUND_MS,
                List.of(), ExitCases::exitHookCloses);
    }

    /** Prepares the scene on a new loop. */
    @FunctionalInterface
    interface Scene {
        void set(Loop loop) throws Exception;
    }

    private static void exit(Catalogue c, String name, String what, Scene scene) {
        c.add(name, "System.exit returns within " + EXIT_BOUND_MS / 1000 + " s with " + what, 15, EXIT_BOUND_MS, List.of(), () -> {
            Loop loop = new Loop();
            scene.set(loop);
            Kit.sleep(200);
            Cases.pass(Cases.VERDICT + "pass exit/" + name + " exiting now");
            return "unreachable";
        });
    }

    private static Path fifo;

    private static synchronized Path fifo() throws Exception {
        if (fifo == null) {
            fifo = Kit.fifo(Kit.tempDir(), "nobody-writes");
        }
        return fifo;
    }

    static void blockOpens(Loop loop, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Fs.open(loop, fifo().toString(), Fs.O_RDONLY, 0, (fd, e) -> {});
        }
    }

    static void blockRead(Loop loop) throws Exception {
        int fd = Fs.open(fifo().toString(), Fs.O_RDWR, 0);
        Fs.read(loop, fd, 16, -1, (b, e) -> {});
    }

    static String exitFromCallback() throws Exception {
        Loop loop = new Loop();
        blockOpens(loop, 1);
        new Timer(loop).start(h -> Cases.pass(Cases.VERDICT + "pass exit/exit-from-callback-fs-blocked exiting in a callback"),
                200, 0);
        loop.run();
        return "unreachable";
    }

    static String exitWhileRunning() throws Exception {
        Loop loop = new Loop();
        blockOpens(loop, 1);
        Thread t = new Thread(loop::run, "loop");
        t.setDaemon(true);
        t.start();
        Kit.sleep(200);
        Cases.pass(Cases.VERDICT + "pass exit/exit-loop-running-elsewhere-fs-blocked exiting now");
        return "unreachable";
    }

    static String exitHookCloses() throws Exception {
        Loop loop = new Loop();
        blockOpens(loop, 1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                loop.close();
            } catch (RuntimeException expected) {
                // EBUSY: the request is still out
            }
        }));
        Kit.sleep(200);
        Cases.pass(Cases.VERDICT + "pass exit/exit-hook-closes-loop-fs-blocked exiting now");
        return "unreachable";
    }
}
