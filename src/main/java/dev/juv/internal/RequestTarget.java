package dev.juv.internal;

/** What an upcall for a request calls; implemented by juv's request objects. */
public interface RequestTarget {
    /** Routes a throwable from a callback to the loop's exception handler; never throws. */
    void uvFail(Throwable t);

    /** write, connect, shutdown and udp send: the status. */
    default void uvDone(int status) {}
}
