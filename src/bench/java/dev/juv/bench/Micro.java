package dev.juv.bench;

import dev.juv.Async;
import dev.juv.Idle;
import dev.juv.Loop;
import dev.juv.Sys;
import dev.juv.Timer;
import java.util.concurrent.Semaphore;

/**
 * The juv side of the loop-level micro benchmarks; same arguments and output as
 * native/bench/micro.c, plus the Java heap bytes the loop thread allocated per operation.
 *
 * <pre>Micro timers|idle|async|asyncpp|fsstat n [...]</pre>
 */
public final class Micro {
    private Micro() {}

    public static void main(String[] args) throws Exception {
        String bench = args[0];
        long n = Long.parseLong(args[1]);
        // one unmeasured round so the JIT has compiled the paths being measured
        switch (bench) {
            case "timers" -> {
                timers(Math.min(n, 200_000), false);
                timers(n, true);
            }
            case "idle" -> {
                idle(Math.min(n, 1_000_000), false);
                idle(n, true);
            }
            case "async" -> {
                async(500, false);
                async(n, true);
            }
            case "asyncpp" -> {
                asyncPingPong(Math.min(n, 20_000), false);
                asyncPingPong(n, true);
            }
            case "fsstat" -> FsStat.run(n, Integer.parseInt(args[2]), args[3]);
            default -> throw new IllegalArgumentException("unknown benchmark " + bench);
        }
    }

    private static long fired;

    static void timers(long n, boolean print) {
        try (Loop loop = new Loop()) {
            Timer[] timers = new Timer[(int) n];
            fired = 0;
            long a0 = Alloc.now();
            long t0 = Sys.hrtime();
            for (int i = 0; i < n; i++) {
                Timer t = new Timer(loop);
                t.start(h -> fired++, i % 1000, 0);
                timers[i] = t;
            }
            long t1 = Sys.hrtime();
            loop.run();
            long t2 = Sys.hrtime();
            for (Timer t : timers) {
                t.close();
            }
            loop.run();
            long t3 = Sys.hrtime();
            long bytes = Alloc.now() - a0;
            if (print) {
                System.out.printf("RESULT bench=timers count=%d fired=%d setup_ms=%.1f run_ms=%.1f close_ms=%.1f"
                        + " total_ms=%.1f heap_bytes_per_op=%.1f%n", n, fired, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                        (t3 - t2) / 1e6, (t3 - t0) / 1e6, (double) bytes / n);
            }
        }
    }

    private static long idleLeft;

    static void idle(long n, boolean print) {
        try (Loop loop = new Loop()) {
            Idle idle = new Idle(loop);
            idleLeft = n;
            idle.start(h -> {
                if (--idleLeft == 0) {
                    h.stop();
                }
            });
            long a0 = Alloc.now();
            long t0 = Sys.hrtime();
            loop.run();
            long t1 = Sys.hrtime();
            long bytes = Alloc.now() - a0;
            idle.close();
            loop.run();
            if (print) {
                System.out.printf("RESULT bench=idle iterations=%d ns_per_iteration=%.1f heap_bytes_per_op=%.3f%n",
                        n, (t1 - t0) / (double) n, (double) bytes / n);
            }
        }
    }

    private static long callbacks;
    private static volatile boolean done;

    static void async(long ms, boolean print) throws InterruptedException {
        try (Loop loop = new Loop()) {
            callbacks = 0;
            done = false;
            Async async = new Async(loop, h -> callbacks++);
            Timer stopper = new Timer(loop);
            stopper.start(t -> {
                done = true;
                t.close();
                async.close();
            }, ms, 0);
            Thread sender = new Thread(() -> {
                try {
                    while (!done) {
                        async.send();
                    }
                } catch (IllegalStateException closed) {
                    // the handle closed between the check and the send: the run is over
                }
            });
            long a0 = Alloc.now();
            long t0 = Sys.hrtime();
            sender.start();
            loop.run();
            double s = (Sys.hrtime() - t0) / 1e9;
            long bytes = Alloc.now() - a0;
            done = true;
            sender.join();
            if (print) {
                System.out.printf("RESULT bench=async ms=%d callbacks=%d seconds=%.3f wakeups_per_s=%.0f"
                        + " heap_bytes_per_op=%.1f%n", ms, callbacks, s, callbacks / s,
                        callbacks == 0 ? 0.0 : (double) bytes / callbacks);
            }
        }
    }

    static void asyncPingPong(long n, boolean print) throws InterruptedException {
        try (Loop loop = new Loop()) {
            Semaphore sem = new Semaphore(0);
            callbacks = 0;
            Async async = new Async(loop, h -> {
                if (++callbacks == n) {
                    h.close();
                }
                sem.release();
            });
            Thread sender = new Thread(() -> {
                for (long i = 0; i < n; i++) {
                    async.send();
                    sem.acquireUninterruptibly();
                }
            });
            long a0 = Alloc.now();
            long t0 = Sys.hrtime();
            sender.start();
            loop.run();
            double s = (Sys.hrtime() - t0) / 1e9;
            long bytes = Alloc.now() - a0;
            sender.join();
            if (print) {
                System.out.printf("RESULT bench=asyncpp count=%d callbacks=%d seconds=%.3f wakeups_per_s=%.0f"
                        + " heap_bytes_per_op=%.1f%n", n, callbacks, s, callbacks / s, (double) bytes / n);
            }
        }
    }
}
