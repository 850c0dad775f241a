package dev.juv.bench;

import dev.juv.Loop;
import dev.juv.Signal;
import dev.juv.Tcp;
import dev.juv.TlsStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The juv side of ci/bench's tls group: a TLS echo server written the straight way with
 * callbacks, one loop on the main thread, a {@link TlsStream} over each accepted {@link Tcp},
 * every chunk read written back as it is. As Netty's echo handler does (it stops reading while
 * its outbound buffer is over Netty's default high-water mark, 64 KiB), a connection stops
 * reading while more than 64 KiB wait in its transport's write queue, and reads again once it is
 * down to 32 KiB. TLS 1.3 with one cipher suite ({@link TlsSetup}).
 * Prints {@code Listening on <port>}; SIGUSR1 prints a STATS line; SIGINT or SIGTERM stop it.
 *
 * <pre>TlsJuvServer port keystore.p12</pre>
 */
public final class TlsJuvServer {
    private TlsJuvServer() {}

    private static final long HIGH = 64 * 1024;
    private static final long LOW = 32 * 1024;

    /** One connection's echo: reads, writes back, and holds the reading while writes pile up. */
    private static final class Echo implements TlsStream.ReadCallback, TlsStream.Callback {
        private boolean paused;

        @Override
        public void call(TlsStream tls, ByteBuffer data, Exception error) {
            if (data != null) {
                tls.write(data, this);
                if (tls.transport().writeQueueSize() > HIGH) {
                    paused = true;
                    tls.stopRead();
                }
            } else if (error == null) {
                // close_notify: answer it, then close
                tls.shutdownAsync().whenComplete((v, x) -> tls.close());
            }
            // on a failure the stream has closed its transport already
        }

        /** A write is done: reading goes on once the queue is down to the low mark. */
        @Override
        public void call(TlsStream tls, Exception error) {
            if (paused && error == null && tls.isOpen() && tls.transport().writeQueueSize() <= LOW) {
                paused = false;
                tls.startRead(this);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        SSLContext context = TlsSetup.serverContext(Path.of(args[1]));
        SSLParameters parameters = TlsSetup.pinned();
        try (Loop loop = new Loop()) {
            Tcp server = EchoServer.listen(loop, "127.0.0.1", port,
                    client -> TlsStream.server(client, context, parameters).startRead(new Echo()));
            TlsSetup.statsOnSignal(loop);
            Signal.Callback stop = (s, signum) -> {
                for (var h : loop.handles()) {
                    h.close();
                }
            };
            new Signal(loop).start(stop, Signal.SIGINT);
            new Signal(loop).start(stop, Signal.SIGTERM);
            System.out.println("Listening on " + server.localAddress().getPort());
            System.out.flush();
            loop.run();
        }
    }
}
