package dev.juv.internal;

/**
 * What an upcall for a handle calls. The public handle classes implement it through a private
 * peer, so none of these methods is part of juv's API. Addresses are raw pointers.
 */
public interface HandleTarget {
    /** Routes a throwable from a callback to the loop's exception handler; never throws. */
    void uvFail(Throwable t);

    default void uvClose() {}

    /** Timer, idle, prepare, check and async. */
    default void uvCallback() {}

    default void uvSignal(int signum) {}

    default void uvPoll(int status, int events) {}

    default void uvConnection(int status) {}

    /** The loop's read buffer: address and length for the alloc callback. */
    default long uvReadBuffer() {
        return 0;
    }

    default int uvReadBufferLength() {
        return 0;
    }

    default void uvRead(long nread, long base) {}

    default void uvUdpRecv(long nread, long base, long addr, int flags) {}

    default void uvExit(long exitStatus, int termSignal) {}

    default void uvFsEvent(long filename, int events, int status) {}

    default void uvFsPoll(int status, long prev, long curr) {}
}
