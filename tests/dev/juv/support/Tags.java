package dev.juv.support;

/**
 * The JUnit tags of the suite, one constant each, used as {@code @Tag(Tags.THREADS)}. Scripts
 * select by them with Surefire's {@code -Dgroups=} and {@code -DexcludedGroups=}; a plain
 * {@code mvn test} ({@code ci/test}) runs every test whatever its tags. Which script selects
 * which tag is in {@code ci/README.md}.
 */
public final class Tags {
    private Tags() {}

    /**
     * The class ports one of pyuv's test files ({@code TimerTest} is {@code test_timer.py}) and may
     * hold juv's own tests of the same subject after the port. {@code mvn test -Dgroups=pyuv}.
     */
    public static final String PYUV = "pyuv";

    /**
     * Exercises several threads: loop threads, foreign callers, the libuv threadpool through work,
     * fs and dns requests, signal delivery. What {@code ci/reliability tsan} runs on a
     * ThreadSanitizer libuv (R-X4). Classes that spawn child processes are not tagged: the TSan
     * runtime preloaded into /bin/sh crashes it.
     */
    public static final String THREADS = "threads";

    /**
     * Asserts how the loop's wait lines up with a timer's due time; under ThreadSanitizer
     * {@code RUN_ONCE} may wake before a 10 ms timer is due. Left out of {@code ci/reliability tsan}.
     */
    public static final String TIMING = "timing";

    /** The deliberate data race of {@code ci/reliability}'s TSan control run ({@code TsanControlTest}). */
    public static final String TSAN_CONTROL = "tsan-control";

    /** The fs suite (Fs, FsEvent, FsPoll); outside the scope of {@code ci/reliability gcstress} (R-X5). */
    public static final String FS = "fs";

    /** The dns suite; outside the scope of {@code ci/reliability gcstress} (R-X5). */
    public static final String DNS = "dns";

    /**
     * The process suite (ChildProcess, and handle passing to a child over IPC); outside the scope
     * of {@code ci/reliability gcstress} (R-X5).
     */
    public static final String PROCESS = "process";

    /**
     * Hundreds of thousands of cycles or cases (timer and connection churn, bad inputs, the fault
     * catalogue), or a timed load: at a collection per loop iteration they take hours or measure
     * the GC. Left out of {@code ci/reliability gcstress}.
     */
    public static final String VOLUME = "volume";

    /**
     * Measures heap allocation, needs more than a 32 MiB heap (100 MiB transfers, 64 MiB queued
     * writes, GC storms of its own), or runs in a child JVM with a heap of its own. Left out of
     * {@code ci/reliability gcstress}.
     */
    public static final String GC_HEAVY = "gc-heavy";

    /**
     * The examples of {@code src/examples}, each run end to end in a JVM of its own with its own
     * flags. Left out of {@code ci/reliability gcstress}: the run's JVM flags do not reach them.
     */
    public static final String EXAMPLES = "examples";

    /**
     * The adversary catalogue ({@code AdversaryTest}): a JVM per case with its own flags. Left out
     * of {@code ci/reliability gcstress}.
     */
    public static final String ADVERSARY = "adversary";

    /**
     * The loader with a libuv bundled on the class path ({@code BundledLoaderTest}): skipped unless
     * one is, as under {@code ci/bundle-test}; no loop work, so left out of
     * {@code ci/reliability gcstress}.
     */
    public static final String BUNDLED = "bundled";

    /**
     * Holds only on libuv before 1.45: the runs of {@code ci/reliability} on a libuv of 1.45 or
     * newer leave it out. No test has it at present.
     */
    public static final String LIBUV_BEFORE_1_45 = "libuv-before-1.45";
}
