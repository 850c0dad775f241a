package dev.juv.programs;

import dev.juv.Loop;
import dev.juv.Signal;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a few {@link Loop#queueWork} items, closes the loop and returns from main: the JVM must
 * then exit 0 promptly. With {@code exit} as argument it ends through System.exit from inside a
 * loop callback instead, with the loop still open; with {@code exit-watching}, likewise while a
 * Signal handle watches SIGINT.
 */
public final class ExitAfterWork {
    private ExitAfterWork() {}

    public static void main(String[] args) {
        boolean watching = args.length > 0 && args[0].equals("exit-watching");
        boolean exitInside = watching || args.length > 0 && args[0].equals("exit");
        Loop loop = new Loop();
        if (watching) {
            new Signal(loop).start((h, n) -> System.out.println("SIGINT"), Signal.SIGINT);
        }
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 16; i++) {
            loop.queueWork(() -> { }, err -> {
                if (done.incrementAndGet() == 16 && exitInside) {
                    System.out.println("EXITING");
                    System.out.flush();
                    System.exit(0);
                }
            });
        }
        loop.run();
        loop.close();
        System.out.println("DONE " + done.get());
    }
}
