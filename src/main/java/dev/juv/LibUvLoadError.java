package dev.juv;

import java.io.Serial;

/**
 * Thrown by the first use of juv (such as {@code new Loop()}) when libuv cannot be loaded: no
 * library was found where juv looks (the message lists every place tried and how to install
 * libuv), the one found is too old or lacks a function juv needs, or the JVM refuses juv native
 * access ({@code --illegal-native-access=deny}; the message names the
 * {@code --enable-native-access} flag to add). Every later use throws it again, with the same
 * message. Like {@link UnsatisfiedLinkError}, it is an {@link Error}: the program cannot go on
 * with juv until the machine or the command line is changed.
 */
public final class LibUvLoadError extends Error {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Makes the error.
     *
     * @param message what was tried and what to change
     */
    public LibUvLoadError(String message) {
        super(message);
    }
}
