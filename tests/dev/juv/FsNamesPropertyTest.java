package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Timeout;

/**
 * File names as arbitrary bytes: every name the file system accepts round-trips byte for byte
 * through the byte[] overloads, and a path with a NUL byte never reaches libuv. No native memory
 * is left behind by any try.
 */
@Timeout(120)
class FsNamesPropertyTest {
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("juv-names");
    }

    @AfterContainer
    static void removeDir() {
        for (DirEntry e : Fs.scandir(dir.toString().getBytes(StandardCharsets.UTF_8))) {
            Fs.unlink(concat(base(), e.rawName()));
        }
        Fs.rmdir(dir.toString());
    }

    private static byte[] base() {
        return (dir.toString() + "/").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Names of 1 to 255 bytes without NUL or '/', other than "." and "..". */
    @Provide
    Arbitrary<byte[]> names() {
        return Arbitraries.bytes().filter(b -> b != 0 && b != '/').array(byte[].class).ofMinSize(1).ofMaxSize(255)
                .filter(n -> !(n.length == 1 && n[0] == '.') && !(n.length == 2 && n[0] == '.' && n[1] == '.'));
    }

    @Property(tries = 300)
    void rawNamesRoundTrip(@ForAll("names") byte[] name) {
        long before = Native.liveBytes();
        byte[] path = concat(base(), name);
        int fd = Fs.open(path, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, 0600);
        try {
            assertEquals(name.length, Fs.write(fd, name, 0));
        } finally {
            Fs.close(fd);
        }
        assertEquals(name.length, Fs.stat(path).size());
        List<DirEntry> entries = Fs.scandir(dir.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(1, entries.size());
        assertArrayEquals(name, entries.get(0).rawName());
        byte[] other = name.clone();
        other[0] = other[0] == '~' ? (byte) '+' : (byte) '~';
        byte[] renamed = concat(base(), other);
        Fs.rename(path, renamed);
        assertArrayEquals(renamed, concat(base(), Fs.scandir(dir.toString().getBytes(StandardCharsets.UTF_8)).get(0).rawName()));
        Fs.unlink(renamed);
        assertTrue(Fs.scandir(dir.toString()).isEmpty());
        assertEquals(before, Native.liveBytes());
    }

    @Property(tries = 300)
    void aNulByteAnywhereIsRefused(@ForAll("names") byte[] name, @ForAll int where) {
        long before = Native.liveBytes();
        byte[] path = concat(base(), name);
        path[Math.floorMod(where, path.length)] = 0;
        assertThrows(IllegalArgumentException.class, () -> Fs.stat(path));
        assertThrows(IllegalArgumentException.class, () -> Fs.open(path, Fs.O_RDONLY, 0));
        assertThrows(IllegalArgumentException.class, () -> Fs.unlink(path));
        String text = new String(path, StandardCharsets.ISO_8859_1);
        assertThrows(IllegalArgumentException.class, () -> Fs.stat(text));
        assertEquals(before, Native.liveBytes());
    }
}
