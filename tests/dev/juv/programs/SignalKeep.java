package dev.juv.programs;

import dev.juv.Loop;
import dev.juv.RunMode;
import dev.juv.Signal;
import dev.juv.internal.Dispositions;
import dev.juv.support.TestLibc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches SIGPIPE with juv while this JVM writes to pipes whose reader is gone, each write raising
 * SIGPIPE: the JVM ignores it, and if SIGPIPE ever had its default action, even for a moment,
 * the process would die with 128 + 13. Prints {@code SURVIVED} and exits 0 when it lives.
 *
 * <p>Modes: {@code oneshot} (a one-shot watcher, then several broken writes before the loop
 * turns, and more after its callback), {@code stop} and {@code close} (a lasting watcher that
 * receives SIGPIPE, then lets go, then broken writes), {@code churn} (a thread writes to a broken
 * pipe without pause while the main thread starts, stops, re-arms and closes SIGPIPE watchers
 * thousands of times). {@code term-churn} starts and stops SIGTERM watchers the same way, then
 * prints {@code READY} and waits for a SIGTERM, which must run the shutdown hooks.
 */
public final class SignalKeep {
    private SignalKeep() {}

    public static final String MARKER = "shutdown hook ran";

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        if (mode.equals("term-churn")) {
            termChurn();
            return;
        }
        long before = Dispositions.currentHandler(Signal.SIGPIPE);
        Pipe broken = Pipe.open();
        broken.source().close();
        AtomicInteger received = new AtomicInteger();
        int expected;
        try (Loop loop = new Loop()) {
            Signal s = new Signal(loop);
            switch (mode) {
                case "oneshot" -> {
                    s.startOneshot((h, n) -> received.incrementAndGet(), Signal.SIGPIPE);
                    brokenWrites(broken, 10);
                    loop.run(RunMode.NOWAIT);
                    brokenWrites(broken, 10);
                    s.close();
                    expected = 1;
                }
                case "stop", "close" -> {
                    s.start((h, n) -> received.incrementAndGet(), Signal.SIGPIPE);
                    brokenWrites(broken, 1);
                    while (received.get() == 0) {
                        loop.run(RunMode.ONCE);
                    }
                    if (mode.equals("stop")) {
                        s.stop();
                    } else {
                        s.close();
                    }
                    brokenWrites(broken, 10);
                    s.close();
                    expected = 1;
                }
                case "churn" -> {
                    s.close();
                    expected = churn(loop, broken);
                    received.set(expected);
                }
                default -> throw new IllegalArgumentException(mode);
            }
            loop.run();
        }
        brokenWrites(broken, 10);
        long after = Dispositions.currentHandler(Signal.SIGPIPE);
        if (received.get() != expected) {
            System.out.println("RECEIVED " + received.get() + ", expected " + expected);
            System.exit(4);
        }
        if (after != before) {
            System.out.println("HANDLER " + Long.toHexString(after) + ", was " + Long.toHexString(before));
            System.exit(5);
        }
        System.out.println("SURVIVED");
    }

    /** Writes that each raise SIGPIPE in this thread and fail with "Broken pipe". */
    private static void brokenWrites(Pipe broken, int n) {
        for (int i = 0; i < n; i++) {
            try {
                broken.sink().write(ByteBuffer.wrap(new byte[] {1}));
                throw new IllegalStateException("a write to a pipe without reader succeeded");
            } catch (IOException expected) {
                // EPIPE: the JVM ignored the SIGPIPE
            }
        }
    }

    private static int churn(Loop loop, Pipe broken) throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> {
            while (!done.get()) {
                brokenWrites(broken, 1);
                writes.incrementAndGet();
            }
        }, "broken-writer");
        writer.start();
        Random r = new Random(12);
        Signal[] watchers = {new Signal(loop), new Signal(loop)};
        int ops = 0;
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end || ops < 2_000) {
            int i = r.nextInt(watchers.length);
            Signal w = watchers[i];
            switch (r.nextInt(5)) {
                case 0 -> w.start((h, n) -> { }, Signal.SIGPIPE);
                case 1 -> w.startOneshot((h, n) -> { }, Signal.SIGPIPE);
                case 2 -> w.stop();
                case 3 -> {
                    w.close();
                    watchers[i] = new Signal(loop);
                }
                default -> loop.run(RunMode.NOWAIT);
            }
            ops++;
        }
        for (Signal w : watchers) {
            w.close();
        }
        done.set(true);
        writer.join();
        System.out.println("OPS " + ops + " WRITES " + writes.get());
        return 0;
    }

    private static void termChurn() throws Exception {
        long pid = ProcessHandle.current().pid();
        if (TestLibc.isIgnored(pid, Signal.SIGTERM)) {
            System.out.println("IGNORED");
            System.exit(3);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(MARKER);
            System.out.flush();
        }));
        try (Loop loop = new Loop()) {
            Random r = new Random(15);
            Signal[] watchers = {new Signal(loop), new Signal(loop)};
            for (int ops = 0; ops < 5_000; ops++) {
                Signal w = watchers[r.nextInt(watchers.length)];
                switch (r.nextInt(4)) {
                    case 0 -> w.start((h, n) -> { }, Signal.SIGTERM);
                    case 1 -> w.startOneshot((h, n) -> { }, Signal.SIGTERM);
                    case 2 -> w.stop();
                    default -> loop.run(RunMode.NOWAIT);
                }
            }
            for (Signal w : watchers) {
                w.close();
            }
            loop.run();
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(60_000);
        System.out.println("NOT SIGNALLED");
        System.exit(5);
    }
}
