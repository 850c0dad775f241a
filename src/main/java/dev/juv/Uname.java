package dev.juv;

/** The operating system's names ({@code uv_utsname_t}). */
public record Uname(String sysname, String release, String version, String machine) {}
