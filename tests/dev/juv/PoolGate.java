package dev.juv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Occupies every thread of juv's pool with a {@link Loop#queueWork} task waiting on a latch, so
 * that requests queued next wait for a thread (and can be cancelled) until {@link #close()}.
 * Made on the loop's thread or with the loop idle; the tasks report to the loop when released.
 */
final class PoolGate implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);

    PoolGate(Loop loop) throws InterruptedException {
        int n = dev.juv.programs.ExitWithPending.poolSize();
        CountDownLatch started = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            loop.queueWork(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, null);
        }
        assertTrue(started.await(10, TimeUnit.SECONDS), "every pool thread took a task");
    }

    /** Waits until the started loop {@code l} has no request outstanding (its gate's included). */
    static void awaitDrained(Loop l) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (l.submit(l::outstandingRequests).get(10, TimeUnit.SECONDS) != 0) {
            assertTrue(System.nanoTime() < deadline, "requests still outstanding");
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        release.countDown();
    }
}
