package dev.juv;

import java.time.Duration;

/**
 * A loop's counters at one moment, from {@link Loop#metrics()}.
 *
 * @param idleTime the total time the loop has waited in its poll (libuv's
 *     {@code uv_metrics_idle_time}); {@link Duration#ZERO} unless the loop was made with
 *     {@link LoopOptions#withIdleTimeMetrics(boolean) idle-time metrics}
 * @param loopCount the loop's iterations ({@code uv_metrics_info}); 0 where libuv is older than
 *     1.45, which lacks it
 * @param events the events its poll has returned ({@code uv_metrics_info}); 0 before libuv 1.45
 * @param eventsWaiting the events that were waiting when the poll was entered
 *     ({@code uv_metrics_info}); 0 before libuv 1.45
 * @param callbacks the callbacks libuv has made into Java on this loop (each read, alloc, write,
 *     timer, close...; the tasks given to {@link Loop#execute} run inside one async callback)
 * @param pendingTasks the tasks given to {@link Loop#execute} (and the {@code …Async} operations
 *     handed over) that have not started yet
 * @param openHandles the loop's handles whose close callback has not run
 * @param nativeBytes juv's live native memory, in bytes, in the whole process (all loops)
 */
public record LoopMetrics(Duration idleTime, long loopCount, long events, long eventsWaiting, long callbacks,
        int pendingTasks, int openHandles, long nativeBytes) {}
