package dev.juv;

import dev.juv.internal.CBlock;
import dev.juv.internal.FsLayouts;

/**
 * An open directory stream: libuv's {@code uv_dir_t}, from {@link Fs#opendir(String)}. Entries are
 * read in batches with {@link Fs#readdir(Dir)}; {@link Fs#closedir(Dir)} (or {@link #close()})
 * releases it. A directory that is never closed keeps its descriptor and native memory. Only one
 * readdir or closedir may be in flight at a time; a Dir is not safe for concurrent use.
 */
public final class Dir implements AutoCloseable {
    /** How many entries one readdir returns at most, unless the Dir was opened with another. */
    public static final int DEFAULT_ENTRIES = 32;
    /** The most entries one readdir may be asked for (each takes a native entry slot of the Dir). */
    public static final int MAX_ENTRIES = 65536;

    private final String path;
    /** The uv_dir_t; libuv frees it in closedir. */
    private long ptr;
    /** Our uv_dirent_t array, handed to libuv before each readdir. */
    private long dirents;
    private final int entries;
    private boolean busy;
    private boolean closed;

    Dir(String path, long ptr, int entries) {
        this.path = path;
        this.ptr = ptr;
        this.entries = entries;
        this.dirents = CBlock.allocateOwned(FsLayouts.DIRENT_SIZE * entries);
    }

    /**
     * The path the directory was opened with.
     *
     * @return the path given to {@link Fs#opendir(String)}
     */
    public String path() {
        return path;
    }

    /**
     * The largest number of entries one readdir returns.
     *
     * @return the batch size this directory was opened with, 1 to {@link #MAX_ENTRIES}
     */
    public int entries() {
        return entries;
    }

    /**
     * Whether the directory is closed, or a closedir is in flight.
     *
     * @return true once {@link #close()} or {@link Fs#closedir(Dir)} has been called
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the directory synchronously; does nothing when it is already closed. Wraps
     * uv_fs_closedir.
     *
     * @throws IllegalStateException while a readdir is in flight
     */
    @Override
    public void close() {
        if (!closed) {
            Fs.closedir(this);
        }
    }

    /** The path and whether the directory is closed, for diagnostics. */
    @Override
    public String toString() {
        return "Dir[" + path + (closed ? ", closed]" : "]");
    }

    // ---- used by Fs ----

    /** Claims the Dir for one operation and returns the uv_dir_t, with its entries set. */
    long claim(boolean closing) {
        if (closed) {
            throw new IllegalStateException("the directory is closed: " + path);
        }
        if (busy) {
            throw new IllegalStateException("a readdir or closedir is already in flight on " + path);
        }
        busy = true;
        if (closing) {
            closed = true;
        }
        FsLayouts.setDirEntries(ptr, dirents, entries);
        return ptr;
    }

    /** The entry array libuv fills. */
    long dirents() {
        return dirents;
    }

    /** Ends a readdir. */
    void readDone() {
        busy = false;
    }

    /** Ends a closedir that did not run (it was cancelled): the directory stays open. */
    void closeFailed() {
        busy = false;
        closed = false;
    }

    /** Ends a closedir: libuv has freed the uv_dir_t. */
    void closeDone() {
        busy = false;
        ptr = 0;
        CBlock.free(dirents);
        dirents = 0;
    }
}
