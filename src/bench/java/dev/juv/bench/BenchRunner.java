package dev.juv.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Runs every benchmark twice per repetition, once as the C reference program and once through
 * juv, alternating, and prints one table of figures and juv/C ratios. Used by {@code ci/bench}.
 *
 * <pre>BenchRunner &lt;c-bin-dir&gt; &lt;out-dir&gt; &lt;repetitions&gt; [scenario-group ...]</pre>
 * Groups: micro, tcp, scale, straight, start, peers, growth, tls (default: all but scale, whose
 * 1 000 to 18 000 connections the growth group covers from 1 000 to 16 000 with a chart).
 */
public final class BenchRunner {
    private final Path bin;
    private final Path out;
    private final int reps;
    private final String java;
    private final String classpath;
    private final List<Row> rows = new ArrayList<>();

    /** One line of the table. {@code higherIsBetter} decides how the ratio reads. */
    record Row(String scenario, String unit, boolean higherIsBetter, double[] c, double[] juv, double heapPerOp,
            String target) {
        double ratio() {
            return median(juv) / median(c);
        }
    }

    private BenchRunner(Path bin, Path out, int reps) {
        this.bin = bin;
        this.out = out;
        this.reps = reps;
        this.java = ProcessHandle.current().info().command().orElse("java");
        this.classpath = System.getProperty("java.class.path");
    }

    public static void main(String[] args) throws Exception {
        BenchRunner r = new BenchRunner(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]));
        List<String> groups = args.length > 3 ? Arrays.asList(args).subList(3, args.length)
                : List.of("micro", "tcp", "straight", "start", "peers", "growth", "tls");
        Files.createDirectories(r.out);
        long began = System.nanoTime();
        List<String> times = new ArrayList<>();
        Map<String, Bench> table = new LinkedHashMap<>();
        table.put("micro", r::micro);
        table.put("tcp", r::tcp);
        table.put("scale", r::scale);
        table.put("straight", r::straight);
        table.put("start", r::start);
        for (Map.Entry<String, Bench> g : table.entrySet()) {
            if (groups.contains(g.getKey())) {
                timed(g.getKey(), g.getValue(), times);
            }
        }
        if (groups.contains("peers")) {
            // its own table and chart (peers.md, peers.png), and its C and juv figures in this table
            timed("peers", () -> PeersBench.run(r.bin, r.out, r.reps).forEach(r::add), times);
        }
        r.report();
        if (groups.contains("growth")) {
            timed("growth", () -> GrowthBench.run(r.bin, r.out, r.reps), times); // growth.md, growth.png
        }
        if (groups.contains("tls")) {
            // tls.md: juv's TlsStream beside Netty's SslHandler
            timed("tls", () -> TlsBench.run(r.out, r.reps), times);
        }
        String line = String.format(Locale.ROOT, "bench: %.0f s in all (%s)", (System.nanoTime() - began) / 1e9,
                String.join(", ", times));
        System.out.println(line);
        Files.writeString(r.out.resolve("times.txt"), line + "\n");
    }

    /** One group of scenarios. */
    @FunctionalInterface
    private interface Bench {
        void run() throws Exception;
    }

    private static void timed(String name, Bench b, List<String> times) throws Exception {
        long t0 = System.nanoTime();
        b.run();
        times.add(String.format(Locale.ROOT, "%s %.0f s", name, (System.nanoTime() - t0) / 1e9));
    }

    // ---- scenarios ----

    private void micro() throws Exception {
        Path statFile = out.resolve("stat-target");
        Files.writeString(statFile, "x");
        pair("timers 1000000", "ms", false, new String[][] {
            {"million timers, setup (init + start)", "setup_ms", "≤ 1.5×"},
            {"million timers, close", "close_ms", "≤ 2×"},
            {"million timers, total", "total_ms", "≤ 1.2×"}});
        pair("loop overhead per idle iteration", "ns", false, "idle 2000000", "ns_per_iteration", "≤ 1.3×");
        pair("async pummel, wake-ups/s", "1/s", true, "async 2000", "wakeups_per_s", "≥ 0.8×");
        pair("async ping-pong, wake-ups/s", "1/s", true, "asyncpp 60000", "wakeups_per_s", "≥ 0.9×");
        pair("fs stat throughput", "1/s", true, "fsstat 200000 64 " + statFile, "stats_per_s", "≥ 0.9×");
    }

    private void pair(String name, String unit, boolean higher, String args, String key, String target)
            throws Exception {
        pair(args, unit, higher, new String[][] {{name, key, target}});
    }

    /** One micro benchmark run by C and juv, and a row per figure it prints: {name, key, target}. */
    private void pair(String args, String unit, boolean higher, String[][] rows) throws Exception {
        double[][] c = new double[rows.length][reps];
        double[][] j = new double[rows.length][reps];
        double heap = Double.NaN;
        for (int i = 0; i < reps; i++) {
            Map<String, String> rc = result(run(cmd(bin.resolve("micro").toString(), args), 300));
            Map<String, String> rj = result(run(javaCmd("dev.juv.bench.Micro", args), 300));
            for (int k = 0; k < rows.length; k++) {
                c[k][i] = num(rc, rows[k][1]);
                j[k][i] = num(rj, rows[k][1]);
            }
            if (rj.containsKey("heap_bytes_per_op")) {
                heap = num(rj, "heap_bytes_per_op");
            }
        }
        for (int k = 0; k < rows.length; k++) {
            add(new Row(rows[k][0], unit, higher, c[k], j[k], heap, rows[k][2]));
        }
    }

    /**
     * Cold start: fresh JVMs, each timed from launch to exit, with the same flags and class path.
     * The reference column is a C program (a process that runs one libuv timer) for the first
     * row, and a bare JVM that prints a line for the second; the third has no reference.
     */
    private void start() throws Exception {
        int runs = Math.max(5, reps * 3);
        double[] c = new double[runs];
        double[] bare = new double[runs];
        double[] juv = new double[runs];
        double[] firstLoop = new double[runs];
        double[] none = new double[runs];
        Arrays.fill(none, Double.NaN);
        // juv as a user gets it, a jar (ci/bench makes target/bench/juv.jar), and the bench classes
        StringBuilder cp = new StringBuilder(out.resolve("juv.jar").toString());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.endsWith("test-classes")) {
                cp.append(File.pathSeparator).append(e);
            }
        }
        for (int i = 0; i < runs; i++) {
            c[i] = wallMs(cmd(bin.resolve("micro").toString(), "timers 1"));
            bare[i] = wallMs(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp.toString(),
                    "dev.juv.bench.ColdStart", "hello"));
            long t0 = System.nanoTime();
            Map<String, String> res = result(run(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp.toString(),
                    "dev.juv.bench.ColdStart", "timer"), 60));
            juv[i] = (System.nanoTime() - t0) / 1e6;
            firstLoop[i] = num(res, "first_loop_ms");
        }
        add(new Row("cold start: launch to exit of a program that runs one timer (C: a C process)", "ms", false, c, juv,
                Double.NaN, "—"));
        add(new Row("cold start: the same juv JVM against a bare JVM printing a line (reference column)", "ms", false,
                bare, juv, Double.NaN, "≤ 2.5×"));
        add(new Row("cold start: main() to the first new Loop() ready (no reference)", "ms", false, none, firstLoop,
                Double.NaN, "≤ 100 ms"));
        aotStart(runs, juv, firstLoop);
    }

    /**
     * The same juv program with the JDK's ahead-of-time cache ({@code -XX:AOTCache}, JDK 25): one
     * training run writes the cache, then fresh JVMs start from it. The cache holds loaded and
     * linked classes, not the stubs FFM generates when a function is first linked. Needs the
     * bench classes in a jar (a cache refuses directories on the class path): ci/bench makes
     * target/bench/coldstart.jar.
     */
    private void aotStart(int runs, double[] plain, double[] plainFirstLoop) throws Exception {
        Path jar = out.resolve("coldstart.jar");
        if (!Files.isRegularFile(jar)) {
            System.out.println("cold start with an AOT cache: skipped (no " + jar + ")");
            return;
        }
        String cp = out.resolve("juv.jar") + File.pathSeparator + jar;
        Path cache = out.resolve("coldstart.aot");
        Files.deleteIfExists(cache);
        String training = run(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:AOTCacheOutput=" + cache,
                "-cp", cp, "dev.juv.bench.ColdStart", "timer"), 120);
        if (!Files.isRegularFile(cache)) {
            System.out.println("cold start with an AOT cache: skipped (this JDK wrote no cache: "
                    + training.lines().filter(l -> !l.startsWith("RESULT")).findFirst().orElse("no message") + ")");
            return;
        }
        double[] juv = new double[runs];
        double[] firstLoop = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Map<String, String> res = result(run(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-XX:AOTCache=" + cache, "-cp", cp, "dev.juv.bench.ColdStart", "timer"), 60));
            juv[i] = (System.nanoTime() - t0) / 1e6;
            firstLoop[i] = num(res, "first_loop_ms");
        }
        add(new Row("cold start with -XX:AOTCache: launch to exit (reference: without the cache)", "ms", false,
                plain, juv, Double.NaN, "—"));
        add(new Row("cold start with -XX:AOTCache: main() to the first new Loop() (reference: without)", "ms", false,
                plainFirstLoop, firstLoop, Double.NaN, "≤ 100 ms"));
    }

    private static double wallMs(List<String> cmd) throws Exception {
        long t0 = System.nanoTime();
        run(cmd, 60);
        return (System.nanoTime() - t0) / 1e6;
    }

    /**
     * The juv echo server's two ways of echoing, each beside the C server, with what the juv
     * loop thread allocates per echoed read: {@code tryWrite} (the bench's own echo) and a plain
     * {@code write(data)} (a pooled request per write), as a user's echo is written. The echo and
     * pump figures with 1 and 10 connections, pinned, with the CPU split, come from the peers
     * group.
     */
    private void tcp() throws Exception {
        String[][] loads = {
            {"TCP ping-pong, 1 connection, round trips/s", "pingpong %d 1 1.5 0.5", "rps", "≥ 0.90×"},
            {"TCP ping-pong, 1 connection, juv echoing with write(data)", "pingpong %d 1 1.5 0.5", "rps", "≥ 0.90×", "plain"},
        };
        for (String[] load : loads) {
            double[] c = new double[reps];
            double[] j = new double[reps];
            double heap = Double.NaN;
            for (int i = 0; i < reps; i++) {
                for (int side = 0; side < 2; side++) {
                  for (int attempt = 0; ; attempt++) {
                    Server s = side == 0 ? Server.start(cmd(bin.resolve("echo_server").toString(), "0"))
                            : Server.start(javaCmd("dev.juv.bench.EchoServer", load.length > 4 ? "0 127.0.0.1 plain" : "0"));
                    try {
                        // the same short warm-up for both servers, then the measured run
                        run(cmd(bin.resolve("load_client").toString(), "pingpong " + s.port + " 4 1 0"), 60);
                        if (side == 1) {
                            s.stats();
                        }
                        Map<String, String> res = result(run(cmd(bin.resolve("load_client").toString(),
                                String.format(Locale.ROOT, load[1], s.port)), 120));
                        check(res);
                        double v = num(res, load[2]);
                        if (side == 0) {
                            c[i] = v;
                        } else {
                            j[i] = v;
                            Map<String, String> st = s.stats();
                            if (st.containsKey("heap_bytes_per_read") && num(res, "round_trips") > 0) {
                                heap = num(st, "heap_bytes_per_read");
                            }
                        }
                        break;
                    } catch (IOException | IllegalStateException e) {
                        // a server that vanished mid-run is reported, and the repetition run once more
                        System.err.println("bench: " + (side == 0 ? "C" : "juv") + " server run failed ("
                                + (s.process.isAlive() ? "alive" : "exit " + s.process.exitValue()) + "): " + e);
                        if (attempt >= 1) {
                            throw e;
                        }
                    } finally {
                        s.stop();
                    }
                  }
                }
            }
            add(new Row(load[0], load[2].equals("rps") ? "1/s" : "B/s", true, c, j, heap, load[3]));
        }
    }

    /**
     * Echo ping-pong with 1 and 100 connections against the same load client: the
     * straight-line server on virtual threads over juv beside a plain JDK server with a virtual
     * thread per connection on {@code java.net.Socket}, and at 100 connections also beside juv's
     * callback server (the reference column of each row).
     */
    private void straight() throws Exception {
        for (int conns : new int[] {1, 100}) {
            double[] callback = new double[reps];
            double[] straight = new double[reps];
            double[] jdk = new double[reps];
            double[] straightHeap = new double[reps];
            double[] jdkHeap = new double[reps];
            for (int i = 0; i < reps; i++) {
                // the callback server only where its row has a goal (the peers group has its figures)
                callback[i] = conns == 100 ? echoRun(javaCmd("dev.juv.bench.EchoServer", "0"), conns, null)
                        : Double.NaN;
                straight[i] = echoRun(javaCmd("dev.juv.bench.StraightEchoServer", "juv 0"), conns, straightHeap, i);
                jdk[i] = echoRun(javaCmd("dev.juv.bench.StraightEchoServer", "jdk 0"), conns, jdkHeap, i);
            }
            if (conns == 100) {
                add(new Row("straight-line juv (virtual threads) vs juv callbacks (reference), " + conns
                        + " conn, round trips/s", "1/s", true, callback, straight, median(straightHeap), "≥ 0.8×"));
            }
            add(new Row("straight-line juv vs JDK Socket + virtual threads (reference), " + conns
                    + " conn, round trips/s", "1/s", true, jdk, straight, median(straightHeap), "≥ 1.0×"));
            add(new Row("heap bytes per round trip, " + conns + " conn: JDK Socket (reference) vs straight-line juv",
                    "B", false, jdkHeap, straightHeap, Double.NaN, "—"));
        }
    }

    private double echoRun(List<String> server, int conns, double[] heap, int... slot) throws Exception {
        Server s = Server.start(server);
        try {
            run(cmd(bin.resolve("load_client").toString(), "pingpong " + s.port + " " + Math.min(conns, 4) + " 1 0"), 60);
            if (heap != null) {
                s.stats();
            }
            Map<String, String> res = result(run(cmd(bin.resolve("load_client").toString(),
                    String.format(Locale.ROOT, "pingpong %d %d 2 0.5", s.port, conns)), 120));
            check(res);
            if (heap != null) {
                heap[slot[0]] = num(s.stats(), "heap_bytes_per_read");
            }
            return num(res, "rps");
        } finally {
            s.stop();
        }
    }

    private void scale() throws Exception {
        int[] sizes = {1000, 10000, 18000};
        for (int n : sizes) {
            double[] c = new double[1];
            double[] j = new double[1];
            double[] cMem = new double[1];
            double[] jMem = new double[1];
            double heap = Double.NaN;
            String problems = "";
            for (int side = 0; side < 2; side++) {
                Server s = side == 0 ? Server.start(cmd(bin.resolve("echo_server").toString(), "0"))
                        : Server.start(javaCmd("dev.juv.bench.EchoServer", "0"));
                try {
                    if (side == 1) {
                        s.stats(); // a collection before the baseline
                    }
                    long rss0 = s.rssBytes();
                    double heap0 = side == 1 ? num(s.stats(), "heap_used") : 0;
                    int per = 9000;
                    int procs = (n + per - 1) / per;
                    List<Process> clients = new ArrayList<>();
                    for (int p = 0; p < procs; p++) {
                        int count = Math.min(per, n - p * per);
                        clients.add(start(cmd(bin.resolve("load_client").toString(),
                                "scale " + s.port + " " + count + " 10 10 " + (1 + p * 2))));
                    }
                    // sample memory while every connection is open, in the middle of the busy phase
                    Thread.sleep(8000);
                    long rss1 = s.rssBytes();
                    double heap1 = side == 1 ? num(s.stats(), "heap_used") : 0;
                    double rps = 0;
                    for (Process p : clients) {
                        Map<String, String> res = result(finish(p, 120));
                        rps += num(res, "rps");
                        long failed = (long) num(res, "failed");
                        long errors = (long) num(res, "errors");
                        long mism = (long) num(res, "mismatches");
                        long idleExpected = (long) num(res, "connected") - Math.round(num(res, "connected") / 10.0);
                        long idleChecked = (long) num(res, "idle_checked");
                        if (failed + errors + mism > 0 || idleChecked < idleExpected) {
                            problems += (side == 0 ? " C" : " juv") + ": failed=" + failed + " errors=" + errors
                                    + " mismatches=" + mism + " idle_checked=" + idleChecked + "/" + idleExpected;
                        }
                    }
                    if (side == 0) {
                        c[0] = rps;
                        cMem[0] = (rss1 - rss0) / (double) n;
                    } else {
                        j[0] = rps;
                        jMem[0] = (rss1 - rss0) / (double) n;
                        heap = (heap1 - heap0) / n;
                    }
                } finally {
                    s.stop();
                }
            }
            add(new Row(n + " connections (10% busy), round trips/s" + problems, "1/s", true, c, j, Double.NaN,
                    "≥ 0.9×"));
            add(new Row(n + " connections, resident bytes per connection", "B", false, cMem, jMem, heap,
                    "≤ C + 2 KiB"));
        }
    }

    // ---- processes ----

    private List<String> cmd(String program, String args) {
        List<String> l = new ArrayList<>();
        l.add(program);
        l.addAll(Arrays.asList(args.trim().split("\\s+")));
        return l;
    }

    private List<String> javaCmd(String main, String args) {
        List<String> l = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss2m",
                "-XX:+UseParallelGC", "-cp", classpath, main));
        l.addAll(Arrays.asList(args.trim().split("\\s+")));
        return l;
    }

    private static Process start(List<String> cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String run(List<String> cmd, int timeoutSeconds) throws Exception {
        return finish(start(cmd), timeoutSeconds);
    }

    private static String finish(Process p, int timeoutSeconds) throws Exception {
        byte[] outBytes = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + p.info().commandLine().orElse("?"));
        }
        String text = new String(outBytes, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + p.info().commandLine().orElse("?")
                    + "\n" + text);
        }
        return text;
    }

    static Map<String, String> result(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("RESULT ") || line.startsWith("STATS ")) {
                for (String kv : line.substring(line.indexOf(' ') + 1).trim().split("\\s+")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        m.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        if (m.isEmpty()) {
            throw new IllegalStateException("no RESULT line in:\n" + text);
        }
        return m;
    }

    private static void check(Map<String, String> res) {
        if (num(res, "errors") != 0 || num(res, "mismatches") != 0
                || (res.containsKey("failed") && num(res, "failed") != 0)) {
            throw new IllegalStateException("load client saw errors: " + res);
        }
    }

    private static double num(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalStateException("no " + key + " in " + m);
        }
        return Double.parseDouble(v);
    }

    /** A running echo server, either side. */
    private static final class Server {
        final Process process;
        final int port;
        final BufferedReader reader;

        private Server(Process process, int port, BufferedReader reader) {
            this.process = process;
            this.port = port;
            this.reader = reader;
        }

        static Server start(List<String> cmd) throws Exception {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("Listening on ")) {
                    String[] parts = line.split("\\s+");
                    return new Server(p, Integer.parseInt(parts[2].replaceAll(".*:", "")), r);
                }
            }
            throw new IllegalStateException("server ended before it listened: " + cmd);
        }

        long rssBytes() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return 0;
        }

        /** Asks a juv server for its figures (SIGUSR1 → one STATS line). */
        Map<String, String> stats() throws Exception {
            new ProcessBuilder("kill", "-USR1", Long.toString(process.pid())).start().waitFor();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("STATS ")) {
                    return result(line);
                }
            }
            throw new IllegalStateException("server ended before it reported");
        }

        void stop() throws Exception {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    // ---- report ----

    private void add(Row row) {
        rows.add(row);
        System.out.println(format(row));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static String format(Row r) {
        double[] ratios = new double[r.c.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = r.juv[i] / r.c[i];
        }
        Arrays.sort(ratios);
        String spread = ratios.length > 1
                ? String.format(Locale.ROOT, " (%.2f–%.2f)", ratios[0], ratios[ratios.length - 1]) : "";
        String ratio = Double.isNaN(median(r.c)) ? "—" : String.format(Locale.ROOT, "%.2f×%s", r.ratio(), spread);
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |", r.scenario,
                fmt(median(r.c), r.unit), fmt(median(r.juv), r.unit), ratio,
                Double.isNaN(r.heapPerOp) ? "—" : String.format(Locale.ROOT, "%.1f", r.heapPerOp), r.target);
    }

    private static String fmt(double v, String unit) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (Math.abs(v) >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM %s", v / 1e6, unit);
        }
        if (Math.abs(v) >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk %s", v / 1e3, unit);
        }
        return String.format(Locale.ROOT, "%.1f %s", v, unit);
    }

    private void report() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("| scenario | C libuv | juv | juv / C (spread) | juv heap B/op | target |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | --- |\n");
        for (Row r : rows) {
            md.append(format(r)).append('\n');
        }
        Files.writeString(out.resolve("results.md"), md.toString());
        System.out.println();
        System.out.print(md);
        chart(out.resolve("ratios.png"));
        System.out.println("\nwrote " + out.resolve("results.md") + " and " + out.resolve("ratios.png"));
    }

    /** A horizontal bar per scenario: juv's figure as a multiple of C's (1.0 = as fast). */
    private void chart(Path file) throws IOException {
        List<Row> shown = new ArrayList<>();
        for (Row r : rows) {
            if (!Double.isNaN(perf(r))) {
                shown.add(r); // a row without a reference has no bar
            }
        }
        int rowH = 28;
        int left = 430;
        int w = 960;
        int h = 60 + shown.size() * rowH + 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("juv relative to C libuv (same libuv, same run): > 1 is better for juv", 12, 24);
        double max = 2.0;
        for (Row r : shown) {
            max = Math.max(max, perf(r));
        }
        max = Math.min(max, 4.0);
        int plotW = w - left - 30;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < shown.size(); i++) {
            Row r = shown.get(i);
            int y = 50 + i * rowH;
            double p = perf(r);
            String label = r.scenario.length() > 62 ? r.scenario.substring(0, 60) + "…" : r.scenario;
            g.setColor(Color.BLACK);
            g.drawString(label, 10, y + 17);
            int bw = (int) Math.round(Math.min(p, max) / max * plotW);
            g.setColor(p >= 0.9 ? new Color(0x2e7d32) : p >= 0.67 ? new Color(0xf9a825) : new Color(0xc62828));
            g.fillRect(left, y + 4, Math.max(bw, 1), rowH - 10);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.2f", p), left + Math.max(bw, 1) + 4, y + 17);
        }
        int x1 = left + (int) Math.round(1.0 / max * plotW);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
        g.drawLine(x1, 40, x1, h - 30);
        g.drawString("1.0 = C", x1 + 4, h - 12);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** How juv performs relative to C, oriented so that more is better. */
    private static double perf(Row r) {
        if (r.unit.equals("B")) {
            return median(r.c) <= 0 ? 1.0 : median(r.c) / Math.max(median(r.juv), 1);
        }
        return r.higherIsBetter ? r.ratio() : 1.0 / r.ratio();
    }
}
