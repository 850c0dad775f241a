package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.ExampleProcess;
import dev.juv.support.Tags;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs {@link EchoServerTcp} as its own process and talks to it over TCP. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag(Tags.EXAMPLES)
class EchoServerTcpTest {
    private static final Pattern READY = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+) \\(libuv [0-9.]+.*\\)");

    static byte[] echo(Socket s, byte[] data) throws Exception {
        OutputStream out = s.getOutputStream();
        // write on another thread: a 1 MiB block can fill both socket buffers before it is read
        CompletableFuture<Void> w = CompletableFuture.runAsync(() -> {
            try {
                out.write(data);
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] back = new byte[data.length];
        new DataInputStream(s.getInputStream()).readFully(back);
        w.get();
        return back;
    }

    @Test
    @SuppressWarnings("try") // one client closes early, on purpose, inside its try
    void echoesEachClientAndStopsOnSigint() throws Exception {
        try (ExampleProcess p = ExampleProcess.start("EchoServerTcp", "127.0.0.1", "0")) {
            Matcher m = READY.matcher(p.awaitOut(l -> READY.matcher(l).matches(), "the ready line"));
            assertTrue(m.matches());
            int port = Integer.parseInt(m.group(1));
            byte[] big = new byte[1 << 20];
            new Random(7).nextBytes(big);
            byte[] binary = {0, 1, 2, (byte) 0xFF, (byte) 0x80, '\n', 0};
            try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
                assertArrayEquals("hello a\n".getBytes(StandardCharsets.US_ASCII), echo(a, "hello a\n".getBytes(StandardCharsets.US_ASCII)));
                assertArrayEquals(binary, echo(b, binary));
                assertArrayEquals("again a".getBytes(StandardCharsets.US_ASCII), echo(a, "again a".getBytes(StandardCharsets.US_ASCII)));
                assertArrayEquals(big, echo(b, big));
                assertArrayEquals(big, echo(a, big));
                a.close();
                assertArrayEquals("b still works".getBytes(StandardCharsets.US_ASCII),
                        echo(b, "b still works".getBytes(StandardCharsets.US_ASCII)));
                p.sigint();
                assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
            }
            List<String> out = p.allStdout();
            assertEquals("Stopped!", out.get(out.size() - 1));
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        }
    }
}
