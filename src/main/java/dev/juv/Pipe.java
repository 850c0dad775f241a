package dev.juv;

import dev.juv.internal.CBlock;
import dev.juv.internal.Descriptors;
import dev.juv.internal.LibUv;
import dev.juv.internal.Platform;
import dev.juv.internal.SizedString;
import dev.juv.internal.Upcalls;
import dev.juv.internal.Version;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A named pipe (a Unix domain socket; a named pipe on Windows) or any descriptor opened as a
 * pipe: libuv's {@code uv_pipe_t}. An IPC pipe ({@code new Pipe(loop, true)}) also carries
 * handles: {@link #write(byte[], Handle, Stream.Callback)} sends a {@link Tcp}, {@code Pipe} or
 * {@code Udp} handle, and the other side takes it with {@link #accept(Handle)}.
 *
 * <p>Names are UTF-8 strings; a name longer than the platform's {@code sun_path} (107 bytes on
 * Linux, 103 on macOS) or containing a NUL byte is refused, never truncated. A name starting
 * with {@code "\0"} is a Linux abstract-namespace name; it needs libuv 1.46.
 */
public final class Pipe extends Stream<Pipe> {
    /** {@link #chmod} flag: readable by everyone. */
    public static final int READABLE = 1;
    /** {@link #chmod} flag: writable by everyone. */
    public static final int WRITABLE = 2;

    /** The longest name accepted, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = Platform.MAC ? 103 : 107;

    private final boolean ipc;
    private boolean connecting;

    /**
     * Creates a pipe that does not carry handles; same as {@code new Pipe(loop, false)}.
     *
     * @param loop the loop the handle belongs to
     */
    public Pipe(Loop loop) {
        this(loop, false);
    }

    /**
     * Creates a pipe; {@code ipc} makes it able to send and receive handles. Wraps uv_pipe_init.
     *
     * @param loop the loop the handle belongs to
     * @param ipc true for a pipe that can pass handles to another process
     * @throws UvException if libuv cannot initialise it
     */
    public Pipe(Loop loop, boolean ipc) {
        super(loop, HandleType.NAMED_PIPE, (l, h) -> LibUv.uv_pipe_init(l, h, ipc ? 1 : 0), "uv_pipe_init");
        this.ipc = ipc;
    }

    /**
     * Whether this pipe carries handles (it was created with {@code ipc} true).
     *
     * @return the {@code ipc} argument of the constructor
     */
    public boolean isIpc() {
        return ipc;
    }

    /** A checked name: its UTF-8 bytes, without terminator. */
    private static byte[] nameBytes(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty pipe name");
        }
        byte[] b = CBlock.utf8(name);
        for (int i = 1; i < b.length; i++) {
            if (b[i] == 0) {
                throw new IllegalArgumentException("pipe name contains a NUL byte");
            }
        }
        if (b.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("pipe name is " + b.length + " bytes; the platform allows "
                    + MAX_NAME_BYTES);
        }
        if (b[0] == 0 && !LibUv.has_uv_pipe_bind2()) {
            throw new UnsupportedOperationException("abstract pipe names need libuv 1.46 (uv_pipe_bind2); loaded: "
                    + Version.string());
        }
        return b;
    }

    /**
     * Binds the pipe to {@code name} (a file system path, or an abstract name starting with
     * NUL). Closing the pipe removes the socket file. Wraps uv_pipe_bind (uv_pipe_bind2 for
     * abstract names).
     *
     * @param name the path or abstract name to bind to
     * @throws IllegalArgumentException if the name is empty, too long or contains NUL
     * @throws UnsupportedOperationException for an abstract name on libuv older than 1.46
     * @throws UvException EADDRINUSE, EACCES... as libuv reports
     */
    public void bind(String name) {
        byte[] b = nameBytes(name);
        try (Loop.Claim _ = enter()) {
            if (b[0] == 0) {
                try (CBlock p = CBlock.raw(b)) {
                    UvException.check(LibUv.uv_pipe_bind2(ptr, p.address(), b.length, 0), "uv_pipe_bind2");
                } finally {
                    learnFd();
                }
                return;
            }
            try (CBlock p = CBlock.bytes(b)) {
                UvException.check(LibUv.uv_pipe_bind(ptr, p.address()), "uv_pipe_bind " + name);
            } finally {
                learnFd();
            }
        }
    }

    /**
     * Connects to the pipe named {@code name}; {@code callback} runs once, with null or the
     * error (ENOENT when nothing listens there). Wraps uv_pipe_connect (uv_pipe_connect2 for
     * abstract names).
     *
     * @param name the path or abstract name of the listening pipe
     * @param callback runs once on the loop thread when the connection is made or has failed
     * @throws IllegalArgumentException if the name is empty, too long or contains NUL
     * @throws IllegalStateException while an earlier connect is still in progress
     * @throws HandleClosedException if the pipe is closing or closed
     */
    public void connect(String name, Callback<? super Pipe> callback) {
        Objects.requireNonNull(callback, "callback");
        byte[] b = nameBytes(name);
        try (Loop.Claim _ = enter()) {
            if (connecting) {
                throw new IllegalStateException("a connect is already in progress");
            }
            Callback<Pipe> done = (pipe, error) -> {
                connecting = false;
                callback.call(pipe, error);
            };
            // the name is copied before the request is made: nothing may throw between the
            // request and the call that hands it to libuv, but that call itself
            boolean abstractName = b[0] == 0;
            try (CBlock p = abstractName ? CBlock.raw(b) : CBlock.bytes(b)) {
                String op = abstractName ? "uv_pipe_connect2" : "uv_pipe_connect " + name;
                StreamRequest<Pipe> req = StreamRequest.connect(this, op, done);
                int r = 0;
                try {
                    if (abstractName) {
                        r = LibUv.uv_pipe_connect2(req.ptr, ptr, p.address(), b.length, 0, CONNECT_CB.address());
                    } else {
                        LibUv.uv_pipe_connect(req.ptr, ptr, p.address(), CONNECT_CB.address());
                    }
                } catch (Throwable e) {
                    // an overflow on the way to libuv: nothing was queued
                    req.nextAbandoned = loop.abandoned; // field writes only: listed however little stack is left
                    loop.abandoned = req;
                    loop.finishAbandoned();
                    throw e;
                } finally {
                    learnFd();
                }
                req.submitted(r, op); // uv_pipe_connect reports through the callback: r stays 0
            }
            connecting = true;
        }
    }

    /**
     * Connects to the pipe named {@code name} and returns a future of the connected pipe; safe
     * from any thread. {@code cancel} on the future only completes it: close the pipe to stop the
     * connect.
     *
     * @param name the path or abstract name of the listening pipe
     * @return completed with this pipe once connected, or exceptionally with the
     *     {@link UvException} (ENOENT when nothing listens there...) the callback of
     *     {@link #connect(String, Stream.Callback)} would get, or what it throws
     * @throws IllegalArgumentException if the name is empty, too long or contains NUL
     */
    public CompletableFuture<Pipe> connectAsync(String name) {
        nameBytes(name);
        return loop.startAsync(f -> connect(name, (p, e) -> settle(f, p, e)));
    }

    /**
     * The next connection to this listening pipe, as a future; safe from any thread. Needs
     * {@link #listen(int)}: connections and futures wait in order for each other.
     *
     * @return completed with a new, connected {@code Pipe} on this loop (an IPC pipe when this
     *     one is), or exceptionally with the listen error, ECANCELED when this pipe closes first,
     *     or {@link IllegalStateException} when it does not listen with {@link #listen(int)}
     */
    public CompletableFuture<Pipe> acceptAsync() {
        return acceptNext();
    }

    @Override
    Pipe newConnection() {
        return new Pipe(loop, ipc);
    }

    /**
     * Opens an existing descriptor (a pipe, a socket or a terminal) as this pipe; the pipe owns
     * it from now on and closes it when closed (unless it is 0, 1 or 2). Wraps uv_pipe_open.
     *
     * @param fd the descriptor to adopt
     * @throws IllegalArgumentException if {@code fd} is negative, not open, or a regular file,
     *     device or directory, which the event loop cannot poll, or already owned by a live juv
     *     handle or loop (the message names the owner)
     * @throws UvException EBADF, EEXIST... as libuv reports
     */
    public void open(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative file descriptor " + fd);
        }
        try (Loop.Claim _ = enter()) {
            Descriptors.checkNotOwned(fd, "Pipe.open");
            HandleType kind = HandleType.of(LibUv.uv_guess_handle(fd));
            if (kind == HandleType.FILE || kind == HandleType.UNKNOWN_HANDLE) {
                // the event loop cannot poll a regular file, a device or a directory (epoll refuses
                // it, and libuv aborts the process when it tries)
                throw new IllegalArgumentException("descriptor " + fd + " is not a pipe, socket or terminal ("
                        + kind + "); read files with Fs");
            }
            UvException.check(Descriptors.adopt(fd, this, "Pipe.open", () -> LibUv.uv_pipe_open(ptr, fd)), "uv_pipe_open");
            adopted(fd);
        }
    }

    /**
     * Sets how many pipe instances a Windows pipe server keeps ready; has no effect elsewhere.
     * Wraps uv_pipe_pending_instances.
     *
     * @param count the number of instances
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public void setPendingInstances(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("negative count " + count);
        }
        try (Loop.Claim _ = enter()) {
            LibUv.uv_pipe_pending_instances(ptr, count);
        }
    }

    /**
     * How many received handles wait to be accepted (IPC pipes). Wraps uv_pipe_pending_count.
     *
     * @return the number of received handles not accepted yet
     */
    public int pendingCount() {
        try (Loop.Claim _ = enter()) {
            return LibUv.uv_pipe_pending_count(ptr);
        }
    }

    /**
     * The type of the next received handle waiting to be accepted, or
     * {@link HandleType#UNKNOWN_HANDLE} when none waits. Wraps uv_pipe_pending_type.
     *
     * @return the pending handle's type
     */
    public HandleType pendingType() {
        try (Loop.Claim _ = enter()) {
            return HandleType.of(LibUv.uv_pipe_pending_type(ptr));
        }
    }

    /**
     * Accepts a connection (on a listening pipe) or a received handle (on an IPC pipe) into
     * {@code client}: a {@code Pipe}, {@link Tcp} or {@code Udp} of the pending type.
     * Wraps uv_accept.
     *
     * @param client a new handle of the pending type on this loop, which takes the connection or
     *     received handle
     * @throws IllegalArgumentException if the client's type does not match what is pending, or
     *     the client is of another loop or is this pipe
     * @throws UvException EBUSY when the client already has a descriptor (it was opened, bound or
     *     connected), EAGAIN when nothing is pending; after a refusal what was pending is still
     *     there for the next accept
     */
    public void accept(Handle client) {
        acceptHandle(client);
    }

    @Override
    void checkAcceptable(Handle client) {
        if (!ipc) {
            super.checkAcceptable(client);
            return;
        }
        if (!sendable(client.type)) {
            throw new IllegalArgumentException("an IPC pipe passes TCP, pipe and UDP handles, not " + client.type);
        }
        if (LibUv.uv_pipe_pending_count(ptr) > 0) {
            HandleType pending = HandleType.of(LibUv.uv_pipe_pending_type(ptr));
            if (pending != client.type) {
                throw new IllegalArgumentException("the pending handle is a " + pending + ", not a " + client.type);
            }
        }
    }

    private static boolean sendable(HandleType t) {
        return t == HandleType.TCP || t == HandleType.NAMED_PIPE || t == HandleType.UDP;
    }

    private void checkSendHandle(Handle sendHandle) {
        Objects.requireNonNull(sendHandle, "sendHandle");
        sendHandle.checkState();
        if (!sendable(sendHandle.type)) {
            throw new IllegalArgumentException("only TCP, pipe and UDP handles can be sent, not " + sendHandle.type);
        }
        if (sendHandle.loop != loop) {
            throw new IllegalArgumentException("the handle to send belongs to another loop");
        }
    }

    /**
     * Writes {@code data} and passes {@code sendHandle} (a {@link Tcp}, {@code Pipe} or
     * {@code Udp}) with it to the process at the other end of this IPC pipe. The handle stays
     * usable here. {@code callback} (may be null) runs once the write is done, or with
     * ECANCELED when this pipe is closing or closed (see {@link Stream#write(byte[], Callback)}).
     * Wraps uv_write2.
     *
     * @param data the bytes to write with the handle
     * @param sendHandle the handle whose descriptor the other process receives
     * @param callback runs on the loop thread once the write is done or has failed, or null
     * @throws IllegalArgumentException if the handle cannot be sent or belongs to another loop
     * @throws UvException EINVAL when this pipe is not an IPC pipe, EBADF when the handle has
     *     no descriptor, or what libuv reports
     */
    public void write(byte[] data, Handle sendHandle, Callback<? super Pipe> callback) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sendHandle, "sendHandle");
        try (Loop.Claim c = Races.claim(this)) {
            if (c == null) {
                cancelled(callback, "uv_write2");
                return;
            }
            checkSendHandle(sendHandle);
            prepare(data, 0, data.length);
            submit(null, sendHandle, callback);
        }
    }

    /**
     * Writes the buffer's remaining bytes and passes {@code sendHandle} with them; see
     * {@link #write(byte[], Handle, Stream.Callback)}. Wraps uv_write2.
     *
     * @param data the bytes to write with the handle; its position does not change
     * @param sendHandle the handle whose descriptor the other process receives
     * @param callback runs on the loop thread once the write is done or has failed, or null
     */
    public void write(ByteBuffer data, Handle sendHandle, Callback<? super Pipe> callback) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sendHandle, "sendHandle");
        try (Loop.Claim c = Races.claim(this)) {
            if (c == null) {
                cancelled(callback, "uv_write2");
                return;
            }
            checkSendHandle(sendHandle);
            boolean inPlace = prepare(data);
            submit(inPlace ? data : null, sendHandle, callback);
        }
    }

    /**
     * The name the pipe is bound to ("" when none). Wraps uv_pipe_getsockname.
     *
     * @return the path or abstract name, or "" when the pipe is not bound
     * @throws UvException EBADF when the pipe has no descriptor
     */
    public String localName() {
        return name(true);
    }

    /**
     * The name of the pipe this one is connected to. Wraps uv_pipe_getpeername.
     *
     * @return the peer's path or abstract name
     * @throws UvException ENOTCONN when not connected, EBADF when there is no descriptor
     */
    public String remoteName() {
        return name(false);
    }

    private String name(boolean local) {
        try (Loop.Claim _ = enter()) {
            String op = local ? "uv_pipe_getsockname" : "uv_pipe_getpeername";
            return SizedString.read(512, 1, (buf, size) -> local ? LibUv.uv_pipe_getsockname(ptr, buf, size)
                    : LibUv.uv_pipe_getpeername(ptr, buf, size), r -> UvException.check(r, op) >= 0);
        }
    }

    /**
     * Makes the bound pipe's socket file readable and/or writable by everyone.
     * Wraps uv_pipe_chmod.
     *
     * @param flags {@link #READABLE}, {@link #WRITABLE} or both
     * @throws IllegalArgumentException for any other flags
     * @throws UvException EBADF when not bound, or what libuv reports
     */
    public void chmod(int flags) {
        if (flags != READABLE && flags != WRITABLE && flags != (READABLE | WRITABLE)) {
            throw new IllegalArgumentException("chmod flags must be READABLE, WRITABLE or both: " + flags);
        }
        try (Loop.Claim _ = enter()) {
            UvException.check(LibUv.uv_pipe_chmod(ptr, flags), "uv_pipe_chmod");
        }
    }
}
