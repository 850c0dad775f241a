package dev.juv.bench;

import dev.juv.support.TestCerts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ci/bench's {@code tls} group: a TLS echo server on juv's {@link dev.juv.TlsStream}
 * ({@link TlsJuvServer}) beside one on Netty's epoll transport with {@code SslHandler} and the
 * JDK's provider ({@link TlsNettyServer}). Same certificate (one keystore made with keytool by
 * {@link TestCerts}), same protocol and cipher suite ({@link TlsSetup}), same Java load client
 * ({@link TlsLoadClient}, the JDK's {@code SSLSocket}). Each server runs in its own JVM pinned to
 * core 0, the client in one JVM for the whole group on core 1. Both servers start once and are
 * warmed first (every scenario run unmeasured: the JIT needs seconds of TLS load on one core);
 * then every repetition runs them one after the other, the first alternating with the
 * repetition, each through the three scenarios: new connections, a short warm-up of them, then
 * the measured run, with the server's CPU time
 * ({@code /proc/<pid>/stat}) and its heap allocation (all threads, STATS on SIGUSR1) read around
 * the measured run. Prints the rows in BenchRunner's table style, Netty in the reference column,
 * and writes {@code tls.md}.
 *
 * <p>Settings (system properties): {@code tls.seconds} (measured echo run, default 2, after
 * 0.5 s on the new connections), {@code tls.bulkMiB} (bytes of the measured bulk run, default
 * 128, after an eighth of it on the new connection).
 */
final class TlsBench {
    private static final int SERVER_CORE = 0;
    private static final int MESSAGE = 1024;
    private static final double TICK_MICROS = 10_000; // USER_HZ is 100 on Linux
    private static final double MIB = 1024.0 * 1024;
    /** The warm-up of each server, before the first repetition: seconds per echo scenario... */
    private static final int WARM_UP_SECONDS = 2;
    /** ... and bytes of bulk echo (the JIT takes a few hundred MiB to compile the bulk path). */
    private static final long WARM_UP_BULK = 512L << 20;

    /** One scenario: its connections (0 for bulk), and the figures of each side per repetition. */
    private record Scenario(String name, int connections, double[][] value, double[][] cpu, double[][] system,
            double[][] heap) {
        Scenario(String name, int connections, int reps) {
            this(name, connections, new double[2][reps], new double[2][reps], new double[2][reps], new double[2][reps]);
        }

        boolean bulk() {
            return connections == 0;
        }
    }

    private static final int JUV = 0;
    private static final int NETTY = 1;
    private static final String[] MAINS = {"dev.juv.bench.TlsJuvServer", "dev.juv.bench.TlsNettyServer"};
    private static final String[] NAMES = {"juv", "Netty"};

    private final Path out;
    private final int reps;
    private final int seconds = Integer.getInteger("tls.seconds", 2);
    private final long bulkBytes = Integer.getInteger("tls.bulkMiB", 128) * (long) MIB;
    private final List<Scenario> scenarios;
    private final List<String> notes = new ArrayList<>();
    private Process client;
    private Writer toClient;
    private BufferedReader fromClient;

    private TlsBench(Path out, int reps) {
        this.out = out;
        this.reps = reps;
        scenarios = List.of(new Scenario("TLS echo, 1 connection, round trips/s", 1, reps),
                new Scenario("TLS echo, 10 connections, round trips/s", 10, reps),
                new Scenario("TLS bulk echo, 1 connection, MiB/s", 0, reps));
    }

    /** Runs the group and writes its table; called by {@link BenchRunner}. */
    static void run(Path out, int reps) throws Exception {
        TlsBench b = new TlsBench(out, Math.max(1, reps));
        Path keystore = TestCerts.SERVER.keystore();
        List<String> cmd = new ArrayList<>(PeersBench.javaCmd("dev.juv.bench.TlsLoadClient"));
        cmd.set(cmd.size() - 1, keystore.toString()); // the client's one argument in place of the port
        int clientCore = Runtime.getRuntime().availableProcessors() > 1 ? 1 : SERVER_CORE;
        b.client = new ProcessBuilder(PeersBench.pinned(clientCore, cmd)).redirectErrorStream(true).start();
        b.toClient = new OutputStreamWriter(b.client.getOutputStream(), StandardCharsets.UTF_8);
        b.fromClient = new BufferedReader(new InputStreamReader(b.client.getInputStream(), StandardCharsets.UTF_8));
        try {
            b.measure(keystore);
        } finally {
            b.toClient.close();
            if (!b.client.waitFor(10, TimeUnit.SECONDS)) {
                b.client.destroyForcibly();
            }
        }
        b.report(clientCore);
    }

    private void measure(Path keystore) throws Exception {
        System.out.printf(Locale.ROOT, "tls: %d repetitions, %d s echo runs and %d MiB bulk runs after a warm-up%n",
                reps, seconds, bulkBytes >> 20);
        PeersBench.Server[] servers = new PeersBench.Server[2];
        try {
            for (int side : new int[] {JUV, NETTY}) {
                List<String> cmd = new ArrayList<>(PeersBench.javaCmd(MAINS[side]));
                cmd.add(keystore.toString());
                servers[side] = PeersBench.Server.start(PeersBench.pinned(SERVER_CORE, cmd));
            }
            // the JIT needs seconds of this load before the TLS path is compiled: every scenario
            // once, unmeasured, on each server
            for (int side : new int[] {JUV, NETTY}) {
                guarded(side, servers[side], () -> {
                    for (Scenario sc : scenarios) {
                        warmUp(sc, servers[side]);
                    }
                });
            }
            for (int rep = 0; rep < reps; rep++) {
                for (int k = 0; k < 2; k++) {
                    int side = (k + rep) % 2;
                    int r = rep;
                    guarded(side, servers[side], () -> {
                        for (Scenario sc : scenarios) {
                            measureOne(sc, side, servers[side], r);
                        }
                    });
                }
                System.out.printf(Locale.ROOT, "tls: repetition %d of %d done (load average %s)%n", rep + 1, reps,
                        PeersBench.loadAverage());
            }
        } finally {
            for (PeersBench.Server s : servers) {
                if (s != null) {
                    s.stop();
                }
            }
        }
    }

    /** A step of the bench that talks to one server. */
    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step}; a failure names the server and what it last said. */
    private static void guarded(int side, PeersBench.Server s, Step step) throws Exception {
        try {
            step.run();
        } catch (IOException | IllegalStateException e) {
            throw new IllegalStateException("tls: " + NAMES[side] + " failed (server "
                    + (s.process.isAlive() ? "alive" : "exit " + s.process.exitValue()) + ", said: " + s.tail() + ")",
                    e);
        }
    }

    /** Opens the scenario's connections and runs its load for a while, unmeasured. */
    private void warmUp(Scenario sc, PeersBench.Server s) throws Exception {
        open(sc, s);
        if (sc.bulk()) {
            for (long sent = 0; sent < WARM_UP_BULK; sent += bulkBytes) {
                ask("bulk " + bulkBytes);
            }
        } else {
            ask("pingpong " + WARM_UP_SECONDS + " " + MESSAGE);
        }
        ask("close");
    }

    private void open(Scenario sc, PeersBench.Server s) throws IOException {
        String opened = ask("open " + s.port + " " + Math.max(1, sc.connections()));
        if (!opened.contains("protocol=" + TlsSetup.PROTOCOL) || !opened.contains("suite=" + TlsSetup.SUITE)) {
            throw new IllegalStateException("negotiated something else: " + opened);
        }
    }

    private void measureOne(Scenario sc, int side, PeersBench.Server s, int rep) throws Exception {
        open(sc, s);
        ask(sc.bulk() ? "bulk " + bulkBytes / 8 : "pingpong 0.5 " + MESSAGE); // the new connections' warm-up
        double heap0 = PeersBench.num(s.stats(), "allocated");
        long[] t0 = s.cpuTicks();
        Map<String, String> res = BenchRunner.result(ask(sc.bulk() ? "bulk " + bulkBytes
                : "pingpong " + seconds + " " + MESSAGE));
        long[] t1 = s.cpuTicks();
        double heap1 = PeersBench.num(s.stats(), "allocated");
        ask("close");
        if (PeersBench.num(res, "errors") != 0 || PeersBench.num(res, "mismatches") != 0) {
            throw new IllegalStateException("the client saw errors: " + res);
        }
        double ticks = (t1[0] - t0[0]) + (t1[1] - t0[1]);
        double ops; // round trips, or GiB (CPU) and MiB (heap) for bulk
        if (sc.bulk()) {
            double mib = PeersBench.num(res, "bytes") / MIB;
            sc.value()[side][rep] = PeersBench.num(res, "bytes_per_s") / MIB;
            sc.heap()[side][rep] = (heap1 - heap0) / mib;
            ops = mib / 1024 * 1000; // ms per GiB
        } else {
            ops = PeersBench.num(res, "round_trips");
            sc.value()[side][rep] = PeersBench.num(res, "rps");
            sc.heap()[side][rep] = (heap1 - heap0) / ops;
        }
        sc.cpu()[side][rep] = ticks * TICK_MICROS / ops;
        sc.system()[side][rep] = (t1[1] - t0[1]) * TICK_MICROS / ops;
    }

    /** Sends one command to the load client and returns its answer; an ERROR answer throws. */
    private String ask(String command) throws IOException {
        toClient.write(command + "\n");
        toClient.flush();
        String line;
        while ((line = fromClient.readLine()) != null) {
            if (line.startsWith("OK") || line.startsWith("RESULT")) {
                return line;
            }
            if (line.startsWith("ERROR")) {
                throw new IllegalStateException("load client, " + command + ": " + line);
            }
            System.out.println("tls client: " + line); // a JVM warning or the like
        }
        throw new IllegalStateException("the load client ended (exit "
                + (client.isAlive() ? "?" : client.exitValue()) + ")");
    }

    private void report(int clientCore) throws IOException {
        List<BenchRunner.Row> rows = new ArrayList<>();
        for (Scenario sc : scenarios) {
            String per = sc.bulk() ? "MiB" : "round trip";
            String conns = sc.bulk() ? "bulk" : sc.connections() + " conn";
            rows.add(new BenchRunner.Row(sc.name(), sc.bulk() ? "MiB/s" : "1/s", true, sc.value()[NETTY],
                    sc.value()[JUV], BenchRunner.median(sc.heap()[JUV]), "≥ 0.9×"));
            rows.add(new BenchRunner.Row("server CPU per " + (sc.bulk() ? "GiB" : per) + ", " + conns,
                    sc.bulk() ? "ms" : "µs", false, sc.cpu()[NETTY], sc.cpu()[JUV], Double.NaN, "—"));
            rows.add(new BenchRunner.Row("… of which system (kernel) time", sc.bulk() ? "ms" : "µs", false,
                    sc.system()[NETTY], sc.system()[JUV], Double.NaN, "—"));
            rows.add(new BenchRunner.Row("server heap bytes per " + per + " (all threads), " + conns, "B", false,
                    sc.heap()[NETTY], sc.heap()[JUV], Double.NaN, "—"));
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Medians of %d repetitions; the spread is that of the per-repetition"
                + " ratios. Servers pinned to core %d, the client (JDK SSLSocket, one platform thread per connection)"
                + " on core %d; %s with %s on every side; servers warmed with every scenario first; echo runs"
                + " of %d B messages for %d s, bulk runs of %d MiB echoed, each on new connections after a short"
                + " warm-up of them; load average at the end %s.%n%n", reps, SERVER_CORE, clientCore,
                TlsSetup.PROTOCOL, TlsSetup.SUITE, MESSAGE, seconds, bulkBytes >> 20, PeersBench.loadAverage()));
        text.append("| scenario | Netty SslHandler (JDK) | juv TlsStream | juv / Netty (spread) | juv heap B/op | target |\n");
        text.append("| --- | ---: | ---: | ---: | ---: | --- |\n");
        for (BenchRunner.Row r : rows) {
            text.append(BenchRunner.format(r)).append('\n');
        }
        if (!PeersBench.PINNING) {
            notes.add("taskset is missing or refused: servers and client ran unpinned");
        }
        notes.add("server CPU is the whole process (the JVM's compiler and collector threads too), read in clock"
                + " ticks of 10 ms around the measured run");
        PeersBench.writeTable(out.resolve("tls.md"), text, notes);
        System.out.println("\nwrote " + out.resolve("tls.md"));
    }
}
