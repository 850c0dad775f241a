package dev.juv;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link Stream#outputStream()}: blocking writes over {@link Stream#writeAsync(ByteBuffer...)},
 * for any thread but the loop's; each write returns once libuv has written its bytes. Waiting
 * parks a virtual thread without pinning it. {@link #close()} shuts the writing side down and
 * waits for it.
 */
final class StreamOutput extends OutputStream {
    private final Stream<?> stream;
    private boolean closed;

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
        if (len > 0) {
            await(stream.writeAsync(ByteBuffer.wrap(b, off, len)));
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            checkNotLoopThread(stream, "OutputStream.close");
            closed = true;
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
