package dev.juv;

/**
 * The process's resource usage ({@code uv_rusage_t}); times in microseconds, maxRss in kilobytes.
 *
 * @param userTimeMicros CPU time spent in user mode, in microseconds
 * @param systemTimeMicros CPU time spent in the kernel, in microseconds
 * @param maxRss the largest resident set size, in kilobytes
 * @param ixrss integral shared memory size ({@code ru_ixrss}; 0 on Linux)
 * @param idrss integral unshared data size ({@code ru_idrss}; 0 on Linux)
 * @param isrss integral unshared stack size ({@code ru_isrss}; 0 on Linux)
 * @param minorFaults page faults served without I/O
 * @param majorFaults page faults that needed I/O
 * @param swaps times the process was swapped out ({@code ru_nswap}; 0 on Linux)
 * @param blocksIn block input operations
 * @param blocksOut block output operations
 * @param messagesSent IPC messages sent ({@code ru_msgsnd}; 0 on Linux)
 * @param messagesReceived IPC messages received ({@code ru_msgrcv}; 0 on Linux)
 * @param signals signals received ({@code ru_nsignals}; 0 on Linux)
 * @param voluntaryContextSwitches context switches because the process waited for a resource
 * @param involuntaryContextSwitches context switches because the process's time slice ran out or a
 *     higher-priority process became runnable
 */
public record ResourceUsage(long userTimeMicros, long systemTimeMicros, long maxRss, long ixrss, long idrss,
        long isrss, long minorFaults, long majorFaults, long swaps, long blocksIn, long blocksOut,
        long messagesSent, long messagesReceived, long signals, long voluntaryContextSwitches,
        long involuntaryContextSwitches) {}
