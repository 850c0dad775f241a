package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.Signal;
import dev.juv.support.ExampleJvm;
import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs {@link EchoServerPoll} as a separate JVM and talks to it with plain sockets. */
@Timeout(90)
@Tag(Tags.EXAMPLES)
class EchoServerPollTest {
    private static byte[] echo(Socket s, byte[] data) throws Exception {
        OutputStream out = s.getOutputStream();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                out.write(data);
                out.flush();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] back = new byte[data.length];
        new DataInputStream(s.getInputStream()).readFully(back);
        writer.get(30, TimeUnit.SECONDS);
        return back;
    }

    private static String peer(Socket s) {
        return s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort();
    }

    private static int startAndAwaitReady(ExampleJvm jvm) throws Exception {
        Matcher ready = jvm.awaitLine("Listening on 127\\.0\\.0\\.1:(\\d+)", 20_000);
        return Integer.parseInt(ready.group(1));
    }

    @Test
    @SuppressWarnings("try") // one client closes early, on purpose, inside its try
    void echoesTwoClientsAndStopsOnSigterm() throws Exception {
        assumeTrue(TestLibc.SUPPORTED, "the example's C library calls know Linux and macOS only");
        try (ExampleJvm jvm = ExampleJvm.start("EchoServerPoll", "127.0.0.1", "0")) {
            int port = startAndAwaitReady(jvm);
            InetAddress lo = InetAddress.getLoopbackAddress();
            try (Socket a = new Socket(lo, port); Socket b = new Socket(lo, port)) {
                a.setSoTimeout(20_000);
                b.setSoTimeout(20_000);
                jvm.awaitLine(java.util.regex.Pattern.quote(peer(a)) + ": ready", 10_000);
                jvm.awaitLine(java.util.regex.Pattern.quote(peer(b)) + ": ready", 10_000);
                byte[] hello = "hello from a\n".getBytes(StandardCharsets.US_ASCII);
                byte[] other = "and from b\0\u00ff".getBytes(StandardCharsets.ISO_8859_1);
                assertArrayEquals(hello, echo(a, hello));
                assertArrayEquals(other, echo(b, other));
                byte[] block = new byte[1 << 20]; // far more than one 64 KiB receive
                new Random(42).nextBytes(block);
                assertArrayEquals(block, echo(b, block));
                assertArrayEquals(hello, echo(a, hello));
                String closedPeer = peer(a);
                a.close();
                jvm.awaitLine(java.util.regex.Pattern.quote(closedPeer) + ": closed", 10_000);
                assertArrayEquals(other, echo(b, other));
            }
            jvm.signal(Signal.SIGTERM);
            jvm.awaitLine("Stopped!", 10_000);
            assertEquals(0, jvm.awaitExit(10_000), jvm.stderr());
        }
    }

    @Test
    void stopsOnSigint() throws Exception {
        assumeTrue(TestLibc.SUPPORTED, "the example's C library calls know Linux and macOS only");
        try (ExampleJvm jvm = ExampleJvm.start("EchoServerPoll", "127.0.0.1", "0")) {
            int port = startAndAwaitReady(jvm);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(20_000);
                byte[] data = "ping\n".getBytes(StandardCharsets.US_ASCII);
                assertArrayEquals(data, echo(s, data));
                jvm.signal(Signal.SIGINT);
                jvm.awaitLine("Stopped!", 10_000);
                assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
            }
            assertEquals(0, jvm.awaitExit(10_000), jvm.stderr());
        }
    }
}
