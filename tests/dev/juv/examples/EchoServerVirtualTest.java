package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.ExampleProcess;
import dev.juv.support.Tags;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link EchoServerVirtual} as its own process: concurrent clients each get their own bytes
 * back exactly, while clients that vanish mid-echo (a reset, or a close with data unread) take
 * nothing down with them; Ctrl+C stops it cleanly.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag(Tags.EXAMPLES)
class EchoServerVirtualTest {
    private static final Pattern READY =
            Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+) with 2 loop\\(s\\) \\(libuv [0-9.]+.*\\)");

    @Test
    void servesConcurrentClientsThroughVanishingOnesAndStopsOnSigint() throws Exception {
        try (ExampleProcess p = ExampleProcess.start("EchoServerVirtual", "127.0.0.1", "0", "2")) {
            Matcher m = READY.matcher(p.awaitOut(l -> READY.matcher(l).matches(), "the ready line"));
            assertTrue(m.matches());
            int port = Integer.parseInt(m.group(1));
            ExecutorService pool = Executors.newFixedThreadPool(12);
            try {
                List<CompletableFuture<Void>> clients = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    int seed = c;
                    clients.add(CompletableFuture.runAsync(() -> echoRounds(port, seed), pool));
                }
                // meanwhile clients that go away: one resets with 1 MiB in flight, one closes
                // without reading what it sent
                for (int v = 0; v < 4; v++) {
                    int kind = v;
                    clients.add(CompletableFuture.runAsync(() -> vanish(port, kind), pool));
                }
                for (CompletableFuture<Void> c : clients) {
                    c.get();
                }
                // and after all that, a new client is still served
                echoRounds(port, 99);
            } finally {
                pool.shutdownNow();
            }
            p.sigint();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
            List<String> out = p.allStdout();
            assertEquals("Stopped!", out.get(out.size() - 1));
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        }
    }

    /** A few messages of different sizes on one connection, each echoed byte for byte. */
    private static void echoRounds(int port, int seed) {
        Random r = new Random(seed);
        try (Socket s = new Socket("127.0.0.1", port)) {
            for (int size : new int[] {1, 100, 64 * 1024 + 3, 512 * 1024}) {
                byte[] data = new byte[size];
                r.nextBytes(data);
                assertArrayEquals(data, EchoServerTcpTest.echo(s, data), "client " + seed + ", " + size + " bytes");
            }
        } catch (Exception e) {
            throw new AssertionError("client " + seed, e);
        }
    }

    private static void vanish(int port, int kind) {
        byte[] data = new byte[1 << 20];
        new Random(kind).nextBytes(data);
        try (Socket s = new Socket("127.0.0.1", port)) {
            if (kind % 2 == 0) {
                s.setSoLinger(true, 0); // the close below is a reset
            }
            OutputStream out = s.getOutputStream();
            out.write(data, 0, 256 * 1024);
            out.flush();
            s.getInputStream().readNBytes(1000); // part of the echo, then gone
        } catch (Exception e) {
            throw new AssertionError("vanishing client " + kind, e);
        }
    }
}
