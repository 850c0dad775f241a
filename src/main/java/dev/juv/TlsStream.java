package dev.juv;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * TLS over a connected stream ({@link Tcp}, {@link Pipe}), driven by the JDK's {@link SSLEngine}
 * on the transport's loop thread. It has the stream's shape: {@link #startRead} or
 * {@link #readAsync()} for what the peer sends, {@link #write(byte[], Callback)} or
 * {@link #writeAsync(byte[])} for what it should receive, {@link #shutdownAsync()} for the end
 * of what is sent (close_notify, then the transport's write side) and {@link #close()}.
 *
 * <p>The handshake starts with {@link #handshakeAsync()}, or with the first read or write. The
 * engine's delegated tasks (key exchange, certificate checks) run on juv's work pool
 * ({@link Loop#queueWork}), so a slow one never stalls the loop's other connections; the
 * handshake then goes on on the loop thread. Post-handshake messages (TLS 1.3 KeyUpdate,
 * NewSessionTicket) are read and answered as they come.
 *
 * <p>Failures are values: a failed handshake or a bad record reaches the read callback, the
 * pending futures and the pending writes' callbacks as an {@link SSLException} (the engine's own,
 * cause chain intact), the alert the engine makes is sent, and the transport is closed. A
 * transport that ends without the peer's close_notify is a failure too: an
 * {@link SSLException} saying whether it ended inside the handshake, inside a record, or between
 * records. An error of the transport itself (ECONNRESET...) arrives as its {@link UvException}.
 *
 * <p>The network and application buffers are sized from the engine's session and reused for
 * the life of the connection: a read callback's data is a view of the application buffer,
 * valid only while the callback runs. Writes on the steady path wrap straight from the caller's
 * array into the network buffer, whose bytes the transport copies.
 *
 * <p>The methods other than the {@code …Async} ones, {@link #session()} and
 * {@link #applicationProtocol()} run on the transport's loop thread, like the transport's own
 * (or on any thread while no thread runs the loop). The factories may be called on any thread.
 */
public final class TlsStream implements AutoCloseable {
    /**
     * Receives what {@link #startRead} reads: {@code data} holds the decrypted bytes (position 0,
     * limit the count) and is valid only during the call; it is null at the end (error null when
     * the peer sent close_notify) or on a failure (an {@link SSLException} for a TLS failure, a
     * {@link UvException} for one of the transport). Reading has stopped when data is null.
     */
    @FunctionalInterface
    public interface ReadCallback {
        /**
         * Runs on the loop thread with the data read, or null data at the end or on a failure.
         *
         * @param tls the stream being read
         * @param data the bytes read, valid only during the call; null at the end or on a failure
         * @param error null while data is read and at a clean end (close_notify); else the failure
         */
        void call(TlsStream tls, ByteBuffer data, Exception error);
    }

    /** Receives the outcome of a write: null on success, else the failure. */
    @FunctionalInterface
    public interface Callback {
        /**
         * Runs on the loop thread once the operation is done or has failed.
         *
         * @param tls the stream the operation was on
         * @param error null on success; else an {@link SSLException}, the transport's
         *     {@link UvException} (ECANCELED when it was closed first), or an
         *     {@link IllegalStateException} for a write after {@link #shutdownAsync()}
         */
        void call(TlsStream tls, Exception error);
    }

    /** A write waiting for the handshake or for the writes before it. */
    private record Pending(ByteBuffer data, Callback callback) {}

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Stream<?> transport;
    private final Loop loop;
    private final SSLEngine engine;
    private final boolean client;
    /** Bytes read from the transport and not yet unwrapped; in write mode (position = count). */
    private ByteBuffer netIn;
    /** What one unwrap produced; handed to the read callback as a view. */
    private ByteBuffer appIn;
    /** What one wrap produced; the transport copies it, so it is reused at once. */
    private ByteBuffer netOut;
    /**
     * The records wrapped while the engine is driven ({@link #pump}), written to the transport as
     * one write when that pass ends: an echo that answers each record of a 64 KiB read makes one
     * {@code uv_write} per read instead of one per record (a system call each). In write mode.
     */
    private ByteBuffer batch;
    /** The callbacks of the writes whose last record is in {@link #batch}, in order. */
    private final List<Callback> batchCallbacks = new ArrayList<>();
    /** The transport's read callback, made once. */
    private final Stream.ReadCallback<Stream<?>> onTransportRead = this::onTransportRead;

    private boolean attached;
    private boolean begun;
    private boolean handshakeDone;
    private boolean taskRunning;
    private boolean pumping;
    private boolean transportReading;
    private boolean transportEnded;
    private boolean shutdownRequested;
    private boolean outboundClosed;
    private boolean transportShut;
    /** The transport's write side was shut down (after close_notify). */
    private boolean shutdownDone;
    /** What a delegated task threw on the pool (the engine keeps its own failures for the next step). */
    private volatile RuntimeException taskFailure;
    /** The failure that ended the connection, or null. */
    private Exception failure;

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final List<CompletableFuture<TlsStream>> handshakeWaiters = new ArrayList<>(1);
    private final List<CompletableFuture<Void>> shutdownWaiters = new ArrayList<>(1);

    // ---- what was read and not yet taken ----
    private ReadCallback readCallback;
    /** Set once {@link #readAsync()} is used: startRead is refused from then on. */
    private boolean readerMode;
    private final ArrayDeque<ByteBuffer> held = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<ByteBuffer>> readWaiters = new ArrayDeque<>();
    private long heldBytes;
    /** More than {@link StreamReader#HIGH} bytes wait unread: the transport is not read. */
    private boolean paused;
    /** The end of what is read was reached (close_notify or a failure). */
    private boolean ended;
    /** The end was given to the read callback or to a future. */
    private boolean endDelivered;
    private Exception endError;

    private TlsStream(Stream<?> transport, SSLEngine engine) {
        this.transport = transport;
        this.loop = transport.loop();
        this.engine = engine;
        this.client = engine.getUseClientMode();
        SSLSession s = engine.getSession();
        netIn = ByteBuffer.allocate(s.getPacketBufferSize());
        netOut = ByteBuffer.allocate(s.getPacketBufferSize());
        appIn = ByteBuffer.allocate(s.getApplicationBufferSize());
    }

    /**
     * A client over {@code transport}, its engine made by {@code context} for {@code peerHost}
     * (sent as SNI, and checked against the certificate when the context's parameters ask for
     * endpoint identification) and otherwise used as the context makes it. Safe from any thread.
     * Over a {@link Tcp} connected with {@code connect}, the engine also knows the server's port,
     * and the context's session cache (which the JDK keys by host and port) lets a later client
     * of the same context resume the session; over other transports every handshake is a full one.
     *
     * @param transport a connected stream
     * @param context makes the engine
     * @param peerHost the server's host name
     * @return a client stream; the handshake starts with {@link #handshakeAsync()} or the first
     *     read or write
     * @throws NullPointerException if an argument is null
     */
    public static TlsStream client(Stream<?> transport, SSLContext context, String peerHost) {
        return client(transport, context, peerHost, null);
    }

    /**
     * A client over {@code transport} whose engine takes {@code parameters}: enabled protocols
     * and cipher suites, ALPN protocols, SNI names, endpoint identification ("HTTPS" checks the
     * certificate against {@code peerHost}). Safe from any thread.
     *
     * @param transport a connected stream
     * @param context makes the engine
     * @param peerHost the server's host name
     * @param parameters given to the engine, or null to use it as the context makes it
     * @return a client stream
     * @throws NullPointerException if the transport, context or host is null
     * @throws IllegalArgumentException if the engine refuses the parameters
     */
    public static TlsStream client(Stream<?> transport, SSLContext context, String peerHost,
            SSLParameters parameters) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(peerHost, "peerHost");
        // the JDK keeps a client's sessions by host and port, and only with a port: so a Tcp
        // connected by connect() resumes sessions with the same server; other transports do not
        InetSocketAddress to = transport instanceof Tcp t ? t.connectingTo : null;
        SSLEngine e = context.createSSLEngine(peerHost, to != null ? to.getPort() : -1);
        e.setUseClientMode(true);
        if (parameters != null) {
            e.setSSLParameters(parameters);
        }
        return new TlsStream(transport, e);
    }

    /**
     * A server over {@code transport}, its engine made by {@code context} and otherwise used as
     * the context makes it. Safe from any thread.
     *
     * @param transport a connected stream
     * @param context makes the engine
     * @return a server stream
     * @throws NullPointerException if an argument is null
     */
    public static TlsStream server(Stream<?> transport, SSLContext context) {
        return server(transport, context, null);
    }

    /**
     * A server over {@code transport} whose engine takes {@code parameters}: enabled protocols,
     * ALPN protocols, client authentication ({@link SSLParameters#setNeedClientAuth}), SNI
     * matchers. Safe from any thread.
     *
     * @param transport a connected stream
     * @param context makes the engine
     * @param parameters given to the engine, or null to use it as the context makes it
     * @return a server stream
     * @throws NullPointerException if the transport or context is null
     * @throws IllegalArgumentException if the engine refuses the parameters
     */
    public static TlsStream server(Stream<?> transport, SSLContext context, SSLParameters parameters) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(context, "context");
        SSLEngine e = context.createSSLEngine();
        e.setUseClientMode(false);
        if (parameters != null) {
            e.setSSLParameters(parameters);
        }
        return new TlsStream(transport, e);
    }

    /**
     * The stream this one encrypts over.
     *
     * @return the transport given to the factory
     */
    public Stream<?> transport() {
        return transport;
    }

    /**
     * The loop of the transport.
     *
     * @return the transport's loop
     */
    public Loop loop() {
        return loop;
    }

    // ---- handshake ----

    /**
     * Starts the handshake (if no read or write started it yet) and returns a future of its end;
     * safe from any thread.
     *
     * @return completed with this stream once the handshake is done, or exceptionally with the
     *     {@link SSLException} that failed it, the transport's {@link UvException}, or ECANCELED
     *     when the stream was closed first
     */
    public CompletableFuture<TlsStream> handshakeAsync() {
        return loop.startAsync(f -> {
            try (Loop.Claim _ = loop.enter()) {
                if (handshakeDone) {
                    f.complete(this);
                    return;
                }
                if (failure != null) {
                    f.completeExceptionally(failure);
                    return;
                }
                handshakeWaiters.add(f);
                begin();
            }
        });
    }

    /**
     * Whether the handshake is done.
     *
     * @return true once the handshake succeeded
     */
    public boolean isHandshakeDone() {
        try (Loop.Claim _ = loop.enter()) {
            return handshakeDone;
        }
    }

    /**
     * The TLS session: the negotiated protocol and cipher suite, the peer's certificates. Safe
     * from any thread; meaningful once the handshake is done.
     *
     * @return the engine's session
     */
    public SSLSession session() {
        return engine.getSession();
    }

    /**
     * The protocol ALPN chose; safe from any thread.
     *
     * @return the protocol ({@code "h2"}...), the empty string when ALPN was not used, or null
     *     before the handshake has decided
     */
    public String applicationProtocol() {
        return engine.getApplicationProtocol();
    }

    /** On the loop thread: the transport's close reaches this stream; the handshake starts. */
    private void begin() {
        if (!attached) {
            attached = true;
            transport.whenClosed(this::onTransportClosed);
        }
        if (!begun && failure == null && transport.isOpen()) {
            begun = true;
            try {
                engine.beginHandshake();
            } catch (SSLException e) {
                fail(e);
                return;
            }
            pump();
        }
    }

    // ---- reading ----

    /**
     * Starts reading; {@code callback} runs for every chunk decrypted, and once with null data at
     * the end or on a failure. Calling it again replaces the callback. Starts the handshake if
     * it has not started.
     *
     * @param callback runs on the loop thread for each chunk and once at the end
     * @throws IllegalStateException once {@link #readAsync()} has been used on this stream
     */
    public void startRead(ReadCallback callback) {
        Objects.requireNonNull(callback, "callback");
        try (Loop.Claim _ = loop.enter()) {
            if (readerMode) {
                throw new IllegalStateException("readAsync is in use: readAsync and startRead are exclusive on one stream");
            }
            readCallback = callback;
            ByteBuffer b;
            while ((b = held.poll()) != null && readCallback != null) {
                heldBytes -= b.remaining();
                readCallback.call(this, b, null);
            }
            deliverEnd();
            begin();
            pump();
        }
    }

    /**
     * Stops reading; the read callback is not called again until {@link #startRead}. While
     * nothing reads, the transport is not read either, so the peer is held back.
     */
    public void stopRead() {
        try (Loop.Claim _ = loop.enter()) {
            readCallback = null;
            pump();
        }
    }

    /**
     * The next chunk decrypted, as a future; safe from any thread. Chunks read before they are
     * asked for wait in a queue; while more than 256 KiB wait, the transport is not read, so a
     * slow reader holds its peer back. Starts the handshake if it has not started.
     *
     * @return completed with the next chunk, a heap buffer the caller owns; with null at the end
     *     (close_notify) and for every call after it; exceptionally with the failure
     *     ({@link SSLException}, the transport's {@link UvException}, ECANCELED once the stream is
     *     closed), or {@link IllegalStateException} while {@link #startRead} is in effect
     */
    public CompletableFuture<ByteBuffer> readAsync() {
        return loop.startAsync(f -> {
            try (Loop.Claim _ = loop.enter()) {
                if (readCallback != null) {
                    throw new IllegalStateException("startRead is in effect: readAsync and startRead are exclusive on"
                            + " one stream");
                }
                readerMode = true;
                ByteBuffer b = held.poll();
                if (b != null) {
                    heldBytes -= b.remaining();
                    f.complete(b);
                } else if (ended) {
                    endDelivered = true;
                    f.settle(null, endError);
                    return;
                } else {
                    readWaiters.add(f);
                }
                begin();
                pump();
            }
        });
    }

    /** Whether unwrapping may go on: someone takes what it produces, or the handshake needs it. */
    private boolean wantsInput() {
        if (ended || failure != null) {
            return false;
        }
        if (!handshakeDone || readCallback != null) {
            return true;
        }
        if (readerMode) {
            if (paused && heldBytes <= StreamReader.LOW) {
                paused = false;
            } else if (!paused && heldBytes > StreamReader.HIGH) {
                paused = true;
            }
            return !paused;
        }
        return false;
    }

    /** Gives decrypted bytes (appIn, flipped) to the callback, a waiting future, or the queue. */
    private void deliver(ByteBuffer data) {
        ReadCallback cb = readCallback;
        if (cb != null && held.isEmpty()) {
            cb.call(this, data, null);
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy);
        ByteBuffer chunk = ByteBuffer.wrap(copy);
        CompletableFuture<ByteBuffer> f;
        while ((f = readWaiters.poll()) != null) {
            if (f.complete(chunk)) {
                return;
            }
        }
        held.add(chunk);
        heldBytes += copy.length;
    }

    /** Marks the end of what is read (null error: close_notify) and gives it to whoever reads. */
    private void end(Exception error) {
        if (!ended) {
            ended = true;
            endError = error;
        }
        deliverEnd();
    }

    private void deliverEnd() {
        if (!ended || endDelivered || !held.isEmpty()) {
            return;
        }
        ReadCallback cb = readCallback;
        if (cb != null) {
            endDelivered = true;
            readCallback = null;
            cb.call(this, null, endError);
            return;
        }
        if (!readWaiters.isEmpty()) {
            endDelivered = true;
        }
        CompletableFuture<ByteBuffer> f;
        while ((f = readWaiters.poll()) != null) {
            if (endError != null) {
                f.completeExceptionally(endError);
            } else {
                f.complete(null);
            }
        }
    }

    private void onTransportRead(Stream<?> s, ByteBuffer data, UvException error) {
        if (data == null) {
            transportReading = false;
            transportEnded = true;
            if (error != null && error.code() != Errno.EOF) {
                fail(error);
                return;
            }
            pump();
            return;
        }
        if (netIn.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + data.remaining());
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(data);
        pump();
    }

    // ---- writing ----

    /**
     * Encrypts and writes {@code data}; see {@link #write(byte[], Callback)}.
     *
     * @param data the bytes to write
     */
    public void write(byte[] data) {
        write(data, null);
    }

    /**
     * Encrypts and writes {@code data}; {@code callback} (may be null) runs once the transport has
     * written the last record, or with the failure. Before the handshake is done (it starts
     * here if it has not) the bytes are copied and wait; after it, they are encrypted at once.
     *
     * @param data the bytes to write
     * @param callback runs on the loop thread once the bytes are written or have failed, or null
     */
    public void write(byte[] data, Callback callback) {
        Objects.requireNonNull(data, "data");
        try (Loop.Claim _ = loop.enter()) {
            if (writable(callback) && !wrapNow(ByteBuffer.wrap(data), callback)) {
                queue(data.clone(), callback);
            }
        }
    }

    /**
     * Encrypts and writes the bytes between the buffer's position and limit, without changing its
     * position; see {@link #write(byte[], Callback)}. After the handshake they are encrypted at
     * once (a read callback's data can be echoed as it is); before it, they are copied and wait.
     *
     * @param data the bytes to write; its position does not change
     * @param callback runs on the loop thread once the bytes are written or have failed, or null
     */
    public void write(ByteBuffer data, Callback callback) {
        Objects.requireNonNull(data, "data");
        try (Loop.Claim _ = loop.enter()) {
            if (writable(callback) && !wrapNow(data.duplicate(), callback)) {
                byte[] copy = new byte[data.remaining()];
                data.get(data.position(), copy);
                queue(copy, callback);
            }
        }
    }

    /** Whether a write may go on; else its callback gets the reason on a later turn. */
    private boolean writable(Callback callback) {
        if (failure != null) {
            later(callback, failure);
            return false;
        }
        if (shutdownRequested) {
            later(callback, new IllegalStateException("the stream was shut down for writing"));
            return false;
        }
        return true;
    }

    /** Encrypts {@code src} at once when nothing waits before it; false when it has to wait. */
    private boolean wrapNow(ByteBuffer src, Callback callback) {
        if (!handshakeDone || !pending.isEmpty() || taskRunning) {
            return false;
        }
        try {
            wrapApplication(src, callback);
        } catch (SSLException e) {
            fail(e);
            later(callback, e);
        }
        pump();
        return true;
    }

    /** Queues a copy for after the handshake (which starts now if it has not). */
    private void queue(byte[] copy, Callback callback) {
        pending.add(new Pending(ByteBuffer.wrap(copy), callback));
        begin();
        pump();
    }

    /**
     * Encrypts and writes a copy of {@code data}, and returns a future of it; safe from any
     * thread.
     *
     * @param data the bytes to write; copied before this method returns
     * @return completed with null once the transport has written the bytes, or exceptionally with
     *     what the callback of {@link #write(byte[], Callback)} would get
     * @throws NullPointerException if {@code data} is null
     */
    public CompletableFuture<Void> writeAsync(byte[] data) {
        Objects.requireNonNull(data, "data");
        byte[] bytes = loop.isLoopThread() ? data : data.clone();
        return loop.startAsync(f -> write(bytes, (t, e) -> f.settle(null, e)));
    }

    /** Runs {@code callback} with {@code error} on a later turn of the loop. */
    private void later(Callback callback, Exception error) {
        if (callback != null) {
            Races.later(loop, () -> callback.call(this, error));
        }
    }

    /**
     * Wraps all of {@code src} into records, each written to the transport (batched while the
     * engine is driven: see {@link #flush}); the last carries the callback.
     */
    private void wrapApplication(ByteBuffer src, Callback callback) throws SSLException {
        do {
            SSLEngineResult r = wrap(src);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                UvException e = UvException.async(Errno.EPIPE, "tls write: the engine is closed for writing");
                later(callback, e);
                return;
            }
            if (r.bytesProduced() > 0) {
                flush(src.hasRemaining() ? null : callback);
            } else if (!src.hasRemaining() && callback != null) {
                later(callback, null);
            }
        } while (src.hasRemaining());
    }

    /** One wrap into netOut, grown while too small. */
    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        for (;;) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut.flip();
                return r;
            }
            netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
        }
    }

    /**
     * Writes what netOut holds to the transport (which copies it): into the batch while the
     * engine is driven, at once otherwise.
     */
    private void flush(Callback callback) {
        if (!transport.isOpen()) {
            later(callback, UvException.async(Errno.ECANCELED, "uv_write: the transport is closed"));
            return;
        }
        if (pumping) {
            int limit = BATCH_LIMIT;
            if (batch != null && batch.position() > 0 && batch.position() + netOut.remaining() > limit) {
                flushBatch();
            }
            if (batch == null || batch.remaining() < netOut.remaining()) {
                // grown as needed, doubling up to the limit: a connection that only ever sends
                // small messages (and its handshake) keeps a small batch
                int used = batch == null ? 0 : batch.position();
                int doubled = batch == null ? 0 : Math.min(limit, batch.capacity() * 2);
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(doubled, used + netOut.remaining()));
                if (batch != null) {
                    batch.flip();
                    bigger.put(batch);
                }
                batch = bigger;
            }
            batch.put(netOut);
            if (callback != null) {
                batchCallbacks.add(callback);
            }
            return;
        }
        flushBatch();
        Stream.Callback<Stream<?>> done = callback == null ? null : (s, e) -> callback.call(this, e);
        writeTransport(netOut, done);
    }

    /**
     * The most one batched write holds (unless a single record is larger): three full records,
     * and with the write's header still one of the loop's pooled 64 KiB blocks. A constant, not
     * read from the session: the engine is not asked anything here.
     */
    private static final int BATCH_LIMIT = 56 * 1024;

    /**
     * Writes the batched records as one transport write; its completion runs their callbacks in
     * order (each one, whatever an earlier one threw). A transport that refuses the write fails
     * the stream and gives the callbacks the error.
     */
    private void flushBatch() {
        if (batch == null || batch.position() == 0) {
            return;
        }
        batch.flip();
        Callback[] callbacks = batchCallbacks.isEmpty() ? null : batchCallbacks.toArray(new Callback[0]);
        batchCallbacks.clear();
        Stream.Callback<Stream<?>> done = callbacks == null ? null : (s, e) -> completeAll(callbacks, e);
        try {
            if (transport.isOpen()) {
                writeTransport(batch, done);
            } else if (callbacks != null) {
                UvException closed = UvException.async(Errno.ECANCELED, "uv_write: the transport is closed");
                Races.later(loop, () -> completeAll(callbacks, closed));
            }
        } catch (UvException e) {
            if (callbacks != null) {
                Races.later(loop, () -> completeAll(callbacks, e));
            }
            fail(e);
        } finally {
            batch.clear();
        }
    }

    /** Runs every callback with {@code error}; the first throwable is rethrown once all have run. */
    private void completeAll(Callback[] callbacks, UvException error) {
        Throwable first = null;
        for (Callback cb : callbacks) {
            try {
                cb.call(this, error);
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                }
            }
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw (RuntimeException) first; // a callback declares no checked exception
        }
    }

    private void writeTransport(ByteBuffer bytes, Stream.Callback<Stream<?>> done) {
        writeOn(transport, bytes, done);
    }

    private static <S extends Stream<S>> void writeOn(Stream<S> s, ByteBuffer bytes, Stream.Callback<? super S> done) {
        s.write(bytes, done);
    }

    // ---- the engine's state machine ----

    /**
     * Drives the engine as far as it can go now: runs its handshake steps, unwraps what was read
     * while someone takes it, wraps what waits to be written, and starts or stops the transport's
     * reading. Re-entered from a callback, it returns at once: the outer call goes on.
     */
    private void pump() {
        if (pumping || !begun || failure != null || taskRunning) {
            // while a delegated task runs, the engine is locked by it: the loop thread must not
            // touch the engine (what is read meanwhile waits in netIn); the task's end pumps again
            return;
        }
        pumping = true;
        try {
            boolean needInput = false;
            while (!taskRunning && failure == null) {
                needInput = false;
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    runTasks();
                    break;
                }
                if (hs == HandshakeStatus.NEED_WRAP) {
                    SSLEngineResult r = wrap(EMPTY);
                    if (r.bytesProduced() > 0) {
                        flush(null);
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        outboundDone();
                    }
                    if (r.bytesProduced() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        break; // nothing more to wrap now (outbound closed)
                    }
                    continue;
                }
                if (!handshakeDone && begun && hs == HandshakeStatus.NOT_HANDSHAKING) {
                    handshakeDone = true;
                    List<CompletableFuture<TlsStream>> w = new ArrayList<>(handshakeWaiters);
                    handshakeWaiters.clear();
                    for (CompletableFuture<TlsStream> f : w) {
                        f.complete(this);
                    }
                    continue;
                }
                if (netIn.position() > 0 && wantsInput() && !engine.isInboundDone()) {
                    if (unwrapOnce()) {
                        continue;
                    }
                    needInput = true;
                } else if (netIn.position() == 0) {
                    needInput = wantsInput();
                }
                if (handshakeDone && !pending.isEmpty()) {
                    Pending p = pending.poll();
                    wrapApplication(p.data(), p.callback());
                    continue;
                }
                if (handshakeDone && shutdownRequested && pending.isEmpty() && !outboundClosed) {
                    outboundClosed = true;
                    engine.closeOutbound();
                    continue;
                }
                break;
            }
            if (failure == null && needInput && transportEnded && !taskRunning) {
                transportEndedEarly();
                return;
            }
            // what this pass wrapped goes out before the transport's reading changes (a write
            // refused by an unconnected transport is the failure to report, as it comes first)
            flushBatch();
            // no engine call here: a task started above may hold the engine's lock already
            boolean read = failure == null && !transportEnded && !ended && (taskRunning || wantsInput());
            setTransportReading(read);
        } catch (SSLException | UvException e) {
            fail(e); // a bad record, or the transport refusing a write (EPIPE...)
        } finally {
            pumping = false;
            flushBatch();
        }
    }

    /** One unwrap of what netIn holds; false when it needs more bytes. */
    private boolean unwrapOnce() throws SSLException {
        netIn.flip();
        SSLEngineResult r;
        try {
            appIn.clear();
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                int need = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < need) {
                    ByteBuffer bigger = ByteBuffer.allocate(need);
                    netIn.flip();
                    bigger.put(netIn);
                    netIn = bigger;
                }
                return false;
            }
            case BUFFER_OVERFLOW -> {
                appIn = ByteBuffer.allocate(Math.max(appIn.capacity() * 2, engine.getSession().getApplicationBufferSize()));
                return true;
            }
            case CLOSED -> {
                if (r.bytesProduced() > 0) {
                    appIn.flip();
                    deliver(appIn);
                }
                end(null);
                return true;
            }
            default -> {
                if (r.bytesProduced() > 0) {
                    appIn.flip();
                    deliver(appIn);
                }
                HandshakeStatus hs = r.getHandshakeStatus();
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0 || hs == HandshakeStatus.NEED_TASK
                        || hs == HandshakeStatus.NEED_WRAP || hs == HandshakeStatus.FINISHED;
            }
        }
    }

    /** Runs the engine's delegated tasks on juv's pool, then goes on on the loop thread. */
    private void runTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        Runnable t;
        while ((t = engine.getDelegatedTask()) != null) {
            tasks.add(t);
        }
        taskRunning = true;
        loop.queueWork(() -> {
            try {
                for (Runnable task : tasks) {
                    task.run();
                }
            } catch (RuntimeException e) {
                taskFailure = e;
            }
        }, error -> {
            taskRunning = false;
            RuntimeException thrown = taskFailure;
            if (error != null || thrown != null) {
                fail(new SSLException("a delegated task of the TLS engine failed", error != null ? error : thrown));
                return;
            }
            pump();
        });
    }

    /** The transport ended (EOF) before close_notify, with nothing more to unwrap. */
    private void transportEndedEarly() {
        String why;
        if (!handshakeDone) {
            why = "the connection ended during the TLS handshake";
        } else if (netIn.position() > 0) {
            why = "the connection ended inside a TLS record (truncated record, " + netIn.position() + " bytes)";
        } else {
            why = "the connection ended without the peer's close_notify (possible truncation)";
        }
        fail(new SSLException(why));
    }

    /** The engine wrote close_notify: shut the transport's write side once it is written. */
    private void outboundDone() {
        if (transportShut || !transport.isOpen()) {
            return;
        }
        transportShut = true;
        flushBatch(); // close_notify and what came before it go first
        try {
            transport.shutdown((s, e) -> settleShutdown(e));
        } catch (UvException e) {
            settleShutdown(e);
        }
    }

    private void settleShutdown(Exception e) {
        shutdownDone = e == null;
        List<CompletableFuture<Void>> w = new ArrayList<>(shutdownWaiters);
        shutdownWaiters.clear();
        for (CompletableFuture<Void> f : w) {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(null);
            }
        }
    }

    private void setTransportReading(boolean on) {
        if (on == transportReading || !transport.isOpen()) {
            return;
        }
        if (on) {
            transport.startRead(onTransportRead);
        } else {
            transport.stopRead();
        }
        transportReading = on;
    }

    /**
     * The connection failed: everything that waits gets {@code e}, the engine's alert (if it made
     * one) is sent, then the transport is closed.
     */
    private void fail(Exception e) {
        if (failure != null) {
            return;
        }
        failure = e;
        List<CompletableFuture<TlsStream>> hw = new ArrayList<>(handshakeWaiters);
        handshakeWaiters.clear();
        List<Pending> pw = new ArrayList<>(pending);
        pending.clear();
        try {
            for (CompletableFuture<TlsStream> f : hw) {
                f.completeExceptionally(e);
            }
            for (Pending q : pw) {
                if (q.callback() != null) {
                    q.callback().call(this, e);
                }
            }
            settleShutdown(e);
            held.clear();
            heldBytes = 0;
            end(e);
        } finally {
            closeAfterAlert();
        }
    }

    /** Sends the alert the engine has for its failure, if any, and closes the transport once written. */
    private void closeAfterAlert() {
        if (!transport.isOpen()) {
            return;
        }
        transportReading = false;
        flushBatch();
        boolean sent = false;
        if (!taskRunning && e2alert()) {
            try {
                writeTransport(netOut, (s, err) -> s.close());
                sent = true;
            } catch (RuntimeException ignored) {
                // the transport refused the write (EPIPE...): it is closed below
            }
        }
        if (!sent) {
            transport.close();
        } else {
            transport.stopRead();
        }
    }

    /** Wraps the engine's closing alert into netOut; true when there is one to send. */
    private boolean e2alert() {
        if (transportShut) {
            return false;
        }
        try {
            engine.closeOutbound();
            if (engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                return false;
            }
            SSLEngineResult r = wrap(EMPTY);
            return r.bytesProduced() > 0;
        } catch (SSLException | RuntimeException ignored) {
            return false; // no alert to send: the transport just closes
        }
    }

    // ---- shutdown and close ----

    /**
     * Ends what this side sends: once the writes before it are written, sends close_notify, then
     * shuts the transport's write side down; safe from any thread. Reading goes on until the
     * peer's close_notify.
     *
     * @return completed with null once the transport's write side is shut down, or exceptionally
     *     with the failure that came first
     */
    public CompletableFuture<Void> shutdownAsync() {
        return loop.startAsync(f -> {
            try (Loop.Claim _ = loop.enter()) {
                if (failure != null) {
                    f.completeExceptionally(failure);
                    return;
                }
                if (shutdownDone) {
                    f.complete(null);
                    return;
                }
                shutdownWaiters.add(f);
                shutdownRequested = true;
                begin();
                pump();
            }
        });
    }

    /**
     * Closes the transport at once, without close_notify (use {@link #shutdownAsync()} first for
     * a clean end); idempotent. What waits gets ECANCELED.
     */
    @Override
    public void close() {
        try (Loop.Claim _ = loop.enter()) {
            if (!attached) {
                attached = true;
                transport.whenClosed(this::onTransportClosed);
            }
            transport.close();
        }
    }

    /** Whether the transport is still open.
     *
     * @return true until the transport is closing or closed
     */
    public boolean isOpen() {
        return transport.isOpen();
    }

    /** The transport is closed: whatever still waits gets ECANCELED. */
    private void onTransportClosed() {
        if (failure == null) {
            fail(UvException.async(Errno.ECANCELED, "tls: the stream was closed"));
        }
    }

    /** Decrypted bytes waiting to be taken by {@link #readAsync()} (for tests). */
    long heldBytes() {
        return heldBytes;
    }

    @Override
    public String toString() {
        return "TlsStream[" + (client ? "client" : "server") + " over " + transport + "]";
    }
}
