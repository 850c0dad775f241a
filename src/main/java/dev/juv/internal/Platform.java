package dev.juv.internal;

import java.util.Locale;

/**
 * The running operating system and architecture, read once from {@code os.name} and
 * {@code os.arch}. Every platform decision of juv (struct layouts, flag values, library names,
 * cache folders) asks here.
 */
public final class Platform {
    private Platform() {}

    /** {@code os.name} in lower case. */
    static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    /** {@code os.arch} in lower case. */
    static final String ARCH = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);

    /** Windows. */
    public static final boolean WINDOWS = OS.contains("win");
    /** macOS. */
    public static final boolean MAC = OS.contains("mac") || OS.contains("darwin");
    /** Linux. */
    public static final boolean LINUX = OS.contains("linux");
    /** FreeBSD. */
    public static final boolean FREEBSD = OS.contains("freebsd");
    /** macOS and the BSDs, which share the netdb layout and flag values. */
    public static final boolean BSD = MAC || OS.contains("bsd");
    /** An ARM processor (aarch64 or 32-bit arm). */
    public static final boolean ARM = ARCH.equals("aarch64") || ARCH.startsWith("arm");

    /**
     * The running platform as juv names it: {@code linux-x86_64}, {@code linux-aarch64}, {@code
     * macos-x86_64}, {@code macos-aarch64}, {@code windows-x86_64}, {@code windows-aarch64}.
     */
    public static String name() {
        String o = WINDOWS ? "windows" : MAC ? "macos" : LINUX ? "linux" : OS.replaceAll("[^a-z0-9]", "");
        String a = switch (ARCH) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> ARCH.replaceAll("[^a-z0-9_]", "");
        };
        return o + "-" + a;
    }
}
