package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_async.py, and Async's cross-thread and closing rules. */
@Timeout(30)
@Tag(Tags.PYUV)
@Tag(Tags.THREADS)
class AsyncTest extends UvTestCase {

    // ---- pyuv parity ----

    @Test
    void sendFromOtherThreadRunsCallback() throws InterruptedException {
        AtomicInteger asyncCalls = new AtomicInteger();
        AtomicInteger threadStarts = new AtomicInteger();
        AtomicReference<Thread> sender = new AtomicReference<>();
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        Prepare prepare = new Prepare(loop);
        Async async = new Async(loop, a -> {
            if (asyncCalls.incrementAndGet() == 3) {
                a.close();
                prepare.close();
            }
        });
        prepare.start(p -> {
            if (sender.get() != null) {
                return;
            }
            threadStarts.incrementAndGet();
            Thread t = new Thread(() -> {
                try {
                    while (asyncCalls.get() < 3) {
                        async.send();
                        Thread.sleep(1);
                    }
                } catch (HandleClosedException closedMeanwhile) {
                    // the third callback closed the handle between our check and this send
                } catch (Throwable e) {
                    senderFailure.set(e);
                }
            }, "juv-async-sender");
            sender.set(t);
            t.start();
        });
        loop.run();
        sender.get().join(10_000);
        assertNull(senderFailure.get());
        assertEquals(3, asyncCalls.get());
        assertEquals(1, threadStarts.get());
    }

    @Test
    void sendWakesBlockedLoop() throws InterruptedException {
        AtomicInteger prepares = new AtomicInteger();
        AtomicInteger checks = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        Async async = new Async(loop, a -> {});
        Prepare prepare = new Prepare(loop);
        prepare.start(p -> {
            prepares.incrementAndGet();
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
                async.send();
            });
            started.add(t);
            t.start();
        });
        Check check = new Check(loop);
        check.start(c -> {
            checks.incrementAndGet();
            loop.stop();
        });
        loop.run();
        assertEquals(1, prepares.get());
        assertEquals(1, checks.get());
        for (Thread t : started) {
            t.join(10_000);
        }
        async.close();
        prepare.close();
        check.close();
        loop.run();
    }

    // ---- beyond pyuv ----

    @Test
    void sendBeforeRunRunsCallbackOnce() {
        AtomicInteger calls = new AtomicInteger();
        Async async = new Async(loop, a -> {
            calls.incrementAndGet();
            a.close();
        });
        async.send();
        async.send();
        loop.run();
        assertEquals(1, calls.get(), "sends before the loop gets to them merge into one callback");
    }

    @Test
    void sendAfterCloseIsRefused() {
        Async async = new Async(loop, a -> {});
        async.close();
        assertThrows(HandleClosedException.class, async::send, "while closing");
        loop.run();
        assertTrue(async.isClosed());
        assertThrows(HandleClosedException.class, async::send, "once closed");
    }

    @Test
    void nullCallbackIsRejected() {
        assertThrows(NullPointerException.class, () -> new Async(loop, null));
        assertEquals(List.of(), loop.handles(), "nothing was left half-made");
    }

    @Test
    void activeAsyncKeepsTheLoopAliveUntilUnref() {
        Async async = new Async(loop, a -> {});
        assertTrue(async.isActive(), "an async handle is active from creation");
        assertTrue(loop.isAlive());
        async.unref();
        assertFalse(loop.run());
        async.close();
        loop.run();
    }

    @Test
    void sendsFromManyThreadsAllArrive() throws InterruptedException {
        int threads = 4;
        int perThread = 1_000;
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads);
        Async async = new Async(loop, a -> {
            calls.incrementAndGet();
            if (done.getCount() == 0 && sent.get() == threads * perThread) {
                a.close();
            }
        });
        // a last send after every sender has finished guarantees one callback sees the total
        Timer finisher = new Timer(loop);
        finisher.start(t -> {
            if (done.getCount() == 0) {
                if (!async.isClosing()) {
                    async.send();
                }
                t.close();
            }
        }, 1, 1);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                for (int k = 0; k < perThread; k++) {
                    async.send();
                    sent.incrementAndGet();
                }
                done.countDown();
            });
            senders.add(t);
            t.start();
        }
        loop.run();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        for (Thread t : senders) {
            t.join(10_000);
        }
        assertEquals(threads * perThread, sent.get());
        assertTrue(calls.get() >= 1 && calls.get() <= threads * perThread + 1, "callbacks: " + calls.get());
        assertTrue(async.isClosed());
    }

    @Test
    void sendRacingCloseNeverCrashes() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            Async async = new Async(loop, a -> {});
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    for (int k = 0; k < 100; k++) {
                        async.send();
                    }
                } catch (HandleClosedException expected) {
                    // closed meanwhile: the only allowed failure
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            go.countDown();
            async.close();
            loop.run();
            t.join(10_000);
            assertNull(failure.get());
        }
    }
}
