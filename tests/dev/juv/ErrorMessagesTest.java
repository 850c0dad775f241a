package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Errors that name what is wrong in the user's terms, beside libuv's code. */
@Timeout(30)
class ErrorMessagesTest extends UvTestCase {
    @Test
    void writingOnANeverConnectedTcpSaysNotConnected() {
        Tcp t = new Tcp(loop);
        UvException w = assertThrows(UvException.class, () -> t.write(new byte[1], (s, e) -> {}));
        assertEquals("EBADF", w.name());
        assertTrue(w.getMessage().startsWith("uv_write on a stream that is not connected"), w.getMessage());
        UvException tw = assertThrows(UvException.class, () -> t.tryWrite(new byte[1]));
        assertEquals("EBADF", tw.name());
        assertTrue(tw.getMessage().startsWith("uv_try_write on a stream that is not connected"), tw.getMessage());
        t.close();
        loop.run();
    }

    @Test
    void aBoundButUnconnectedTcpKeepsLibuvsOwnAnswer() {
        // bound, the stream has a socket: libuv's error is about that socket, and is left as it is
        Tcp t = new Tcp(loop);
        t.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        UvException w = assertThrows(UvException.class, () -> t.tryWrite(new byte[1]));
        assertTrue(!w.getMessage().contains("not connected (it has no socket"), w.getMessage());
        t.close();
        loop.run();
    }
}
