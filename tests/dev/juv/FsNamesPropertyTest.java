package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.internal.Native;
import dev.juv.support.Tags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * File names as arbitrary bytes: every name the file system accepts round-trips byte for byte
 * through the byte[] overloads, and a path with a NUL byte never reaches libuv. No native memory
 * is left behind by any try. The names come from a seeded generator (seed printed in each
 * case's name), so a failure replays exactly.
 */
@Timeout(120)
@Tag(Tags.FS)
class FsNamesPropertyTest {
    private static Path dir;

    private static final long SEED = Long.getLong("juv.test.seed", 0x6a75762dL);

    @BeforeAll
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("juv-names");
    }

    @AfterAll
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

    /** A name of 1 to 255 bytes without NUL or '/', other than "." and "..". */
    static byte[] name(Random r) {
        while (true) {
            // short names often, long ones sometimes; any byte but NUL and '/'
            int len = r.nextInt(4) == 0 ? 1 + r.nextInt(255) : 1 + r.nextInt(16);
            byte[] n = new byte[len];
            for (int i = 0; i < len; i++) {
                byte b;
                do {
                    b = (byte) r.nextInt(256);
                } while (b == 0 || b == '/');
                n[i] = b;
            }
            boolean dots = (len == 1 && n[0] == '.') || (len == 2 && n[0] == '.' && n[1] == '.');
            if (!dots) {
                return n;
            }
        }
    }

    /** 300 cases: a name each, and a position for the NUL test. */
    static Stream<Object[]> cases() {
        Random r = new Random(SEED);
        return IntStream.range(0, 300).mapToObj(i -> new Object[] {i, name(r), r.nextInt()});
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void rawNamesRoundTrip(int index, byte[] name, int unused) {
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

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void aNulByteAnywhereIsRefused(int index, byte[] name, int where) {
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
