package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ChildProcess.onExit and onClose. */
@Timeout(60)
@Tag(Tags.PROCESS)
class ProcessFuturesTest extends UvTestCase {
    private static final long WAIT = 10;

    private static ProcessOptions sh(String script) {
        return ProcessOptions.command("/bin/sh", "-c", script);
    }

    @Test
    void exitStatusWithoutAnExitCallback() throws Exception {
        ChildProcess p = ChildProcess.spawn(loop, sh("exit 3"));
        CompletableFuture<ChildProcess.Exit> f = p.onExit();
        f.thenRun(p::close);
        assertFalse(f.isDone());
        loop.run();
        assertEquals(new ChildProcess.Exit(3, 0), f.get());
        assertTrue(p.hasExited());
    }

    @Test
    void aSignalKill() throws Exception {
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("sleep", "30"));
        CompletableFuture<ChildProcess.Exit> f = p.onExit();
        f.thenRun(p::close);
        p.kill(Signal.SIGTERM);
        loop.run();
        assertEquals(Signal.SIGTERM, f.get().signal());
    }

    @Test
    void onExitAfterTheExitIsCompleteAtOnceAndFollowsTheCallback() throws Exception {
        List<String> order = new ArrayList<>();
        AtomicReference<CompletableFuture<ChildProcess.Exit>> early = new AtomicReference<>();
        ChildProcess p = ChildProcess.spawn(loop, sh("exit 4"), (c, status, signal) -> {
            order.add("callback");
            assertFalse(early.get().isDone(), "the exit callback runs first");
        });
        early.set(p.onExit());
        early.get().thenRun(() -> order.add("future"));
        loop.run();
        assertEquals(List.of("callback", "future"), order);
        CompletableFuture<ChildProcess.Exit> late = p.onExit();
        assertTrue(late.isDone());
        assertEquals(new ChildProcess.Exit(4, 0), late.get());
        p.close();
        loop.run();
    }

    @Test
    void awaitedFromAVirtualThreadOfAStartedLoop() throws Exception {
        try (Loop l = Loop.start("process-futures")) {
            ChildProcess p = l.submit(() -> ChildProcess.spawn(l, sh("exit 5"))).get(WAIT, TimeUnit.SECONDS);
            AtomicReference<Object> got = new AtomicReference<>();
            Thread v = Thread.ofVirtual().start(() -> {
                try {
                    got.set(p.onExit().get(WAIT, TimeUnit.SECONDS));
                    p.closeAsync().get(WAIT, TimeUnit.SECONDS);
                } catch (Exception e) {
                    got.set(e);
                }
            });
            assertTrue(v.join(java.time.Duration.ofSeconds(WAIT * 2)));
            assertEquals(new ChildProcess.Exit(5, 0), got.get());
            assertTrue(p.isClosed());
            // after the exit and the close, from a platform thread: the exit is still known
            assertEquals(new ChildProcess.Exit(5, 0), p.onExit().get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void onCloseWaitsForThePipes() throws Exception {
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<String> order = new ArrayList<>();
        ChildProcess p = ChildProcess.spawn(loop, sh("echo hi; exit 0")
                .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)));
        CompletableFuture<ChildProcess.Exit> exit = p.onExit();
        CompletableFuture<ChildProcess.Exit> close = p.onClose();
        boolean[] eof = new boolean[1];
        Runnable closeWhenBoth = () -> {
            if (eof[0] && exit.isDone()) {
                assertFalse(close.isDone(), "not before the pipe is closed");
                out.close(h -> order.add("pipe closed"));
            }
        };
        out.startRead((s, data, error) -> {
            if (data != null) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                got.writeBytes(b);
            } else {
                eof[0] = true;
                closeWhenBoth.run();
            }
        });
        exit.thenRun(closeWhenBoth);
        close.thenRun(() -> {
            order.add("onClose");
            p.close();
        });
        loop.run();
        assertEquals("hi\n", got.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("pipe closed", "onClose"), order);
        assertEquals(new ChildProcess.Exit(0, 0), close.get());
    }

    @Test
    void closingTheHandleBeforeTheExitFailsTheFutures() throws Exception {
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("sleep", "30"));
        CompletableFuture<ChildProcess.Exit> f = p.onExit();
        CompletableFuture<ChildProcess.Exit> c = p.onClose();
        int pid = p.pid();
        p.close();
        ChildProcess.kill(pid, Signal.SIGKILL);
        loop.run();
        for (CompletableFuture<ChildProcess.Exit> x : List.of(f, c, p.onExit())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> x.get(WAIT, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof HandleClosedException, e.toString());
        }
    }
}
