package consumer;

import dev.juv.Loop;
import dev.juv.Sys;
import dev.juv.Timer;

/** Runs one timer on a juv loop and says which libuv ran it. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        try (Loop loop = new Loop()) {
            long[] fired = {0};
            Timer timer = new Timer(loop);
            timer.start(t -> {
                fired[0]++;
                t.close();
            }, 10, 0);
            loop.run();
            System.out.println("consumer: timer fired " + fired[0] + " time(s) on libuv " + Sys.versionString()
                    + " from " + Sys.libraryPath()
                    + (Main.class.getModule().isNamed() ? " (module path)" : " (class path)"));
        }
    }
}
