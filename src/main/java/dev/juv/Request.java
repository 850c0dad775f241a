package dev.juv;

import dev.juv.internal.LibUv;
import dev.juv.internal.Native;
import dev.juv.internal.Upcalls;

/**
 * An asynchronous one-shot operation in flight: libuv's {@code uv_req_t}. Its memory lives until
 * its callback has run. {@link #cancel()} asks libuv to cancel it; a cancelled request's callback
 * still runs once, with ECANCELED.
 */
public class Request {
    final Loop loop;
    /** The uv_req_t; 0 until {@link #arm}, and again once completed and freed. */
    long ptr;
    private final int reqSize;
    /** Next on its loop's list of abandoned requests ({@link Loop#abandoned}). */
    Request nextAbandoned;
    /** Its entry in the loop's registry; a new one each time a pooled request is used again. */
    private long id;
    private boolean done;
    private boolean cancelled;

    /**
     * Called with the loop held; refused once the loop is closing. Takes nothing yet: whoever
     * makes a request calls {@link #arm} once the constructor has returned, so a constructor that
     * throws part way (a stack overflow in a field initialiser, say) leaves nothing behind; from
     * then on it ends the request ({@link #release}) if handing it over throws.
     */
    Request(Loop loop, int reqSize) {
        loop.checkNotClosing();
        this.loop = loop;
        this.reqSize = reqSize;
    }

    /**
     * Allocates the {@code uv_req_t} and registers the request, so that its callback finds it.
     * The request stays on its loop's abandoned list until this is done, so whatever this throws
     * (a stack overflow between two steps), run() or close() frees what it got.
     */
    final void arm() {
        armed = false;
        nextAbandoned = loop.abandoned; // field writes only: listed however little stack is left
        loop.abandoned = this;
        ptr = Native.calloc(reqSize);
        id = loop.registry.registerRequest(this);
        LibUv.uv_req_set_data(ptr, id);
        armed = true;
        loop.abandoned = nextAbandoned; // the head of the list: nothing listed itself meanwhile
        nextAbandoned = null;
    }

    /** Whether {@link #arm} or {@link #rearm} finished (else an abandoned request is only freed). */
    boolean armed;

    /**
     * Makes a request whose callback has run (and that {@link #retire} kept) ready for another
     * operation of its type: registered again under a new id, so a stale pointer to its previous
     * use finds nothing. Called with the loop held, not closing (the caller checks); a request it
     * cannot arm stays on the abandoned list and is freed from there.
     */
    final void rearm() {
        armed = false;
        nextAbandoned = loop.abandoned; // as in arm(): listed until armed again
        loop.abandoned = this;
        id = loop.registry.registerRequest(this);
        LibUv.uv_req_set_data(ptr, id);
        done = false;
        cancelled = false;
        armed = true;
        loop.abandoned = nextAbandoned;
        nextAbandoned = null;
    }

    /**
     * Ends this use of the request like {@link #release} but keeps its {@code uv_req_t}, for a
     * pool to {@link #rearm} it; {@link #freeMemory} gives the memory back.
     */
    final void retire() {
        if (ptr != 0 && !done) {
            loop.registry.unregisterRequest(id);
        }
        done = true;
    }

    /** Frees the memory of a retired request. */
    final void freeMemory() {
        if (ptr != 0) {
            Native.free(ptr);
            ptr = 0;
        }
    }

    /** Request type sizes, by libuv's {@code uv_req_type} name. */
    static int size(String typeName) {
        for (int i = 1; i < 64; i++) {
            String n = Native.string(LibUv.uv_req_type_name(i));
            if (n == null) {
                break;
            }
            if (n.equals(typeName)) {
                return (int) LibUv.uv_req_size(i);
            }
        }
        throw new IllegalStateException("libuv has no request type " + typeName);
    }

    /** After the submitting call: on failure frees the request and throws. */
    final void submitted(int result, String operation) {
        if (result < 0) {
            release();
            throw new UvException(result, operation);
        }
    }

    /** Frees the request (from its callback, or when submission failed). */
    final void release() {
        if (ptr != 0) {
            loop.registry.unregisterRequest(id);
            Native.free(ptr);
            ptr = 0;
        }
        done = true;
    }

    /**
     * Cancels the request if it has not started; true when it did (its callback then runs once,
     * with ECANCELED), and only the first time. Only fs, dns, work and random requests can be
     * cancelled, while they wait for a thread of juv's pool; false once one has started.
     *
     * @return true if this call cancelled the request; false if it had started, was done or was
     *     cancelled before
     */
    public boolean cancel() {
        try (Loop.Claim _ = loop.enter()) {
            if (done || ptr == 0 || cancelled) {
                return false;
            }
            // libuv would report a second uv_cancel of a cancelled request as successful again
            cancelled = LibUv.uv_cancel(ptr) == 0;
            return cancelled;
        }
    }

    /**
     * {@link #cancel()} from any thread: at once when this thread may use the loop, else handed
     * to the loop thread; nothing when the loop is closed (its requests are all over then).
     */
    void cancelAnywhere() {
        try {
            cancel();
        } catch (IllegalStateException elsewhere) {
            try {
                loop.execute(this::cancel);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // the loop is closed: every request it had is over
            }
        }
    }

    /**
     * Whether the request's callback has run.
     *
     * @return true once the callback has run, whatever the outcome
     */
    public boolean isDone() {
        return done;
    }

    void onDone(int status) {}

    /**
     * Frees what a request holds whose hand-over to libuv or the pool threw (a stack overflow on
     * the way there): libuv never took it. Safe to call again when an overflow cut it short; the
     * loop calls it again, from run() or close(), for a request still on its abandoned list.
     */
    void cleanUpAbandoned() {
        release();
    }

    /** The request's kind (a pooled operation names its operation), and whether it is done. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + (done ? "[done]" : "");
    }

    // ---- callbacks from libuv ----

    /** The request a request pointer's data field names, or null for a stale pointer. */
    static Request target(long req) {
        return Upcalls.target(LibUv.uv_req_get_data(req)) instanceof Request r ? r : null;
    }

    /**
     * The body of a request's completion upcall ({@code uv_write_cb}, {@code uv_connect_cb},
     * {@code uv_shutdown_cb}, {@code uv_udp_send_cb}): finds the request and completes it; a
     * throwable goes to its loop. Never throws.
     */
    static void complete(long req, int status) {
        Request r = null;
        try {
            r = target(req);
            if (r != null) {
                r.onDone(status);
            }
        } catch (Throwable e) {
            try {
                if (r != null) {
                    r.loop.handleException(e);
                } else {
                    Upcalls.orphan(e);
                }
            } catch (Throwable ignored) {
                // handleException never throws by contract; a StackOverflowError here is dropped
            }
        }
    }
}
