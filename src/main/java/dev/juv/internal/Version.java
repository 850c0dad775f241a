package dev.juv.internal;

/** The loaded libuv's version, and the minimum juv accepts. */
public final class Version {
    private Version() {}

    public static final int MIN_MAJOR = 1;
    public static final int MIN_MINOR = 44;

    private static volatile boolean checked;

    /** {@code uv_version()}: major {@code <<} 16 | minor {@code <<} 8 | patch. */
    public static int number() {
        return LibUv.uv_version();
    }

    public static String string() {
        return Native.string(LibUv.uv_version_string());
    }

    /** The path of the libuv file that was loaded. */
    public static String libraryPath() {
        return Native.libraryPath();
    }

    public static boolean atLeast(int major, int minor) {
        int v = number();
        int maj = (v >> 16) & 0xff;
        int min = (v >> 8) & 0xff;
        return maj > major || (maj == major && min >= minor);
    }

    /** Throws once the loaded libuv is older than 1.44. */
    public static void check() {
        if (checked) {
            return;
        }
        Native.ensureLoaded();
        if (!atLeast(MIN_MAJOR, MIN_MINOR)) {
            throw new dev.juv.LibUvLoadError("juv needs libuv " + MIN_MAJOR + "." + MIN_MINOR
                    + " or newer; " + Native.libraryPath() + " is " + string());
        }
        checked = true;
    }

    /** Throws {@link UnsupportedOperationException} unless libuv is at least major.minor. */
    public static void require(int major, int minor, String what) {
        if (!atLeast(major, minor)) {
            throw new UnsupportedOperationException(what + " needs libuv " + major + "." + minor
                    + " or newer; the loaded libuv is " + string());
        }
    }
}
