package dev.juv.programs;

import dev.juv.Loop;
import dev.juv.Timer;
import dev.juv.support.Child;

/** Child JVM for SecurityInputTest: uses juv from the module path with native access for dev.juv only. */
public final class NativeAccessProbe {
    private NativeAccessProbe() {}

    public static void main(String[] args) {
        int[] fired = new int[1];
        try (Loop loop = new Loop()) {
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
