package dev.juv.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

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
    public static long direntName(long dirents, long index) {
        return Native.seg(dirents + index * DIRENT_SIZE, DIRENT_SIZE).get(ValueLayout.JAVA_LONG, DIRENT_NAME);
    }

    /** The type of the {@code index}-th dirent of an array. */
    public static int direntType(long dirents, long index) {
        return Native.seg(dirents + index * DIRENT_SIZE, DIRENT_SIZE).get(ValueLayout.JAVA_INT, DIRENT_TYPE);
    }

    /** Sets a {@code uv_dir_t}'s entry array and its length before {@code uv_fs_readdir}. */
    public static void setDirEntries(long dir, long dirents, long nentries) {
        MemorySegment s = Native.seg(dir, UV_DIR_PUBLIC.byteSize());
        s.set(ValueLayout.JAVA_LONG, DIR_DIRENTS, dirents);
        s.set(ValueLayout.JAVA_LONG, DIR_NENTRIES, nentries);
    }

    /** Reads a {@code uv_statfs_t} into a long[11]: the seven fields, then the four spares. */
    public static long[] readStatfs(long p) {
        MemorySegment s = Native.seg(p, UV_STATFS.byteSize());
        long[] out = new long[11];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(ValueLayout.JAVA_LONG, i * 8L);
        }
        return out;
    }
}
