package dev.juv.programs;

import dev.juv.Loop;
import dev.juv.Timer;
import dev.juv.support.Child;

/**
 * Child JVM for SecurityInputTest: runs a timer with juv from the module path or the class path,
 * or prints the error juv failed with (exit 3) when the JVM refuses it native access.
 */
public final class NativeAccessProbe {
    private NativeAccessProbe() {}

    public static void main(String[] args) {
        int[] fired = new int[1];
        Loop first;
        try {
            first = new Loop();
        } catch (Throwable e) {
            // what a user sees when juv cannot start: printed whole for the test to read
            System.out.println("failed: " + e.getClass().getName() + ": " + e.getMessage());
            System.exit(3);
            return;
        }
        try (Loop loop = first) {
            new Timer(loop).start(t -> {
                fired[0]++;
                t.close();
            }, 0, 0);
            loop.run();
        }
        System.out.println(fired[0] == 1 ? "timer fired in module " + Loop.class.getModule().getName() : "timer did not fire");
        System.exit(fired[0] == 1 ? 0 : 1);
    }
}
