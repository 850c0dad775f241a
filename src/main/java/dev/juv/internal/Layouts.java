package dev.juv.internal;

import dev.juv.Stat;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.time.Instant;

/**
 * Memory layouts of libuv's public, stable structs ({@code uv_buf_t}, {@code uv_stat_t},
 * {@code uv_timespec_t}, ...). Nothing private to libuv is described here.
 */
public final class Layouts {
    private Layouts() {}

    /** {@code uv_buf_t}: {base, len} on Unix; {ULONG len, char* base} on Windows. */
    public static final StructLayout UV_BUF = Platform.WINDOWS
            ? MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("len"), MemoryLayout.paddingLayout(4),
                    ValueLayout.JAVA_LONG.withName("base"))
            : MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("base"), ValueLayout.JAVA_LONG.withName("len"));
    public static final long BUF_SIZE = UV_BUF.byteSize();
    private static final long BUF_BASE = UV_BUF.byteOffset(MemoryLayout.PathElement.groupElement("base"));
    private static final long BUF_LEN = UV_BUF.byteOffset(MemoryLayout.PathElement.groupElement("len"));

    /** {@code uv_timespec_t}: two C {@code long}s (32-bit on Windows). */
    public static final StructLayout UV_TIMESPEC = Platform.WINDOWS
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
        if (Platform.WINDOWS) {
            s.set(ValueLayout.JAVA_INT_UNALIGNED, buf + BUF_LEN, (int) len);
        } else {
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, buf + BUF_LEN, len);
        }
    }

    /** The twelve integer fields of {@code uv_stat_t}, in the order of {@link Stat}'s components. */
    private static final CStructs.Field[] ST_FIELDS = java.util.stream.Stream.of("st_dev", "st_mode", "st_nlink",
            "st_uid", "st_gid", "st_rdev", "st_ino", "st_size", "st_blksize", "st_blocks", "st_flags", "st_gen")
            .map(name -> CStructs.field(UV_STAT, name)).toArray(CStructs.Field[]::new);

    /** Reads the {@code uv_stat_t} at {@code p} into a {@link Stat}, field by field. */
    public static Stat stat(long p) {
        long[] f = new long[ST_FIELDS.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = ST_FIELDS[i].get(p);
        }
        return new Stat(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11],
                TimespecField.ATIME.read(p), TimespecField.MTIME.read(p), TimespecField.CTIME.read(p),
                TimespecField.BIRTHTIME.read(p));
    }

    /** The four {@code uv_timespec_t} fields of {@code uv_stat_t}. */
    private enum TimespecField {
        ATIME("st_atim"), MTIME("st_mtim"), CTIME("st_ctim"), BIRTHTIME("st_birthtim");

        private final CStructs.Field sec;
        private final CStructs.Field nsec;

        TimespecField(String name) {
            sec = CStructs.field(UV_STAT, name, "tv_sec");
            nsec = CStructs.field(UV_STAT, name, "tv_nsec");
        }

        Instant read(long stat) {
            return Instant.ofEpochSecond(sec.get(stat), nsec.get(stat));
        }
    }
}
