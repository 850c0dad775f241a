package dev.juv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@link Stream#inputStream()}: blocking reads over {@link Stream#readAsync()}, for any thread
 * but the loop's. Waiting parks a virtual thread without pinning it.
 */
final class StreamInput extends InputStream {
    private final Stream<?> stream;
    private ByteBuffer current;
    private boolean atEnd;
    private volatile boolean closed;
    /** read()'s one byte, reused under the stream's lock. */
    private final byte[] one = new byte[1];

    StreamInput(Stream<?> stream) {
        this.stream = stream;
    }

    @Override
    public synchronized int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        StreamOutput.checkNotLoopThread(stream, "InputStream.read");
        if (closed) {
            throw new IOException("the input stream is closed");
        }
        if (len == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (atEnd) {
                return -1;
            }
            current = StreamOutput.await(stream.readAsync());
            if (current == null) {
                atEnd = true;
                return -1;
            }
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    @Override
    public synchronized int available() throws IOException {
        if (closed) {
            throw new IOException("the input stream is closed");
        }
        return current == null ? 0 : current.remaining();
    }

    /** Stops reading the stream (what was read and not taken is dropped); the stream stays open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            stream.stopReaderAsync();
        }
    }
}
