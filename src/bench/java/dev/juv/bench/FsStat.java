package dev.juv.bench;

import dev.juv.Fs;
import dev.juv.Loop;
import dev.juv.Stat;
import dev.juv.Sys;
import dev.juv.UvException;

/** The fs stat throughput benchmark: {@code concurrency} stats in flight until {@code count} are done. */
final class FsStat {
    private FsStat() {}

    private static long left;
    private static long done;
    private static long errors;

    static void run(long count, int concurrency, String path) {
        once(Math.min(count, 20_000), concurrency, path, false);
        once(count, concurrency, path, true);
    }

    private static void once(long count, int concurrency, String path, boolean print) {
        try (Loop loop = new Loop()) {
            left = count;
            done = 0;
            errors = 0;
            byte[] p = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Fs.Callback<Stat> cb = new Fs.Callback<>() {
                @Override
                public void call(Stat stat, UvException error) {
                    if (error != null) {
                        errors++;
                    }
                    done++;
                    if (left > 0) {
                        left--;
                        Fs.stat(loop, p, this);
                    }
                }
            };
            long a0 = Alloc.now();
            long t0 = Sys.hrtime();
            for (int i = 0; i < concurrency && left > 0; i++) {
                left--;
                Fs.stat(loop, p, cb);
            }
            loop.run();
            double s = (Sys.hrtime() - t0) / 1e9;
            long bytes = Alloc.now() - a0;
            if (print) {
                System.out.printf("RESULT bench=fsstat count=%d concurrency=%d errors=%d stats_per_s=%.0f"
                        + " heap_bytes_per_op=%.1f%n", done, concurrency, errors, done / s, (double) bytes / done);
            }
        }
    }
}
