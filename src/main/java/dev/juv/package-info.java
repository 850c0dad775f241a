/**
 * juv: libuv for the JVM, through the Foreign Function and Memory API. Every operation is a call
 * into the real libuv; handles are Java objects with callbacks, and fs, DNS, the thread pool and
 * the system utilities are plain Java calls.
 *
 * <h2>Threads</h2>
 *
 * <p>One thread at a time is inside a {@link dev.juv.Loop}. While {@link dev.juv.Loop#run()} runs,
 * the loop and its handles belong to that thread, and every callback runs on it.
 *
 * <ul>
 *   <li>Safe from any thread at any time: {@link dev.juv.Async#send()},
 *       {@link dev.juv.Loop#execute(Runnable)} (runs a task on the loop thread) and
 *       {@link dev.juv.Loop#stop()}.
 *   <li>Every other call on a loop or one of its handles takes the loop's claim for as long as
 *       it lasts. While the loop runs on another thread, such a call throws
 *       {@link java.lang.IllegalStateException}; hand the work to the loop thread with
 *       {@code execute} instead. While no thread runs the loop, any thread may call, so two
 *       threads, a {@code run()} and a {@code close()} are never inside libuv's loop together.
 * </ul>
 *
 * <h2>A short tour</h2>
 *
 * {@snippet :
 * try (Loop loop = new Loop()) {
 *     Tcp server = new Tcp(loop);
 *     server.bind(new InetSocketAddress("127.0.0.1", 1234));
 *     server.listen(128, (srv, error) -> {
 *         Tcp client = new Tcp(loop);
 *         srv.accept(client);
 *         client.startRead((stream, data, err) -> {
 *             if (data == null) {          // EOF or an error: reading has stopped
 *                 stream.close();
 *             } else {
 *                 stream.write(data);      // data is valid only inside this callback; write copies it
 *             }
 *         });
 *     });
 *     Timer timer = new Timer(loop);
 *     timer.start(t -> System.out.println("tick " + loop.now()), 1000, 1000);
 *     loop.run();
 * }
 * }
 *
 * <ul>
 *   <li>Every callback gets its handle first, so a lambda can stop or close it. Times are
 *       milliseconds.
 *   <li>Errors are {@link dev.juv.UvException}s, with libuv's code and name; {@link dev.juv.Errno}
 *       holds the codes. An asynchronous failure arrives as the callback's error argument, never
 *       as a throw.
 *   <li>An exception thrown by a callback stops the loop and comes out of {@code run()}; the loop
 *       stays usable. {@link dev.juv.Loop#setExceptionHandler} logs and carries on instead.
 *   <li>The {@link java.nio.ByteBuffer} a read or receive callback gets is the loop's read buffer,
 *       valid only inside the callback: copy what you keep.
 *   <li>Handles stay alive while open, even with no Java reference; {@code close()} is idempotent.
 *       Using a closed handle throws {@link dev.juv.HandleClosedException}.
 *   <li>{@link dev.juv.Fs} has every {@code uv_fs_*} call, synchronous and asynchronous;
 *       {@link dev.juv.Dns} resolves names; {@link dev.juv.Loop#queueWork} runs work on juv's pool
 *       of daemon threads; every asynchronous one-shot call returns a {@link dev.juv.Request}
 *       that can be cancelled before it starts.
 *   <li>{@link dev.juv.ChildProcess} spawns processes; {@link dev.juv.Pipe} passes handles to
 *       another process; {@link dev.juv.Signal} watches signals without ever leaving one the JVM
 *       handles at its default action; {@link dev.juv.Sys} has the system utilities.
 * </ul>
 *
 * <h2>Straight-line code: futures and virtual threads</h2>
 *
 * <p>Every one-shot operation also has an {@code …Async} twin that returns a
 * {@link java.util.concurrent.CompletableFuture} and may be called from any thread: connect,
 * accept ({@code listen(backlog)} then {@code acceptAsync()}), {@link dev.juv.Stream#readAsync()},
 * write, shutdown, {@link dev.juv.Handle#closeAsync()}, UDP send, every {@code Fs.<op>Async},
 * DNS, {@link dev.juv.Loop#queueWorkAsync}, {@link dev.juv.ChildProcess#onExit()}. Called on the
 * loop thread the operation starts at once; called elsewhere it is handed to the loop with
 * {@code execute}, and the future completes on the loop thread. A virtual thread per connection
 * can then be written as plain blocking code over a group of loops (this is the
 * {@code EchoServerVirtual} example, compiled and tested with the project):
 *
 * {@snippet class=dev.juv.examples.EchoServerVirtual region=listen}
 * {@snippet class=dev.juv.examples.EchoServerVirtual region=echo}
 *
 * <ul>
 *   <li>{@code join()} parks a virtual thread without pinning its carrier; on the loop thread
 *       itself, waiting for a future that only the loop can complete throws
 *       {@link java.lang.IllegalStateException} instead of deadlocking.
 *   <li>{@link dev.juv.Stream#inputStream()} and {@link dev.juv.Stream#outputStream()} are
 *       {@code java.io} views for blocking code on any thread but the loop's.
 *   <li>A write, shutdown or send on a stream that is closing or closed (the peer went away) is a
 *       race of the network, not misuse: it never throws, and its callback or future gets
 *       {@code ECANCELED}. Starting something on a closed handle and asking it questions still
 *       throw {@link dev.juv.HandleClosedException}.
 *   <li>{@link dev.juv.Loop#start(String)} runs a loop on a thread of its own until
 *       {@code close()}, from any thread; {@link dev.juv.LoopGroup} starts several and spreads one
 *       listening address's connections over them.
 * </ul>
 *
 * <h2>Lifetimes</h2>
 *
 * <ul>
 *   <li>A handle lives from its constructor until its close callback: open handles are kept
 *       reachable by their loop, so dropping the last Java reference closes nothing.
 *       {@link dev.juv.Loop#close()} closes nothing the program left open (it fails with
 *       {@code EBUSY} naming those handles) but finishes the ones already closing.
 *   <li>A read callback's {@link java.nio.ByteBuffer} is a view of the loop's read buffer, valid
 *       only during the callback; {@code readAsync} and the input stream give buffers the caller
 *       owns. {@code -Djuv.debug.buffers=true} makes a kept view fail at once.
 *   <li>Data given to a write is copied (heap) or kept reachable (direct) until the write is
 *       done; {@code writeAsync} takes the bytes before it returns.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * <p>libuv's errors are {@link dev.juv.UvException}s with the code, its name such as
 * {@code ECONNREFUSED}, and the operation. Asynchronous failures arrive as a callback's error
 * argument or complete a future exceptionally; misuse (a closed handle, a wrong thread, a bad
 * argument) throws at once. A libuv that cannot be loaded, or a JVM that refuses juv native
 * access, is a {@link dev.juv.LibUvLoadError} that says what to change.
 *
 * <h2>Loop health</h2>
 *
 * <p>{@link dev.juv.LoopOptions} turns on idle-time metrics, sets the read buffer size and the
 * watchdog's threshold; {@link dev.juv.Loop#metrics()} and {@link dev.juv.Loop#utilization()}
 * may be called from any thread; a watchdog warns through {@code System.Logger} "dev.juv" when
 * one callback holds its loop too long, and JFR events (category "juv") record slow callbacks,
 * blockages, callback exceptions and the metrics.
 *
 * <p>Run a program that uses juv with {@code --enable-native-access=dev.juv} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path).
 */
package dev.juv;
