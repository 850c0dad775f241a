package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.ExampleProcess;
import dev.juv.support.Tags;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link EchoPipe} as its own process, on its stdio and on a named pipe. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag(Tags.EXAMPLES)
class EchoPipeTest {
    @TempDir
    Path dir;

    @Test
    void stdinModeEchoesAndStopsOnExit() throws Exception {
        try (ExampleProcess p = ExampleProcess.start("EchoPipe")) {
            p.awaitErr("Ready"::equals, "Ready");
            OutputStream in = p.stdin();
            in.write("hello\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertEquals("hello", p.awaitOut("hello"::equals, "the echo"));
            in.write("exit".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
        }
    }

    @Test
    void stdinModeStopsAtEndOfInput() throws Exception {
        try (ExampleProcess p = ExampleProcess.start("EchoPipe")) {
            p.awaitErr("Ready"::equals, "Ready");
            OutputStream in = p.stdin();
            in.write("last words\n".getBytes(StandardCharsets.UTF_8));
            in.close();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
            assertEquals("last words", p.awaitOut("last words"::equals, "the echo"));
        }
    }

    @Test
    void stdinModeStopsOnSigint() throws Exception {
        try (ExampleProcess p = ExampleProcess.start("EchoPipe")) {
            p.awaitErr("Ready"::equals, "Ready");
            p.sigint();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
        }
    }

    @Test
    @SuppressWarnings("try") // one client closes early, on purpose, inside its try
    void pathModeEchoesAndRemovesTheSocketOnSigint() throws Exception {
        Path sock = dir.resolve("echo.sock");
        try (ExampleProcess p = ExampleProcess.start("EchoPipe", sock.toString())) {
            p.awaitOut(("Listening on " + sock)::equals, "the ready line");
            assertTrue(Files.exists(sock));
            try (SocketChannel a = SocketChannel.open(StandardProtocolFamily.UNIX);
                    SocketChannel b = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                a.connect(UnixDomainSocketAddress.of(sock));
                b.connect(UnixDomainSocketAddress.of(sock));
                assertEquals("ping a", echo(a, "ping a"));
                assertEquals("ping b\0\u00e9", echo(b, "ping b\0\u00e9"));
                a.close();
                assertEquals("b again", echo(b, "b again"));
            }
            p.sigint();
            assertEquals(0, p.exitStatus(), () -> "stderr: " + p.stderr());
            List<String> out = p.allStdout();
            assertEquals("Stopped!", out.get(out.size() - 1));
            assertFalse(Files.exists(sock), "the socket file is removed");
        }
    }

    private static String echo(SocketChannel c, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        c.write(ByteBuffer.wrap(b));
        ByteBuffer back = ByteBuffer.allocate(b.length);
        while (back.hasRemaining()) {
            if (c.read(back) < 0) {
                throw new AssertionError("closed early");
            }
        }
        return new String(back.array(), StandardCharsets.UTF_8);
    }
}
