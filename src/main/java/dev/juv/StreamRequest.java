package dev.juv;

/** A connect or shutdown request of a stream: its memory lives until libuv's callback. */
final class StreamRequest extends Request {
    private static final int CONNECT_SIZE = size("connect");
    private static final int SHUTDOWN_SIZE = size("shutdown");

    private final Stream stream;
    private final String operation;
    private Stream.Callback<Stream> callback;

    @SuppressWarnings("unchecked")
    private StreamRequest(Stream stream, int size, String operation, Stream.Callback<? extends Stream> callback) {
        super(stream.loop, size);
        this.stream = stream;
        this.operation = operation;
        this.callback = (Stream.Callback<Stream>) callback;
    }

    static StreamRequest connect(Stream stream, String operation, Stream.Callback<? extends Stream> callback) {
        return new StreamRequest(stream, CONNECT_SIZE, operation, callback);
    }

    static StreamRequest shutdown(Stream stream, Stream.Callback<? extends Stream> callback) {
        return new StreamRequest(stream, SHUTDOWN_SIZE, "uv_shutdown", callback);
    }

    @Override
    void onDone(int status) {
        release();
        Stream.Callback<Stream> cb = callback;
        callback = null;
        if (cb != null) {
            cb.call(stream, status < 0 ? UvException.async(status, operation) : null);
        }
    }
}
