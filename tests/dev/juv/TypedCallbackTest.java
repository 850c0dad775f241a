package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callbacks receive the concrete stream: a Tcp's listen, read, write, shutdown and connect
 * lambdas call Tcp's own methods without a cast, and a Pipe's call Pipe's.
 */
@Timeout(30)
class TypedCallbackTest extends UvTestCase {
    @TempDir
    Path dir;

    @Test
    void tcpLambdasGetATcp() {
        List<String> seen = new ArrayList<>();
        Tcp server = new Tcp(loop);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.listen(128, (srv, e) -> {
            srv.setNoDelay(true); // a Tcp method: the lambda's parameter is a Tcp
            Tcp c = new Tcp(loop);
            srv.accept(c);
            c.startRead((conn, data, err) -> {
                if (data == null) {
                    seen.add("eof from " + conn.remoteAddress().getAddress().isLoopbackAddress());
                    conn.close();
                    srv.close();
                }
            });
        });
        Tcp client = new Tcp(loop);
        client.connect(server.localAddress(), (t, e) -> {
            assertNull(e);
            t.setKeepAlive(true, 10);
            t.write(new byte[] {1}, (w, we) -> {
                seen.add("written to " + w.remoteAddress().getPort());
                w.shutdown((s, se) -> {
                    seen.add("shut " + s.family());
                    s.close();
                });
            });
        });
        loop.run();
        int port = seen.isEmpty() ? -1 : Integer.parseInt(seen.get(0).substring("written to ".length()));
        assertEquals(List.of("written to " + port, "shut INET", "eof from true"), seen);
    }

    @Test
    void pipeLambdasGetAPipe() {
        String name = dir.resolve("typed.sock").toString();
        List<String> seen = new ArrayList<>();
        Pipe server = new Pipe(loop);
        server.bind(name);
        server.listen(4, (srv, e) -> {
            seen.add("listening at " + srv.localName().equals(name)); // a Pipe method
            Pipe c = new Pipe(loop);
            srv.accept(c);
            c.close();
            srv.close();
        });
        Pipe client = new Pipe(loop);
        client.connect(name, (p, e) -> {
            seen.add("ipc " + p.isIpc());
            p.close();
        });
        loop.run();
        assertEquals(List.of("ipc false", "listening at true"), seen.stream().sorted().toList());
    }
}
