package dev.juv;

/**
 * A callback that receives only its handle: timers, idle, prepare, check, async and close.
 * Runs on the loop thread.
 *
 * @param <H> the handle type
 */
@FunctionalInterface
public interface HandleCallback<H extends Handle> {
    void call(H handle);
}
