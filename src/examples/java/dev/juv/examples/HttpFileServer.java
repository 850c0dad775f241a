package dev.juv.examples;

import dev.juv.Fs;
import dev.juv.Loop;
import dev.juv.LoopGroup;
import dev.juv.Stat;
import dev.juv.Sys;
import dev.juv.Tcp;
import dev.juv.TlsStream;
import dev.juv.UvException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;

/**
 * A small HTTP/1.1 static-file server in straight-line style: a virtual thread per connection
 * reads requests through the connection's {@code inputStream()}, and answers GET and HEAD with
 * the file under the root directory, read from the thread pool in 64 KiB pieces
 * ({@code Fs.openAsync}, {@code Fs.readAsync}) and written with {@code writeAsync}, each awaited,
 * so a slow client holds back only its own file. Connections are kept alive (HTTP/1.1's
 * default) until the client closes or asks {@code Connection: close}; a missing file is a 404,
 * a directory without {@code index.html} a 404, a path leaving the root a 404.
 *
 * <p>With {@code --tls} it speaks HTTPS: each accepted {@code Tcp} is wrapped in a server
 * {@link TlsStream}, the virtual thread awaits {@code handshakeAsync()}, then reads the
 * requests through the stream's {@code readAsync()} and writes with its {@code writeAsync()}; the
 * requests are answered by the same code as in plain mode. A client that fails its handshake
 * (plain HTTP to the HTTPS port, an untrusted certificate) or vanishes ends its own connection
 * only.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.HttpFileServer [--tls[=keystore.p12] [--password=password]] [root] [host] [port] [loops]</pre>
 * The defaults are the current directory, 127.0.0.1, 8080 and one loop per available core; port
 * 0 picks a free port. Try {@code curl -v http://127.0.0.1:8080/README.md}; Ctrl+C stops it.
 * {@code --tls=keystore.p12} serves HTTPS with the key in that PKCS#12 keystore (password
 * {@code changeit} unless {@code --password=} says otherwise); {@code --tls} alone makes a
 * self-signed certificate for {@code localhost} and {@code 127.0.0.1} at start, as
 * {@link TlsEchoServer} does, and prints its path ({@code curl --cacert} needs it in PEM; {@code
 * curl -k https://127.0.0.1:8080/README.md} skips the check).
 */
public final class HttpFileServer {
    private HttpFileServer() {}

    private static final int CHUNK = 64 * 1024;
    private static final int MAX_HEAD = 16 * 1024;
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "txt", "text/plain; charset=utf-8",
            "md", "text/markdown; charset=utf-8", "css", "text/css", "js", "text/javascript",
            "json", "application/json", "png", "image/png", "jpg", "image/jpeg", "svg", "image/svg+xml");

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean https = false;
        String keystore = null;
        String password = "changeit";
        while (!rest.isEmpty() && rest.get(0).startsWith("--")) {
            String option = rest.remove(0);
            if (option.equals("--tls")) {
                https = true;
            } else if (option.startsWith("--tls=")) {
                https = true;
                keystore = option.substring("--tls=".length());
            } else if (option.startsWith("--password=")) {
                password = option.substring("--password=".length());
            } else {
                throw new IllegalArgumentException("unknown option " + option
                        + " (known: --tls, --tls=keystore.p12, --password=password)");
            }
        }
        Path root = Path.of(rest.size() > 0 ? rest.get(0) : ".").toAbsolutePath().normalize();
        String host = rest.size() > 1 ? rest.get(1) : "127.0.0.1";
        int port = rest.size() > 2 ? Integer.parseInt(rest.get(2)) : 8080;
        int loops = rest.size() > 3 ? Integer.parseInt(rest.get(3)) : Sys.availableParallelism();
        SSLContext context = !https ? null
                : TlsEchoServer.context(keystore != null ? Path.of(keystore) : TlsEchoServer.selfSigned(password), password);
        String scheme = https ? "https" : "http";
        try (LoopGroup group = LoopGroup.start(loops, "http-loop-")) {
            InetSocketAddress at = group.listen(new InetSocketAddress(host, port), 511, (loop, client) ->
                    Thread.ofVirtual().name(scheme + "-client").start(() -> serve(root,
                            context == null ? new Plain(client) : new Tls(TlsStream.server(client, context)))));
            CountDownLatch stop = EchoServerVirtual.sigint(group);
            System.out.println("Serving " + root + " on " + scheme + "://"
                    + at.getAddress().getHostAddress() + ":" + at.getPort() + "/ with " + loops + " loop(s)");
            System.out.flush();
            stop.await();
        }
        System.out.println("Stopped!");
        System.out.flush();
    }

    /**
     * What serving needs of a connection, the same in both modes: its loop, a start, its bytes
     * as a blocking stream, awaited writes, and an end.
     */
    private interface Connection {
        Loop loop();

        /** Before the first request: nothing over plain TCP, the handshake over TLS. */
        void open();

        /** The bytes the client sends, for a virtual thread to read. */
        InputStream in();

        CompletableFuture<Void> writeAsync(byte[] bytes);

        CompletableFuture<Void> shutdownAsync();

        /** Closes the socket; safe after a failure closed it already. */
        void close();
    }

    /** Plain HTTP: the accepted {@code Tcp} itself. */
    private record Plain(Tcp tcp) implements Connection {
        @Override
        public Loop loop() {
            return tcp.loop();
        }

        @Override
        public void open() {}

        @Override
        public InputStream in() {
            return tcp.inputStream();
        }

        @Override
        public CompletableFuture<Void> writeAsync(byte[] bytes) {
            return tcp.writeAsync(bytes);
        }

        @Override
        public CompletableFuture<Void> shutdownAsync() {
            return tcp.shutdownAsync();
        }

        @Override
        public void close() {
            tcp.closeAsync();
        }
    }

    /** HTTPS: a server {@code TlsStream} over the accepted {@code Tcp}. */
    private record Tls(TlsStream tls) implements Connection {
        @Override
        public Loop loop() {
            return tls.loop();
        }

        @Override
        public void open() {
            tls.handshakeAsync().join();
        }

        @Override
        public InputStream in() {
            return new TlsInput(tls);
        }

        @Override
        public CompletableFuture<Void> writeAsync(byte[] bytes) {
            return tls.writeAsync(bytes);
        }

        @Override
        public CompletableFuture<Void> shutdownAsync() {
            return tls.shutdownAsync(); // close_notify, then the transport's write side
        }

        @Override
        public void close() {
            tls.transport().closeAsync(); // the TlsStream sees its transport close
        }
    }

    /** The decrypted bytes of a {@code TlsStream}, a chunk from {@code readAsync()} at a time. */
    private static final class TlsInput extends InputStream {
        private final TlsStream tls;
        private ByteBuffer chunk = ByteBuffer.allocate(0);
        private boolean ended;

        TlsInput(TlsStream tls) {
            this.tls = tls;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!chunk.hasRemaining()) {
                if (ended) {
                    return -1;
                }
                try {
                    ByteBuffer next = tls.readAsync().join(); // null after the client's close_notify
                    ended = next == null;
                    chunk = ended ? chunk : next;
                } catch (CompletionException e) {
                    throw new IOException("tls read failed", e.getCause());
                }
            }
            int n = Math.min(len, chunk.remaining());
            chunk.get(b, off, n);
            return n;
        }
    }

    /** One connection: requests one after another until the client leaves or asks to close. */
    private static void serve(Path root, Connection client) {
        try (InputStream in = new BufferedInputStream(client.in())) {
            client.open();
            boolean keepAlive = true;
            while (keepAlive) {
                String head = readHead(in);
                if (head == null) {
                    return; // the client closed between requests
                }
                keepAlive = answer(root, client, head);
            }
            client.shutdownAsync().join();
        } catch (IOException | CompletionException | UvException clientGone) {
            // a client that fails its handshake, resets or vanishes mid-response ends its own
            // connection only
        } finally {
            client.close();
        }
    }

    /** Answers one request; returns whether the connection stays open for another. */
    private static boolean answer(Path root, Connection client, String head) {
        String[] lines = head.split("\r\n");
        String[] request = lines[0].split(" ");
        if (request.length != 3 || !request[2].startsWith("HTTP/1.")) {
            send(client, 400, "Bad Request", false);
            return false;
        }
        boolean keepAlive = request[2].equals("HTTP/1.1");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("connection")) {
                String v = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                keepAlive = v.equals("keep-alive") || (keepAlive && !v.equals("close"));
            }
        }
        boolean head0 = request[0].equals("HEAD");
        if (!head0 && !request[0].equals("GET")) {
            send(client, 405, "Method Not Allowed", keepAlive);
            return keepAlive;
        }
        Path file = resolve(root, request[1]);
        Stat stat = file == null ? null : statOrNull(client.loop(), file);
        if (stat != null && stat.isDirectory()) {
            file = file.resolve("index.html");
            stat = statOrNull(client.loop(), file);
        }
        if (stat == null || !stat.isFile()) {
            send(client, 404, "Not Found", keepAlive);
            return keepAlive;
        }
        String name = file.getFileName().toString();
        String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT),
                "application/octet-stream");
        client.writeAsync(header(200, "OK", type, stat.size(), keepAlive)).join();
        if (!head0) {
            sendFile(client, file, stat.size());
        }
        return keepAlive;
    }

    /** The file's bytes, a piece at a time: each read from the pool, each write awaited. */
    private static void sendFile(Connection client, Path file, long size) {
        Loop loop = client.loop();
        int fd = Fs.openAsync(loop, file.toString(), Fs.O_RDONLY, 0).join();
        try {
            for (long offset = 0; offset < size; ) {
                byte[] piece = Fs.readAsync(loop, fd, (int) Math.min(CHUNK, size - offset), offset).join();
                if (piece.length == 0) {
                    throw new CompletionException(new IOException(file + " shrank while it was sent"));
                }
                client.writeAsync(piece).join();
                offset += piece.length;
            }
        } finally {
            Fs.closeAsync(loop, fd);
        }
    }

    /** The file under the root that a request target names, or null when it would leave the root. */
    private static Path resolve(Path root, String target) {
        try {
            String path = new URI(target).getPath();
            if (path == null || !path.startsWith("/")) {
                return null;
            }
            Path p = root.resolve(path.substring(1)).normalize();
            return p.startsWith(root) ? p : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Stat statOrNull(Loop loop, Path file) {
        try {
            return Fs.statAsync(loop, file.toString()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UvException) {
                return null; // ENOENT, EACCES, ENOTDIR...: not something to serve
            }
            throw e;
        }
    }

    private static void send(Connection client, int status, String reason, boolean keepAlive) {
        byte[] body = (status + " " + reason + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] head = header(status, reason, "text/plain; charset=utf-8", body.length, keepAlive);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        client.writeAsync(all).join();
    }

    private static byte[] header(int status, String reason, String type, long length, boolean keepAlive) {
        return ("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: " + length
                + "\r\nConnection: " + (keepAlive ? "keep-alive" : "close") + "\r\nServer: juv\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The request line and headers up to the blank line, without it; null at a clean end of the
     * stream before a request began.
     */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // how much of CR LF CR LF has been seen
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("the client closed in the middle of a request");
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue; // stray line ends between requests
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head over " + MAX_HEAD + " bytes");
            }
        }
        String s = head.toString(StandardCharsets.ISO_8859_1);
        return s.substring(0, s.length() - 4);
    }
}
