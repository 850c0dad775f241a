package dev.juv.support;

import dev.juv.ProcessOptions;
import dev.juv.TtyMode;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** Harmless stand-in arguments, for calling the public API by reflection in misuse tests. */
public final class StandIns {
    private StandIns() {}

    /** A do-nothing implementation of an interface (a callback): every method returns null. */
    public static Object anyInterface(Class<?> type) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> switch (m.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "stand-in " + type.getSimpleName();
            default -> null;
        });
    }

    /**
     * A valid value of a plain parameter type: {@code number} for ints and longs, {@code text} for
     * strings (and its bytes for byte arrays), one-byte buffers, the loopback address, a do-nothing
     * callback for an interface; null for any other type (loops, handles), which the caller supplies.
     */
    public static Object plain(Class<?> type, long number, String text) {
        if (type == int.class) {
            return (int) number;
        }
        if (type == long.class) {
            return number;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == String.class) {
            return text;
        }
        if (type == byte[].class) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (type == byte[][].class) {
            return new byte[][] {{1}};
        }
        if (type == ByteBuffer.class) {
            return ByteBuffer.allocate(1);
        }
        if (type == ByteBuffer[].class) {
            return new ByteBuffer[] {ByteBuffer.allocate(1)};
        }
        if (type == Instant.class) {
            return Instant.EPOCH;
        }
        if (type == Duration.class) {
            return Duration.ofMillis(number);
        }
        if (type == InetSocketAddress.class) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        }
        if (type == ProtocolFamily.class) {
            return StandardProtocolFamily.INET;
        }
        if (type == TtyMode.class) {
            return TtyMode.NORMAL;
        }
        if (type == ProcessOptions.class) {
            return ProcessOptions.command("true");
        }
        if (type.isInterface()) {
            return anyInterface(type);
        }
        return null;
    }
}
