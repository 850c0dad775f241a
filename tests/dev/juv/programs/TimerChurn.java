package dev.juv.programs;

import dev.juv.Loop;
import dev.juv.Timer;
import dev.juv.internal.Native;
import dev.juv.support.TestLibc;

/**
 * Timer init/close cycles in batches, alone in its JVM so that glibc's process-wide in-use
 * figure sees as little else as possible. Arguments: total cycles, checkpoint cycle. Prints one
 * line: {@code RESULT baseBytes endBytes baseBlocks endBlocks checkpointInUse endInUse
 * warmNanos totalNanos}.
 */
public final class TimerChurn {
    private TimerChurn() {}

    private static final int BATCH = 1_000;

    /** glibc's in-use bytes: the smallest of 20 readings over about 200 ms. */
    public static long inUse() throws InterruptedException {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            min = Math.min(min, TestLibc.mallocInUse().orElseThrow());
            Thread.sleep(10);
        }
        return min;
    }

    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        int checkpoint = Integer.parseInt(args[1]);
        Loop loop = new Loop();
        long baseBytes = Native.liveBytes();
        long baseBlocks = Native.liveBlocks();
        Timer[] timers = new Timer[BATCH];
        long atCheckpoint = -1;
        long warm = 0;
        long start = System.nanoTime();
        for (int done = 0; done < cycles; ) {
            for (int i = 0; i < BATCH; i++) {
                timers[i] = new Timer(loop);
                if ((i & 1) == 0) {
                    timers[i].start(t -> {
                        throw new AssertionError("a closed timer fired");
                    }, 60_000, 0);
                }
            }
            for (int i = 0; i < BATCH; i++) {
                timers[i].close();
                timers[i] = null;
            }
            loop.run();
            done += BATCH;
            if (done == checkpoint) {
                warm = System.nanoTime() - start;
                atCheckpoint = inUse();
                start += System.nanoTime() - start - warm; // leave the sampling pause out
            }
        }
        long total = System.nanoTime() - start;
        long atEnd = inUse();
        long endBytes = Native.liveBytes();
        long endBlocks = Native.liveBlocks();
        int left = loop.handles().size();
        loop.close();
        System.out.println("RESULT " + baseBytes + " " + endBytes + " " + baseBlocks + " " + endBlocks + " "
                + atCheckpoint + " " + atEnd + " " + warm + " " + total + " " + left);
    }
}
