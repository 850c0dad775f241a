package dev.juv.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * ci/bench's {@code peers} group: juv beside the servers a user would otherwise pick. C libuv
 * ({@code echo_server.c}), juv ({@link EchoServer}), Java NIO ({@link NioEchoServer}), Netty epoll
 * ({@link NettyEchoServer}), Node and Python uvloop ({@code native/bench/peers}) all serve the same
 * C load client. Every server is pinned to core 0 with {@code taskset}; the client runs on core 1
 * ("own core") or on core 0 beside the server ("server's core"). Each repetition starts every
 * server afresh and, scenario by scenario, runs the servers one after another (the first one
 * rotating with the repetition), each with a warm-up (1 s on a server's first scenario, 0.3 s on
 * the later ones: the JVMs are compiled by then) and then the measured run; the
 * server's CPU time is read from {@code /proc/<pid>/stat} around the measured run and split into
 * user and system time. Writes {@code peers.md} and {@code peers.png} into the output directory.
 *
 * <p>Settings (system properties): {@code peers.seconds} (measured run, default 2; a fraction
 * is fine),
 * {@code peers.node} (default {@code node}), {@code peers.python} (an interpreter with uvloop,
 * default {@code python3}), {@code peers.dir} (the scripts, default {@code native/bench/peers}).
 * A peer whose runtime is missing or whose server does not start is skipped with the reason.
 */
final class PeersBench {
    private static final int SERVER_CORE = 0;
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** One way of loading a server. */
    record Scenario(String name, String mode, int connections, boolean sharedCore, int readBuffer) {
        /** A scenario run against every peer's server as it starts by default. */
        Scenario(String name, String mode, int connections, boolean sharedCore) {
            this(name, mode, connections, sharedCore, 0);
        }

        boolean pump() {
            return mode.equals("pump");
        }

        String clientArgs(int port, String seconds, int warmup) {
            return pump() ? "pump " + port + " " + seconds + " " + warmup
                    : "pingpong " + port + " " + connections + " " + seconds + " " + warmup;
        }

        /** The unit of the CPU figures: per round trip, or per GiB echoed. */
        String cpuUnit() {
            return pump() ? "ms/GiB" : "µs";
        }
    }

    /**
     * One server under test and how to start it; {@code sized} gives the command for a server
     * reading into buffers of a given size, null for a peer that has no such setting here.
     */
    record Peer(String name, List<String> command, java.util.function.IntFunction<List<String>> sized) {
        Peer(String name, List<String> command) {
            this(name, command, null);
        }
    }

    /** The figures of one peer in one scenario, one slot per repetition (NaN: no figure). */
    static final class Samples {
        final double[] value;
        final double[] user;
        final double[] system;

        Samples(int reps) {
            value = nan(reps);
            user = nan(reps);
            system = nan(reps);
        }

        double[] total() {
            double[] t = new double[user.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = user[i] + system[i];
            }
            return t;
        }

        private static double[] nan(int n) {
            double[] a = new double[n];
            Arrays.fill(a, Double.NaN);
            return a;
        }
    }

    private final Path bin;
    private final Path out;
    private final int reps;
    private final String seconds = secondsOf(System.getProperty("peers.seconds", "2"));

    /** A length in seconds as the load client takes it ("2", "1.5"). */
    private static String secondsOf(String s) {
        double d = Double.parseDouble(s);
        if (!(d > 0)) {
            throw new IllegalArgumentException("peers.seconds must be above 0: " + s);
        }
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
    private final List<String> notes = new ArrayList<>();
    private final List<Peer> peers = new ArrayList<>();
    private final List<Scenario> scenarios = List.of(
            new Scenario("echo, 1 connection, client on its own core", "pingpong", 1, false),
            new Scenario("echo, 1 connection, client on the server's core", "pingpong", 1, true),
            new Scenario("echo, 10 connections, client on its own core", "pingpong", 10, false),
            new Scenario("echo, 10 connections, client on the server's core", "pingpong", 10, true),
            new Scenario("pump, 1 connection, 64 KiB read buffers", "pump", 1, false),
            // C and juv only, each started for it with 256 KiB read buffers (echo_server.c's
            // third argument, juv's LoopOptions.withReadBufferSize)
            new Scenario("pump, 1 connection, 256 KiB read buffers (C and juv)", "pump", 1, false, 256 * 1024));
    private final Map<Scenario, Map<Peer, Samples>> results = new LinkedHashMap<>();
    private Peer reference;
    private int clientCore = 1;
    private long tickMicros = 10_000;

    private PeersBench(Path bin, Path out, int reps) {
        this.bin = bin;
        this.out = out;
        this.reps = reps;
    }

    /**
     * Runs the group and writes its table and chart; called by {@link BenchRunner}, whose ratio
     * table gets the C libuv and juv figures of every scenario as the rows returned.
     */
    static List<BenchRunner.Row> run(Path bin, Path out, int reps) throws Exception {
        PeersBench b = new PeersBench(bin, out, Math.max(1, reps));
        b.setUp();
        b.measure();
        b.report();
        return b.ratioRows();
    }

    /**
     * C libuv beside juv, scenario by scenario: the round trips (or bytes) per second where the
     * client has a core of its own, the server's CPU per round trip (or per GiB), and for the
     * echo the user part of it. Only the repetitions in which both have a figure count.
     */
    private List<BenchRunner.Row> ratioRows() {
        List<BenchRunner.Row> rows = new ArrayList<>();
        Peer juv = peers.stream().filter(p -> p.name().equals("juv")).findFirst().orElse(null);
        for (Scenario sc : scenarios) {
            Samples c = results.get(sc).get(reference);
            Samples j = juv == null ? null : results.get(sc).get(juv);
            if (c == null || j == null) {
                continue;
            }
            if (!sc.sharedCore()) {
                paired(rows, sc.name() + (sc.pump() ? ", bytes/s" : ", round trips/s"), sc.pump() ? "B/s" : "1/s",
                        true, c.value, j.value, sc.pump() ? "≥ 0.95×" : "≥ 0.90×");
            }
            paired(rows, sc.name() + (sc.pump() ? ", server CPU per GiB" : ", server CPU per round trip"),
                    sc.cpuUnit(), false, c.total(), j.total(), sc.pump() ? "≤ 1.10×" : "≤ 1.05×");
            if (!sc.pump()) {
                paired(rows, sc.name() + ", server CPU per round trip, user part", sc.cpuUnit(), false, c.user,
                        j.user, "≤ 1.5×");
            }
        }
        return rows;
    }

    private static void paired(List<BenchRunner.Row> rows, String name, String unit, boolean higher, double[] c,
            double[] j, String target) {
        double[] cs = new double[c.length];
        double[] js = new double[j.length];
        int n = 0;
        for (int i = 0; i < c.length; i++) {
            if (!Double.isNaN(c[i]) && !Double.isNaN(j[i])) {
                cs[n] = c[i];
                js[n++] = j[i];
            }
        }
        if (n > 0) {
            rows.add(new BenchRunner.Row(name, unit, higher, Arrays.copyOf(cs, n), Arrays.copyOf(js, n), Double.NaN,
                    target));
        }
    }

    // ---- set-up ----

    private void setUp() throws Exception {
        if (!PINNING) {
            notes.add("taskset is missing or refused: servers and clients run unpinned");
        }
        if (Runtime.getRuntime().availableProcessors() < 2) {
            clientCore = SERVER_CORE;
            notes.add("one core only: the \"own core\" scenarios share the server's core too");
        }
        String hz = quiet(List.of("getconf", "CLK_TCK")).trim();
        if (hz.matches("[0-9]+")) {
            tickMicros = 1_000_000 / Long.parseLong(hz);
        }
        Path dir = Path.of(System.getProperty("peers.dir", "native/bench/peers"));
        String node = System.getProperty("peers.node", "node");
        String python = System.getProperty("peers.python", "python3");
        String cServer = bin.resolve("echo_server").toString();
        reference = new Peer("C libuv", List.of(cServer, "0"),
                n -> List.of(cServer, "0", "127.0.0.1", Integer.toString(n)));
        peers.add(reference);
        peers.add(new Peer("juv", javaCmd("dev.juv.bench.EchoServer"),
                n -> javaCmd("-Dbench.readBuffer=" + n, "dev.juv.bench.EchoServer")));
        peers.add(new Peer("Java NIO", javaCmd("dev.juv.bench.NioEchoServer")));
        peers.add(new Peer("Netty epoll", javaCmd("dev.juv.bench.NettyEchoServer")));
        if (works(List.of(node, "--version"))) {
            peers.add(new Peer("Node", List.of(node, dir.resolve("echo_server.js").toString(), "0")));
        } else {
            notes.add("Node skipped: `" + node + " --version` failed (Debian package nodejs missing)");
        }
        if (works(List.of(python, "-c", "import uvloop"))) {
            peers.add(new Peer("uvloop", List.of(python, dir.resolve("uvloop_echo_server.py").toString(), "0")));
        } else {
            notes.add("uvloop skipped: `" + python + " -c 'import uvloop'` failed (Debian package python3-uvloop"
                    + " missing)");
        }
        notes.add("server CPU is read from /proc/<pid>/stat in clock ticks (" + tickMicros / 1000 + " ms): one run's"
                + " figure is good to a tick over the run's work; the whole process is counted (a JVM's compiler and"
                + " collector threads too)");
        notes.add("the 64 KiB pump row is each server's default read size (Node's and uvloop's are their own: 64 KiB"
                + " and 256 KiB); the 256 KiB row starts C and juv afresh with 256 KiB read buffers");
        for (Scenario s : scenarios) {
            results.put(s, new LinkedHashMap<>());
        }
    }

    /** A JVM running {@code main} with port 0, with the flags and class path of BenchRunner's juv servers. */
    static List<String> javaCmd(String main) {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-Xss2m", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"), main, "0");
    }

    /** {@link #javaCmd(String)} with one more JVM flag. */
    static List<String> javaCmd(String flag, String main) {
        List<String> l = new ArrayList<>(javaCmd(main));
        l.add(1, flag);
        return l;
    }

    /** Whether {@code taskset} works here; without it, servers and clients run unpinned. */
    static final boolean PINNING = works(List.of("taskset", "-c", "0", "true"));

    /** The command run on one core (as it is when {@code taskset} is missing). */
    static List<String> pinned(int core, List<String> cmd) {
        if (!PINNING) {
            return cmd;
        }
        List<String> l = new ArrayList<>(List.of("taskset", "-c", Integer.toString(core)));
        l.addAll(cmd);
        return l;
    }

    // ---- measuring ----

    private void measure() throws Exception {
        System.out.printf(Locale.ROOT, "peers: %d repetitions, %s s runs after a warm-up, servers: %s%n", reps,
                seconds, peers.stream().map(Peer::name).toList());
        for (int rep = 0; rep < reps; rep++) {
            Map<Peer, Server> running = new LinkedHashMap<>();
            try {
                for (Peer p : List.copyOf(peers)) {
                    Server s = startOrSkip(p, rep, true);
                    if (s != null) {
                        running.put(p, s);
                    }
                }
                List<Peer> order = new ArrayList<>(running.keySet());
                for (Scenario sc : scenarios) {
                    if (sc.readBuffer() > 0) {
                        measureSized(sc, rep);
                        continue;
                    }
                    for (int k = 0; k < order.size(); k++) {
                        Peer p = order.get((k + rep) % order.size());
                        Samples samples = results.get(sc).computeIfAbsent(p, x -> new Samples(reps));
                        measureOne(sc, p, running, samples, rep);
                    }
                }
            } finally {
                for (Server s : running.values()) {
                    s.stop();
                }
            }
            System.out.printf(Locale.ROOT, "peers: repetition %d of %d done (load average %s)%n", rep + 1, reps,
                    loadAverage());
        }
    }

    /**
     * A scenario with its own read buffer size: each peer that has the setting gets a server of
     * its own for it, started and stopped around its run (the first one rotating with the
     * repetition, as in the other scenarios).
     */
    private void measureSized(Scenario sc, int rep) throws Exception {
        List<Peer> sized = peers.stream().filter(p -> p.sized() != null).toList();
        for (int k = 0; k < sized.size(); k++) {
            Peer p = sized.get((k + rep) % sized.size());
            Map<Peer, Server> one = new LinkedHashMap<>();
            try {
                one.put(p, Server.start(pinned(SERVER_CORE, p.sized().apply(sc.readBuffer()))));
                measureOne(sc, p, one, results.get(sc).computeIfAbsent(p, x -> new Samples(reps)), rep);
            } catch (IllegalStateException e) {
                notes.add(p.name() + " missing from " + sc.name() + " in repetition " + (rep + 1)
                        + ": its server did not start: " + e.getMessage().lines().findFirst().orElse(""));
            } finally {
                for (Server s : one.values()) {
                    s.stop();
                }
            }
        }
    }

    /**
     * Starts a peer's server; one that does not start is skipped: for good when it is the first
     * start of the first repetition, else for the rest of this repetition.
     */
    private Server startOrSkip(Peer p, int rep, boolean first) throws Exception {
        try {
            return Server.start(pinned(SERVER_CORE, p.command()));
        } catch (IllegalStateException e) {
            boolean forGood = rep == 0 && first;
            if (forGood) {
                peers.remove(p);
            }
            notes.add(p.name() + (forGood ? " skipped" : " missing from part of repetition " + (rep + 1))
                    + ": its server did not start: " + e.getMessage().lines().findFirst().orElse(""));
            System.out.println("peers: " + notes.getLast());
            return null;
        }
    }

    /** One measured run of one server, run once more on a fresh server if it fails. */
    private void measureOne(Scenario sc, Peer p, Map<Peer, Server> running, Samples samples, int rep)
            throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            Server s = running.get(p);
            if (s == null) {
                return;
            }
            try {
                int core = sc.sharedCore() ? SERVER_CORE : clientCore;
                client(core, sc.clientArgs(s.port, s.warmed++ == 0 ? "1" : "0.3", 0));
                long[] t0 = s.cpuTicks();
                Map<String, String> res = client(core, sc.clientArgs(s.port, seconds, 0));
                long[] t1 = s.cpuTicks();
                double ops = sc.pump() ? num(res, "bytes") / GIB : num(res, "round_trips");
                double scale = sc.pump() ? tickMicros / 1000.0 : tickMicros; // ms per GiB, or µs per trip
                samples.value[rep] = num(res, sc.pump() ? "bytes_per_s" : "rps");
                samples.user[rep] = (t1[0] - t0[0]) * scale / ops;
                samples.system[rep] = (t1[1] - t0[1]) * scale / ops;
                return;
            } catch (IOException | IllegalStateException e) {
                System.err.println("peers: " + p.name() + ", " + sc.name() + " failed (server "
                        + (s.process.isAlive() ? "alive" : "exit " + s.process.exitValue()) + "): " + e.getMessage()
                        + "\n  server said: " + s.tail());
                s.stop();
                running.remove(p);
                if (attempt == 0 && sc.readBuffer() == 0) { // a sized server is not restarted
                    Server again = startOrSkip(p, rep, false);
                    if (again != null) {
                        running.put(p, again);
                    }
                }
            }
        }
    }

    private Map<String, String> client(int core, String args) throws Exception {
        Map<String, String> res = finish(startClient(bin, core, args), (int) Math.ceil(Double.parseDouble(seconds)) + 60);
        if (num(res, "errors") != 0 || num(res, "mismatches") != 0
                || (res.containsKey("failed") && num(res, "failed") != 0)) {
            throw new IllegalStateException("load client saw errors: " + res);
        }
        return res;
    }

    /** Starts the C load client on one core with the given arguments. */
    static Process startClient(Path bin, int core, String args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("load_client").toString()));
        cmd.addAll(Arrays.asList(args.split(" ")));
        return new ProcessBuilder(pinned(core, cmd)).redirectErrorStream(true).start();
    }

    /** Waits for a load client and returns its RESULT line's figures. */
    static Map<String, String> finish(Process p, int timeoutSeconds) throws Exception {
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("load client failed: " + text.strip());
        }
        return BenchRunner.result(text);
    }

    static double num(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalStateException("no " + key + " in " + m);
        }
        return Double.parseDouble(v);
    }

    private static boolean works(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String quiet(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? s : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** A running server: its process, its port, and a thread that keeps its output drained. */
    static final class Server {
        final Process process;
        final int port;
        private final Deque<String> tail = new ArrayDeque<>();
        private String lastStats;
        private int statsSeen;
        /** How many measured runs it has been warmed up for (the first warm-up is the longer). */
        int warmed;

        private Server(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Server start(List<String> cmd) throws Exception {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder said = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("Listening on ")) {
                    String[] parts = line.split("\\s+");
                    Server s = new Server(p, Integer.parseInt(parts[2].replaceAll(".*:", "")));
                    Thread drain = new Thread(() -> s.drain(r), "peers-drain-" + p.pid());
                    drain.setDaemon(true);
                    drain.start();
                    return s;
                }
                said.append(line).append('\n');
            }
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(said.toString().strip() + " (" + cmd.getLast() + " ended before it"
                    + " listened)");
        }

        private void drain(BufferedReader r) {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 5) {
                            tail.removeFirst();
                        }
                        if (line.startsWith("STATS ")) {
                            lastStats = line;
                            statsSeen++;
                            tail.notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        /** Asks a juv {@link EchoServer} for its STATS line (SIGUSR1: a collection, then the figures). */
        Map<String, String> stats() throws Exception {
            int before;
            synchronized (tail) {
                before = statsSeen;
            }
            new ProcessBuilder("kill", "-USR1", Long.toString(process.pid())).start().waitFor();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            synchronized (tail) {
                while (statsSeen == before) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || !process.isAlive()) {
                        throw new IllegalStateException("no STATS line from " + process.pid());
                    }
                    tail.wait(left);
                }
                return BenchRunner.result(lastStats);
            }
        }

        String tail() {
            synchronized (tail) {
                return String.join(" | ", tail);
            }
        }

        long rssBytes() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IOException("no VmRSS for " + process.pid());
        }

        /** User and system clock ticks of the whole process (every thread) so far. */
        long[] cpuTicks() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        }

        void stop() throws Exception {
            if (!process.isAlive()) {
                return;
            }
            // SIGINT as a person stops it; SIGTERM where SIGINT is ignored (a background job's child)
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    // ---- report ----

    static double median(double[] v) {
        double[] s = Arrays.stream(v).filter(x -> !Double.isNaN(x)).toArray();
        return s.length == 0 ? Double.NaN : BenchRunner.median(s);
    }

    static String spread(double[] v) {
        double[] s = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
        return s.length < 2 ? "" : " (" + num(s[0]) + "–" + num(s[s.length - 1]) + ")";
    }

    static String num(double v) {
        if (Math.abs(v) >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (Math.abs(v) >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
    }

    /** One row: a figure of every peer, each with its spread and its ratio to C's median. */
    private String row(String label, Scenario sc, String unit, java.util.function.Function<Samples, double[]> pick) {
        StringBuilder b = new StringBuilder("| ").append(label).append(" |");
        Samples c = results.get(sc).get(reference);
        double ref = c == null ? Double.NaN : median(pick.apply(c));
        for (Peer p : peers) {
            Samples s = results.get(sc).get(p);
            double m = s == null ? Double.NaN : median(pick.apply(s));
            if (Double.isNaN(m)) {
                b.append(" — |");
                continue;
            }
            b.append(' ').append(num(m)).append(' ').append(unit).append(spread(pick.apply(s)));
            if (p != reference && !Double.isNaN(ref) && ref > 0) {
                b.append(String.format(Locale.ROOT, ", %.2f×", m / ref));
            }
            b.append(" |");
        }
        return b.append('\n').toString();
    }

    private void report() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("| scenario | ");
        md.append(String.join(" | ", peers.stream().map(Peer::name).toList())).append(" |\n|---|");
        md.append("---:|".repeat(peers.size())).append('\n');
        for (Scenario sc : scenarios) {
            String per = sc.pump() ? "GiB" : "round trip";
            md.append(row("**" + sc.name() + "**: " + (sc.pump() ? "bytes/s" : "round trips/s"), sc,
                    sc.pump() ? "B/s" : "/s", x -> x.value));
            md.append(row("server CPU per " + per + ", user + system", sc, sc.cpuUnit(), Samples::total));
            md.append(row("… user", sc, sc.cpuUnit(), x -> x.user));
            md.append(row("… system", sc, sc.cpuUnit(), x -> x.system));
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Each cell: the median of %d repetitions (min–max), then its ratio to C's"
                + " median. Servers pinned to core %d; the client on core %d (its own) or %d (the server's); %s s"
                + " runs after a warm-up (1 s on a server's first scenario, 0.3 s on the next); load average at the"
                + " end %s.%n%n", reps, SERVER_CORE, clientCore,
                SERVER_CORE, seconds, loadAverage()));
        text.append(md);
        writeTable(out.resolve("peers.md"), text, notes);
        chart(out.resolve("peers.png"));
        System.out.println("\nwrote " + out.resolve("peers.md") + " and " + out.resolve("peers.png"));
    }

    /** Writes a table with its notes as a list below it, and prints them. */
    static void writeTable(Path file, StringBuilder text, List<String> notes) throws IOException {
        if (!notes.isEmpty()) {
            text.append('\n');
            for (String n : notes) {
                text.append("- ").append(n).append('\n');
            }
        }
        Files.writeString(file, text.toString());
        System.out.println();
        System.out.print(text);
    }

    static final Color[] COLORS = {
        new Color(0x455a64), new Color(0x2e7d32), new Color(0xef6c00), new Color(0x6a1b9a), new Color(0x1565c0),
        new Color(0xc62828),
    };

    /**
     * Per scenario, one bar per server: its CPU per round trip (or per GiB) as a multiple of C's,
     * the user part solid and the system part pale, so the part juv controls shows apart.
     */
    private void chart(Path file) throws IOException {
        int barH = 18;
        int groupH = 26 + peers.size() * barH + 10;
        int left = 150;
        int w = 1060;
        int h = 70 + scenarios.size() * groupH + 40;
        double max = 2.0;
        for (Scenario sc : scenarios) {
            for (Peer p : peers) {
                double r = relative(sc, p, Samples::total);
                if (!Double.isNaN(r)) { // a peer without a figure in a scenario (the 256 KiB pump)
                    max = Math.max(max, r);
                }
            }
        }
        max = Math.min(max, 4.0);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, "Server CPU per round trip (pump: per GiB) relative to C libuv: < 1 is cheaper",
                "solid: user time, pale: system time; medians of " + reps + " repetitions; the label: the"
                + " server's figure (user + system) and its throughput relative to C");
        int plotW = w - left - 360; // room for the label beside the longest bar
        int y = 60;
        for (Scenario sc : scenarios) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(sc.name(), 10, y + 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            y += 26;
            Samples c = results.get(sc).get(reference);
            for (int i = 0; i < peers.size(); i++) {
                Peer p = peers.get(i);
                Samples s = results.get(sc).get(p);
                g.setColor(Color.BLACK);
                g.drawString(p.name(), 20, y + 13);
                double total = relative(sc, p, Samples::total);
                if (s != null && c != null && !Double.isNaN(total)) {
                    double ref = median(c.total());
                    double user = median(s.user) / ref;
                    int uw = (int) Math.round(Math.min(user, max) / max * plotW);
                    int tw = (int) Math.round(Math.min(total, max) / max * plotW);
                    Color col = COLORS[i % COLORS.length];
                    g.setColor(pale(col));
                    g.fillRect(left, y + 3, Math.max(tw, 1), barH - 5);
                    g.setColor(col);
                    g.fillRect(left, y + 3, Math.max(uw, 1), barH - 5);
                    g.setColor(Color.BLACK);
                    if (total > max) {
                        g.drawString("»", left + tw - 10, y + 13); // cut at the chart's end
                    }
                    double tp = median(s.value) / median(c.value);
                    g.drawString(String.format(Locale.ROOT, "%.2f×  (%s + %s %s, throughput %.2f×)", total,
                            num(median(s.user)), num(median(s.system)), sc.cpuUnit(), tp), left + tw + 6, y + 13);
                } else {
                    g.drawString("no figure", left + 6, y + 13);
                }
                y += barH;
            }
            y += 10;
        }
        int x1 = left + (int) Math.round(1.0 / max * plotW);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
        g.drawLine(x1, 56, x1, h - 30);
        g.drawString("1.0 = C", x1 + 4, h - 12);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private double relative(Scenario sc, Peer p, java.util.function.Function<Samples, double[]> pick) {
        Samples c = results.get(sc).get(reference);
        Samples s = results.get(sc).get(p);
        if (c == null || s == null) {
            return Double.NaN;
        }
        return median(pick.apply(s)) / median(pick.apply(c));
    }

    /** A white image with a bold title and a plain subtitle, drawing in black with the plain font. */
    static Graphics2D canvas(BufferedImage img, String title, String subtitle) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 12, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(subtitle, 12, 44);
        return g;
    }

    static Color pale(Color c) {
        return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
    }
}
