package dev.juv.examples;

import dev.juv.Loop;
import dev.juv.Prepare;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A signal handled outside libuv reaches a loop blocked in its poll phase: the JVM's own SIGINT
 * handling runs a shutdown hook, which wakes the loop through {@link Loop#execute}.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.SignalWakeup</pre>
 * Press Ctrl+C: it prints {@code Inside excepthook} and exits with the JVM's SIGINT status, 130.
 */
public final class SignalWakeup {
    private SignalWakeup() {}

    /** Stands in for Python's KeyboardInterrupt. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("interrupted", null, false, false);
        }
    }

    public static void main(String[] args) throws Exception {
        Loop loop = new Loop();
        CountDownLatch finished = new CountDownLatch(1);
        Prepare prepare = new Prepare(loop);
        loop.setExceptionHandler(e -> {
            System.out.println("Inside excepthook");
            if (e instanceof Interrupted) {
                prepare.stop();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                loop.execute(() -> {
                    throw new Interrupted();
                });
                finished.await(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the loop is already gone: nothing to wake
            }
        }, "signal-wakeup-hook"));
        prepare.start(p -> System.out.println("Inside prepare_cb"));
        loop.run();
        prepare.close();
        loop.run();
        loop.close();
        System.out.flush();
        finished.countDown();
    }
}
