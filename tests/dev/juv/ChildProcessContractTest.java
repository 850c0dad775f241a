package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.juv.internal.Native;
import dev.juv.support.ChildIo;
import dev.juv.support.Tags;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ChildProcess beyond pyuv's test_process.py (that port is {@link ChildProcessTest}): juv's own
 * contract for spawning, volume, faults, leaks, zombies, inherited streams and misuse.
 */
@Timeout(120)
@Tag(Tags.PROCESS)
class ChildProcessContractTest extends UvTestCase {
    static {
        ChildIo.takeLazyDescriptors();
    }

    @BeforeAll
    static void posixOnly() {
        assumeFalse(ChildIo.windows(), "POSIX commands");
    }

    /** Children of this process that have exited and were not reaped, from /proc. */
    static int zombies() {
        long me = ProcessHandle.current().pid();
        int n = 0;
        File[] procs = new File("/proc").listFiles((d, name) -> name.chars().allMatch(Character::isDigit));
        if (procs == null) {
            return 0;
        }
        for (File p : procs) {
            try {
                String stat = Files.readString(p.toPath().resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (f[0].equals("Z") && Long.parseLong(f[1]) == me) {
                    n++;
                }
            } catch (IOException | RuntimeException ignored) {
                // the process went away while we looked
            }
        }
        return n;
    }

    /**
     * libuv keeps one descriptor per loop (/dev/null, kept for EMFILE recovery) from the first
     * stream on; take it before counting descriptors inside a test.
     */
    private void reserveStreamFd() {
        new Pipe(loop).close();
        loop.run();
    }

    private static void readInto(Stream<?> stream, ByteArrayOutputStream out) {
        ChildIo.collect(stream, out, null);
    }

    @Test
    void fiftyMebibytesFromStdout() {
        long total = 50L << 20;
        String line = "abcdefghijklmno\n";
        byte[] pattern = line.getBytes(StandardCharsets.US_ASCII);
        Pipe out = new Pipe(loop);
        AtomicLong got = new AtomicLong();
        AtomicLong bad = new AtomicLong(-1);
        AtomicReference<UvException> end = new AtomicReference<>();
        AtomicLong status = new AtomicLong(-1);
        ChildProcess.spawn(loop, ProcessOptions.command("/bin/sh", "-c", "yes abcdefghijklmno | head -c " + total)
                .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), (p, st, sig) -> {
                    status.set(st);
                    p.close();
                });
        out.startRead((s, data, error) -> {
            if (data == null) {
                end.set(error);
                s.close();
                return;
            }
            long off = got.get();
            int n = data.remaining();
            for (int i = 0; i < n; i++) {
                if (data.get(i) != pattern[(int) ((off + i) % pattern.length)] && bad.get() < 0) {
                    bad.set(off + i);
                }
            }
            got.addAndGet(n);
        });
        loop.run();
        assertEquals(total, got.get());
        assertEquals(-1, bad.get(), "first wrong byte");
        assertEquals("EOF", end.get().name());
        assertEquals(0, status.get());
    }

    @Test
    void childKilledWhileWritingToUs() {
        Pipe out = new Pipe(loop);
        AtomicLong got = new AtomicLong();
        AtomicInteger exits = new AtomicInteger();
        AtomicInteger signal = new AtomicInteger();
        AtomicReference<UvException> end = new AtomicReference<>();
        ChildProcess child = ChildProcess.spawn(loop, ProcessOptions.command("yes")
                .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), (p, st, sig) -> {
                    exits.incrementAndGet();
                    signal.set(sig);
                    p.close();
                });
        out.startRead((s, data, error) -> {
            if (data == null) {
                end.set(error);
                s.close();
                return;
            }
            if (got.getAndAdd(data.remaining()) < (1 << 20) && got.get() >= (1 << 20)) {
                child.kill(Signal.SIGKILL);
            }
        });
        loop.run();
        assertEquals(1, exits.get());
        assertEquals(Signal.SIGKILL, signal.get());
        assertTrue(got.get() >= (1 << 20));
        assertNotNull(end.get(), "the read ended");
    }

    @Test
    void childKilledWhileWeWriteToIt() {
        Pipe in = new Pipe(loop);
        AtomicInteger exits = new AtomicInteger();
        AtomicInteger signal = new AtomicInteger();
        AtomicInteger writeCallbacks = new AtomicInteger();
        AtomicReference<UvException> writeError = new AtomicReference<>();
        ChildProcess child = ChildProcess.spawn(loop, ProcessOptions.command("sleep", "1000")
                .stdio(Stdio.pipe(in, Stdio.READABLE)), (p, st, sig) -> {
                    exits.incrementAndGet();
                    signal.set(sig);
                    p.close();
                });
        // far more than a socket buffer holds: the write stays pending while the child ignores it
        in.write(new byte[8 << 20], (s, error) -> {
            writeCallbacks.incrementAndGet();
            writeError.set(error);
            s.close();
        });
        assertTrue(in.writeQueueSize() > 0, "the write is pending");
        Timer t = new Timer(loop);
        t.start(timer -> {
            timer.close();
            child.kill(Signal.SIGKILL);
        }, 100, 0);
        loop.run();
        assertEquals(1, exits.get());
        assertEquals(Signal.SIGKILL, signal.get());
        assertEquals(1, writeCallbacks.get());
        assertNotNull(writeError.get());
        assertTrue(Set.of(Errno.EPIPE, Errno.ECONNRESET).contains(writeError.get().code()), writeError.get().toString());
    }

    @Test
    @Timeout(300) // each spawn forks this JVM: seconds on a busy machine
    void fiveHundredShortChildrenInARow() {
        int n = 500;
        reserveStreamFd();
        int fdsBefore = openFds();
        int zombiesBefore = zombies();
        AtomicInteger done = new AtomicInteger();
        List<String> wrong = new ArrayList<>();
        spawnNext(0, n, done, wrong);
        loop.run();
        assertEquals(n, done.get());
        assertTrue(wrong.isEmpty(), wrong.toString());
        assertEquals(fdsBefore, openFds(), "descriptors after " + n + " children");
        assertEquals(zombiesBefore, zombies(), "unreaped children");
        assertTrue(loop.handles().isEmpty());
    }

    /** Spawns child {@code i} (echo i, stdout on a pipe) and the next one from its exit callback. */
    private void spawnNext(int i, int n, AtomicInteger done, List<String> wrong) {
        if (i == n) {
            return;
        }
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicInteger pending = new AtomicInteger(2);
        Runnable finished = () -> {
            if (pending.decrementAndGet() == 0) {
                if (!got.toString(StandardCharsets.US_ASCII).equals(i + "\n")) {
                    wrong.add(i + ": " + got);
                }
                done.incrementAndGet();
                spawnNext(i + 1, n, done, wrong);
            }
        };
        ChildProcess.spawn(loop, ProcessOptions.command("echo", Integer.toString(i))
                .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), (p, st, sig) -> {
                    if (st != 0) {
                        wrong.add(i + ": status " + st);
                    }
                    p.close(h -> finished.run());
                });
        ChildIo.collect(out, got, h -> finished.run());
    }

    @Test
    @Timeout(300) // each spawn forks this JVM: seconds on a busy machine
    void thousandFailedSpawnsLeakNothing() {
        // one failure first, so that anything libuv sets up once is in the baseline
        assertThrows(UvException.class, () -> ChildProcess.spawn(loop, ProcessOptions.command("juv-missing")));
        reserveStreamFd();
        long bytes = Native.liveBytes();
        int fds = openFds();
        int zombiesBefore = zombies();
        for (int i = 0; i < 1000; i++) {
            UvException e = assertThrows(UvException.class,
                    () -> ChildProcess.spawn(loop, ProcessOptions.command("juv-missing-program", "arg")
                            .env(Map.of("A", "B")).stdio(Stdio.ignore(), Stdio.pipe(new Pipe(loop), Stdio.WRITABLE))));
            assertEquals(Errno.ENOENT, e.code());
            if (i % 100 == 99) {
                closeAll();
            }
        }
        closeAll();
        assertEquals(bytes, Native.liveBytes(), "native bytes after 1000 failed spawns");
        assertEquals(fds, openFds());
        assertEquals(zombiesBefore, zombies());
        assertTrue(loop.handles().isEmpty());
    }

    /** Closes the pipes left by failed spawns and lets the closes finish. */
    private void closeAll() {
        for (Handle h : loop.handles()) {
            h.close();
        }
        loop.run();
    }

    @Test
    void notExecutableIsEacces(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("script.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-------"));
        UvException e = assertThrows(UvException.class,
                () -> ChildProcess.spawn(loop, ProcessOptions.command(script.toString())));
        assertEquals(Errno.EACCES, e.code());
        assertTrue(e.getMessage().contains("script.sh"), e.getMessage());
        UvException d = assertThrows(UvException.class,
                () -> ChildProcess.spawn(loop, ProcessOptions.command(dir.toString())));
        assertEquals(Errno.EACCES, d.code());
        loop.run();
        assertTrue(loop.handles().isEmpty());
    }

    @Test
    void missingWorkingDirectoryFails(@TempDir Path dir) {
        UvException e = assertThrows(UvException.class, () -> ChildProcess.spawn(loop,
                ProcessOptions.command("true").cwd(dir.resolve("absent").toString())));
        assertEquals(Errno.ENOENT, e.code());
        loop.run();
    }

    @Test
    void exitStatusAndLoopThread() {
        AtomicLong status = new AtomicLong(-1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("/bin/sh", "-c", "exit 3"), (proc, st, sig) -> {
            status.set(st);
            thread.set(Thread.currentThread());
            assertTrue(proc.hasExited());
            proc.close();
        });
        assertFalse(p.hasExited());
        loop.run();
        assertEquals(3, status.get());
        assertSame(Thread.currentThread(), thread.get());
    }

    @Test
    void environmentIsReplacedWhole() {
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>();
        env.put("JUV_ONE", "1");
        env.put("JUV_UTF8", "grüße");
        env.put("JUV_EMPTY", "");
        ChildProcess.spawn(loop, ProcessOptions.command("/usr/bin/env").env(env)
                .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), (p, st, sig) -> p.close());
        readInto(out, got);
        loop.run();
        Set<String> lines = Set.of(got.toString(StandardCharsets.UTF_8).split("\n"));
        assertEquals(Set.of("JUV_ONE=1", "JUV_UTF8=grüße", "JUV_EMPTY="), lines);
    }

    @Test
    void manyArgumentsArriveInOrder() {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "printf '%s\\n' \"$@\"", "sh"));
        for (int i = 0; i < 2000; i++) {
            argv.add("a" + i + (i % 7 == 0 ? " with space" : ""));
        }
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ChildProcess.spawn(loop, ProcessOptions.command(argv.toArray(String[]::new))
                .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), (p, st, sig) -> p.close());
        readInto(out, got);
        loop.run();
        assertEquals(argv.subList(4, argv.size()), List.of(got.toString(StandardCharsets.UTF_8).split("\n")));
    }

    /** A connected pair of Tcp handles on loopback: [server side, client side]. */
    private Tcp[] tcpPair() {
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Tcp[] pair = new Tcp[2];
        server.listen(1, (srv, e) -> {
            pair[0] = new Tcp(loop);
            srv.accept(pair[0]);
            srv.close();
        });
        pair[1] = new Tcp(loop);
        pair[1].connect(server.localAddress(), (c, e) -> assertNull(e));
        while (pair[0] == null) {
            loop.run(RunMode.ONCE);
        }
        return pair;
    }

    @Test
    void inheritStreamAndFd() {
        Tcp[] pair = tcpPair();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicInteger exits = new AtomicInteger();
        // the child's stdout is the server side's socket (as a stream), its fd 3 the same by number
        ChildProcess.spawn(loop, ProcessOptions.command("/bin/sh", "-c", "echo one; echo two >&3")
                .stdio(Stdio.ignore(), Stdio.inherit(pair[0]), Stdio.ignore(), Stdio.inherit(pair[0].fileno())),
                (p, st, sig) -> {
                    exits.incrementAndGet();
                    p.close();
                    pair[0].close();
                });
        readInto(pair[1], got);
        loop.run();
        assertEquals(1, exits.get());
        assertEquals("one\ntwo\n", got.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badInputIsRefusedBeforeLibuv() {
        long bytes = Native.liveBytes();
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.command("ec\0ho"));
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.command("echo", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.command("echo").env(Map.of("A", "x\0y")));
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.command("echo").env(Map.of("A=B", "x")));
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.command("echo").env(Map.of("", "x")));
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.command("echo").cwd("/tmp\0"));
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.command());
        assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop, new ProcessOptions()));
        assertThrows(NullPointerException.class, () -> ProcessOptions.command("echo").stdio((Stdio) null));
        assertThrows(IllegalArgumentException.class, () -> Stdio.inherit(-1));
        Pipe p = new Pipe(loop);
        assertThrows(IllegalArgumentException.class, () -> Stdio.pipe(p, Pipe.READABLE));
        assertThrows(IllegalArgumentException.class, () -> Stdio.pipe(p, 0));
        assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop,
                ProcessOptions.command("true").stdio(Stdio.pipe(p, Stdio.READABLE), Stdio.pipe(p, Stdio.WRITABLE))));
        try (Loop other = new Loop()) {
            Pipe foreign = new Pipe(other);
            assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop,
                    ProcessOptions.command("true").stdio(Stdio.pipe(foreign, Stdio.WRITABLE))));
            foreign.close();
            other.run();
        }
        p.close();
        assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop,
                ProcessOptions.command("true").stdio(Stdio.pipe(p, Stdio.WRITABLE))));
        loop.run();
        assertTrue(loop.handles().isEmpty());
        assertEquals(bytes, Native.liveBytes());
    }

    @Test
    void pipeAlreadyOpenIsRefused() {
        Pipe out = new Pipe(loop);
        ChildProcess.spawn(loop, ProcessOptions.command("true").stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)),
                (p, st, sig) -> p.close());
        // out is now open on a descriptor: it cannot be handed to a second child
        assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop,
                ProcessOptions.command("true").stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE))));
        out.close();
        loop.run();
    }

    @Test
    void killRulesAfterExitAndClose() {
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command("true"));
        assertThrows(IllegalArgumentException.class, () -> p.kill(-1));
        loop.run();
        assertTrue(p.hasExited());
        // the pid may already be someone else's: no signal is sent
        UvException e = assertThrows(UvException.class, () -> p.kill(Signal.SIGTERM));
        assertEquals(Errno.ESRCH, e.code());
        assertTrue(p.pid() > 0);
        p.close();
        assertThrows(HandleClosedException.class, () -> p.kill(0));
        loop.run();
        assertThrows(IllegalArgumentException.class, () -> ChildProcess.kill(1, -3));
        ChildProcess.kill((int) ProcessHandle.current().pid(), 0);
    }

    @Test
    void pipeAfterAFailedSpawnEndsAtOnce() {
        Pipe out = new Pipe(loop);
        assertThrows(UvException.class, () -> ChildProcess.spawn(loop,
                ProcessOptions.command("juv-missing-program").stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE))));
        // libuv opens the pipe on its end before it learns that exec failed; the child's end is gone
        AtomicReference<UvException> end = new AtomicReference<>();
        out.startRead((s, data, error) -> {
            assertNull(data);
            end.set(error);
            s.close();
        });
        loop.run();
        assertEquals("EOF", end.get().name());
    }

    @Test
    void childExitsAfterItsLoopIsClosed() throws InterruptedException {
        int pid;
        try (Loop other = new Loop()) {
            ChildProcess p = ChildProcess.spawn(other, ProcessOptions.command("sleep", "0.3"));
            pid = p.pid();
            // closing the handle stops watching the child; the loop can then close
            p.close();
            other.run();
        }
        // SIGCHLD arrives with no loop left to receive it; the JVM carries on
        for (int i = 0; i < 100; i++) {
            Thread.sleep(20);
            if (ProcessHandle.of(pid).map(h -> h.info().command().isEmpty()).orElse(true)) {
                break;
            }
        }
        Thread.sleep(100);
        ChildProcess.spawn(loop, ProcessOptions.command("true"), (c, st, sig) -> c.close());
        loop.run();
    }

    @Test
    void randomArgumentsRoundTripOrAreRefused() {
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 150; i++) {
            String arg = DnsContractTest.randomHost(rnd);
            if (arg.indexOf('\0') >= 0) {
                assertThrows(IllegalArgumentException.class, () -> ProcessOptions.command("printf", "%s", arg));
                assertThrows(IllegalArgumentException.class,
                        () -> ProcessOptions.command("true").env(Map.of("JUV", arg)));
                continue;
            }
            Pipe out = new Pipe(loop);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            AtomicLong status = new AtomicLong(-1);
            ChildProcess.spawn(loop, ProcessOptions.command("/bin/sh", "-c", "printf %s \"$1$JUV\"", "sh", arg)
                    .env(Map.of("JUV", arg)).stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), (p, st, sig) -> {
                        status.set(st);
                        p.close();
                    });
            readInto(out, got);
            loop.run();
            assertEquals(0, status.get());
            assertEquals(arg + arg, got.toString(StandardCharsets.UTF_8), "argument and environment round trip");
        }
    }

    @Test
    void exceptionInExitCallbackReachesRun() {
        ChildProcess.spawn(loop, ProcessOptions.command("true"), (p, st, sig) -> {
            p.close();
            throw new IllegalStateException("from the exit callback");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.run());
        assertEquals("from the exit callback", e.getMessage());
        loop.run();
        assertTrue(loop.handles().isEmpty());
    }

    @Test
    void spawnFromAnotherThreadWhileRunningIsRefused() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Timer t = new Timer(loop);
        t.start(timer -> {
            Thread other = new Thread(() -> {
                try {
                    ChildProcess.spawn(loop, ProcessOptions.command("true"));
                } catch (Throwable x) {
                    thrown.set(x);
                }
            });
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer.close();
        }, 1, 0);
        loop.run();
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
    }

    @Test
    void stdinWriteAndReadBackLargeData() {
        int size = 4 << 20;
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + (i >> 11));
        }
        Pipe in = new Pipe(loop);
        Pipe out = new Pipe(loop);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ChildProcess.spawn(loop, ProcessOptions.command("cat")
                .stdio(Stdio.pipe(in, Stdio.READABLE), Stdio.pipe(out, Stdio.WRITABLE)), (p, st, sig) -> p.close());
        in.write(ByteBuffer.wrap(data), (s, e) -> {
            assertNull(e);
            s.close();
        });
        readInto(out, got);
        loop.run();
        assertEquals(size, got.size());
        assertTrue(java.util.Arrays.equals(data, got.toByteArray()));
    }
}
