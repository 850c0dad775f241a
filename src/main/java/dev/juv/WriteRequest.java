package dev.juv;

/**
 * One uv_write or uv_write2 in flight. It owns the native block holding the {@code uv_buf_t}
 * array and the copied bytes until libuv's write callback, and keeps direct buffers and the
 * sent handle reachable until then.
 *
 * @param <S> the stream's type, which the callback receives
 */
final class WriteRequest<S extends Stream<S>> extends Request {
    private static final int SIZE = size("write");

    private final S stream;
    private long block;
    private final long blockSize;
    private Object keep;
    private Handle sendHandle;
    private Stream.Callback<? super S> callback;

    WriteRequest(S stream, long block, long blockSize, Object keep, Handle sendHandle,
            Stream.Callback<? super S> callback) {
        super(stream.loop, SIZE);
        this.stream = stream;
        this.block = block;
        this.blockSize = blockSize;
        this.keep = keep;
        this.sendHandle = sendHandle;
        this.callback = callback;
    }

    /** libuv refused the write: frees everything; the caller throws. */
    void refused() {
        release();
        freeBlock();
        keep = null;
        sendHandle = null;
        callback = null;
    }

    private void freeBlock() {
        long b = block;
        block = 0;
        stream.giveBack(b, blockSize);
    }

    @Override
    void onDone(int status) {
        release();
        freeBlock();
        keep = null;
        Handle sent = sendHandle;
        sendHandle = null;
        Stream.Callback<? super S> cb = callback;
        callback = null;
        try {
            if (sent != null) {
                sent.unpinMemory();
            }
        } finally {
            if (cb != null) {
                cb.call(stream, status < 0 ? UvException.async(status, sent == null ? "uv_write" : "uv_write2") : null);
            }
        }
    }
}
