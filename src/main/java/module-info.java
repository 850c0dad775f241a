/** juv: libuv for the JVM. */
module dev.juv {
    requires jdk.unsupported;
    exports dev.juv;
}
