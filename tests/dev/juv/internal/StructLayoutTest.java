package dev.juv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemoryLayout.PathElement;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The struct layouts juv describes, against the offsets a C compiler gives on 64-bit Linux
 * (checked with offsetof against /usr/include/uv.h and netdb.h), and the char** helper.
 */
@Timeout(10)
class StructLayoutTest {
    private static void assumeLinux64() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                && java.lang.foreign.ValueLayout.ADDRESS.byteSize() == 8, "offsets recorded for 64-bit Linux");
    }

    private static long off(java.lang.foreign.StructLayout l, String name) {
        return l.byteOffset(PathElement.groupElement(name));
    }

    @Test
    void processOptionsMatchUvH() {
        assumeLinux64();
        var o = ProcessOptionsLayout.OPTIONS;
        assertEquals(64, o.byteSize());
        assertEquals(8, off(o, "file"));
        assertEquals(40, off(o, "flags"));
        assertEquals(44, off(o, "stdio_count"));
        assertEquals(48, off(o, "stdio"));
        assertEquals(56, off(o, "uid"));
        assertEquals(60, off(o, "gid"));
        assertEquals(16, ProcessOptionsLayout.STDIO_SIZE);
        assertEquals(8, off(ProcessOptionsLayout.STDIO, "data"));
    }

    @Test
    void addrinfoMatchesNetdbH() {
        assumeLinux64();
        var a = AddrinfoLayout.ADDRINFO;
        assertEquals(48, a.byteSize());
        assertEquals(16, off(a, "ai_addrlen"));
        assertEquals(24, off(a, "ai_addr"));
        assertEquals(32, off(a, "ai_canonname"));
        assertEquals(40, off(a, "ai_next"));
    }

    @Test
    void stringArrayRoundTripAndNulRefusal() {
        long before = Native.liveBytes();
        long arr = ProcessOptionsLayout.stringArray(List.of("a", "héllo", ""));
        var s = Native.seg(arr, 32);
        assertEquals("a", Native.string(s.getAtIndex(java.lang.foreign.ValueLayout.ADDRESS, 0).address()));
        assertEquals("héllo", Native.string(s.getAtIndex(java.lang.foreign.ValueLayout.ADDRESS, 1).address()));
        assertEquals("", Native.string(s.getAtIndex(java.lang.foreign.ValueLayout.ADDRESS, 2).address()));
        assertEquals(0, s.getAtIndex(java.lang.foreign.ValueLayout.ADDRESS, 3).address());
        ProcessOptionsLayout.freeStringArray(arr);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ProcessOptionsLayout.stringArray(List.of("ok", "bad\0", "never")));
        assertEquals(before, Native.liveBytes());
    }
}
