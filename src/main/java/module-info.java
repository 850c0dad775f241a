/** juv: libuv for the JVM. */
module dev.juv {
    requires jdk.unsupported;
    requires jdk.jfr;
    exports dev.juv;
}
