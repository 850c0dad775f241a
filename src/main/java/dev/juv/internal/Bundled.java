package dev.juv.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Finds a libuv bundled in the jar for the running platform and extracts it once into a private
 * per-user cache directory named after its checksum.
 */
final class Bundled {
    private Bundled() {}

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("win") ? "windows" : (os.contains("mac") || os.contains("darwin")) ? "macos"
                : os.contains("linux") ? "linux" : os.replaceAll("[^a-z0-9]", "");
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return o + "-" + a;
    }

    static String libraryName() {
        String p = platform();
        if (p.startsWith("windows")) {
            return "uv.dll";
        }
        if (p.startsWith("macos")) {
            return "libuv.1.dylib";
        }
        return "libuv.so.1";
    }

    /** The path of the extracted bundled library, or null when none is bundled or it is turned off. */
    static String extract(List<String> tried) {
        if ("false".equalsIgnoreCase(System.getProperty("juv.libuv.bundled", "true"))) {
            tried.add("bundled libuv: turned off by -Djuv.libuv.bundled=false");
            return null;
        }
        String resource = "/dev/juv/native/" + platform() + "/" + libraryName();
        byte[] bytes;
        try (InputStream in = Bundled.class.getResourceAsStream(resource)) {
            if (in == null) {
                tried.add("bundled " + resource + ": not in this jar");
                return null;
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            tried.add("bundled " + resource + ": " + e);
            return null;
        }
        try {
            String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            Path dir = cacheRoot().resolve(sum.substring(0, 16));
            Path target = dir.resolve(libraryName());
            if (Files.isRegularFile(target) && sum.equals(sha256(target))) {
                return target.toString();
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".juv", ".tmp");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target.toString();
        } catch (Exception e) {
            tried.add("bundled " + resource + ": extraction failed: " + e);
            return null;
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** A directory only this user can write: juv.cache.dir, else XDG cache or ~/.cache, else tmp. */
    static Path cacheRoot() throws IOException {
        String prop = System.getProperty("juv.cache.dir");
        Path root;
        if (prop != null && !prop.isEmpty()) {
            root = Path.of(prop);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            String home = System.getProperty("user.home");
            if (xdg != null && !xdg.isEmpty()) {
                root = Path.of(xdg, "juv");
            } else if (home != null && !home.isEmpty() && Files.isWritable(Path.of(home))) {
                root = Path.of(home, ".cache", "juv");
            } else {
                root = Path.of(System.getProperty("java.io.tmpdir"), "juv-" + System.getProperty("user.name"));
            }
        }
        Files.createDirectories(root);
        try {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system (Windows): the user profile is already private
        }
        return root;
    }
}
