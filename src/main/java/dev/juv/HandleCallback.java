package dev.juv;

/**
 * A callback that receives only its handle: timers, idle, prepare, check, async and close.
 * Runs on the loop thread.
 *
 * @param <H> the handle type
 */
@FunctionalInterface
public interface HandleCallback<H extends Handle> {
    /**
     * Called on the loop thread.
     *
     * @param handle the handle the callback was registered on
     */
    void call(H handle);
}
