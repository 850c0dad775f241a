package dev.juv;

import java.util.List;

/**
 * A file system's status: libuv's {@code uv_statfs_t}, field by field without the {@code f_}
 * prefix. Fields the platform does not fill are 0.
 *
 * @param type the file system type
 * @param bsize the block size in bytes
 * @param blocks the total number of blocks
 * @param bfree the free blocks
 * @param bavail the free blocks available to an unprivileged user
 * @param files the total number of file nodes
 * @param ffree the free file nodes
 * @param spare libuv's four reserved fields
 */
public record StatFs(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree,
        List<Long> spare) {

    /** Copies {@code spare} into an unmodifiable list. */
    public StatFs {
        spare = List.copyOf(spare);
    }
}
