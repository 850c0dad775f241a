package dev.juv.adversary;

import static dev.juv.adversary.Kit.check;

import dev.juv.Async;
import dev.juv.Check;
import dev.juv.Fs;
import dev.juv.Handle;
import dev.juv.Idle;
import dev.juv.Loop;
import dev.juv.Prepare;
import dev.juv.RunMode;
import dev.juv.Tcp;
import dev.juv.Timer;
import dev.juv.UvException;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Storms of threads on idle and running loops. Each call either succeeds or throws
 * IllegalStateException (a closed handle's HandleClosedException is one); execute(), stop() and
 * Async.send() always work while the loop is open; afterwards the loop is consistent: what it
 * lists is exactly what was built and not closed, every listed handle closes, close() succeeds.
 */
final class ThreadCases {
    private ThreadCases() {}

    static void register(Catalogue c) {
        c.add("idle-timer-create-4-threads", "4 threads create and close timers on an idle loop for 1 s; the registry lists exactly the survivors", 20,
                () -> idleCreate(4, 1000));
        c.add("idle-mixed-8-threads", "8 threads create/start/stop/close handles, run(NOWAIT), handles(), execute(), stop() on an idle loop for 1.5 s", 25,
                () -> idleMixed(8, 1500, false));
        c.add("idle-mixed-8-threads-default-loop", "the same storm on the default loop", 25,
                () -> idleMixed(8, 1500, true));
        c.add("timer-ops-vs-run-nowait", "2 threads start/stop/again timers while a third calls run(NOWAIT) in a loop, 1.5 s", 20,
                ThreadCases::timerOpsVsRun);
        c.add("close-vs-run-nowait", "on fresh loops, round after round for 1.5 s: one thread calls run(NOWAIT) in a loop, another close() until it succeeds", 20,
                ThreadCases::closeVsRun);
        c.add("running-loop-foreign-calls", "6 threads call handle and loop methods of a running loop: all ISE; execute/Async.send always accepted, every task runs once", 20,
                ThreadCases::runningForeign);
        c.add("execute-vs-close", "4 threads execute() while the loop closes: each task runs exactly once or is rejected", 20,
                ThreadCases::executeVsClose);
        c.add("two-threads-run", "two threads call run() on one loop for 1 s: never both inside, the other gets ISE", 20,
                ThreadCases::twoThreadsRun);
        c.add("tcp-create-vs-handles", "threads create and close TCP sockets while another lists handles and runs the loop; descriptors come back", 20,
                ThreadCases::tcpStorm);
        c.add("fs-requests-from-threads", "4 threads issue fs requests on an idle loop that a fifth runs: callbacks == accepted", 20,
                ThreadCases::fsStorm);
        c.add("stop-storm", "4 threads call stop() while the loop runs in a loop for 1 s", 20, ThreadCases::stopStorm);
        c.add("four-loops-cross-calls", "4 loops on 4 threads; each thread tries the others' handles (ISE) and execute()s on them (runs once)", 20,
                ThreadCases::crossLoops);
        c.add("async-send-vs-close", "4 threads send() on an Async while it and its loop close", 20, ThreadCases::asyncVsClose);
        c.add("work-from-threads", "4 threads queueWork on an idle loop that a fifth runs: after-callbacks == accepted", 20,
                ThreadCases::workStorm);
    }

    /** One call of a storm: success or IllegalStateException; anything else is recorded. */
    private static boolean call(AtomicReference<Throwable> bad, Runnable r) {
        try {
            r.run();
            return true;
        } catch (IllegalStateException expected) {
            return false;
        } catch (Throwable t) {
            bad.compareAndSet(null, t);
            return false;
        }
    }

    private static void storm(int threads, long ms, java.util.function.IntConsumer body) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        for (int i = 0; i < threads; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (System.nanoTime() < end) {
                    body.accept(id);
                }
            }, "storm-" + i);
            t.setDaemon(true);
            ts.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : ts) {
            t.join(ms + 10_000);
            check(!t.isAlive(), "storm thread " + t.getName() + " is stuck");
        }
    }

    private static void checkBad(AtomicReference<Throwable> bad) {
        Throwable t = bad.get();
        if (t != null) {
            throw new Violation("a storm call threw " + t + " (neither success nor IllegalStateException)", t);
        }
    }

    static String idleCreate(int threads, long ms) throws Exception {
        Loop loop = new Loop();
        Set<Handle> alive = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> bad = new AtomicReference<>();
        AtomicInteger made = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        storm(threads, ms, id -> {
            Timer[] t = new Timer[1];
            if (call(bad, () -> t[0] = new Timer(loop))) {
                made.incrementAndGet();
                alive.add(t[0]);
                if ((made.get() & 1) == 0 && call(bad, t[0]::close)) {
                    alive.remove(t[0]);
                }
            } else {
                refused.incrementAndGet();
            }
        });
        checkBad(bad);
        Map<Handle, Boolean> listed = new IdentityHashMap<>();
        for (Handle h : loop.handles()) {
            listed.put(h, true);
        }
        int missing = 0;
        for (Handle h : alive) {
            if (!h.isClosing() && listed.remove(h) == null) {
                missing++;
            }
        }
        int extra = 0;
        for (Handle h : listed.keySet()) {
            if (!h.isClosing()) {
                extra++;
            }
        }
        check(missing == 0 && extra == 0, "registry inconsistent: " + missing + " open timer(s) not listed, " + extra
                + " listed that nobody built");
        Kit.cleanUp(loop);
        return made + " built, " + refused + " refused";
    }

    static String idleMixed(int threads, long ms, boolean defaultLoop) throws Exception {
        Loop loop = defaultLoop ? Loop.defaultLoop() : new Loop();
        List<Handle> handles = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> bad = new AtomicReference<>();
        AtomicLong accepted = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        AtomicLong ops = new AtomicLong();
        Random[] rnd = new Random[threads];
        for (int i = 0; i < threads; i++) {
            rnd[i] = new Random(1234 + i);
        }
        storm(threads, ms, id -> {
            Random r = rnd[id];
            ops.incrementAndGet();
            Handle pick = null;
            synchronized (handles) {
                if (!handles.isEmpty()) {
                    pick = handles.get(r.nextInt(handles.size()));
                }
            }
            Handle h = pick;
            switch (r.nextInt(12)) {
                case 0 -> call(bad, () -> handles.add(new Timer(loop)));
                case 1 -> call(bad, () -> handles.add(new Idle(loop)));
                case 2 -> call(bad, () -> handles.add(new Check(loop)));
                case 3 -> call(bad, () -> handles.add(new Prepare(loop)));
                case 4 -> call(bad, () -> handles.add(new Async(loop, a -> {})));
                case 5 -> {
                    if (h instanceof Timer t) {
                        call(bad, () -> t.start(x -> {}, 1, r.nextBoolean() ? 0 : 1));
                    } else if (h instanceof Idle i) {
                        call(bad, () -> i.start(x -> {}));
                    } else if (h instanceof Async a) {
                        call(bad, a::send);
                    }
                }
                case 6 -> {
                    if (h instanceof Timer t) {
                        call(bad, t::stop);
                    } else if (h instanceof Idle i) {
                        call(bad, i::stop);
                    }
                }
                case 7 -> {
                    if (h != null) {
                        call(bad, h::close);
                    }
                }
                case 8 -> call(bad, () -> loop.run(RunMode.NOWAIT));
                case 9 -> call(bad, loop::handles);
                case 10 -> {
                    if (call(bad, () -> loop.execute(ran::incrementAndGet))) {
                        accepted.incrementAndGet();
                    }
                }
                default -> call(bad, loop::stop);
            }
        });
        checkBad(bad);
        String notes = Kit.cleanUp(loop);
        check(ran.get() == accepted.get(), accepted + " tasks accepted but " + ran + " ran");
        return ops + " calls, " + accepted + " tasks " + notes;
    }

    static String timerOpsVsRun() throws Exception {
        Loop loop = new Loop();
        Timer[] timers = {new Timer(loop), new Timer(loop), new Timer(loop)};
        for (Timer t : timers) {
            // again() on a timer never started is libuv's EINVAL: start each once before the storm
            t.start(h -> {}, 0, 1);
            t.stop();
        }
        AtomicReference<Throwable> bad = new AtomicReference<>();
        AtomicLong runs = new AtomicLong();
        storm(3, 1500, id -> {
            if (id == 2) {
                if (call(bad, () -> loop.run(RunMode.NOWAIT))) {
                    runs.incrementAndGet();
                }
                return;
            }
            Timer t = timers[(int) (System.nanoTime() % 3)];
            call(bad, () -> t.start(h -> {}, 0, 1));
            call(bad, t::again);
            call(bad, t::stop);
        });
        checkBad(bad);
        Kit.cleanUp(loop);
        return runs + " runs";
    }

    /**
     * Round after round for 1.5 s, a fresh loop with a queued task: one thread calls
     * run(NOWAIT) in a loop while another calls close() until it succeeds. Each run and close
     * either works or throws IllegalStateException (or EBUSY for close); every loop ends closed.
     */
    static String closeVsRun() throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        AtomicReference<Throwable> bad = new AtomicReference<>();
        int rounds = 0;
        while (System.nanoTime() < end && bad.get() == null) {
            rounds++;
            Loop loop = new Loop();
            loop.execute(() -> {});
            CountDownLatch go = new CountDownLatch(1);
            Thread runner = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (!loop.isClosed()) {
                    call(bad, () -> loop.run(RunMode.NOWAIT));
                }
            }, "runner");
            runner.setDaemon(true);
            runner.start();
            go.countDown();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!loop.isClosed() && System.nanoTime() < giveUp) {
                try {
                    loop.close();
                } catch (IllegalStateException | UvException e) {
                    // running meanwhile: try again
                } catch (Throwable t) {
                    bad.compareAndSet(null, t);
                }
            }
            runner.join(2000);
            check(loop.isClosed(), "round " + rounds + ": close() never succeeded in 2 s against run(NOWAIT)");
            check(!runner.isAlive(), "round " + rounds + ": run(NOWAIT) still going after the loop closed");
        }
        checkBad(bad);
        return rounds + " rounds";
    }

    static String runningForeign() throws Exception {
        Loop loop = new Loop();
        Timer victim = new Timer(loop);
        victim.start(h -> {}, 1, 1);
        AtomicLong ran = new AtomicLong();
        Async async = new Async(loop, a -> {});
        CountDownLatch running = new CountDownLatch(1);
        Timer keep = new Timer(loop);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        keep.start(h -> {
            running.countDown();
            if (System.nanoTime() > end) {
                loop.stop();
            }
        }, 0, 1);
        AtomicReference<String> wrong = new AtomicReference<>();
        AtomicReference<Throwable> bad = new AtomicReference<>();
        AtomicLong accepted = new AtomicLong();
        Thread runner = new Thread(loop::run, "runner");
        runner.start();
        running.await(5, TimeUnit.SECONDS);
        storm(6, 1000, id -> {
            Runnable[] foreign = {() -> new Timer(loop), victim::stop, () -> victim.start(h -> {}, 1, 1), loop::now,
                loop::handles, loop::close, victim::close, () -> loop.run(RunMode.NOWAIT), loop::backendTimeout};
            int k = (int) (System.nanoTime() % foreign.length);
            if (call(bad, foreign[k])) {
                wrong.compareAndSet(null, "foreign call #" + k + " accepted while the loop runs on another thread");
            }
            try {
                loop.execute(ran::incrementAndGet);
                accepted.incrementAndGet();
                async.send();
            } catch (Throwable t) {
                bad.compareAndSet(null, t);
            }
        });
        runner.join(10_000);
        check(!runner.isAlive(), "the loop did not stop");
        checkBad(bad);
        check(wrong.get() == null, wrong.get());
        Kit.cleanUp(loop);
        check(ran.get() == accepted.get(), accepted + " tasks accepted, " + ran + " ran");
        return accepted + " tasks";
    }

    static String executeVsClose() throws Exception {
        Loop loop = new Loop();
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        AtomicReference<Throwable> bad = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            Kit.sleep(200);
            try {
                loop.close();
            } catch (Throwable t) {
                bad.compareAndSet(null, t);
            }
        });
        closer.start();
        storm(4, 600, id -> {
            try {
                loop.execute(ran::incrementAndGet);
                accepted.incrementAndGet();
            } catch (RejectedExecutionException e) {
                rejected.incrementAndGet();
            } catch (Throwable t) {
                bad.compareAndSet(null, t);
            }
        });
        closer.join(5000);
        checkBad(bad);
        check(loop.isClosed(), "the loop is not closed");
        check(ran.get() == accepted.get(), accepted + " accepted, " + ran + " ran");
        return accepted + " accepted, " + rejected + " rejected";
    }

    static String twoThreadsRun() throws Exception {
        Loop loop = new Loop();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        Prepare p = new Prepare(loop);
        p.start(h -> {
            int n = inside.incrementAndGet();
            maxInside.accumulateAndGet(n, Math::max);
            Thread.yield();
            inside.decrementAndGet();
        });
        Timer t = new Timer(loop);
        t.start(h -> {}, 0, 2);
        AtomicReference<Throwable> bad = new AtomicReference<>();
        AtomicLong refused = new AtomicLong();
        storm(2, 1000, id -> {
            if (!call(bad, () -> loop.run(RunMode.ONCE))) {
                refused.incrementAndGet();
            }
        });
        checkBad(bad);
        check(maxInside.get() <= 1, "two threads were inside the loop's callbacks at once");
        Kit.cleanUp(loop);
        return refused + " refused";
    }

    static String tcpStorm() throws Exception {
        Loop loop = new Loop();
        int before = Kit.fds();
        AtomicReference<Throwable> bad = new AtomicReference<>();
        storm(4, 1000, id -> {
            if (id == 3) {
                call(bad, loop::handles);
                call(bad, () -> loop.run(RunMode.NOWAIT));
                return;
            }
            Tcp[] t = new Tcp[1];
            if (call(bad, () -> t[0] = new Tcp(loop, StandardProtocolFamily.INET))) {
                call(bad, () -> t[0].bind(Kit.LOOPBACK));
                call(bad, t[0]::close);
            }
        });
        checkBad(bad);
        Kit.cleanUp(loop);
        int after = Kit.fds();
        check(after <= before, "descriptors: " + before + " before, " + after + " after");
        return "fds " + before + " -> " + after;
    }

    static String fsStorm() throws Exception {
        return requestStorm("fs requests", (loop, done) -> Fs.stat(loop, ".", (st, e) -> done.run()));
    }

    /** Submits one request on {@code loop} whose callback runs {@code done}. */
    @FunctionalInterface
    private interface Submit {
        void submit(Loop loop, Runnable done);
    }

    /**
     * Four threads submit requests to an idle loop that a fifth runs with run(NOWAIT) meanwhile:
     * each submission succeeds or throws IllegalStateException, and every accepted one calls back.
     */
    private static String requestStorm(String what, Submit submit) throws Exception {
        Loop loop = new Loop();
        AtomicLong accepted = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicReference<Throwable> bad = new AtomicReference<>();
        storm(5, 1000, id -> {
            if (id == 4) {
                call(bad, () -> loop.run(RunMode.NOWAIT));
                return;
            }
            if (call(bad, () -> submit.submit(loop, done::incrementAndGet))) {
                accepted.incrementAndGet();
            }
        });
        checkBad(bad);
        Kit.runUntil(loop, () -> done.get() >= accepted.get(), 5000);
        Kit.cleanUp(loop);
        check(done.get() == accepted.get(), accepted + " " + what + " accepted, " + done + " callbacks");
        return accepted + " " + what;
    }

    static String stopStorm() throws Exception {
        Loop loop = new Loop();
        Timer t = new Timer(loop);
        t.start(h -> {}, 0, 1);
        AtomicReference<Throwable> bad = new AtomicReference<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        Thread runner = new Thread(() -> {
            while (System.nanoTime() < end) {
                call(bad, loop::run);
            }
        }, "runner");
        runner.start();
        storm(4, 1000, id -> call(bad, loop::stop));
        runner.join(5000);
        check(!runner.isAlive(), "the runner is stuck");
        checkBad(bad);
        Kit.cleanUp(loop);
        return "ok";
    }

    static String crossLoops() throws Exception {
        int n = 4;
        Loop[] loops = new Loop[n];
        Timer[] timers = new Timer[n];
        for (int i = 0; i < n; i++) {
            loops[i] = new Loop();
            timers[i] = new Timer(loops[i]);
            timers[i].start(h -> {}, 0, 1);
        }
        AtomicLong accepted = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        AtomicReference<String> wrong = new AtomicReference<>();
        AtomicReference<Throwable> bad = new AtomicReference<>();
        AtomicInteger running = new AtomicInteger();
        boolean[] ticked = new boolean[n];
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int me = i;
            Timer own = new Timer(loops[i]);
            own.start(h -> {
                if (!ticked[me]) {
                    ticked[me] = true;
                    running.incrementAndGet();
                }
                if (running.get() < n) {
                    return; // cross calls only once every loop runs
                }
                int other = (me + 1 + (int) (System.nanoTime() % (n - 1))) % n;
                if (call(bad, () -> timers[other].again())) {
                    wrong.compareAndSet(null, "loop " + me + "'s thread used loop " + other + "'s timer while it runs");
                }
                try {
                    loops[other].execute(ran::incrementAndGet);
                    accepted.incrementAndGet();
                } catch (Throwable t) {
                    bad.compareAndSet(null, t);
                }
                if (System.nanoTime() > end) {
                    h.close();
                    timers[me].close();
                }
            }, 0, 1);
            Thread t = new Thread(() -> call(bad, loops[me]::run), "loop-" + i);
            ts.add(t);
            t.start();
        }
        for (Thread t : ts) {
            t.join(10_000);
            check(!t.isAlive(), "a loop thread is stuck");
        }
        checkBad(bad);
        check(wrong.get() == null, wrong.get());
        for (Loop l : loops) {
            Kit.cleanUp(l);
        }
        check(ran.get() == accepted.get(), accepted + " accepted, " + ran + " ran");
        return accepted + " cross tasks";
    }

    static String asyncVsClose() throws Exception {
        Loop loop = new Loop();
        AtomicLong got = new AtomicLong();
        Async a = new Async(loop, h -> got.incrementAndGet());
        AtomicReference<Throwable> bad = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            Kit.sleep(300);
            try {
                loop.execute(a::close);
                Kit.runBounded(loop, 2000);
                loop.close();
            } catch (Throwable t) {
                bad.compareAndSet(null, t);
            }
        }, "closer");
        closer.start();
        storm(4, 800, id -> {
            try {
                a.send();
            } catch (IllegalStateException | RejectedExecutionException expected) {
                // closing or closed
            } catch (Throwable t) {
                bad.compareAndSet(null, t);
            }
        });
        closer.join(5000);
        checkBad(bad);
        check(loop.isClosed(), "the loop did not close");
        return got + " async callbacks";
    }

    static String workStorm() throws Exception {
        return requestStorm("work items", (loop, done) -> loop.queueWork(() -> {}, e -> done.run()));
    }
}
