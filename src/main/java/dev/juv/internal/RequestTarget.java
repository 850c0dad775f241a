package dev.juv.internal;

/** What an upcall for a request calls; implemented by juv's request objects. */
public interface RequestTarget {
    /** Routes a throwable from a callback to the loop's exception handler; never throws. */
    void uvFail(Throwable t);

    /** write, connect, shutdown, udp send and after-work: the status. */
    default void uvDone(int status) {}

    /** fs: the result is read from the request. */
    default void uvFs(long req) {}

    default void uvGetaddrinfo(int status, long res) {}

    default void uvGetnameinfo(int status, long host, long service) {}

    default void uvRandom(int status, long buf, long len) {}
}
