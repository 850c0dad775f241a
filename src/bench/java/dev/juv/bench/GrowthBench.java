package dev.juv.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * ci/bench's {@code growth} group: the cost as the work grows. The connection count doubles from
 * 1 000 to 16 000, a tenth of the connections in ping-pong and the rest idle (the load client's
 * {@code scale} mode, which checks at the end that every idle connection still echoes), for the
 * C libuv server and juv's {@link EchoServer}, a fresh server per point, pinned to core 0 with
 * the clients on core 1. Records round trips/s and the server's resident bytes per connection
 * (its RSS in the middle of the busy phase less its RSS after a short warm-up, over the count;
 * juv's both right after a collection). A JVM's RSS moves by more than a thousand connections
 * need (compiler arenas freed, heap committed), so for juv the table and chart also give what it
 * holds by its own counts: its live native bytes plus its heap in use, per connection.
 * Writes {@code growth.md} and {@code growth.png}.
 *
 * <p>Settings (system properties): {@code growth.seconds} (the busy phase, default 6),
 * {@code growth.reps} (repetitions, default 1: the slope, not the spread, is what it shows).
 */
final class GrowthBench {
    private static final int[] COUNTS = {1000, 2000, 4000, 8000, 16000};
    private static final int PER_CLIENT = 8000;
    private static final String[] NAMES = {"C libuv", "juv"};

    /** One line of a chart: a figure per count and repetition. */
    private record Series(String name, Color color, double[][] values) {}

    private GrowthBench() {}

    /** Runs the group and writes its table and chart; called by {@link BenchRunner}. */
    static void run(Path bin, Path out, int benchReps) throws Exception {
        int reps = Integer.getInteger("growth.reps", 1);
        int seconds = Integer.getInteger("growth.seconds", 6);
        int clientCore = Runtime.getRuntime().availableProcessors() > 1 ? 1 : 0;
        List<List<String>> servers = List.of(List.of(bin.resolve("echo_server").toString(), "0"),
                PeersBench.javaCmd("dev.juv.bench.EchoServer"));
        // [server][count][repetition]
        double[][][] rps = new double[2][COUNTS.length][reps];
        double[][][] rss = new double[2][COUNTS.length][reps];
        double[][] held = new double[COUNTS.length][reps];
        List<String> problems = new ArrayList<>();
        System.out.printf(Locale.ROOT, "growth: %d repetitions, %s connections (10%% busy), %d s busy phase%n", reps,
                Arrays.toString(COUNTS), seconds);
        for (int rep = 0; rep < reps; rep++) {
            for (int ci = 0; ci < COUNTS.length; ci++) {
                for (int k = 0; k < 2; k++) {
                    int side = (k + rep) % 2; // C first in even repetitions, juv first in odd ones
                    int n = COUNTS[ci];
                    PeersBench.Server s = PeersBench.Server.start(PeersBench.pinned(0, servers.get(side)));
                    try {
                        // the same short warm-up for both, then the baseline
                        PeersBench.finish(PeersBench.startClient(bin, clientCore, "pingpong " + s.port + " 4 1 0"), 60);
                        double held0 = side == 1 ? held(s.stats()) : 0;
                        long rss0 = s.rssBytes();
                        List<Process> clients = new ArrayList<>();
                        for (int p = 0; p * PER_CLIENT < n; p++) {
                            int count = Math.min(PER_CLIENT, n - p * PER_CLIENT);
                            clients.add(PeersBench.startClient(bin, clientCore,
                                    "scale " + s.port + " " + count + " 10 " + seconds + " " + (1 + p * 2)));
                        }
                        // the clients warm up for 2 s, then run the busy phase: sample in its middle
                        Thread.sleep(2000L + seconds * 500L);
                        double held1 = side == 1 ? held(s.stats()) : 0;
                        long rss1 = s.rssBytes();
                        double total = 0;
                        for (Process p : clients) {
                            Map<String, String> res = PeersBench.finish(p, seconds + 180);
                            total += PeersBench.num(res, "rps");
                            String bad = problems(res);
                            if (!bad.isEmpty()) {
                                problems.add(NAMES[side] + ", " + n + " connections, repetition " + (rep + 1) + ":"
                                        + bad);
                            }
                        }
                        rps[side][ci][rep] = total;
                        rss[side][ci][rep] = (rss1 - rss0) / (double) n;
                        if (side == 1) {
                            held[ci][rep] = (held1 - held0) / n;
                        }
                    } finally {
                        s.stop();
                    }
                }
            }
            System.out.printf(Locale.ROOT, "growth: repetition %d of %d done (load average %s)%n", rep + 1, reps,
                    PeersBench.loadAverage());
        }
        report(out, reps, seconds, rps, rss, held, problems);
    }

    /** What juv holds by its own counts: live native bytes plus heap in use (after a collection). */
    private static double held(Map<String, String> stats) {
        return PeersBench.num(stats, "native_live") + PeersBench.num(stats, "heap_used");
    }

    private static String problems(Map<String, String> res) {
        long failed = (long) PeersBench.num(res, "failed");
        long errors = (long) PeersBench.num(res, "errors");
        long mism = (long) PeersBench.num(res, "mismatches");
        long connected = (long) PeersBench.num(res, "connected");
        long idleExpected = connected - Math.round(connected / 10.0);
        long idleChecked = (long) PeersBench.num(res, "idle_checked");
        if (failed + errors + mism == 0 && idleChecked >= idleExpected) {
            return "";
        }
        return " failed=" + failed + " errors=" + errors + " mismatches=" + mism + " idle_checked=" + idleChecked
                + "/" + idleExpected;
    }

    private static void report(Path out, int reps, int seconds, double[][][] rps, double[][][] rss,
            double[][] held, List<String> problems) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Connections doubling, 10%% of them in ping-pong: medians of %d"
                + " repetitions (min–max); %d s busy phase; server on core 0, clients on core 1; load average at the"
                + " end %s.%n%n", reps, seconds, PeersBench.loadAverage()));
        md.append("| connections | C round trips/s | juv round trips/s | juv / C | C resident bytes per connection"
                + " | juv resident bytes per connection | juv − C, resident | juv native + heap bytes per connection |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int ci = 0; ci < COUNTS.length; ci++) {
            double cR = PeersBench.median(rps[0][ci]);
            double jR = PeersBench.median(rps[1][ci]);
            double cM = PeersBench.median(rss[0][ci]);
            double jM = PeersBench.median(rss[1][ci]);
            md.append(String.format(Locale.ROOT, "| %d | %s%s | %s%s | %.2f× | %s%s | %s%s | %s | %s%s |%n", COUNTS[ci],
                    PeersBench.num(cR), PeersBench.spread(rps[0][ci]), PeersBench.num(jR),
                    PeersBench.spread(rps[1][ci]), jR / cR, PeersBench.num(cM), PeersBench.spread(rss[0][ci]),
                    PeersBench.num(jM), PeersBench.spread(rss[1][ci]), PeersBench.num(jM - cM),
                    PeersBench.num(PeersBench.median(held[ci])), PeersBench.spread(held[ci])));
        }
        PeersBench.writeTable(out.resolve("growth.md"), md, problems);
        BufferedImage img = new BufferedImage(1060, 460, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = PeersBench.canvas(img, "Cost as the connections double (10% busy): C libuv and juv",
                "medians of " + reps + " repetitions, bars from min to max; x: connections (log scale)");
        Color c = PeersBench.COLORS[0];
        Color j = PeersBench.COLORS[1];
        panel(g, 20, 70, 500, 340, "round trips/s (all busy connections)",
                List.of(new Series("C libuv", c, rps[0]), new Series("juv", j, rps[1])));
        panel(g, 540, 70, 500, 340, "bytes per connection",
                List.of(new Series("C libuv, resident", c, rss[0]), new Series("juv, resident", j, rss[1]),
                        new Series("juv, native + heap", PeersBench.COLORS[2], held)));
        g.dispose();
        ImageIO.write(img, "png", out.resolve("growth.png").toFile());
        System.out.println("\nwrote " + out.resolve("growth.md") + " and " + out.resolve("growth.png"));
    }

    /** One line chart: a line per server over the counts, with min–max bars. */
    private static void panel(Graphics2D g, int x0, int y0, int w, int h, String title, List<Series> v) {
        int left = x0 + 70;
        int right = x0 + w - 20;
        int top = y0 + 30;
        int bottom = y0 + h - 40;
        double max = 0;
        for (Series side : v) {
            for (double[] point : side.values()) {
                for (double x : point) {
                    if (!Double.isNaN(x)) {
                        max = Math.max(max, x);
                    }
                }
            }
        }
        max = max <= 0 ? 1 : max * 1.1;
        g.setColor(Color.BLACK);
        g.drawString(title, x0 + 10, y0 + 14);
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);
        for (int t = 0; t <= 4; t++) {
            int y = bottom - (bottom - top) * t / 4;
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.BLACK);
            g.drawString(PeersBench.num(max * t / 4), x0 + 4, y + 4);
        }
        for (int ci = 0; ci < COUNTS.length; ci++) {
            g.drawString(Integer.toString(COUNTS[ci]), xAt(ci, left, right) - 14, bottom + 16);
        }
        for (int side = 0; side < v.size(); side++) {
            double[][] values = v.get(side).values();
            g.setColor(v.get(side).color());
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (int ci = 0; ci < COUNTS.length; ci++) {
                double m = PeersBench.median(values[ci]);
                if (Double.isNaN(m)) {
                    continue;
                }
                int x = xAt(ci, left, right);
                int y = yAt(m, max, top, bottom);
                double lo = Arrays.stream(values[ci]).filter(d -> !Double.isNaN(d)).min().orElse(m);
                double hi = Arrays.stream(values[ci]).filter(d -> !Double.isNaN(d)).max().orElse(m);
                g.setStroke(new BasicStroke(1f));
                g.drawLine(x + side * 4, yAt(lo, max, top, bottom), x + side * 4, yAt(hi, max, top, bottom));
                g.setStroke(new BasicStroke(2f));
                g.fillOval(x - 3, y - 3, 7, 7);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.setStroke(new BasicStroke(1f));
            g.fillRect(right - 150, top + 4 + side * 18, 12, 10);
            g.setColor(Color.BLACK);
            g.drawString(v.get(side).name(), right - 134, top + 14 + side * 18);
        }
    }

    private static int xAt(int ci, int left, int right) {
        return left + 20 + (right - left - 40) * ci / (COUNTS.length - 1);
    }

    private static int yAt(double v, double max, int top, int bottom) {
        return bottom - (int) Math.round(Math.max(0, v) / max * (bottom - top));
    }
}
