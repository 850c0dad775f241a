package dev.juv;

/** A handle was used after {@code close()} (while closing or once closed), or its loop was closed. */
public class HandleClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which names the handle and the call that was refused.
     *
     * @param message the detail message
     */
    public HandleClosedException(String message) {
        super(message);
    }
}
