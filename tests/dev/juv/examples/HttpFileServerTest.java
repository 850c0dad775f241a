package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.ExampleProcess;
import dev.juv.support.Tags;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link HttpFileServer} as its own process over a directory made here, and talks HTTP/1.1
 * to it over plain sockets: GET and HEAD, keep-alive, index.html, 404s (also for a path that
 * would leave the root), several clients at once checked byte for byte, and clients that vanish
 * in the middle of a 4 MiB response while the others keep being served.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag(Tags.EXAMPLES)
class HttpFileServerTest {
    private static final Pattern READY = Pattern.compile("Serving .* on http://127\\.0\\.0\\.1:(\\d+)/ with 2 loop\\(s\\)");

    record Response(int status, Map<String, String> headers, byte[] body) {}

    @Test
    void servesFilesToManyClientsThroughVanishingOnes(@TempDir Path root) throws Exception {
        byte[] big = new byte[4 << 20];
        new Random(3).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("hello.txt"), "hello, juv\n");
        Files.createDirectory(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<p>docs</p>\n");
        Files.writeString(root.getParent().resolve("outside-" + root.getFileName() + ".txt"), "secret");
        try (ExampleProcess p = ExampleProcess.start("HttpFileServer", root.toString(), "127.0.0.1", "0", "2")) {
            Matcher m = READY.matcher(p.awaitOut(l -> READY.matcher(l).matches(), "the ready line"));
            assertTrue(m.matches());
            int port = Integer.parseInt(m.group(1));
            try (Socket s = new Socket("127.0.0.1", port)) {
                // keep-alive: several requests, one connection
                Response hello = get(s, "GET /hello.txt HTTP/1.1");
                assertEquals(200, hello.status());
                assertEquals("hello, juv\n", new String(hello.body(), StandardCharsets.UTF_8));
                assertEquals("text/plain; charset=utf-8", hello.headers().get("content-type"));
                Response head = get(s, "HEAD /big.bin HTTP/1.1");
                assertEquals(200, head.status());
                assertEquals(String.valueOf(big.length), head.headers().get("content-length"));
                assertEquals(404, get(s, "GET /missing.txt HTTP/1.1").status());
                assertEquals(404, get(s, "GET /../outside-" + root.getFileName() + ".txt HTTP/1.1").status());
                assertEquals(404, get(s, "GET /%2e%2e/outside-" + root.getFileName() + ".txt HTTP/1.1").status());
                assertEquals("<p>docs</p>\n", new String(get(s, "GET /docs/ HTTP/1.1").body(), StandardCharsets.UTF_8));
                assertEquals(405, get(s, "DELETE /hello.txt HTTP/1.1").status());
                assertArrayEquals(big, get(s, "GET /big.bin HTTP/1.1").body());
                Response last = get(s, "GET /hello.txt HTTP/1.1\r\nConnection: close");
                assertEquals("close", last.headers().get("connection"));
                assertEquals(-1, s.getInputStream().read(), "the server closes after Connection: close");
            }
            manyClientsThroughVanishingOnes(() -> new Socket("127.0.0.1", port), big, 6, 3);
            p.sigint();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
            List<String> out = p.allStdout();
            assertEquals("Stopped!", out.get(out.size() - 1));
        }
    }

    /** Opens a connection to the server under test: a plain socket, or a TLS one with its handshake done. */
    interface Connector {
        Socket connect() throws Exception;
    }

    /**
     * Several clients at once, each getting {@code /big.bin} ({@code big}) {@code rounds} times
     * checked byte for byte and {@code /hello.txt} after each, on one connection; beside them four
     * clients that ask for it and leave after 100 kB, half of them with a reset; then a new
     * client gets the whole file.
     */
    static void manyClientsThroughVanishingOnes(Connector server, byte[] big, int clients, int rounds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients + 4);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                all.add(CompletableFuture.runAsync(() -> {
                    try (Socket s = server.connect()) {
                        for (int i = 0; i < rounds; i++) {
                            assertArrayEquals(big, get(s, "GET /big.bin HTTP/1.1").body(), "client " + id);
                            assertEquals(200, get(s, "GET /hello.txt HTTP/1.1").status());
                        }
                    } catch (Exception e) {
                        throw new AssertionError("client " + id, e);
                    }
                }, pool));
            }
            for (int v = 0; v < 4; v++) {
                int kind = v;
                all.add(CompletableFuture.runAsync(() -> {
                    try (Socket s = server.connect()) {
                        if (kind % 2 == 0) {
                            s.setSoLinger(true, 0); // the close is a reset
                        }
                        s.getOutputStream().write("GET /big.bin HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        s.getInputStream().readNBytes(100_000); // part of the file, then gone
                    } catch (Exception e) {
                        throw new AssertionError("vanishing client " + kind, e);
                    }
                }, pool));
            }
            for (CompletableFuture<Void> c : all) {
                c.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Socket s = server.connect()) {
            assertArrayEquals(big, get(s, "GET /big.bin HTTP/1.1").body(), "a new client after the vanished ones");
        }
    }

    /** Sends one request (its line and any headers, without the blank line) and reads the response. */
    static Response get(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((request + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return response(s.getInputStream(), request.startsWith("HEAD "));
    }

    /** Reads one response; {@code head} says it answers a HEAD (no body follows its headers). */
    static Response response(InputStream in, boolean head) throws IOException {
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.get("content-length"));
        byte[] body = head ? new byte[0] : in.readNBytes(length);
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the server closed in the middle of a response");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
