package dev.juv;

/**
 * A connect or shutdown request of a stream: its memory lives until libuv's callback.
 *
 * @param <S> the stream's type, which the callback receives
 */
final class StreamRequest<S extends Stream<S>> extends Request {
    private static final int CONNECT_SIZE = size("connect");
    private static final int SHUTDOWN_SIZE = size("shutdown");

    private final S stream;
    private final String operation;
    private Stream.Callback<? super S> callback;

    private StreamRequest(S stream, int size, String operation, Stream.Callback<? super S> callback) {
        super(stream.loop, size);
        this.stream = stream;
        this.operation = operation;
        this.callback = callback;
    }

    static <S extends Stream<S>> StreamRequest<S> connect(S stream, String operation,
            Stream.Callback<? super S> callback) {
        StreamRequest<S> r = new StreamRequest<>(stream, CONNECT_SIZE, operation, callback);
        r.arm();
        return r;
    }

    static <S extends Stream<S>> StreamRequest<S> shutdown(S stream, Stream.Callback<? super S> callback) {
        StreamRequest<S> r = new StreamRequest<>(stream, SHUTDOWN_SIZE, "uv_shutdown", callback);
        r.arm();
        return r;
    }

    @Override
    void onDone(int status) {
        release();
        Stream.Callback<? super S> cb = callback;
        callback = null;
        if (cb != null) {
            cb.call(stream, status < 0 ? UvException.async(status, operation) : null);
        }
    }
}
