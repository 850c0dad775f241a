package dev.juv.adversary;

import static dev.juv.adversary.Kit.check;

import dev.juv.Fs;
import dev.juv.Loop;
import dev.juv.RunMode;
import dev.juv.Timer;
import dev.juv.UvException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loop.close() attacked from inside: the tasks it runs close the loop again, throw, reopen work
 * or queue more; other threads call in while it runs. close() is not re-entrant, a throwing
 * task surfaces as that exception, work queued during close is refused at once or runs, and the
 * loop always ends closed or closable.
 */
final class CloseCases {
    private CloseCases() {}

    static void register(Catalogue c) {
        c.add("close-inside-close-task", "a task run by close() closes the loop again: ISE or no-op, never a double free", 15,
                () -> closeInsideClose(Loop::new, false));
        c.add("close-inside-close-task-default-loop", "the same on the default loop", 15,
                () -> closeInsideClose(Loop::defaultLoop, false));
        c.add("close-inside-close-task-then-timer", "a task run by close() closes the loop, then creates a timer", 15,
                () -> closeInsideClose(Loop::new, true));
        c.add("throwing-task-in-close", "a task that throws while close() runs it: close() throws that exception; close() again succeeds", 15,
                CloseCases::throwingTask);
        c.add("repeating-timer-from-close-task", "a task run by close() starts a repeating timer: close() returns, the loop is cleanable", 15,
                () -> reopen(true));
        c.add("one-shot-timer-from-close-task", "a task run by close() starts a one-shot timer: close() returns, the loop is cleanable", 15,
                () -> reopen(false));
        c.add("queue-work-from-close-task", "queueWork from a task run by close(): refused at once, or its callback runs", 15,
                CloseCases::workFromCloseTask);
        c.add("execute-from-close-task", "execute() from a task run by close(): refused at once, or the task runs", 15,
                CloseCases::executeFromCloseTask);
        c.add("fs-request-from-close-task", "an fs request from a task run by close(): refused at once, or its callback runs", 15,
                CloseCases::fsFromCloseTask);
        c.add("run-inside-close-task", "run() inside a task run by close(): IllegalStateException", 15,
                CloseCases::runInsideCloseTask);
        c.add("foreign-calls-during-close", "while close() runs a blocked task, other threads' close()/run()/new Timer get ISE or no-op", 15,
                CloseCases::foreignDuringClose);
        c.add("every-call-after-close", "after close(): run/new Timer/queueWork/Fs on the loop throw ISE, execute throws RejectedExecutionException", 15,
                CloseCases::afterClose);
        c.add("close-ebusy-then-clean", "close() with a handle open: EBUSY twice, then the loop closes once the handle is closed", 15,
                CloseCases::ebusyThenClean);
    }

    private interface LoopMaker {
        Loop make();
    }

    /** Runs close() on another thread and waits at most 5 s for it. */
    private static Throwable closeBounded(Loop loop) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                loop.close();
            } catch (Throwable e) {
                thrown.set(e);
            } finally {
                done.countDown();
            }
        }, "closer");
        t.setDaemon(true);
        t.start();
        if (!done.await(5, TimeUnit.SECONDS)) {
            throw new Violation("Loop.close() did not return within 5 s");
        }
        return thrown.get();
    }

    /** Heap and native churn after the attack, so a corruption shows as a crash here. */
    private static void churn() {
        for (int i = 0; i < 200; i++) {
            Loop l = new Loop();
            Timer t = new Timer(l);
            t.start(h -> h.close(), 0, 0);
            l.run();
            l.close();
        }
    }

    static String closeInsideClose(LoopMaker maker, boolean timerAfter) throws Exception {
        Loop loop = maker.make();
        AtomicReference<Throwable> inner = new AtomicReference<>();
        AtomicReference<Throwable> afterInner = new AtomicReference<>();
        loop.execute(() -> {
            try {
                loop.close();
            } catch (Throwable t) {
                inner.set(t);
            }
            if (timerAfter) {
                try {
                    new Timer(loop).start(h -> h.close(), 0, 0);
                } catch (Throwable t) {
                    afterInner.set(t);
                }
            }
        });
        Throwable outer = closeBounded(loop);
        Throwable in = inner.get();
        check(in == null || in instanceof IllegalStateException, "the inner close() threw " + in);
        check(outer == null || outer == in || outer == afterInner.get(),
                "the outer close() threw " + outer + " (inner: " + in + ")");
        Throwable a = afterInner.get();
        check(a == null || a instanceof IllegalStateException, "the timer after the inner close threw " + a);
        if (!loop.isClosed()) {
            Kit.cleanUp(loop);
        }
        Throwable again = Kit.outcome("close() once more", loop::close);
        check(again == null, "close() once more threw " + again);
        churn();
        return "inner " + in + ", outer " + outer;
    }

    static String throwingTask() throws Exception {
        Loop loop = new Loop();
        IllegalArgumentException boom = new IllegalArgumentException("task failed on purpose");
        loop.execute(() -> {
            throw boom;
        });
        Throwable t = closeBounded(loop);
        check(t == boom, "close() threw " + t + " instead of the task's exception");
        Throwable again = closeBounded(loop);
        check(again == null, "close() after the task's exception threw " + again);
        check(loop.isClosed(), "the loop is not closed after close() succeeded");
        return "close() surfaced the task's exception";
    }

    static String reopen(boolean repeating) throws Exception {
        Loop loop = new Loop();
        AtomicReference<Throwable> inTask = new AtomicReference<>();
        loop.execute(() -> {
            try {
                new Timer(loop).start(h -> {}, 1, repeating ? 1 : 0);
            } catch (Throwable t) {
                inTask.set(t);
            }
        });
        Throwable t = closeBounded(loop);
        Throwable it = inTask.get();
        check(it == null || it instanceof IllegalStateException || it instanceof RejectedExecutionException,
                "the timer in the task threw " + it);
        check(t == null || t instanceof IllegalStateException || t instanceof UvException,
                "close() threw " + t);
        if (!loop.isClosed()) {
            Kit.cleanUp(loop);
        }
        return "timer " + (it == null ? "accepted" : it.toString()) + ", close() " + (t == null ? "ok" : t.toString());
    }

    /** Queues something on {@code loop} whose completion runs {@code done}. */
    @FunctionalInterface
    private interface Submit {
        void submit(Loop loop, Runnable done);
    }

    static String workFromCloseTask() throws Exception {
        return queuedDuringClose("queueWork", (loop, done) -> loop.queueWork(() -> {}, err -> done.run()), false);
    }

    static String executeFromCloseTask() throws Exception {
        return queuedDuringClose("execute", (loop, done) -> loop.execute(done), true);
    }

    static String fsFromCloseTask() throws Exception {
        return queuedDuringClose("Fs.stat", (loop, done) -> Fs.stat(loop, ".", (st, err) -> done.run()), false);
    }

    /**
     * A task run by close() submits more: the submission is refused at once
     * (RejectedExecutionException, or IllegalStateException unless {@code executor}), or what it
     * submitted has completed by the time close() returns.
     */
    private static String queuedDuringClose(String what, Submit submit, boolean executor) throws Exception {
        Loop loop = new Loop();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        boolean[] accepted = {false};
        boolean[] ran = {false};
        loop.execute(() -> {
            try {
                submit.submit(loop, () -> ran[0] = true);
                accepted[0] = true;
            } catch (Throwable t) {
                refused.set(t);
            }
        });
        Throwable t = closeBounded(loop);
        Throwable r = refused.get();
        check(r == null || r instanceof RejectedExecutionException || (!executor && r instanceof IllegalStateException),
                what + " in the close task threw " + r);
        if (executor) {
            check(t == null, "close() threw " + t);
        }
        if (accepted[0]) {
            check(ran[0], what + " was accepted during close() but did not complete by the time close() returned ("
                    + (t == null ? "returned normally" : "threw " + t) + ")");
        }
        if (!loop.isClosed()) {
            Kit.cleanUp(loop);
        }
        return accepted[0] ? "accepted and ran" : "refused: " + r;
    }

    static String runInsideCloseTask() throws Exception {
        Loop loop = new Loop();
        AtomicReference<Throwable> inner = new AtomicReference<>();
        boolean[] returned = {false};
        loop.execute(() -> {
            try {
                loop.run(RunMode.NOWAIT);
                returned[0] = true;
            } catch (Throwable t) {
                inner.set(t);
            }
        });
        Throwable t = closeBounded(loop);
        check(!returned[0], "run(NOWAIT) inside a task run by close() was accepted (a nested uv_run)");
        check(inner.get() instanceof IllegalStateException, "run() inside the close task threw " + inner.get());
        check(t == null || t == inner.get(), "close() threw " + t);
        if (!loop.isClosed()) {
            Kit.cleanUp(loop);
        }
        return "refused";
    }

    static String foreignDuringClose() throws Exception {
        Loop loop = new Loop();
        CountDownLatch inTask = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            inTask.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread closer = new Thread(() -> {
            try {
                loop.close();
            } catch (Throwable ignored) {
                // judged below through isClosed()
            }
        }, "closer");
        closer.start();
        check(inTask.await(5, TimeUnit.SECONDS), "close() did not run the queued task");
        StringBuilder bad = new StringBuilder();
        Throwable c = Kit.outcome("a second close()", loop::close, IllegalStateException.class);
        Throwable r = Kit.outcome("run(NOWAIT)", () -> loop.run(RunMode.NOWAIT), IllegalStateException.class);
        if (r == null) {
            bad.append("run(NOWAIT) from another thread was accepted while close() runs; ");
        }
        Throwable tm = Kit.outcome("new Timer", () -> new Timer(loop), IllegalStateException.class);
        if (tm == null) {
            bad.append("new Timer from another thread was accepted while close() runs; ");
        }
        release.countDown();
        closer.join(5000);
        check(!closer.isAlive(), "close() did not return");
        check(bad.length() == 0, bad.toString());
        if (!loop.isClosed()) {
            Kit.cleanUp(loop);
        }
        churn();
        return "second close " + c;
    }

    static String afterClose() {
        Loop loop = new Loop();
        loop.close();
        List<String> bad = new ArrayList<>();
        Kit.expectIse(bad, "run()", loop::run);
        Kit.expectIse(bad, "new Timer", () -> new Timer(loop));
        Kit.expectIse(bad, "queueWork", () -> loop.queueWork(() -> {}, null));
        Kit.expectIse(bad, "Fs.stat(loop)", () -> Fs.stat(loop, ".", (s, e) -> {}));
        Kit.expectIse(bad, "handles()", loop::handles);
        Kit.expectIse(bad, "now()", loop::now);
        Throwable e = Kit.outcome("execute", () -> loop.execute(() -> {}), RejectedExecutionException.class);
        if (e == null) {
            bad.add("execute accepted");
        }
        Throwable s = Kit.outcome("stop()", loop::stop);
        check(s == null, "stop() after close threw " + s);
        check(bad.isEmpty(), "after close: " + bad);
        return "all refused";
    }


    static String ebusyThenClean() {
        Loop loop = new Loop();
        Timer t = new Timer(loop);
        for (int i = 0; i < 2; i++) {
            Throwable e = Kit.mustThrow("close() with a handle open", loop::close, UvException.class);
            check(((UvException) e).name().equals("EBUSY"), "close() threw " + e + " instead of EBUSY");
            check(!loop.isClosed(), "isClosed() after EBUSY");
        }
        t.close();
        loop.run();
        loop.close();
        check(loop.isClosed(), "not closed");
        return "EBUSY twice, then closed";
    }
}
