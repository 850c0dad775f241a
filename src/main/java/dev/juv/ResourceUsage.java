package dev.juv;

/**
 * The process's resource usage ({@code uv_rusage_t}); times in microseconds, maxRss in kilobytes.
 */
public record ResourceUsage(long userTimeMicros, long systemTimeMicros, long maxRss, long ixrss, long idrss,
        long isrss, long minorFaults, long majorFaults, long swaps, long blocksIn, long blocksOut,
        long messagesSent, long messagesReceived, long signals, long voluntaryContextSwitches,
        long involuntaryContextSwitches) {}
