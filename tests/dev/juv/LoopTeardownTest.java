package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.CleanupGate;
import dev.juv.support.StandIns;
import java.lang.ref.WeakReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loop teardown: closing with fs, work, timers and a child pending is EBUSY
 * and changes nothing, then works once they finish; every API after close is an
 * IllegalStateException; a closed loop is collectable.
 */
@Timeout(60)
@ExtendWith(CleanupGate.class)
class LoopTeardownTest extends UvTestCase {
    @TempDir
    Path dir;

    private void assertBusy(Loop l) {
        UvException e = assertThrows(UvException.class, l::close);
        assertEquals(Errno.EBUSY, e.code());
        assertTrue(!l.isClosed());
    }

    @Test
    void closeWithFsWorkTimersAndAChildPendingIsBusyThenCloses() throws Exception {
        Loop l = new Loop();
        int[] done = new int[4];
        Fs.stat(l, dir.toString(), (s, e) -> done[0]++);
        assertBusy(l);
        l.run();
        CountDownLatch release = new CountDownLatch(1);
        l.queueWork(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, e -> done[1]++);
        assertBusy(l);
        release.countDown();
        l.run();
        Timer t = new Timer(l);
        t.start(x -> {
            done[2]++;
            x.close();
        }, 10, 0);
        assertBusy(l);
        l.run();
        ChildProcess child = ChildProcess.spawn(l, ProcessOptions.command("sleep", "30"), (p, st, sig) -> {
            done[3]++;
            p.close();
        });
        assertBusy(l);
        child.kill(Signal.SIGTERM);
        l.run();
        assertEquals(List.of(1, 1, 1, 1), List.of(done[0], done[1], done[2], done[3]));
        l.close();
        assertTrue(l.isClosed());
        l.close(); // idempotent
    }

    @Test
    void everyLoopMethodAfterCloseIsIllegalState() {
        Loop l = new Loop();
        l.close();
        List<Runnable> calls = List.of(l::run, () -> l.run(RunMode.NOWAIT), l::now, l::updateTime, l::isAlive,
                l::backendFd, l::backendTimeout, l::handles, () -> l.queueWork(() -> {}, null));
        for (Runnable c : calls) {
            assertThrows(IllegalStateException.class, c::run);
        }
        assertThrows(RejectedExecutionException.class, () -> l.execute(() -> {}));
        l.stop(); // documented as a no-op once closed
        l.setExceptionHandler(null);
        assertTrue(l.isClosed());
    }

    private Dir openDir;

    /** Harmless values for every parameter type the public API takes. */
    private Object argument(Class<?> type, Loop closed) {
        if (type == Loop.class) {
            return closed;
        }
        if (type == Dir.class) {
            if (openDir == null) {
                openDir = Fs.opendir(dir.toString(), 4);
            }
            return openDir;
        }
        // ints: positive, and no descriptor this process has open
        Object v = StandIns.plain(type, 7777, dir.resolve("x").toString());
        if (v == null) {
            throw new IllegalStateException("no argument for " + type);
        }
        return v;
    }

    @Test
    void everyStaticCallTakingAClosedLoopIsIllegalState() throws Exception {
        Loop l = new Loop();
        l.close();
        int checked = 0;
        int futures = 0;
        for (Class<?> owner : List.of(Fs.class, Dns.class, Sys.class, ChildProcess.class)) {
            for (Method m : owner.getMethods()) {
                if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() == 0
                        || m.getParameterTypes()[0] != Loop.class) {
                    continue;
                }
                Object[] args = new Object[m.getParameterCount()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = argument(m.getParameterTypes()[i], l);
                }
                Throwable thrown = null;
                Object result = null;
                try {
                    result = m.invoke(null, args);
                } catch (InvocationTargetException e) {
                    thrown = e.getCause();
                }
                if (m.getName().endsWith("Async")) {
                    // a future form is refused through its future, as Loop.execute refuses
                    assertTrue(result instanceof CompletableFuture, m + " threw " + thrown);
                    CompletableFuture<?> f = (CompletableFuture<?>) result;
                    ExecutionException e = assertThrows(ExecutionException.class, f::get, m.toString());
                    assertTrue(e.getCause() instanceof RejectedExecutionException, m + " gave " + e.getCause());
                    futures++;
                } else {
                    assertTrue(thrown instanceof IllegalStateException, m + " on a closed loop gave " + thrown);
                }
                checked++;
            }
        }
        if (openDir != null) {
            Fs.closedir(openDir);
        }
        assertTrue(checked >= 50, "static calls checked: " + checked);
        assertTrue(futures >= 45, "future forms checked: " + futures);
    }

    @Test
    void everyHandleConstructorOnAClosedLoopIsIllegalState() throws Exception {
        Loop l = new Loop();
        l.close();
        int checked = 0;
        for (Class<?> c : List.of(Timer.class, Idle.class, Prepare.class, Check.class, Async.class, Signal.class,
                Tcp.class, Pipe.class, Tty.class, Udp.class, Poll.class, FsEvent.class, FsPoll.class)) {
            for (Constructor<?> k : c.getConstructors()) {
                Object[] args = new Object[k.getParameterCount()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = argument(k.getParameterTypes()[i], l);
                }
                Throwable thrown = null;
                try {
                    k.newInstance(args);
                } catch (InvocationTargetException e) {
                    thrown = e.getCause();
                }
                assertTrue(thrown instanceof IllegalStateException, k + " on a closed loop gave " + thrown);
                checked++;
            }
        }
        assertTrue(checked >= 15, "constructors checked: " + checked);
    }

    private WeakReference<Loop> useAndCloseALoop() {
        Loop l = new Loop();
        Tcp server = new Tcp(l);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.listen(1, (s, e) -> {
            Tcp in = new Tcp(l);
            s.accept(in);
            in.write(new byte[] {1, 2, 3}, (x, err) -> x.close());
            s.close();
        });
        Tcp c = new Tcp(l);
        c.connect(server.localAddress(), (x, e) -> x.startRead((s, d, err) -> {
            if (d == null) {
                s.close();
            }
        }));
        Fs.stat(l, dir.toString(), (s, e) -> {});
        new Timer(l).start(Handle::close, 1, 0);
        l.queueWork(() -> {}, null);
        l.execute(() -> {});
        l.run();
        l.close();
        return new WeakReference<>(l);
    }

    @Test
    void aClosedLoopIsCollectedAndItsLeftoversStayHarmless() {
        List<WeakReference<Loop>> refs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            refs.add(useAndCloseALoop());
        }
        for (int i = 0; i < 50 && refs.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
        }
        for (WeakReference<Loop> r : refs) {
            assertNull(r.get(), "something still holds a closed loop");
        }
        // the loop this test owns still works after all that
        dev.juv.support.LoopChecks.assertStillRuns(loop);
    }
}
