package dev.juv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.juv.support.Tags;
import dev.juv.support.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the TLS tests share: 1 MiB of seeded bytes, a juv TLS echo server and a juv echo client on
 * the test's loop, a loop run bounded by a guard timer, and the check that a failure is an
 * SSLException.
 */
abstract class TlsTestCase extends UvTestCase {
    static final byte[] MIB = new byte[1 << 20];

    static {
        new Random(16).nextBytes(MIB);
        // the JDK's SecureRandom opens /dev/random and /dev/urandom for the process on first use
        new SecureRandom().nextBytes(new byte[16]);
        TestCerts.jdkHandshakeOnce();
    }


    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    static SSLParameters protocols(String... names) {
        SSLParameters p = new SSLParameters();
        p.setProtocols(names);
        return p;
    }

    /** Whether {@code t}'s cause chain holds an SSLException. */
    static boolean isSsl(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    static void assertSsl(Throwable t) {
        assertNotNull(t, "a failure was expected");
        assertTrue(isSsl(t), () -> "not an SSLException: " + t);
    }

    boolean timedOut;

    /** Runs the test's loop until it has nothing left; a guard closes everything after 20 s. */
    void runLoop() {
        Timer guard = new Timer(loop);
        guard.start(t -> {
            timedOut = true;
            for (Handle h : loop.handles()) {
                h.close();
            }
        }, 20_000, 0);
        guard.unref();
        loop.run();
        guard.close();
        loop.run();
        assertFalse(timedOut, "the loop was still busy after 20 s");
    }

    /** What a server connection saw. */
    record Served(TlsStream tls, String protocol, String alpn, List<SNIServerName> sni, Exception failure) {}

    /** A juv TLS echo server on the test's loop; each connection echoes until close_notify. */
    final class EchoServer {
        final Tcp listener = new Tcp(loop);
        final List<Served> served = new ArrayList<>();
        final List<Exception> failures = new ArrayList<>();
        final List<TlsStream> failed = new ArrayList<>();
        final int port;

        EchoServer(SSLContext context, SSLParameters parameters) {
            listener.bind(loopback(0));
            port = listener.localAddress().getPort();
            listener.listen(16, (srv, e) -> {
                assertNull(e);
                Tcp c = new Tcp(loop);
                srv.accept(c);
                TlsStream tls = TlsStream.server(c, context, parameters);
                tls.handshakeAsync().thenAccept(t -> served.add(new Served(t, t.session().getProtocol(),
                        t.applicationProtocol(), ((ExtendedSSLSession) t.session()).getRequestedServerNames(), null)));
                tls.startRead((t, data, err) -> {
                    if (data != null) {
                        t.write(data, null);
                    } else if (err == null) {
                        t.shutdownAsync().whenComplete((v, x) -> t.close());
                    } else {
                        failures.add(err);
                        failed.add(t);
                    }
                });
            });
        }
    }

    /** Connects a TCP client to {@code port}, wraps it with {@code wrap} and gives it to {@code start}. */
    void connectTls(int port, Function<Tcp, TlsStream> wrap, List<TlsStream> made, Consumer<TlsStream> start) {
        Tcp c = new Tcp(loop);
        c.connect(loopback(port), (tcp, e) -> {
            assertNull(e);
            TlsStream tls = wrap.apply(tcp);
            made.add(tls);
            start.accept(tls);
        });
    }

    /** Appends a read callback's bytes. */
    static void append(ByteArrayOutputStream to, ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        to.writeBytes(b);
    }

    /** Connects a juv client, echoes {@code payload} through it and completes with what came back. */
    CompletableFuture<byte[]> echo(int port, Function<Tcp, TlsStream> wrap, byte[] payload, List<TlsStream> made) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        connectTls(port, wrap, made, tls -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            tls.startRead((t, data, err) -> {
                if (data != null) {
                    append(got, data);
                    if (got.size() == payload.length) {
                        t.shutdownAsync();
                    }
                } else if (err == null) {
                    t.close();
                    result.complete(got.toByteArray());
                } else {
                    result.completeExceptionally(err); // the stream closes its transport itself
                }
            });
            for (int off = 0; off < payload.length; off += 65536) {
                tls.write(Arrays.copyOfRange(payload, off, Math.min(payload.length, off + 65536)));
            }
            if (payload.length == 0) {
                tls.shutdownAsync();
            }
        });
        return result;
    }

    /** Closes the server's listener once every future is done. */
    static void closeWhenDone(Handle listener, List<? extends CompletableFuture<?>> all) {
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> listener.close());
    }

    static Throwable failureOf(CompletableFuture<?> f) {
        try {
            f.getNow(null);
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

}
