package dev.juv.bench;

/** The fs stat throughput benchmark; filled in once the Fs API is available. */
final class FsStat {
    private FsStat() {}

    static void run(long count, int concurrency, String path) {
        throw new UnsupportedOperationException("fsstat: not available yet");
    }
}
