package dev.juv.support;

import dev.juv.Handle;
import dev.juv.HandleCallback;
import dev.juv.Stream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Locale;

/** What the child-process tests share: collecting a child's output, and the platform checks. */
public final class ChildIo {
    private ChildIo() {}

    private static boolean descriptorsTaken;

    /**
     * {@code @TempDir} draws its names from SecureRandom, which keeps /dev/random and
     * /dev/urandom open for good once used: take them before any test counts descriptors.
     */
    public static synchronized void takeLazyDescriptors() {
        if (descriptorsTaken) {
            return;
        }
        try {
            Files.delete(Files.createTempDirectory("juv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        descriptorsTaken = true;
    }

    public static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    }

    /** Appends a read callback's bytes to {@code out}. */
    public static void append(ByteArrayOutputStream out, ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        out.write(b, 0, b.length);
    }

    /** Reads {@code stream} to its end into {@code out}, then closes it with {@code onClose} (or plainly when null). */
    public static void collect(Stream<?> stream, ByteArrayOutputStream out, HandleCallback<Handle> onClose) {
        stream.startRead((s, data, error) -> {
            if (data != null) {
                append(out, data);
            } else if (onClose != null) {
                s.close(onClose);
            } else {
                s.close();
            }
        });
    }
}
