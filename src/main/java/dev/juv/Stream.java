package dev.juv;

import dev.juv.internal.DebugBuffers;
import dev.juv.internal.Descriptors;
import dev.juv.internal.Layouts;
import dev.juv.internal.LibUv;
import dev.juv.internal.ReadBuffers;
import dev.juv.internal.Upcalls;
import dev.juv.internal.WritePool;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A duplex byte stream: libuv's {@code uv_stream_t}, the common part of {@link Tcp}, {@link Pipe}
 * and {@link Tty}. Every callback runs on the loop thread and receives the stream first.
 *
 * <p>Reads land in the loop's native read buffer; the read callback sees them through a
 * {@link ByteBuffer} view that is valid only while the callback runs (copy what you keep).
 *
 * <p>With {@code -Djuv.debug.buffers=true} each read view (here and in {@link Udp}'s receive
 * callback) is a copy in a confined arena that is closed as soon as the callback returns: a view
 * kept and used afterwards fails at once with {@link IllegalStateException} (from another thread,
 * {@link WrongThreadException}) instead of silently reading a later read's bytes. The mode
 * allocates per read and is meant for tests.
 *
 * <p>Writes copy heap bytes into native memory that lives until the write's callback; a direct
 * buffer is used in place and kept reachable until then, so it must not change meanwhile (a
 * view of a read callback's data, from this loop or any other, is copied, so echoing what was
 * read is safe; so is a view of a confined or shared arena's memory, which its owner could free
 * before the write is done). No write changes the position of a buffer it is given.
 *
 * <p>The type parameter is the concrete stream ({@code Tcp extends Stream<Tcp>}), so callbacks
 * receive the stream as its own type: {@code server.listen(128, (srv, e) -> srv.setNoDelay(true))}
 * compiles on a {@link Tcp}. Use {@code Stream<?>} for any stream.
 *
 * @param <S> the concrete stream type, which callbacks receive
 */
public abstract sealed class Stream<S extends Stream<S>> extends Handle permits Tcp, Pipe, Tty {
    /**
     * Receives the stream and the outcome of an operation: null on success, else the error.
     * Used by {@link #listen}, {@link #write}, {@link #shutdown} and the connect methods.
     *
     * @param <S> the stream type
     */
    @FunctionalInterface
    public interface Callback<S extends Stream<?>> {
        /**
         * Runs on the loop thread with the stream and null, or the error.
         *
         * @param stream the stream the operation was on
         * @param error null on success, else the error
         */
        void call(S stream, UvException error);
    }

    /**
     * Receives what {@link #startRead} reads: {@code data} holds the bytes (position 0, limit the
     * count) and is valid only during the call, or is null at the end of the stream (the error
     * is then named {@code EOF}) or on an error. Reading has stopped by itself when data is null.
     *
     * @param <S> the stream type
     */
    @FunctionalInterface
    public interface ReadCallback<S extends Stream<?>> {
        /**
         * Runs on the loop thread with the data read, or null data and the error.
         *
         * @param stream the stream being read
         * @param data the bytes read, valid only during the call; null at the end of the stream or
         *     on an error
         * @param error null while data is read; the error ({@code EOF} at the end of the stream)
         *     when data is null
         */
        void call(S stream, ByteBuffer data, UvException error);
    }

    private ReadCallback<? super S> readCallback;
    private boolean reading;
    private Callback<? super S> listenCallback;
    /** What {@link #readAsync()} reads from, made on its first use; null until then. */
    private StreamReader reader;
    /** Set by {@link #listen(int)}: connections wait in libuv for {@link #acceptNext()}. */
    private boolean queueConnections;
    /** Connections libuv holds for an accept (it stops listening while one waits). */
    private int pendingConnections;
    private UvException listenError;
    private ArrayDeque<CompletableFuture<S>> acceptWaiters;

    Stream(Loop loop, HandleType type, Init init, String operation) {
        super(loop, type, init, operation);
    }

    Stream(Loop loop, HandleType type, SelfInit init, String operation) {
        super(loop, type, init, operation);
    }

    // ---- listen / accept ----

    /**
     * Starts listening for connections; {@code callback} runs for each incoming one, and should
     * {@link #accept} it. Wraps uv_listen.
     *
     * @param backlog how many pending connections the system may queue
     * @param callback runs on the loop thread for each incoming connection, or with the error
     * @throws IllegalArgumentException if the backlog is negative
     * @throws UvException if libuv refuses (EINVAL when not bound, EADDRINUSE...)
     * @throws HandleClosedException if the stream is closing or closed
     */
    public void listen(int backlog, Callback<? super S> callback) {
        Objects.requireNonNull(callback, "callback");
        if (backlog < 0) {
            throw new IllegalArgumentException("negative backlog " + backlog);
        }
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_listen(ptr, backlog, CONNECTION_CB.address()), "uv_listen");
            listenCallback = callback;
            queueConnections = false;
        }
    }

    /**
     * Starts listening for connections that wait to be taken with {@code acceptAsync()}
     * ({@link Tcp#acceptAsync()}, {@link Pipe#acceptAsync()}). While one waits, libuv stops
     * taking more, so the others wait in the system's backlog. Closing the stream fails the
     * futures that wait with ECANCELED and closes the connections nobody took. Wraps uv_listen.
     *
     * @param backlog how many pending connections the system may queue
     * @throws IllegalArgumentException if the backlog is negative
     * @throws UvException if libuv refuses (EINVAL when not bound, EADDRINUSE...)
     * @throws HandleClosedException if the stream is closing or closed
     */
    public void listen(int backlog) {
        if (backlog < 0) {
            throw new IllegalArgumentException("negative backlog " + backlog);
        }
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_listen(ptr, backlog, CONNECTION_CB.address()), "uv_listen");
            listenCallback = null;
            queueConnections = true;
            if (acceptWaiters == null) {
                acceptWaiters = new ArrayDeque<>();
            }
        }
    }

    /** This stream as its own type. */
    @SuppressWarnings("unchecked")
    final S self() {
        return (S) this;
    }

    /** A new, unconnected stream of this kind on this loop, to accept a connection into. */
    S newConnection() {
        throw new UnsupportedOperationException(type + " does not accept connections");
    }

    /**
     * The next connection, as a future: the common part of {@code acceptAsync()}. Safe from any
     * thread; needs {@link #listen(int)}.
     */
    final LoopFuture<S> acceptNext() {
        return loop.startAsync(f -> {
            try (Loop.Claim _ = enter()) {
                if (!queueConnections) {
                    throw new IllegalStateException("acceptAsync needs listen(backlog) without a callback first");
                }
                acceptWaiters.add(f);
                drainAccepts();
            }
        });
    }

    /** Gives pending connections (or a listen error) to the futures waiting, in order. */
    private void drainAccepts() {
        CompletableFuture<S> f;
        while ((f = acceptWaiters.peek()) != null) {
            if (f.isDone()) {
                acceptWaiters.poll(); // cancelled by its owner
                continue;
            }
            if (listenError != null) {
                acceptWaiters.poll();
                UvException e = listenError;
                listenError = null;
                f.completeExceptionally(e);
                continue;
            }
            if (pendingConnections == 0 || !isOpen()) {
                return;
            }
            acceptWaiters.poll();
            pendingConnections--;
            S c = null;
            try {
                c = newConnection();
                acceptHandle(c);
            } catch (RuntimeException e) {
                if (c != null) {
                    c.close();
                }
                f.completeExceptionally(e);
                continue;
            }
            if (!f.complete(c)) {
                c.close(); // cancelled meanwhile by another thread: nobody takes it
            }
        }
    }

    /**
     * Accepts a pending connection into {@code client}, a new stream of the same kind on the
     * same loop. Call it from the listen callback. Wraps uv_accept.
     *
     * @param client a new, unconnected stream of the same kind on the same loop
     * @throws IllegalArgumentException if the client is of another kind or loop, or is this stream
     * @throws UvException EBUSY when the client already has a descriptor (it was opened, bound or
     *     connected), EAGAIN when nothing is pending, or what libuv reports; after a refusal the
     *     pending connection is still there for the next accept
     * @throws HandleClosedException if either stream is closing or closed
     */
    public void accept(Stream<?> client) {
        acceptHandle(client);
    }

    final void acceptHandle(Handle client) {
        Objects.requireNonNull(client, "client");
        try (Loop.Claim _ = enter()) {
            client.checkState();
            if (client == this) {
                throw new IllegalArgumentException("a stream cannot accept into itself");
            }
            if (client.loop != loop) {
                throw new IllegalArgumentException("the client belongs to another loop");
            }
            checkAcceptable(client);
            if (Descriptors.fileno(client.ptr) >= 0) {
                // libuv would refuse with EBUSY only after taking the pending connection or handle,
                // which it then closes: refused here, it stays pending for a proper client
                throw new UvException(Errno.EBUSY, "uv_accept: the client already has a descriptor (opened,"
                        + " bound or connected); accept into a new handle");
            }
            UvException.check(LibUv.uv_accept(ptr, client.ptr), "uv_accept");
            client.learnFd();
        }
    }

    /** Throws IllegalArgumentException when {@code client} cannot receive this stream's connection. */
    void checkAcceptable(Handle client) {
        if (client.type != type) {
            throw new IllegalArgumentException("cannot accept a " + type + " connection into a " + client.type);
        }
    }

    /** {@code uv_write_cb}: a write request completed. */
    static final Upcalls.Stub WRITE_CB = Upcalls.stub(MethodHandles.lookup(), "onWrite", "V:PI");

    private static void onWrite(long req, int status) {
        Request.complete(req, status);
    }

    /** {@code uv_connect_cb}, given by {@code Tcp.connect} and {@code Pipe.connect}. */
    static final Upcalls.Stub CONNECT_CB = Upcalls.stub(MethodHandles.lookup(), "onConnect", "V:PI");

    private static void onConnect(long req, int status) {
        Request.complete(req, status);
    }

    /** {@code uv_shutdown_cb}: a shutdown request completed. */
    static final Upcalls.Stub SHUTDOWN_CB = Upcalls.stub(MethodHandles.lookup(), "onShutdown", "V:PI");

    private static void onShutdown(long req, int status) {
        Request.complete(req, status);
    }

    /** {@code uv_connection_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub CONNECTION_CB = Upcalls.stub(MethodHandles.lookup(), "onConnection", "V:PI");

    private static void onConnection(long handle, int status) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Stream<?> h) {
                h.onUvConnection(status);
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    final void onUvConnection(int status) {
        if (queueConnections) {
            if (status < 0) {
                listenError = UvException.async(status, "uv_listen");
            } else {
                pendingConnections++;
            }
            drainAccepts();
            return;
        }
        Callback<? super S> cb = listenCallback;
        if (cb != null) {
            cb.call(self(), status < 0 ? UvException.async(status, "uv_listen") : null);
        }
    }

    // ---- reading ----

    /**
     * Starts reading; {@code callback} runs for every chunk read, and once with null data at
     * the end of the stream or on an error, after which reading has stopped. Calling it while
     * reading replaces the callback. Wraps uv_read_start.
     *
     * @param callback runs on the loop thread for each chunk read and once at the end
     * @throws UvException ENOTCONN when the stream is not connected, or what libuv reports
     * @throws IllegalStateException once {@link #readAsync()} has been used on this stream
     * @throws HandleClosedException if the stream is closing or closed
     */
    public void startRead(ReadCallback<? super S> callback) {
        Objects.requireNonNull(callback, "callback");
        try (Loop.Claim _ = enter()) {
            if (reader != null) {
                throw new IllegalStateException("readAsync is in use: readAsync and startRead are exclusive on one stream");
            }
            if (!reading) {
                UvException.check(LibUv.uv_read_start(ptr, ALLOC_CB.address(), READ_CB.address()), "uv_read_start");
                reading = true;
            }
            readCallback = callback;
        }
    }

    /**
     * Stops reading; the read callback is not called again until {@link #startRead}. Does
     * nothing when not reading. On a stream read with {@link #readAsync()}, it stops that for
     * good: what was read and not taken is dropped, and every read from then on fails with
     * ECANCELED. Wraps uv_read_stop.
     *
     * @throws HandleClosedException if the stream is closing or closed
     */
    public void stopRead() {
        try (Loop.Claim _ = enter()) {
            if (reader != null) {
                stopReader("reading was stopped");
            } else if (reading) {
                reading = false;
                readCallback = null;
                LibUv.uv_read_stop(ptr);
            }
        }
    }

    /**
     * Whether {@link #startRead} is in effect (reading stops by itself at EOF or an error).
     *
     * @return true from {@link #startRead} until {@link #stopRead}, the end of the stream or an
     *     error
     */
    public boolean isReading() {
        try (Loop.Claim _ = enter()) {
            return reading;
        }
    }

    // ---- reading with futures ----

    /**
     * The next chunk read, as a future; safe from any thread. Reading starts on the first call;
     * chunks read before they are asked for wait in a queue, and while more than 256 KiB wait
     * unread, reading stops (uv_read_stop), so a slow reader holds its peer back instead of
     * filling memory; it starts again once 64 KiB or less wait. {@code readAsync} and
     * {@link #startRead} are exclusive on one stream. Closing the stream drops what waits unread.
     *
     * @return completed with the next chunk, a heap buffer the caller owns (position 0, limit the
     *     count); with null at the end of the stream (and for every call after it); exceptionally
     *     with the read error (ECONNRESET...), or ECANCELED when the stream was closed or its
     *     reading stopped, or {@link IllegalStateException} while {@link #startRead} is in effect
     */
    public CompletableFuture<ByteBuffer> readAsync() {
        return loop.startAsync(f -> {
            StreamReader r = reader;
            if (r == null || isOpen()) {
                try (Loop.Claim _ = enter()) {
                    r = reader();
                }
            }
            r.take(f);
        });
    }

    /** This stream's reader, made and started on first use. */
    private StreamReader reader() {
        StreamReader r = reader;
        if (r == null) {
            if (reading || readCallback != null) {
                throw new IllegalStateException("startRead is in effect: readAsync and startRead are exclusive on one"
                        + " stream");
            }
            r = new StreamReader(this);
            startReader(r);
            reader = r;
        }
        return r;
    }

    /** (Re)starts reading into {@code r}. */
    final void startReader(StreamReader r) {
        if (!reading && isOpen()) {
            UvException.check(LibUv.uv_read_start(ptr, ALLOC_CB.address(), READ_CB.address()), "uv_read_start");
            reading = true;
        }
        readCallback = r;
    }

    /** Stops reading while the reader's queue is full; {@link #startReader} resumes. */
    final void pauseReader() {
        if (reading) {
            reading = false;
            LibUv.uv_read_stop(ptr);
        }
    }

    /** Stops the reader for good. */
    private void stopReader(String why) {
        pauseReader();
        readCallback = null;
        reader.stopped(why);
    }

    /** Stops the reader for good on the loop thread; from any thread, without waiting. */
    final void stopReaderAsync() {
        loop.startAsync(f -> {
            if (reader != null && isOpen()) {
                try (Loop.Claim _ = enter()) {
                    stopReader("the input stream was closed");
                }
            }
            f.complete(null);
        });
    }

    /** Unread bytes {@link #readAsync()} holds now (for tests). */
    final long queuedReadBytes() {
        StreamReader r = reader;
        return r == null ? 0 : r.queued();
    }

    /** The most unread bytes {@link #readAsync()} ever held (for tests). */
    final long maxQueuedReadBytes() {
        StreamReader r = reader;
        return r == null ? 0 : r.maxQueued();
    }

    /** Whether {@link #readAsync()}'s reading is stopped because too much waits unread (for tests). */
    final boolean readerPaused() {
        StreamReader r = reader;
        return r != null && r.paused();
    }

    /**
     * A {@link java.io.InputStream} over {@link #readAsync()}, for blocking code on any thread
     * but the loop's (virtual threads first: waiting parks them without pinning). Its blocking
     * methods throw {@link IllegalStateException} on the loop thread. A read error or a closed
     * stream reaches its reads as an {@link java.io.IOException}. {@code close()} stops reading
     * (as {@link #stopRead()} does) and leaves the stream open. Safe from any thread.
     *
     * @return a new input stream over this stream
     */
    public InputStream inputStream() {
        return new StreamInput(this);
    }

    /**
     * A {@link java.io.OutputStream} over {@link #writeAsync(ByteBuffer...)}, for blocking code
     * on any thread but the loop's (virtual threads first). A write returns once its bytes are
     * taken and queued, waiting only while more than 256 KiB of earlier writes are unwritten;
     * {@code flush()} waits for every write. A write error arrives as an
     * {@link java.io.IOException} at the next write, {@code flush()} or {@code close()}.
     * {@code close()} waits for the writes, then shuts the writing side down
     * ({@link #shutdownAsync()}) and waits for that; the stream stays open. Its blocking methods
     * throw {@link IllegalStateException} on the loop thread. Safe from any thread.
     *
     * @return a new output stream over this stream
     */
    public OutputStream outputStream() {
        return new StreamOutput(this);
    }

    /** {@code uv_read_cb}, given to libuv by the method above; finds this handle in one lookup. */
    static final Upcalls.Stub READ_CB = Upcalls.stub(MethodHandles.lookup(), "onRead", "V:PJP");

    private static void onRead(long handle, long nread, long buf) {
        Object t = null;
        try {
            t = target(handle);
            if (t instanceof Stream<?> h) {
                h.onUvRead(nread, nread > 0 ? Layouts.bufBase(buf) : 0);
            }
        } catch (Throwable e) {
            failed(t, e);
        }
    }

    final void onUvRead(long nread, long base) {
        ReadCallback<? super S> cb = readCallback;
        if (nread > 0) {
            ByteBuffer view = loop.readView;
            view.clear();
            view.limit((int) nread);
            view.order(ByteOrder.BIG_ENDIAN);
            if (cb != null) {
                ReadBuffers.Dispatch d = loop.readDispatch;
                d.thread = Thread.currentThread();
                try {
                    if (DebugBuffers.enabled) {
                        try (DebugBuffers kept = DebugBuffers.open()) {
                            cb.call(self(), kept.copy(view), null);
                        }
                    } else {
                        cb.call(self(), view, null);
                    }
                } finally {
                    d.thread = null;
                }
            }
        } else if (nread < 0) {
            reading = false;
            readCallback = null;
            if (ptr != 0 && !isClosing()) {
                LibUv.uv_read_stop(ptr);
            }
            if (cb != null) {
                cb.call(self(), null, UvException.async((int) nread, "uv_read"));
            }
        }
    }

    // ---- writing ----

    /**
     * Writes {@code data}; see {@link #write(byte[], Callback)}. On a stream that is closing or
     * closed the bytes are dropped and nothing else happens.
     *
     * @param data the bytes to write; copied
     * @throws UvException EBADF when not connected, EPIPE when not writable
     */
    public void write(byte[] data) {
        write(data, 0, Objects.requireNonNull(data, "data").length, null);
    }

    /**
     * Writes a copy of {@code data}; {@code callback} (may be null) runs once the bytes are
     * written, or with the error: ECANCELED when the stream closes first, or when it is already
     * closing or closed (a race of the network, not misuse: nothing is thrown, the callback gets
     * ECANCELED on a later turn of the loop, and without a callback the bytes are dropped).
     * Wraps uv_write.
     *
     * @param data the bytes to write; copied
     * @param callback runs on the loop thread once the write is done or has failed, or null
     * @throws UvException EBADF when not connected, EPIPE when not writable
     */
    public void write(byte[] data, Callback<? super S> callback) {
        write(data, 0, Objects.requireNonNull(data, "data").length, callback);
    }

    /**
     * Writes a copy of {@code length} bytes of {@code data} from {@code offset}; see
     * {@link #write(byte[], Callback)}. Wraps uv_write.
     *
     * @param data the array holding the bytes to write; copied
     * @param offset the index of the first byte to write
     * @param length the number of bytes to write
     * @param callback runs on the loop thread once the write is done or has failed, or null
     * @throws IllegalArgumentException if offset or length is negative
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public void write(byte[] data, int offset, int length, Callback<? super S> callback) {
        WritePool.checkRange(data, offset, length);
        try (Loop.Claim c = Races.claim(this)) {
            if (c == null) {
                cancelled(callback, "uv_write");
                return;
            }
            prepare(data, offset, length);
            submit(null, null, callback);
        }
    }

    /**
     * Writes the bytes between the buffer's position and limit; see {@link #write(ByteBuffer, Callback)}.
     *
     * @param data the bytes to write; its position does not change
     * @throws UvException EBADF when not connected, EPIPE when not writable
     */
    public void write(ByteBuffer data) {
        write(data, null);
    }

    /**
     * Writes the bytes between the buffer's position and limit, without changing the position.
     * Heap bytes are copied; a direct buffer is written in place and kept reachable until the
     * callback (may be null), which runs once the bytes are written or with the error
     * (ECANCELED when the stream is closing or closed: see {@link #write(byte[], Callback)}).
     * Wraps uv_write.
     *
     * @param data the bytes to write; its position does not change
     * @param callback runs on the loop thread once the write is done or has failed, or null
     * @throws UvException EBADF when not connected, EPIPE when not writable
     */
    public void write(ByteBuffer data, Callback<? super S> callback) {
        Objects.requireNonNull(data, "data");
        try (Loop.Claim c = Races.claim(this)) {
            if (c == null) {
                cancelled(callback, "uv_write");
                return;
            }
            boolean inPlace = prepare(data);
            submit(inPlace ? data : null, null, callback);
        }
    }

    /**
     * Writes several buffers as one write; see {@link #write(ByteBuffer[], Callback)}.
     *
     * @param data the buffers to write, in order; their positions do not change
     * @throws IllegalArgumentException if there is no buffer
     */
    public void write(ByteBuffer... data) {
        write(data, null);
    }

    /**
     * Writes several buffers, in order, as one write (one uv_write with several uv_buf_t).
     * Heap buffers are copied, direct ones used in place until the callback (may be null),
     * which gets ECANCELED when the stream is closing or closed (see
     * {@link #write(byte[], Callback)}). Wraps uv_write.
     *
     * @param data the buffers to write, in order; their positions do not change
     * @param callback runs on the loop thread once the write is done or has failed, or null
     * @throws IllegalArgumentException if there is no buffer
     * @throws NullPointerException if the array or one of its buffers is null
     * @throws UvException EBADF when not connected, EPIPE when not writable
     */
    public void write(ByteBuffer[] data, Callback<? super S> callback) {
        WritePool.checkBuffers(data);
        try (Loop.Claim c = Races.claim(this)) {
            if (c == null) {
                cancelled(callback, "uv_write");
                return;
            }
            boolean direct = prepare(data);
            submit(direct ? data.clone() : null, null, callback);
        }
    }

    /**
     * Writes several byte arrays, in order, as one write; copies them. The callback (may be
     * null) gets ECANCELED when the stream is closing or closed (see
     * {@link #write(byte[], Callback)}). Wraps uv_write.
     *
     * @param data the arrays to write, in order; copied
     * @param callback runs on the loop thread once the write is done or has failed, or null
     * @throws IllegalArgumentException if there is no array
     * @throws NullPointerException if the array or one of its elements is null
     * @throws UvException EBADF when not connected, EPIPE when not writable
     */
    public void write(byte[][] data, Callback<? super S> callback) {
        WritePool.checkArrays(data);
        try (Loop.Claim c = Races.claim(this)) {
            if (c == null) {
                cancelled(callback, "uv_write");
                return;
            }
            prepare(data);
            submit(null, null, callback);
        }
    }

    // ---- futures ----

    /**
     * Writes a copy of {@code data} and returns a future of the write; safe from any thread (off
     * the loop thread the write is handed over with {@link Loop#execute}). The bytes are copied
     * before this method returns, so the caller may reuse the array at once. {@code cancel} on the
     * future only completes it: the write goes on.
     *
     * @param data the bytes to write; copied
     * @return completed with null once the bytes are written, or exceptionally with the
     *     {@link UvException} {@link #write(byte[], Callback)}'s callback would get (ECANCELED
     *     when the stream is closing or closed), or what the write throws
     * @throws NullPointerException if {@code data} is null
     */
    public CompletableFuture<Void> writeAsync(byte[] data) {
        Objects.requireNonNull(data, "data");
        byte[] bytes = loop.isLoopThread() ? data : data.clone();
        return loop.startAsync(f -> write(bytes, 0, bytes.length, (s, e) -> settle(f, null, e)));
    }

    /**
     * Writes the remaining bytes of several buffers, in order, as one write, and returns a future
     * of it; safe from any thread. What each buffer holds between its position and limit is
     * taken when this method returns: the bytes of heap buffers are copied then, so the caller
     * may reuse them and change any buffer's position or limit at once; a direct buffer is
     * written in place, so its bytes must not change until the future completes.
     *
     * @param data the buffers to write, in order; their positions do not change
     * @return completed with null once the bytes are written, or exceptionally with the
     *     {@link UvException} the callback of {@link #write(ByteBuffer[], Callback)} would get
     * @throws NullPointerException if the array or one of its buffers is null
     * @throws IllegalArgumentException if there is no buffer
     */
    public CompletableFuture<Void> writeAsync(ByteBuffer... data) {
        WritePool.checkBuffers(data);
        ByteBuffer[] buffers = loop.isLoopThread() ? data : taken(data);
        return loop.startAsync(f -> write(buffers, (s, e) -> settle(f, null, e)));
    }

    /** What the buffers hold now: heap bytes copied, direct buffers as views of their remaining bytes. */
    private static ByteBuffer[] taken(ByteBuffer[] data) {
        ByteBuffer[] out = new ByteBuffer[data.length];
        for (int i = 0; i < data.length; i++) {
            ByteBuffer b = data[i];
            if (b.isDirect()) {
                out[i] = b.slice();
            } else {
                byte[] copy = new byte[b.remaining()];
                b.get(b.position(), copy);
                out[i] = ByteBuffer.wrap(copy);
            }
        }
        return out;
    }

    /**
     * Shuts the writing side down once queued writes are done, and returns a future of it; safe
     * from any thread.
     *
     * @return completed with null once the shutdown is done, or exceptionally with the
     *     {@link UvException} the callback of {@link #shutdown(Callback)} would get (ECANCELED when
     *     the stream is closing or closed) or the one it throws (ENOTCONN...)
     */
    public CompletableFuture<Void> shutdownAsync() {
        return loop.startAsync(f -> shutdown((s, e) -> settle(f, null, e)));
    }

    /** Completes {@code f} with {@code value}, or exceptionally with {@code error} when there is one. */
    static <T> void settle(CompletableFuture<T> f, T value, UvException error) {
        if (error != null) {
            f.completeExceptionally(error);
        } else {
            f.complete(value);
        }
    }

    /**
     * A write or shutdown on a stream that is closing or closed: {@code callback} (may be null)
     * gets ECANCELED on a later turn of the loop.
     */
    final void cancelled(Callback<? super S> callback, String operation) {
        if (callback != null) {
            UvException e = Races.cancelled(operation);
            Races.later(loop, () -> callback.call(self(), e));
        }
    }

    /** Starts the prepared write; the block is freed and the error thrown when libuv refuses it. */
    final void submit(Object keep, Handle sendHandle, Callback<? super S> callback) {
        WritePool writes = loop.writes;
        long block = writes.preparedBlock();
        long size = writes.preparedSize();
        int count = writes.preparedCount();
        WriteRequest<S> w;
        try {
            w = WriteRequest.obtain(self(), block, size, keep, sendHandle, callback);
        } catch (RuntimeException | Error e) {
            writes.drop();
            throw e;
        }
        writes.detach();
        int r;
        try {
            r = sendHandle == null
                    ? LibUv.uv_write(w.ptr, ptr, block, count, WRITE_CB.address())
                    : LibUv.uv_write2(w.ptr, ptr, block, count, sendHandle.ptr, WRITE_CB.address());
        } catch (Throwable e) {
            // an overflow on the way to libuv: nothing was queued
            w.nextAbandoned = loop.abandoned; // field writes only: listed however little stack is left
            loop.abandoned = w;
            loop.finishAbandoned();
            throw e;
        }
        if (r < 0) {
            w.refused();
            throw new UvException(r, unconnected(r, sendHandle == null ? "uv_write" : "uv_write2"));
        }
        if (sendHandle != null) {
            // libuv may reach the sent handle until this write completes
            sendHandle.pinMemory();
        }
    }

    /**
     * The operation's name for a refusal, saying plainly when libuv's EBADF means that the stream
     * has no socket or descriptor yet (never connected, accepted or opened).
     */
    private String unconnected(int r, String operation) {
        return r == Errno.EBADF && Descriptors.fileno(ptr) < 0
                ? operation + " on a stream that is not connected (it has no socket yet: connect, accept or open it first)"
                : operation;
    }

    /**
     * Writes as much of {@code data} as can be written at once, without queueing.
     * Wraps uv_try_write.
     *
     * @param data the bytes to write
     * @return the number of bytes written (possibly fewer than given)
     * @throws UvException EAGAIN when nothing can be written now (also whenever writes are
     *     queued; made without a stack trace, as it is met and caught on a hot path), ECANCELED
     *     when the stream is closing or closed (a race of the network, reported like EPIPE rather
     *     than as misuse; not 0, which a loop retrying until everything is written would retry
     *     forever), or what libuv reports
     */
    public int tryWrite(byte[] data) {
        return tryWrite(data, 0, Objects.requireNonNull(data, "data").length);
    }

    /**
     * Writes as much of the given range as can be written at once; see {@link #tryWrite(byte[])}.
     * Wraps uv_try_write.
     *
     * @param data the array holding the bytes to write
     * @param offset the index of the first byte to write
     * @param length the number of bytes to write
     * @return the number of bytes written (possibly fewer than given)
     * @throws IllegalArgumentException if offset or length is negative
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public int tryWrite(byte[] data, int offset, int length) {
        WritePool.checkRange(data, offset, length);
        try (Loop.Claim _ = claimForTry()) {
            prepare(data, offset, length);
            return tryPrepared();
        }
    }

    /**
     * Writes as much of the buffer's remaining bytes as can be written at once, without
     * changing its position; see {@link #tryWrite(byte[])}. Wraps uv_try_write.
     *
     * @param data the bytes to write; its position does not change
     * @return the number of bytes written (possibly fewer than given)
     */
    public int tryWrite(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        try (Loop.Claim _ = claimForTry()) {
            loop.writes.prepareForTry(data);
            return tryPrepared();
        }
    }

    /**
     * Writes as much of several buffers, in order, as can be written at once; see
     * {@link #tryWrite(byte[])}. Wraps uv_try_write.
     *
     * @param data the buffers to write, in order; their positions do not change
     * @return the number of bytes written (possibly fewer than given)
     * @throws IllegalArgumentException if there is no buffer
     */
    public int tryWrite(ByteBuffer... data) {
        WritePool.checkBuffers(data);
        try (Loop.Claim _ = claimForTry()) {
            prepare(data);
            return tryPrepared();
        }
    }

    /** The loop's claim for a tryWrite; ECANCELED when the stream is closing or closed. */
    private Loop.Claim claimForTry() {
        Loop.Claim c = Races.claim(this);
        if (c == null) {
            throw new UvException(Errno.ECANCELED, "uv_try_write: the stream is closing or closed");
        }
        return c;
    }

    private int tryPrepared() {
        WritePool writes = loop.writes;
        long size = writes.preparedSize();
        int count = writes.preparedCount();
        long block = writes.detach();
        try {
            int r = LibUv.uv_try_write(ptr, block, count);
            if (r == Errno.EAGAIN) {
                throw UvException.wouldBlock("uv_try_write");
            }
            return r >= 0 ? r : UvException.check(r, unconnected(r, "uv_try_write"));
        } finally {
            writes.give(block, size);
        }
    }

    // ---- the loop's write pool builds the uv_buf_t arrays ----

    final void giveBack(long block, long size) {
        loop.writes.give(block, size);
    }

    final void prepare(byte[] data, int offset, int length) {
        loop.writes.prepare(data, offset, length);
    }

    /** Returns whether the buffer is used in place (and must be kept reachable). */
    final boolean prepare(ByteBuffer data) {
        return loop.writes.prepare(data);
    }

    /** Returns whether one of the buffers is used in place (and must be kept reachable). */
    private boolean prepare(ByteBuffer[] data) {
        return loop.writes.prepare(data);
    }

    private void prepare(byte[][] data) {
        loop.writes.prepare(data);
    }

    // ---- shutdown and state ----

    /**
     * Shuts the writing side down once queued writes are done; {@code callback} (may be null)
     * runs then, with the error if any: ECANCELED when the stream closes first, or when it is
     * already closing or closed (a race, not misuse: nothing is thrown, the callback gets it on a
     * later turn of the loop). Wraps uv_shutdown.
     *
     * @param callback runs on the loop thread once the shutdown is done or has failed, or null
     * @throws UvException ENOTCONN when not connected, not writable or already shut down
     */
    public void shutdown(Callback<? super S> callback) {
        try (Loop.Claim c = Races.claim(this)) {
            if (c == null) {
                cancelled(callback, "uv_shutdown");
                return;
            }
            StreamRequest<S> req = StreamRequest.shutdown(self(), callback);
            int r;
            try {
                r = LibUv.uv_shutdown(req.ptr, ptr, SHUTDOWN_CB.address());
            } catch (Throwable e) {
                // an overflow on the way to libuv: nothing was queued
                req.nextAbandoned = loop.abandoned; // field writes only: listed however little stack is left
                loop.abandoned = req;
                loop.finishAbandoned();
                throw e;
            }
            req.submitted(r, "uv_shutdown");
        }
    }

    /**
     * Whether the stream can be read from. Wraps uv_is_readable.
     *
     * @return true if the stream can be read from
     */
    public boolean isReadable() {
        try (Loop.Claim _ = enter()) {
            return LibUv.uv_is_readable(ptr) != 0;
        }
    }

    /**
     * Whether the stream can be written to. Wraps uv_is_writable.
     *
     * @return true if the stream can be written to
     */
    public boolean isWritable() {
        try (Loop.Claim _ = enter()) {
            return LibUv.uv_is_writable(ptr) != 0;
        }
    }

    /**
     * Bytes queued for writing and not yet written. Wraps uv_stream_get_write_queue_size.
     *
     * @return the number of bytes waiting in the write queue
     */
    public long writeQueueSize() {
        try (Loop.Claim _ = enter()) {
            return LibUv.uv_stream_get_write_queue_size(ptr);
        }
    }

    /**
     * Makes writes block (true) or not (false, the default). Wraps uv_stream_set_blocking.
     *
     * @param blocking true for blocking writes
     * @throws UvException EBADF when there is no descriptor yet, or what libuv reports
     */
    public void setBlocking(boolean blocking) {
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_stream_set_blocking(ptr, blocking ? 1 : 0), "uv_stream_set_blocking");
        }
    }

    @Override
    void beforeClose() {
        reading = false;
    }

    @Override
    void onClosed() {
        readCallback = null;
        listenCallback = null;
        pendingConnections = 0; // libuv closed them with the stream
        try {
            if (reader != null) {
                reader.stopped("the stream was closed");
            }
        } finally {
            ArrayDeque<CompletableFuture<S>> waiters = acceptWaiters;
            acceptWaiters = null;
            queueConnections = false;
            if (waiters != null) {
                UvException e = Races.cancelled("uv_accept");
                for (CompletableFuture<S> w : waiters) {
                    w.completeExceptionally(e);
                }
            }
        }
    }
}
