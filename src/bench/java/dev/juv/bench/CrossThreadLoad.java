package dev.juv.bench;

import dev.juv.Loop;
import dev.juv.Timer;
import java.util.BitSet;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cross-thread load (R-L6 in the README's Reliability table): several threads hand tasks to one loop with
 * {@link Loop#execute}, each at a steady rate, while the loop runs on the calling thread. Every
 * task carries its thread and sequence number; the loop marks it in a bit set, so a task that
 * runs twice or never is seen. Prints one RESULT line; exit status 0 when every task ran
 * exactly once and a task offered after the loop closed was rejected.
 *
 * <pre>CrossThreadLoad [threads=4] [tasks-per-second-per-thread=10000] [seconds=60]</pre>
 */
public final class CrossThreadLoad {
    private CrossThreadLoad() {}

    /** What one run saw. */
    public record Result(int threads, long submitted, long ran, long duplicates, double seconds, long maxLagMs) {
        /** True when every submitted task ran exactly once. */
        public boolean exact() {
            return ran == submitted && duplicates == 0;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "RESULT mode=cross-thread threads=%d submitted=%d ran=%d duplicates=%d"
                    + " missing=%d seconds=%.3f tasks_per_s=%.0f max_producer_lag_ms=%d", threads, submitted, ran,
                    duplicates, submitted - ran, seconds, ran / seconds, maxLagMs);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 60;
        Loop loop = new Loop();
        Result r = run(loop, threads, rate, seconds);
        loop.close();
        boolean rejected;
        try {
            loop.execute(() -> { });
            rejected = false;
        } catch (RejectedExecutionException e) {
            rejected = true;
        }
        System.out.println(r + " rejected_after_close=" + (rejected ? 1 : 0));
        System.exit(r.exact() && rejected ? 0 : 1);
    }

    /**
     * Runs {@code threads} producers, each executing {@code perSecond} tasks a second on
     * {@code loop} for {@code seconds}, and runs the loop on the calling thread until all have
     * run. The loop must have no other active handle.
     */
    public static Result run(Loop loop, int threads, int perSecond, double seconds) throws InterruptedException {
        BitSet[] seen = new BitSet[threads];
        long[] duplicates = {0};
        AtomicLong submitted = new AtomicLong();
        AtomicLong maxLag = new AtomicLong();
        long total = (long) (perSecond * seconds);
        for (int t = 0; t < threads; t++) {
            seen[t] = new BitSet((int) total);
        }
        Timer keepAlive = new Timer(loop);
        keepAlive.start(t -> { }, 1000, 1000);
        Thread[] producers = new Thread[threads];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int id = t;
            producers[t] = new Thread(() -> {
                // batches every 10 ms, each due at its slot; a late batch is sent at once
                long perBatch = Math.max(1, perSecond / 100);
                long seq = 0;
                for (long batch = 0; seq < total; batch++) {
                    long due = start + TimeUnit.MILLISECONDS.toNanos(10 * batch);
                    long now = System.nanoTime();
                    if (due > now) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(due - now);
                        } catch (InterruptedException e) {
                            return;
                        }
                    } else {
                        maxLag.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(now - due), Math::max);
                    }
                    for (long k = 0; k < perBatch && seq < total; k++, seq++) {
                        int n = (int) seq;
                        loop.execute(() -> {
                            if (seen[id].get(n)) {
                                duplicates[0]++;
                            } else {
                                seen[id].set(n);
                            }
                        });
                        submitted.incrementAndGet();
                    }
                }
            }, "cross-thread-producer-" + t);
            producers[t].start();
        }
        Thread closer = new Thread(() -> {
            for (Thread p : producers) {
                try {
                    p.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // queued after every producer's last task, so it runs after them
            loop.execute(keepAlive::close);
        }, "cross-thread-closer");
        closer.start();
        loop.run();
        closer.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long ran = 0;
        for (BitSet b : seen) {
            ran += b.cardinality();
        }
        return new Result(threads, submitted.get(), ran, duplicates[0], elapsed, maxLag.get());
    }
}
