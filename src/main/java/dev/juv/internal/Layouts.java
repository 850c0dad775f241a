package dev.juv.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Memory layouts of libuv's public, stable structs ({@code uv_buf_t}, {@code uv_stat_t},
 * {@code uv_timespec_t}, ...). Nothing private to libuv is described here.
 */
public final class Layouts {
    private Layouts() {}

    /** Windows, where {@code uv_buf_t} and {@code uv_timespec_t} differ (see {@link Platform}). */
    public static final boolean WINDOWS = Platform.WINDOWS;

    /** {@code uv_buf_t}: {base, len} on Unix; {ULONG len, char* base} on Windows. */
    public static final StructLayout UV_BUF = WINDOWS
            ? MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("len"), MemoryLayout.paddingLayout(4),
                    ValueLayout.JAVA_LONG.withName("base"))
            : MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("base"), ValueLayout.JAVA_LONG.withName("len"));
    public static final long BUF_SIZE = UV_BUF.byteSize();
    private static final long BUF_BASE = UV_BUF.byteOffset(MemoryLayout.PathElement.groupElement("base"));
    private static final long BUF_LEN = UV_BUF.byteOffset(MemoryLayout.PathElement.groupElement("len"));

    /** {@code uv_timespec_t}: two C {@code long}s (32-bit on Windows). */
    public static final StructLayout UV_TIMESPEC = WINDOWS
            ? MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("tv_sec"), ValueLayout.JAVA_INT.withName("tv_nsec"))
            : MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("tv_sec"), ValueLayout.JAVA_LONG.withName("tv_nsec"));

    /** {@code uv_stat_t}: twelve uint64 fields then four timespecs. */
    public static final StructLayout UV_STAT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("st_dev"), ValueLayout.JAVA_LONG.withName("st_mode"),
            ValueLayout.JAVA_LONG.withName("st_nlink"), ValueLayout.JAVA_LONG.withName("st_uid"),
            ValueLayout.JAVA_LONG.withName("st_gid"), ValueLayout.JAVA_LONG.withName("st_rdev"),
            ValueLayout.JAVA_LONG.withName("st_ino"), ValueLayout.JAVA_LONG.withName("st_size"),
            ValueLayout.JAVA_LONG.withName("st_blksize"), ValueLayout.JAVA_LONG.withName("st_blocks"),
            ValueLayout.JAVA_LONG.withName("st_flags"), ValueLayout.JAVA_LONG.withName("st_gen"),
            UV_TIMESPEC.withName("st_atim"), UV_TIMESPEC.withName("st_mtim"),
            UV_TIMESPEC.withName("st_ctim"), UV_TIMESPEC.withName("st_birthtim"));

    public static long bufBase(long buf) {
        if (buf == 0) {
            return 0;
        }
        return Native.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, buf + BUF_BASE);
    }

    public static void setBuf(long buf, long base, long len) {
        MemorySegment s = Native.ALL;
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, buf + BUF_BASE, base);
        if (WINDOWS) {
            s.set(ValueLayout.JAVA_INT_UNALIGNED, buf + BUF_LEN, (int) len);
        } else {
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, buf + BUF_LEN, len);
        }
    }

    /**
     * Reads a {@code uv_stat_t} into a long[16 + 8]: the twelve integer fields, then seconds and
     * nanoseconds of atime, mtime, ctime, birthtime.
     */
    public static long[] readStat(long p) {
        MemorySegment s = Native.seg(p, UV_STAT.byteSize());
        long[] out = new long[20];
        for (int i = 0; i < 12; i++) {
            out[i] = s.get(ValueLayout.JAVA_LONG, i * 8L);
        }
        long ts = 12 * 8L;
        long tsz = UV_TIMESPEC.byteSize();
        for (int i = 0; i < 4; i++) {
            if (WINDOWS) {
                out[12 + 2 * i] = s.get(ValueLayout.JAVA_INT, ts + i * tsz);
                out[13 + 2 * i] = s.get(ValueLayout.JAVA_INT, ts + i * tsz + 4);
            } else {
                out[12 + 2 * i] = s.get(ValueLayout.JAVA_LONG, ts + i * tsz);
                out[13 + 2 * i] = s.get(ValueLayout.JAVA_LONG, ts + i * tsz + 8);
            }
        }
        return out;
    }
}
