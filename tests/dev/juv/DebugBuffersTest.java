package dev.juv;

import dev.juv.internal.DebugBuffers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code -Djuv.debug.buffers=true} (switched on here through its package-private field): a read
 * view used after its callback returned fails at once, while using it inside the callback, and
 * echoing it, work as in the default mode.
 */
@Timeout(30)
class DebugBuffersTest extends UvTestCase {
    private boolean before;

    @BeforeEach
    void on() {
        before = DebugBuffers.enabled;
        DebugBuffers.enabled = true;
    }

    @AfterEach
    void off() {
        DebugBuffers.enabled = before;
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Test
    void aStreamReadViewKeptPastItsCallbackFailsAtOnce() {
        ByteBuffer[] kept = new ByteBuffer[1];
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        Tcp server = new Tcp(loop);
        server.bind(loopback(0));
        server.listen(4, (srv, e) -> {
            Tcp c = new Tcp(loop);
            srv.accept(c);
            c.startRead((s, data, err) -> {
                if (data == null) {
                    s.close();
                    srv.close();
                    return;
                }
                assertEquals('h', data.get(0), "valid inside the callback");
                kept[0] = data;
                s.write(data); // echoing the view still works: it is copied
            });
        });
        Tcp client = new Tcp(loop);
        client.connect(server.localAddress(), (t, e) -> {
            t.write("hello".getBytes());
            t.startRead((s, data, err) -> {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                echoed.writeBytes(b);
                if (echoed.size() == 5) {
                    // the server's view, kept past its callback
                    assertThrows(IllegalStateException.class, () -> kept[0].get(0));
                    s.close();
                }
            });
        });
        loop.run();
        assertArrayEquals("hello".getBytes(), echoed.toByteArray());
        assertNotNull(kept[0]);
        assertThrows(IllegalStateException.class, () -> kept[0].get(0));
    }

    @Test
    void aDatagramViewKeptPastItsCallbackFailsAtOnce() {
        ByteBuffer[] kept = new ByteBuffer[1];
        Udp receiver = new Udp(loop);
        receiver.bind(loopback(0));
        receiver.startRecv((u, sender, data, flags, e) -> {
            assertEquals(3, data.remaining());
            assertEquals('a', data.get(0));
            kept[0] = data;
            u.close();
        });
        Udp sender = new Udp(loop);
        sender.send(receiver.localAddress(), "abc".getBytes(), (u, e) -> u.close());
        loop.run();
        assertNotNull(kept[0]);
        assertThrows(IllegalStateException.class, () -> kept[0].get(0));
    }

    @Test
    void readAsyncChunksAreTheCallersToKeep() throws Exception {
        Tcp server = new Tcp(loop);
        server.bind(loopback(0));
        server.listen(4);
        Tcp client = new Tcp(loop);
        ByteBuffer[] chunk = new ByteBuffer[1];
        client.connectAsync(server.localAddress()).thenAccept(c -> c.write("xyz".getBytes()));
        server.acceptAsync().thenAccept(a -> a.readAsync().thenAccept(b -> {
            chunk[0] = b;
            a.close();
            client.close();
            server.close();
        }));
        loop.run();
        assertEquals('x', chunk[0].get(0), "a heap copy, valid after the callback");
    }
}
