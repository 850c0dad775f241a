package dev.juv;

import java.time.Instant;

/**
 * A file's status: libuv's {@code uv_stat_t}, field by field without the {@code st_} prefix.
 * Fields the platform does not fill are 0 (and the epoch for times).
 *
 * @param dev the device holding the file
 * @param mode the file type and permission bits
 * @param nlink the number of hard links
 * @param uid the owner's user id
 * @param gid the owner's group id
 * @param rdev the device this file represents, for device files
 * @param ino the inode number
 * @param size the size in bytes
 * @param blksize the preferred I/O block size
 * @param blocks the number of 512-byte blocks allocated
 * @param flags user-defined flags (BSD, macOS)
 * @param gen the file generation number (BSD, macOS)
 * @param atime the last access time
 * @param mtime the last modification time
 * @param ctime the last status change time
 * @param birthtime the creation time, where the platform records one
 */
public record Stat(long dev, long mode, long nlink, long uid, long gid, long rdev, long ino, long size,
        long blksize, long blocks, long flags, long gen, Instant atime, Instant mtime, Instant ctime,
        Instant birthtime) {

    /** The file type bits of {@link #mode()} ({@code S_IFMT}). */
    public static final int S_IFMT = 0170000;
    /** A regular file ({@code S_IFREG}). */
    public static final int S_IFREG = 0100000;
    /** A directory ({@code S_IFDIR}). */
    public static final int S_IFDIR = 0040000;
    /** A symbolic link ({@code S_IFLNK}). */
    public static final int S_IFLNK = 0120000;
    /** A named pipe ({@code S_IFIFO}). */
    public static final int S_IFIFO = 0010000;
    /** A socket ({@code S_IFSOCK}). */
    public static final int S_IFSOCK = 0140000;
    /** A character device ({@code S_IFCHR}). */
    public static final int S_IFCHR = 0020000;
    /** A block device ({@code S_IFBLK}). */
    public static final int S_IFBLK = 0060000;

    /**
     * Whether this describes a regular file.
     *
     * @return true for a regular file
     */
    public boolean isFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /**
     * Whether this describes a directory.
     *
     * @return true for a directory
     */
    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    /**
     * Whether this describes a symbolic link (only {@code lstat} reports links).
     *
     * @return true for a symbolic link
     */
    public boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /**
     * The permission bits of {@link #mode()} (the low twelve bits).
     *
     * @return {@code mode() & 07777}: the permission, set-user-ID, set-group-ID and sticky bits
     */
    public int permissions() {
        return (int) (mode & 07777);
    }
}
