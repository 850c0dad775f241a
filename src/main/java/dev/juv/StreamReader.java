package dev.juv;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link Stream#readAsync()} reads from: chunks copied off the loop's read buffer into heap
 * buffers the reader owns, queued until asked for. While more than {@link #HIGH} unread bytes
 * wait, reading is stopped (uv_read_stop), so the peer is held back by TCP's own flow control;
 * it starts again once the unread bytes fall to {@link #LOW}. Lives on the loop thread.
 */
final class StreamReader implements Stream.ReadCallback<Stream<?>> {
    /** Above this many unread bytes, reading stops. */
    static final int HIGH = 256 * 1024;
    /** At or below this many unread bytes, a stopped reading starts again. */
    static final int LOW = 64 * 1024;

    private final Stream<?> stream;
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<ByteBuffer>> waiters = new ArrayDeque<>();
    private long queued;
    private long maxQueued;
    private boolean paused;
    /** Set at the end of the stream (EOF) or on an error (then {@link #error} is set too). */
    private boolean ended;
    private UvException error;

    StreamReader(Stream<?> stream) {
        this.stream = stream;
    }

    /** Takes the next chunk into {@code f}, now if one waits, else when it arrives. */
    void take(CompletableFuture<ByteBuffer> f) {
        ByteBuffer next = chunks.poll();
        if (next != null) {
            queued -= next.remaining();
            if (paused && queued <= LOW && !ended) {
                paused = false;
                stream.startReader(this);
            }
            f.complete(next);
            return;
        }
        if (ended) {
            Stream.settle(f, null, error);
            return;
        }
        waiters.add(f);
    }

    @Override
    public void call(Stream<?> s, ByteBuffer data, UvException e) {
        if (data == null) {
            ended = true;
            error = e != null && e.code() == Errno.EOF ? null : e;
            finishWaiters(error);
            return;
        }
        CompletableFuture<ByteBuffer> f;
        while ((f = waiters.poll()) != null && f.isDone()) {
            // cancelled by its owner: the chunk goes to the next one
        }
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy);
        ByteBuffer chunk = ByteBuffer.wrap(copy);
        if (f != null) {
            f.complete(chunk);
            return;
        }
        chunks.add(chunk);
        queued += copy.length;
        maxQueued = Math.max(maxQueued, queued);
        if (queued > HIGH && !paused) {
            paused = true;
            stream.pauseReader();
        }
    }

    /**
     * The stream is closing, or its reading was stopped: what was read is dropped, what waits and
     * what asks from now on gets ECANCELED (or the end or error already reached).
     */
    void stopped(String why) {
        chunks.clear();
        queued = 0;
        if (!ended) {
            ended = true;
            error = UvException.async(Errno.ECANCELED, "uv_read: " + why);
        }
        finishWaiters(error);
    }

    private void finishWaiters(UvException e) {
        CompletableFuture<ByteBuffer> f;
        while ((f = waiters.poll()) != null) {
            Stream.settle(f, null, e);
        }
    }

    /** Unread bytes now queued. */
    long queued() {
        return queued;
    }

    /** The most unread bytes ever queued. */
    long maxQueued() {
        return maxQueued;
    }

    /** Whether reading is stopped because too much waits unread. */
    boolean paused() {
        return paused;
    }
}
