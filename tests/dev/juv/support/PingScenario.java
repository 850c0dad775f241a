package dev.juv.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.juv.Handle;
import dev.juv.HandleCallback;
import dev.juv.Stream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The two sides of pyuv's ping scenario, shared by the TCP and pipe tests. The server accepts,
 * starts reading and hands the connection to the test; at EOF it closes the connection and
 * itself. The client reads until it has the expected bytes, checks them and closes.
 */
public final class PingScenario {
    private PingScenario() {}

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Makes a bound {@code server} listen; {@code onClose} (may be null) goes to both closes at EOF. */
    public static <C extends Stream<C>> void serve(Stream<?> server, Supplier<C> newConnection, Consumer<C> onAccept,
            HandleCallback<Handle> onClose) {
        server.listen(128, (s, error) -> {
            assertNull(error);
            C conn = newConnection.get();
            s.accept(conn);
            conn.startRead((c, data, e) -> {
                if (data == null) {
                    assertEquals("EOF", e.name());
                    if (onClose != null) {
                        c.close(onClose);
                        s.close(onClose);
                    } else {
                        c.close();
                        s.close();
                    }
                }
            });
            onAccept.accept(conn);
        });
    }

    /** A connect callback that reads {@code expected.length} bytes, checks them, counts and closes. */
    public static Stream.Callback<Stream<?>> expect(byte[] expected, AtomicInteger done) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        return (c, error) -> {
            assertNull(error);
            c.startRead((cc, data, e) -> {
                assertNotNull(data, () -> "read failed: " + e);
                got.writeBytes(bytes(data));
                if (got.size() >= expected.length) {
                    assertArrayEquals(expected, got.toByteArray());
                    done.incrementAndGet();
                    cc.close();
                }
            });
        };
    }

    /**
     * A connect callback that reads until it has {@code expected.length} bytes, checks them,
     * then shuts down; the shutdown callback counts and closes with {@code onClose}.
     */
    public static Stream.Callback<Stream<?>> expectThenShutdown(byte[] expected, AtomicInteger shutdowns,
            HandleCallback<Handle> onClose) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        return (c, error) -> {
            assertNull(error);
            c.startRead((cc, data, e) -> {
                if (data == null) {
                    return;
                }
                got.writeBytes(bytes(data));
                if (got.size() >= expected.length) {
                    assertArrayEquals(expected, got.toByteArray());
                    cc.shutdown((s, se) -> {
                        assertNull(se);
                        shutdowns.incrementAndGet();
                        s.close(onClose);
                    });
                }
            });
        };
    }
}
