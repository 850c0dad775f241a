package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import dev.juv.support.TestPty;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pyuv's tests/test_tty.py, on the slave side of a pseudo-terminal instead of the process's stdin. */
@Timeout(30)
@Tag(Tags.PYUV)
class TtyTest extends UvTestCase {
    private TestPty pty;

    @BeforeEach
    void openPty() {
        pty = TestPty.open(80, 24);
        assumeTrue(pty != null, "no pseudo-terminal can be opened here");
    }

    @AfterEach
    void closePty() {
        if (pty != null) {
            pty.close();
        }
    }

    @Test
    void winsizeAndResetMode() {
        int fd = pty.openSlave();
        Tty tty = new Tty(loop, fd, true);
        assertEquals(new Tty.Size(80, 24), tty.winsize());
        pty.setSize(100, 40);
        assertEquals(100, tty.winsize().width());
        assertEquals(40, tty.winsize().height());
        tty.close();
        loop.run();
        Tty.resetMode();
        // libuv worked on its own reopened copy; the descriptor given stays the caller's
        TestLibc.close(fd);
    }

    // ---- beyond pyuv ----

    @Test
    void modesAndEcho() throws Exception {
        int fd = pty.openSlave();
        Tty tty = new Tty(loop, fd, true);
        tty.setMode(TtyMode.RAW);
        tty.setMode(TtyMode.NORMAL);
        assertThrows(NullPointerException.class, () -> tty.setMode(null));
        AtomicReference<String> line = new AtomicReference<>();
        tty.startRead((t, data, error) -> {
            assertNotNull(data);
            byte[] b = new byte[data.remaining()];
            data.get(b);
            line.set(new String(b, StandardCharsets.UTF_8));
            t.write(("got " + line.get()).getBytes(StandardCharsets.UTF_8), (s, e) -> {
                Tty.resetMode();
                s.close();
            });
        });
        pty.type("hello\n");
        loop.run();
        TestLibc.close(fd);
        assertEquals("hello\n", line.get());
        StringBuilder seen = new StringBuilder();
        assertTrue(pty.readUntil(seen, "got hello", 5000).contains("got hello"), seen.toString());
        Tty.resetMode();
    }

    @Test
    void misuseIsAnException() {
        assertThrows(IllegalArgumentException.class, () -> new Tty(loop, -1, true));
        assertEquals(0, loop.handles().size());
        int fd = pty.openSlave();
        Tty tty = new Tty(loop, fd, false);
        tty.close();
        assertThrows(HandleClosedException.class, tty::winsize);
        assertThrows(HandleClosedException.class, () -> tty.setMode(TtyMode.RAW));
        tty.write(new byte[1]); // dropped: a write on a closing stream is a race, not misuse
        loop.run();
        TestLibc.close(fd);
    }
}
