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
 * <p>Run a program that uses juv with {@code --enable-native-access=dev.juv} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path).
 */
package dev.juv;
