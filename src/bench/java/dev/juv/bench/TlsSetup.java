package dev.juv.bench;

import dev.juv.Loop;
import dev.juv.Signal;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the TLS benchmark's servers and client share: the protocol and cipher suite pinned on
 * every side, the contexts made from one PKCS#12 keystore (made by the bench with keytool), and
 * the STATS line a server prints on SIGUSR1.
 */
final class TlsSetup {
    private TlsSetup() {}

    /** The one protocol every side enables. */
    static final String PROTOCOL = "TLSv1.3";
    /** The one cipher suite every side enables. */
    static final String SUITE = "TLS_AES_128_GCM_SHA256";
    /** The keystore's password (the one TestCerts gives its keystores). */
    static final String PASSWORD = "changeit";

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static KeyStore load(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /** The server's key manager factory: the keystore's one key and certificate. */
    static KeyManagerFactory keys(Path keystore) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keystore), PASSWORD.toCharArray());
        return kmf;
    }

    /** A server context presenting the keystore's key. */
    static SSLContext serverContext(Path keystore) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys(keystore).getKeyManagers(), null, null);
        return ctx;
    }

    /** A client context trusting exactly the keystore's certificate. */
    static SSLContext clientContext(Path keystore) throws Exception {
        KeyStore ks = load(keystore);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        String alias = ks.aliases().nextElement();
        trusted.setCertificateEntry(alias, ks.getCertificate(alias));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Parameters enabling only {@link #PROTOCOL} and {@link #SUITE}. */
    static SSLParameters pinned() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        p.setCipherSuites(new String[] {SUITE});
        return p;
    }

    /**
     * On {@code loop}'s thread: SIGUSR1 prints {@code STATS allocated=<bytes>}, the heap bytes
     * every thread of the process has allocated so far.
     */
    static void statsOnSignal(Loop loop) {
        new Signal(loop).start((s, signum) -> {
            System.out.printf(Locale.ROOT, "STATS allocated=%d%n", THREADS.getTotalThreadAllocatedBytes());
            System.out.flush();
        }, Signal.SIGUSR1);
    }
}
