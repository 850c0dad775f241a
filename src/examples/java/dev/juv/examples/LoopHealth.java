package dev.juv.examples;

import dev.juv.Handle;
import dev.juv.Loop;
import dev.juv.LoopMetrics;
import dev.juv.LoopOptions;
import dev.juv.Signal;
import dev.juv.Tcp;
import dev.juv.Timer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP echo server with a deliberately slow handler, watched the three ways juv offers: the
 * loop's utilization and a delay probe printed twice a second from the main thread, and the
 * watchdog's warning (with the loop thread's stack, on stderr through System.Logger "dev.juv")
 * when one callback holds the loop too long.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.LoopHealth [port] [slowMs] [thresholdMs]</pre>
 * The defaults are 1234, 500 and 200; port 0 picks a free port. It prints
 * {@code Listening on 127.0.0.1:<port>}, then every 500 ms a line
 * {@code utilization 0.03 delay 2 ms callbacks 41 handles 3}: the share of the time the loop
 * was busy, the worst lateness of a 50 ms timer (how long a new event would have waited), the
 * callbacks so far and the open handles. A client line {@code slow} makes its read callback
 * sleep {@code slowMs} before echoing, which shows as utilization near 1, a delay near
 * {@code slowMs} and, past {@code thresholdMs}, the watchdog's warning. Every other line is
 * echoed at once. SIGINT stops it with {@code Stopped!}.
 */
public final class LoopHealth {
    private LoopHealth() {}

    private static final long PROBE_MS = 50;

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 1234;
        long slowMs = args.length > 1 ? Long.parseLong(args[1]) : 500;
        long thresholdMs = args.length > 2 ? Long.parseLong(args[2]) : 200;
        LoopOptions options = LoopOptions.defaults().withIdleTimeMetrics(true)
                .withBlockedThreshold(Duration.ofMillis(thresholdMs));
        AtomicLong worstDelayNanos = new AtomicLong();
        CountDownLatch stopped = new CountDownLatch(1);
        try (Loop loop = Loop.start("loop-health", options)) {
            InetSocketAddress at = loop.submit(() -> serve(loop, port, slowMs, worstDelayNanos, stopped)).get();
            System.out.println("Listening on " + at.getAddress().getHostAddress() + ":" + at.getPort());
            System.out.flush();
            loop.utilization(); // the first interval starts now
            while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
                LoopMetrics m = loop.metrics();
                System.out.println(String.format(Locale.ROOT, "utilization %.2f delay %d ms callbacks %d handles %d",
                        loop.utilization(), TimeUnit.NANOSECONDS.toMillis(worstDelayNanos.getAndSet(0)),
                        m.callbacks(), m.openHandles()));
                System.out.flush();
            }
        }
        System.out.println("Stopped!");
        System.out.flush();
    }

    /** On the loop thread: the server, the delay probe and the SIGINT handler. */
    private static InetSocketAddress serve(Loop loop, int port, long slowMs, AtomicLong worstDelayNanos,
            CountDownLatch stopped) {
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        server.listen(128, (s, error) -> {
            if (error != null) {
                return;
            }
            Tcp client = new Tcp(loop);
            s.accept(client);
            client.startRead((c, data, e) -> {
                if (data == null) {
                    c.close();
                    return;
                }
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                if (new String(bytes, StandardCharsets.UTF_8).trim().equals("slow")) {
                    sleep(slowMs); // the deliberately slow handler: nothing else runs on the loop meanwhile
                }
                c.write(bytes);
            });
        });
        // the delay probe: how late a timer due every PROBE_MS fires
        Timer probe = new Timer(loop);
        long[] due = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_MS)};
        probe.start(t -> {
            long now = System.nanoTime();
            long late = Math.max(0, now - due[0]);
            worstDelayNanos.accumulateAndGet(late, Math::max);
            due[0] = now + TimeUnit.MILLISECONDS.toNanos(PROBE_MS);
        }, PROBE_MS, PROBE_MS);
        Signal sigint = new Signal(loop);
        sigint.start((sig, signum) -> {
            // the server, its clients, the probe and this signal handle: the loop is then empty
            for (Handle h : loop.handles()) {
                h.close();
            }
            stopped.countDown();
        }, Signal.SIGINT);
        return server.localAddress();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
