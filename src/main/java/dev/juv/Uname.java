package dev.juv;

/**
 * The operating system's names ({@code uv_utsname_t}).
 *
 * @param sysname the operating system's name, such as {@code "Linux"}
 * @param release the kernel's release, such as {@code "6.1.0-18-amd64"}
 * @param version the kernel's version string
 * @param machine the hardware name, such as {@code "x86_64"}
 */
public record Uname(String sysname, String release, String version, String machine) {}
