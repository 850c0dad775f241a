package dev.juv.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The libuv carried inside juv's jar: one resource per platform,
 * {@code /dev/juv/native/<os>-<arch>/<file>}, extracted once into a private per-user cache
 * directory named after the library's SHA-256.
 *
 * <p>Extraction writes a temporary file beside the target and renames it into place atomically,
 * so a JVM never loads a half-written file, however many start together. A cached file whose
 * checksum differs from the resource's is replaced. The cache root is {@code juv.cache.dir} when
 * set, else {@code $XDG_CACHE_HOME/juv}, {@code ~/.cache/juv} (Linux), {@code
 * ~/Library/Caches/juv} (macOS), {@code %LOCALAPPDATA%\juv} (Windows), else a {@code
 * juv-<user>} directory under {@code java.io.tmpdir}. A directory that other users can write to
 * is never used as it is: when its sticky bit is set (as on {@code /tmp}) juv creates its own
 * owner-only subdirectory there, and otherwise does not extract into it at all. When the system
 * refuses to map the library from there (a {@code noexec} mount), the loader extracts it once more
 * into a second directory ({@link #secondRoot()}) before it turns to the system's libuv.
 */
public final class Bundled {
    private Bundled() {}

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Duration STALE_TEMP = Duration.ofMinutes(10);

    /**
     * The running platform as juv names it: {@code linux-x86_64}, {@code linux-aarch64}, {@code
     * macos-x86_64}, {@code macos-aarch64}, {@code windows-x86_64}, {@code windows-aarch64}.
     */
    public static String platform() {
        return Platform.name();
    }

    /** The file name of the bundled library on the running platform. */
    public static String libraryName() {
        String p = platform();
        if (p.startsWith("windows")) {
            return "uv.dll";
        }
        if (p.startsWith("macos")) {
            return "libuv.1.dylib";
        }
        return "libuv.so.1";
    }

    /** The class-path resource that holds the running platform's libuv. */
    public static String resource() {
        return "/dev/juv/native/" + platform() + "/" + libraryName();
    }

    /** True when this class path carries a libuv for the running platform. */
    public static boolean present() {
        return Bundled.class.getResource(resource()) != null;
    }

    /**
     * The path of the extracted bundled library, or null when none is bundled for this platform,
     * bundled loading is turned off ({@code -Djuv.libuv.bundled=false}) or extraction failed; each
     * null result adds a line saying why to {@code tried}.
     */
    static String extract(List<String> tried) {
        return extract(tried, false);
    }

    /**
     * Like {@link #extract(List)}, into the second location when {@code second} is set: the one
     * tried after the system refused to map the library from the first (a {@code noexec} mount).
     * The second location is {@code juv-<user>} under {@code java.io.tmpdir} when the first was
     * elsewhere, else {@code ~/.cache/juv}; null (with a line in {@code tried}) when there is none.
     */
    static String extract(List<String> tried, boolean second) {
        if ("false".equalsIgnoreCase(System.getProperty("juv.libuv.bundled", "true").trim())) {
            tried.add("bundled libuv: turned off by -Djuv.libuv.bundled=false");
            return null;
        }
        String resource = resource();
        byte[] bytes;
        try (InputStream in = Bundled.class.getResourceAsStream(resource)) {
            if (in == null) {
                tried.add("bundled " + resource + ": not on the class path (no libuv bundled for " + platform() + ")");
                return null;
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            tried.add("bundled " + resource + ": cannot be read: " + e);
            return null;
        }
        Path root = null;
        try {
            root = second ? secondRoot() : cacheRoot();
            if (root == null) {
                tried.add("bundled " + resource + ": no second cache directory to try");
                return null;
            }
            return extractTo(root, bytes, checksum(bytes)).toString();
        } catch (IOException | RuntimeException e) {
            tried.add("bundled " + resource + ": extraction into " + (root == null ? "the cache" : root)
                    + " failed: " + e);
            return null;
        }
    }

    /**
     * The SHA-256 of the bundled library: the one the build wrote beside it
     * ({@code <resource>.sha256}), else computed. Hashing 200 KB in a JVM that has not compiled
     * anything yet takes tens of milliseconds, a large part of a cold start; the checksum only
     * names the cache directory, the content is always compared byte for byte.
     */
    public static String checksum(byte[] bytes) {
        try (InputStream in = Bundled.class.getResourceAsStream(resource() + ".sha256")) {
            if (in != null) {
                byte[] text = in.readNBytes(64);
                if (text.length == 64 && isLowerHex(text)) {
                    return new String(text, java.nio.charset.StandardCharsets.US_ASCII);
                }
            }
        } catch (IOException e) {
            // computed below
        }
        return sha256(bytes);
    }

    private static boolean isLowerHex(byte[] text) {
        for (byte b : text) {
            if (!(b >= '0' && b <= '9' || b >= 'a' && b <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Puts {@code bytes} at {@code <root>/<sum>/<libraryName>} unless a file with that content is
     * already there, and returns that path; {@code sum} is the content's SHA-256.
     */
    static Path extractTo(Path root, byte[] bytes, String sum) throws IOException {
        Path dir = root.resolve(sum);
        Path target = dir.resolve(libraryName());
        if (holds(target, bytes)) {
            return target;
        }
        makePrivateDirectory(dir);
        removeStaleTemporaries(dir);
        Path tmp = Files.createTempFile(dir, ".juv-", ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // Windows refuses to replace a DLL another JVM has loaded: that one is fine when its
            // content is right, which is what a JVM that lost the race finds
            if (holds(target, bytes)) {
                return target;
            }
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (!holds(target, bytes)) {
            throw new IOException(target + " does not hold the bundled library after extraction");
        }
        return target;
    }

    /** Whether {@code file} is a regular file whose content is exactly {@code bytes}. */
    static boolean holds(Path file, byte[] bytes) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == bytes.length
                    && Arrays.equals(Files.readAllBytes(file), bytes);
        } catch (IOException e) {
            return false;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** Temporary files a JVM left behind when it died while extracting. */
    private static void removeStaleTemporaries(Path dir) {
        Instant old = Instant.now().minus(STALE_TEMP);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".juv-*.tmp")) {
            for (Path f : files) {
                FileTime t = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS);
                if (t.toInstant().isBefore(old)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException ignored) {
            // another JVM removed it first, or the directory cannot be listed: harmless
        }
    }

    /** The second cache directory (see {@link #extract(List, boolean)}), or null when it is the first. */
    static Path secondRoot() throws IOException {
        Path first = cacheRoot().toAbsolutePath().normalize();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (!first.startsWith(tmp)) {
            String user = userForFileName();
            return usable(tmp.resolve("juv-" + user));
        }
        String home = System.getProperty("user.home", "");
        if (home.isEmpty() || !Files.isDirectory(Path.of(home))) {
            return null;
        }
        Path cache = Path.of(home, ".cache", "juv").toAbsolutePath().normalize();
        return cache.equals(first) ? null : usable(cache);
    }

    /** The directory the bundled library is extracted under (see the class comment). */
    public static Path cacheRoot() throws IOException {
        String prop = System.getProperty("juv.cache.dir");
        if (prop != null && !prop.isBlank()) {
            return usable(Path.of(prop).toAbsolutePath());
        }
        String user = userForFileName();
        String home = System.getProperty("user.home", "");
        String xdg = System.getenv("XDG_CACHE_HOME");
        String local = System.getenv("LOCALAPPDATA");
        Path base = null;
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg, "juv");
        } else if (Platform.WINDOWS && local != null && !local.isBlank()) {
            base = Path.of(local, "juv");
        } else if (!home.isEmpty() && Files.isDirectory(Path.of(home)) && Files.isWritable(Path.of(home))) {
            base = Platform.MAC ? Path.of(home, "Library", "Caches", "juv")
                    : Path.of(home, ".cache", "juv");
        }
        if (base != null) {
            try {
                return usable(base);
            } catch (IOException e) {
                // fall through to the temporary directory
            }
        }
        return usable(Path.of(System.getProperty("java.io.tmpdir"), "juv-" + user));
    }

    /**
     * {@code dir} when only this user can write to it (created owner-only when missing), else an
     * owner-only subdirectory {@code juv-<user>} of it.
     */
    private static Path usable(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            makePrivateDirectory(dir);
            return dir;
        }
        if (isPrivate(dir)) {
            return dir;
        }
        if (!sharedWithStickyBit(dir)) {
            throw new IOException(dir + " is writable by other users and has no sticky bit: an owner-only"
                    + " subdirectory there could still be renamed away by them");
        }
        String user = userForFileName();
        Path sub = dir.resolve("juv-" + user);
        makePrivateDirectory(sub);
        return sub;
    }

    /** Creates {@code dir} (and its parents) owner-only, or checks that an existing one is private. */
    private static void makePrivateDirectory(Path dir) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.exists(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.exists(parent)) {
                Files.createDirectories(parent);
            }
            try {
                if (posix) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createDirectory(dir);
                }
            } catch (FileAlreadyExistsException raced) {
                // another JVM made it a moment ago: checked below like any existing one
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        if (!isPrivate(dir)) {
            throw new IOException(dir + " is writable by other users or not owned by "
                    + System.getProperty("user.name"));
        }
    }

    /**
     * True when {@code dir} belongs to this user and no one else can write to it. Where POSIX
     * permissions are missing (Windows), the per-user profile directories are private already.
     */
    private static boolean isPrivate(Path dir) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return true;
        }
        var attrs = view.readAttributes();
        Set<PosixFilePermission> perms = attrs.permissions();
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            return false;
        }
        return attrs.owner().equals(me());
    }

    /**
     * True for a directory like {@code /tmp}: others may write to it, but its sticky bit keeps
     * them from renaming or removing what this user puts there, and it belongs to this user or
     * to root.
     */
    private static boolean sharedWithStickyBit(Path dir) {
        try {
            int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            boolean sticky = (mode & 01000) != 0;
            return sticky && (uid == 0 || Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).equals(me()));
        } catch (IOException | RuntimeException e) {
            return false; // no "unix" attribute view: nothing known, so nothing trusted
        }
    }

    /** {@code user.name} with every character outside {@code [A-Za-z0-9._-]} made {@code _}. */
    private static String userForFileName() {
        // by hand, not replaceAll: compiling a pattern is a measurable part of a cold start
        char[] name = System.getProperty("user.name", "user").toCharArray();
        for (int i = 0; i < name.length; i++) {
            char c = name[i];
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                name[i] = '_';
            }
        }
        return new String(name);
    }

    private static UserPrincipal self;

    /** This process's user: the owner of a file it has just created, else looked up by name. */
    private static synchronized UserPrincipal me() throws IOException {
        if (self == null) {
            try {
                // Linux: /proc/self belongs to the process's user (to root when the process is
                // not dumpable, which a JVM started by a user is not; then the probe below)
                Path proc = Path.of("/proc/self");
                if (Files.isDirectory(proc)) {
                    UserPrincipal owner = Files.getOwner(proc);
                    if (!owner.getName().equals("root") || System.getProperty("user.name", "").equals("root")) {
                        self = owner;
                        return self;
                    }
                }
                // named by hand: Files.createTempFile would seed a SecureRandom, tens of
                // milliseconds of a cold start
                Path probe = Files.createFile(Path.of(System.getProperty("java.io.tmpdir"),
                        "juv-owner-" + Thread.currentThread().threadId() + "-" + System.nanoTime() + ".tmp"));
                try {
                    self = Files.getOwner(probe);
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException e) {
                self = FileSystems.getDefault().getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name", ""));
            }
        }
        return self;
    }
}
