package dev.juv;

/**
 * One uv_write or uv_write2 in flight. It owns the native block holding the {@code uv_buf_t}
 * array and the copied bytes until libuv's write callback, and keeps direct buffers and the
 * sent handle reachable until then.
 *
 * <p>Once its callback has run, a request goes back to its loop's {@link Pool} with its
 * {@code uv_write_t}, and the next write takes it from there: a steady stream of writes
 * allocates nothing on the Java heap or in native memory per write.
 *
 * @param <S> the stream's type, which the callback receives
 */
final class WriteRequest<S extends Stream<S>> extends Request {
    private static final int SIZE = size("write");

    private S stream;
    private long block;
    private long blockSize;
    private Object keep;
    private Handle sendHandle;
    private Stream.Callback<? super S> callback;

    private WriteRequest(S stream) {
        super(stream.loop, SIZE);
        this.stream = stream;
    }

    /**
     * A request for a write of {@code stream}'s, from its loop's pool when one is there. Called
     * with the loop held; refused once the loop is closing.
     */
    @SuppressWarnings("unchecked")
    static <S extends Stream<S>> WriteRequest<S> obtain(S stream, long block, long blockSize, Object keep,
            Handle sendHandle, Stream.Callback<? super S> callback) {
        stream.loop.checkNotClosing();
        WriteRequest<S> w = (WriteRequest<S>) stream.loop.writeRequests.take();
        if (w == null) {
            w = new WriteRequest<>(stream);
            w.arm();
        } else {
            w.rearm(); // a pooled request it cannot arm is freed (see rearm)
            w.stream = stream;
        }
        w.block = block;
        w.blockSize = blockSize;
        w.keep = keep;
        w.sendHandle = sendHandle;
        w.callback = callback;
        return w;
    }

    /** Its hand-over threw: frees the block and ends this use, as a refusal does; idempotent. */
    @Override
    void cleanUpAbandoned() {
        if (block != 0) {
            freeBlock();
        }
        if (!isDone()) {
            recycle();
        }
    }

    /** libuv refused the write: frees the block and ends this use; the caller throws. */
    void refused() {
        freeBlock();
        recycle();
    }

    private void freeBlock() {
        long b = block;
        block = 0;
        stream.giveBack(b, blockSize);
    }

    /** Forgets this use and goes back to the pool (or frees its memory when the pool is full). */
    private void recycle() {
        retire();
        keep = null;
        sendHandle = null;
        callback = null;
        stream = null;
        loop.writeRequests.put(this);
    }

    @Override
    void onDone(int status) {
        S s = stream;
        Handle sent = sendHandle;
        Stream.Callback<? super S> cb = callback;
        freeBlock();
        // back in the pool before the callback, which may well write again
        recycle();
        try {
            if (sent != null) {
                sent.unpinMemory();
            }
        } finally {
            if (cb != null) {
                cb.call(s, status < 0 ? UvException.async(status, sent == null ? "uv_write" : "uv_write2") : null);
            }
        }
    }

    /**
     * A loop's spare write requests. Used only by the thread holding the loop; emptied, and its
     * memory freed, when the loop closes (a request that comes back after that is freed at once).
     */
    static final class Pool {
        /** Enough for the writes in flight of a busy server; beyond it, requests are freed. */
        private static final int CAPACITY = 256;

        private final WriteRequest<?>[] spare = new WriteRequest<?>[CAPACITY];
        private int count;
        private boolean disposed;

        WriteRequest<?> take() {
            if (count == 0) {
                return null;
            }
            WriteRequest<?> w = spare[--count];
            spare[count] = null;
            return w;
        }

        void put(WriteRequest<?> w) {
            if (disposed || count == CAPACITY) {
                w.freeMemory();
            } else {
                spare[count++] = w;
            }
        }

        /** How many spare requests the pool holds. */
        int size() {
            return count;
        }

        /** Frees every spare request; the loop is closed. */
        void dispose() {
            disposed = true;
            while (count > 0) {
                WriteRequest<?> w = spare[--count];
                spare[count] = null;
                w.freeMemory();
            }
        }
    }
}
