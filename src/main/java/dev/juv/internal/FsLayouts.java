package dev.juv.internal;

import dev.juv.StatFs;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The public file-system structs of libuv: {@code uv_dirent_t}, {@code uv_statfs_t} and the two
 * public leading fields of {@code uv_dir_t}. Nothing private to libuv is described here.
 */
public final class FsLayouts {
    private FsLayouts() {}

    /** {@code uv_dirent_t}: {@code const char* name; uv_dirent_type_t type}. */
    public static final StructLayout UV_DIRENT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("name"), ValueLayout.JAVA_INT.withName("type"),
            MemoryLayout.paddingLayout(4));
    /** The size of one {@code uv_dirent_t}. */
    public static final long DIRENT_SIZE = UV_DIRENT.byteSize();
    private static final long DIRENT_NAME = UV_DIRENT.byteOffset(MemoryLayout.PathElement.groupElement("name"));
    private static final long DIRENT_TYPE = UV_DIRENT.byteOffset(MemoryLayout.PathElement.groupElement("type"));

    /** {@code uv_statfs_t}: seven uint64 fields, then {@code f_spare[4]}. */
    public static final StructLayout UV_STATFS = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("f_type"), ValueLayout.JAVA_LONG.withName("f_bsize"),
            ValueLayout.JAVA_LONG.withName("f_blocks"), ValueLayout.JAVA_LONG.withName("f_bfree"),
            ValueLayout.JAVA_LONG.withName("f_bavail"), ValueLayout.JAVA_LONG.withName("f_files"),
            ValueLayout.JAVA_LONG.withName("f_ffree"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_LONG).withName("f_spare"));

    /** The public start of {@code uv_dir_t}: {@code uv_dirent_t* dirents; size_t nentries}. */
    public static final StructLayout UV_DIR_PUBLIC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("dirents"), ValueLayout.JAVA_LONG.withName("nentries"));
    private static final long DIR_DIRENTS = UV_DIR_PUBLIC.byteOffset(MemoryLayout.PathElement.groupElement("dirents"));
    private static final long DIR_NENTRIES = UV_DIR_PUBLIC.byteOffset(MemoryLayout.PathElement.groupElement("nentries"));

    /** The name pointer of the {@code index}-th dirent of an array. */
    static long direntName(long dirents, long index) {
        return Native.seg(dirents + index * DIRENT_SIZE, DIRENT_SIZE).get(ValueLayout.JAVA_LONG, DIRENT_NAME);
    }

    /** The type of the {@code index}-th dirent of an array. */
    static int direntType(long dirents, long index) {
        return Native.seg(dirents + index * DIRENT_SIZE, DIRENT_SIZE).get(ValueLayout.JAVA_INT, DIRENT_TYPE);
    }

    /** Sets a {@code uv_dir_t}'s entry array and its length before {@code uv_fs_readdir}. */
    public static void setDirEntries(long dir, long dirents, long nentries) {
        MemorySegment s = Native.seg(dir, UV_DIR_PUBLIC.byteSize());
        s.set(ValueLayout.JAVA_LONG, DIR_DIRENTS, dirents);
        s.set(ValueLayout.JAVA_LONG, DIR_NENTRIES, nentries);
    }

    private static final CStructs.Field[] STATFS_FIELDS = {
        CStructs.field(UV_STATFS, "f_type"), CStructs.field(UV_STATFS, "f_bsize"),
        CStructs.field(UV_STATFS, "f_blocks"), CStructs.field(UV_STATFS, "f_bfree"),
        CStructs.field(UV_STATFS, "f_bavail"), CStructs.field(UV_STATFS, "f_files"),
        CStructs.field(UV_STATFS, "f_ffree")};
    private static final long STATFS_SPARE = CStructs.offset(UV_STATFS, "f_spare");

    /** Reads the {@code uv_statfs_t} at {@code p} into a {@link StatFs}, field by field. */
    public static StatFs statfs(long p) {
        long[] f = new long[STATFS_FIELDS.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = STATFS_FIELDS[i].get(p);
        }
        Long[] spare = new Long[4];
        for (int i = 0; i < spare.length; i++) {
            spare[i] = Native.getLong(p + STATFS_SPARE + 8L * i);
        }
        return new StatFs(f[0], f[1], f[2], f[3], f[4], f[5], f[6], List.of(spare));
    }

    /** Builds one directory entry from its raw name and its {@code uv_dirent_type_t}. */
    @FunctionalInterface
    public interface EntryFactory<T> {
        T entry(byte[] rawName, int type);
    }

    /** The first {@code count} entries of a {@code uv_dirent_t} array, built by {@code factory}. */
    public static <T> List<T> dirents(long dirents, long count, EntryFactory<T> factory) {
        List<T> out = new ArrayList<>((int) Math.min(count, 1 << 16));
        for (long i = 0; i < count; i++) {
            out.add(factory.entry(Native.stringBytes(direntName(dirents, i)), direntType(dirents, i)));
        }
        return out;
    }

    /** The status of one {@code uv_fs_scandir_next} call. */
    @FunctionalInterface
    public interface ScandirNext {
        int next(long dirent);
    }

    /**
     * Reads entries with {@code next} (uv_fs_scandir_next on a request) into one scratch
     * {@code uv_dirent_t} until it returns non-zero; returns that status through {@code last}.
     */
    public static <T> int scandir(ScandirNext next, EntryFactory<T> factory, List<T> out) {
        long ent = Native.calloc(DIRENT_SIZE);
        try {
            int rc;
            while ((rc = next.next(ent)) == 0) {
                out.add(factory.entry(Native.stringBytes(direntName(ent, 0)), direntType(ent, 0)));
            }
            return rc;
        } finally {
            Native.free(ent);
        }
    }
}
