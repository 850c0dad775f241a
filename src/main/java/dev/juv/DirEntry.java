package dev.juv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One directory entry: libuv's {@code uv_dirent_t}. {@link #name()} is the name decoded as
 * UTF-8 (invalid bytes become replacement characters); {@link #rawName()} holds the name's bytes
 * exactly as the file system gave them, so every name round-trips through the {@code byte[]}
 * overloads of {@link Fs}.
 *
 * @param name the entry's name, decoded as UTF-8
 * @param type the entry's type, {@link Type#UNKNOWN} where the file system does not say
 * @param rawName the entry's name as raw bytes
 */
public record DirEntry(String name, Type type, byte[] rawName) {

    /** The type of a directory entry: libuv's {@code uv_dirent_type_t}, in its order. */
    public enum Type {
        /** {@code UV_DIRENT_UNKNOWN}. */
        UNKNOWN,
        /** {@code UV_DIRENT_FILE}. */
        FILE,
        /** {@code UV_DIRENT_DIR}. */
        DIR,
        /** {@code UV_DIRENT_LINK}. */
        LINK,
        /** {@code UV_DIRENT_FIFO}. */
        FIFO,
        /** {@code UV_DIRENT_SOCKET}. */
        SOCKET,
        /** {@code UV_DIRENT_CHAR}. */
        CHAR,
        /** {@code UV_DIRENT_BLOCK}. */
        BLOCK;

        private static final Type[] VALUES = values();

        /** The type for libuv's numeric value; UNKNOWN for a value libuv may add later. */
        static Type of(int code) {
            return code >= 0 && code < VALUES.length ? VALUES[code] : UNKNOWN;
        }
    }

    /**
     * Checks the components and keeps a copy of the raw name.
     *
     * @throws NullPointerException if any component is null
     */
    public DirEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        rawName = rawName.clone();
    }

    /**
     * An entry whose raw name is {@code name} in UTF-8.
     *
     * @param name the entry's name
     * @param type the entry's type
     */
    public DirEntry(String name, Type type) {
        this(name, type, name.getBytes(StandardCharsets.UTF_8));
    }

    /** An entry from raw bytes, as libuv reports it. */
    static DirEntry of(byte[] raw, int type) {
        return new DirEntry(new String(raw, StandardCharsets.UTF_8), Type.of(type), raw);
    }

    /**
     * The raw name's bytes (a copy).
     *
     * @return a new array with the name's bytes
     */
    @Override
    public byte[] rawName() {
        return rawName.clone();
    }

    /** Equal when the raw names and the types are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DirEntry d && d.type == type && Arrays.equals(d.rawName, rawName);
    }

    /** A hash of the raw name and the type, consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Arrays.hashCode(rawName) * 31 + type.hashCode();
    }

    /** The decoded name and the type, for diagnostics. */
    @Override
    public String toString() {
        return "DirEntry[" + name + ", " + type + "]";
    }
}
