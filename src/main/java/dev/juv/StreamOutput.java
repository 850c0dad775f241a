package dev.juv;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link Stream#outputStream()}: blocking writes over {@link Stream#writeAsync(ByteBuffer...)},
 * for any thread but the loop's. A write returns once its bytes are taken and queued, and
 * waits only while more than {@link #IN_FLIGHT} bytes of earlier writes are still unwritten,
 * so a writer does not wait for the loop at every call; a write's failure surfaces at the next
 * write, {@link #flush()} or {@link #close()}. Waiting parks a virtual thread without pinning it.
 * {@link #close()} waits for every write, then shuts the writing side down and waits for that.
 */
final class StreamOutput extends OutputStream {
    /** Bytes of earlier writes that may still be unwritten when a write returns. */
    static final int IN_FLIGHT = 256 * 1024;

    private final Stream<?> stream;
    private boolean closed;
    /** A write not yet seen done. */
    private record Pending(CompletableFuture<Void> done, int size) {}

    /** The writes not yet seen done, oldest first; under this object's lock. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long inFlight;

    StreamOutput(Stream<?> stream) {
        this.stream = stream;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkNotLoopThread(stream, "OutputStream.write");
        if (closed) {
            throw new IOException("the output stream is closed");
        }
        if (len == 0) {
            return;
        }
        // finished writes leave the queue first (a failed one throws here), then this one waits
        // while the unwritten bytes before it are over the bound
        while (!pending.isEmpty() && (pending.peekFirst().done().isDone() || inFlight + len > IN_FLIGHT)) {
            awaitOldest();
        }
        Pending p = new Pending(stream.writeAsync(ByteBuffer.wrap(b, off, len)), len); // takes the bytes now
        pending.addLast(p);
        inFlight += len;
    }

    /** Waits until every write so far is written; the first failure among them as an IOException. */
    @Override
    public synchronized void flush() throws IOException {
        if (!pending.isEmpty()) {
            checkNotLoopThread(stream, "OutputStream.flush");
            while (!pending.isEmpty()) {
                awaitOldest();
            }
        }
    }

    /** Waits for the oldest write; it leaves the queue once done, also when it failed. */
    private void awaitOldest() throws IOException {
        Pending p = pending.peekFirst();
        try {
            await(p.done());
        } finally {
            if (p.done().isDone()) { // an Error while waiting leaves it queued, to be waited for again
                pending.removeFirst();
                inFlight -= p.size();
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            checkNotLoopThread(stream, "OutputStream.close");
            closed = true;
            flush();
            await(stream.shutdownAsync());
        }
    }

    /** Blocking on the loop thread would wait for the thread that is waiting. */
    static void checkNotLoopThread(Stream<?> stream, String what) {
        if (stream.loop().isLoopThread()) {
            throw new IllegalStateException(what + " blocks: call it on another thread than the loop's");
        }
    }

    /**
     * The future's value, waiting for it (parking a virtual thread) only when it is not done; its
     * failure as an IOException.
     */
    static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.isDone() ? f.getNow(null) : f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        } catch (CancellationException e) {
            throw new IOException(e);
        }
    }
}
