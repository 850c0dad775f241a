package dev.juv.bench;

import dev.juv.Loop;
import dev.juv.Timer;

/**
 * The juv side of the cold-start scenario: a fresh JVM that makes its first loop, runs one 1 ms
 * timer and exits ({@code timer}), or prints a line and exits ({@code hello}, the bare JVM it is
 * compared with). Prints {@code RESULT first_loop_ms=… main_to_exit_ms=…}.
 */
public final class ColdStart {
    private ColdStart() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        if (args.length > 0 && args[0].equals("hello")) {
            System.out.println("RESULT hello=1");
            return;
        }
        try (Loop loop = new Loop()) {
            long t1 = System.nanoTime();
            Timer t = new Timer(loop);
            t.start(Timer::close, 1, 0);
            loop.run();
            long t2 = System.nanoTime();
            // no printf or string concatenation: their first use costs a fresh JVM more than a
            // bare JVM's println, and that is not juv's
            System.out.println(new StringBuilder("RESULT first_loop_ms=").append((t1 - t0) / 1e6)
                    .append(" main_to_exit_ms=").append((t2 - t0) / 1e6).toString());
        }
    }
}
