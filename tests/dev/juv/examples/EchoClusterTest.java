package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.Signal;
import dev.juv.support.ExampleJvm;
import dev.juv.support.Tags;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * EchoCluster end to end at CI size: a primary with 2 worker JVMs, 2 load_client processes
 * holding 2,500 connections each from their own 127.0.k.x source addresses for 5 s, every
 * connection pinged once a second and once more at the end, every byte checked. Then SIGINT:
 * the primary exits 0 and no worker is left.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Tag(Tags.EXAMPLES)
class EchoClusterTest {
    private static final int CLIENTS = 2;
    private static final int PER_CLIENT = 2500;

    @Test
    void holdsEveryConnectionAcrossWorkersAndStopsCleanly() throws Exception {
        Path client = loadClient();
        try (ExampleJvm cluster = ExampleJvm.start("EchoCluster", "2", "0")) {
            Matcher ready = cluster.awaitLine("Listening on 127\\.0\\.0\\.1:(\\d+) \\(2 workers\\)", 40_000);
            int port = Integer.parseInt(ready.group(1));
            List<Long> workers = childrenOf(cluster.pid());
            assertEquals(2, workers.size(), "worker processes " + workers);
            List<Process> clients = new ArrayList<>();
            try {
                for (int k = 0; k < CLIENTS; k++) {
                    ProcessBuilder pb = new ProcessBuilder(client.toString(), "hold", Integer.toString(port),
                            Integer.toString(PER_CLIENT), "5", Integer.toString(k + 1), "1000")
                            .redirectErrorStream(true);
                    // the C client links the libuv juv itself loaded (the bundled copy when the
                    // system's is hidden)
                    Path loaded = Path.of(dev.juv.Sys.libraryPath()).toAbsolutePath().getParent();
                    if (loaded != null) {
                        pb.environment().put("LD_LIBRARY_PATH", loaded.toString());
                    }
                    clients.add(pb.start());
                }
                for (Process p : clients) {
                    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "load_client did not finish");
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertEquals(0, p.exitValue(), out);
                    Map<String, String> r = result(out);
                    assertEquals(Integer.toString(PER_CLIENT), r.get("connected"), out);
                    assertEquals("0", r.get("failed"), out);
                    assertEquals("0", r.get("dropped"), out);
                    assertEquals("0", r.get("mismatches"), out);
                    assertEquals("0", r.get("errors"), out);
                    assertEquals(Integer.toString(PER_CLIENT), r.get("idle_checked"), out);
                    assumeTrue(Long.parseLong(r.get("round_trips")) > 0, out);
                }
            } finally {
                for (Process p : clients) {
                    p.destroyForcibly();
                }
            }
            cluster.signal(Signal.SIGUSR1);
            Matcher stats = cluster.awaitLine("STATS accepted=(\\d+) passed=(\\d+) workers=.*", 10_000);
            assertEquals(Integer.toString(CLIENTS * PER_CLIENT), stats.group(1));
            assertEquals(Integer.toString(CLIENTS * PER_CLIENT), stats.group(2));
            cluster.signal(Signal.SIGINT);
            assertEquals(0, cluster.awaitExit(30_000), cluster.stderr());
            for (long w : workers) {
                ProcessHandle.of(w).ifPresent(h -> {
                    h.destroyForcibly();
                    throw new AssertionError("worker " + w + " outlived the primary");
                });
            }
        }
    }

    /** The C load client, built into target/bench/bin when missing or older than its source. */
    static Path loadClient() throws IOException, InterruptedException {
        Path src = Path.of("native/bench/load_client.c");
        Path bin = Path.of("target/bench/bin/load_client");
        assumeTrue(Files.exists(src), "native/bench/load_client.c not found from " + new File(".").getAbsolutePath());
        if (!Files.exists(bin) || Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(src)) < 0) {
            Files.createDirectories(bin.getParent());
            Process gcc;
            try {
                gcc = new ProcessBuilder("gcc", "-O2", "-o", bin.toString(), src.toString(), "-luv", "-lpthread")
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                assumeTrue(false, "gcc is not available: " + e.getMessage());
                throw e;
            }
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assumeTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0,
                    "load_client does not build here (libuv headers?): " + log);
        }
        return bin;
    }

    static List<Long> childrenOf(long pid) throws IOException {
        List<Long> out = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String s = Files.readString(t.resolve("children")).trim();
                if (!s.isEmpty()) {
                    for (String c : s.split("\\s+")) {
                        out.add(Long.parseLong(c));
                    }
                }
            }
        }
        return out;
    }

    static Map<String, String> result(String out) {
        Map<String, String> r = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String kv : line.substring(7).trim().split(" ")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        r.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        return r;
    }
}
