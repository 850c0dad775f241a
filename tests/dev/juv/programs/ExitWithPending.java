package dev.juv.programs;

import dev.juv.Dns;
import dev.juv.Fs;
import dev.juv.Loop;
import dev.juv.Request;
import dev.juv.Sys;
import dev.juv.Timer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Leaves requests of every pooled kind pending and calls {@code System.exit(0)}: the JVM must end
 * at once. One asynchronous open of a FIFO without a writer (argument 0) per pool thread blocks the
 * whole pool; a getaddrinfo, a getnameinfo, a random and a work item then wait behind them.
 *
 * <p>Argument 1 says where the exit comes from: {@code callback} (a timer callback on the loop
 * thread, the loop still running), or {@code main} (the main thread, while another thread runs
 * the loop). Prints {@code BLOCKED n} (opens that had started, hence could not be cancelled),
 * {@code PENDING n} (callbacks not run yet), then {@code EXITING} and the time in milliseconds just before System.exit.
 */
public final class ExitWithPending {
    private ExitWithPending() {}

    public static void main(String[] args) throws Exception {
        String fifo = args[0];
        boolean fromMain = args[1].equals("main");
        int threads = poolSize();
        Loop loop = new Loop();
        AtomicInteger ran = new AtomicInteger();
        List<Request> opens = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            opens.add(Fs.open(loop, fifo, Fs.O_RDONLY, 0, (fd, e) -> ran.incrementAndGet()));
        }
        Dns.getaddrinfo(loop, "localhost", "80", (list, e) -> ran.incrementAndGet());
        Dns.getnameinfo(loop, new InetSocketAddress("127.0.0.1", 80), 0, (h, s, e) -> ran.incrementAndGet());
        Sys.random(loop, 64, (b, e) -> ran.incrementAndGet());
        loop.queueWork(ran::incrementAndGet, e -> ran.incrementAndGet());
        int queued = opens.size() + 4;
        Runnable report = () -> {
            int blocked = 0;
            for (Request r : opens) {
                if (!r.cancel()) {
                    blocked++;
                }
            }
            System.out.println("BLOCKED " + blocked);
            System.out.println("PENDING " + (queued - ran.get()));
            System.out.println("EXITING " + System.currentTimeMillis());
            System.out.flush();
        };
        if (fromMain) {
            Thread runner = new Thread(loop::run, "loop-runner");
            runner.setDaemon(true);
            runner.start();
            Thread.sleep(500);
            // the loop runs on another thread: ask it for the report, then exit from here
            java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
            loop.execute(() -> {
                report.run();
                reported.countDown();
            });
            reported.await();
            System.exit(0);
        } else {
            new Timer(loop).start(t -> {
                report.run();
                System.exit(0);
            }, 500, 0);
            loop.run();
        }
        System.out.println("the loop ended with requests pending");
        System.exit(1);
    }

    /** The number of threads in juv's pool, as it reads UV_THREADPOOL_SIZE. */
    public static int poolSize() {
        String env = System.getenv("UV_THREADPOOL_SIZE");
        try {
            return env == null ? 4 : Math.max(1, Math.min(1024, Integer.parseInt(env.trim())));
        } catch (NumberFormatException e) {
            return 4;
        }
    }
}
