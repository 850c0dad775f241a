package dev.juv.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The load client of ci/bench's tls group: the JDK's {@link SSLSocket} over blocking sockets, one
 * platform thread per connection, TLS 1.3 with the cipher suite of {@link TlsSetup}, trusting
 * the bench's certificate only. It stays up for the whole group (warmed once) and takes one
 * command per line on stdin, answering each with one line on stdout:
 * <ul>
 * <li>{@code open PORT N}: opens N connections and completes their handshakes; answers
 *     {@code OK protocol=... suite=...} (what was negotiated).
 * <li>{@code pingpong SECONDS SIZE}: on every open connection, writes SIZE bytes and reads them
 *     back, again and again, for SECONDS; answers
 *     {@code RESULT round_trips=... rps=... errors=... mismatches=...}.
 * <li>{@code bulk BYTES}: on the first connection, one thread writes BYTES in 16 KiB writes while
 *     this one reads the echo; answers {@code RESULT bytes=... bytes_per_s=... errors=...
 *     mismatches=...}.
 * <li>{@code close}: closes every connection (close_notify); answers {@code OK}.
 * </ul>
 * End of stdin ends it.
 *
 * <pre>TlsLoadClient keystore.p12</pre>
 */
public final class TlsLoadClient {
    private static final int PATTERN = 1 << 16;
    private static final int WRITE_CHUNK = 16 * 1024;

    private final SSLContext context;
    private final List<SSLSocket> sockets = new ArrayList<>();
    /** What bulk writes, over and over: random bytes, so a misplaced chunk is a mismatch. */
    private final byte[] pattern = new byte[PATTERN];

    private TlsLoadClient(SSLContext context) {
        this.context = context;
        new Random(7).nextBytes(pattern);
    }

    public static void main(String[] args) throws Exception {
        TlsLoadClient c = new TlsLoadClient(TlsSetup.clientContext(Path.of(args[0])));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            String answer;
            try {
                answer = switch (w[0]) {
                    case "open" -> c.open(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
                    case "pingpong" -> c.pingPong(Double.parseDouble(w[1]), Integer.parseInt(w[2]));
                    case "bulk" -> c.bulk(Long.parseLong(w[1]));
                    case "close" -> c.close();
                    default -> "ERROR unknown command " + w[0];
                };
            } catch (IOException | RuntimeException | InterruptedException e) {
                answer = "ERROR " + e;
            }
            System.out.println(answer);
            System.out.flush();
        }
        c.close();
    }

    private String open(int port, int n) throws IOException {
        close();
        String protocol = "?";
        String suite = "?";
        for (int i = 0; i < n; i++) {
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
            sockets.add(s);
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000); // a server that stops answering fails the run instead of hanging it
            s.setSSLParameters(TlsSetup.pinned());
            s.startHandshake();
            protocol = s.getSession().getProtocol();
            suite = s.getSession().getCipherSuite();
        }
        return "OK protocol=" + protocol + " suite=" + suite;
    }

    private String pingPong(double seconds, int size) throws InterruptedException {
        AtomicLong trips = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < sockets.size(); k++) {
            SSLSocket s = sockets.get(k);
            byte[] out = Arrays.copyOfRange(pattern, k, k + size);
            threads.add(Thread.ofPlatform().start(() -> {
                byte[] back = new byte[size];
                long n = 0;
                try {
                    OutputStream os = s.getOutputStream();
                    InputStream is = s.getInputStream();
                    do {
                        os.write(out);
                        readFully(is, back, size);
                        if (!Arrays.equals(out, back)) {
                            mismatches.incrementAndGet();
                        }
                        n++;
                    } while (System.nanoTime() < deadline);
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
                trips.addAndGet(n);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return String.format(Locale.ROOT, "RESULT round_trips=%d rps=%.1f errors=%d mismatches=%d", trips.get(),
                trips.get() / elapsed, errors.get(), mismatches.get());
    }

    private String bulk(long bytes) throws IOException, InterruptedException {
        SSLSocket s = sockets.getFirst();
        AtomicLong writeErrors = new AtomicLong();
        long start = System.nanoTime();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                OutputStream os = s.getOutputStream();
                for (long sent = 0; sent < bytes; ) {
                    int off = (int) (sent % PATTERN);
                    int n = (int) Math.min(Math.min(WRITE_CHUNK, PATTERN - off), bytes - sent);
                    os.write(pattern, off, n);
                    sent += n;
                }
            } catch (IOException e) {
                writeErrors.incrementAndGet();
            }
        });
        InputStream is = s.getInputStream();
        byte[] buf = new byte[PATTERN];
        long got = 0;
        long mismatches = 0;
        long errors = 0;
        try {
            while (got < bytes) {
                int off = (int) (got % PATTERN);
                int n = is.read(buf, 0, (int) Math.min(PATTERN - off, bytes - got));
                if (n < 0) {
                    errors++;
                    break;
                }
                if (Arrays.mismatch(buf, 0, n, pattern, off, off + n) >= 0) {
                    mismatches++;
                }
                got += n;
            }
        } catch (IOException e) {
            errors++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        writer.join();
        return String.format(Locale.ROOT, "RESULT bytes=%d bytes_per_s=%.1f errors=%d mismatches=%d", got,
                got / elapsed, errors + writeErrors.get(), mismatches);
    }

    private static void readFully(InputStream in, byte[] b, int len) throws IOException {
        for (int got = 0; got < len; ) {
            int n = in.read(b, got, len - got);
            if (n < 0) {
                throw new IOException("the server ended the connection");
            }
            got += n;
        }
    }

    private String close() {
        for (SSLSocket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // the server is gone already
            }
        }
        sockets.clear();
        return "OK";
    }
}
