package dev.juv.examples;

import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.Signal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Echoes through pipes. Without arguments it copies its standard input to its standard output
 * until input ends, a read is exactly {@code exit} (a line end after it is ignored), or Ctrl+C;
 * its ready line, {@code Ready}, goes to standard error. With a path it serves a named pipe (a
 * Unix domain socket) there and echoes every connection, until Ctrl+C.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.EchoPipe [path]</pre>
 */
public final class EchoPipe {
    private EchoPipe() {}

    public static void main(String[] args) {
        Loop loop = new Loop();
        if (args.length > 0) {
            serve(loop, args[0]);
        } else {
            copyStdio(loop);
        }
        loop.close();
    }

    /** Whether a read is the word {@code exit}, ignoring one trailing line end. */
    static boolean isExit(ByteBuffer data) {
        int n = data.remaining();
        if (n > 0 && data.get(data.position() + n - 1) == '\n') {
            n--;
            if (n > 0 && data.get(data.position() + n - 1) == '\r') {
                n--;
            }
        }
        if (n != 4) {
            return false;
        }
        byte[] b = new byte[4];
        data.get(data.position(), b);
        return new String(b, StandardCharsets.US_ASCII).equals("exit");
    }

    private static void copyStdio(Loop loop) {
        Pipe in = new Pipe(loop);
        in.open(0);
        Pipe out = new Pipe(loop);
        out.open(1);
        Signal sigint = new Signal(loop);
        Runnable stop = () -> {
            if (in.isClosing()) {
                return;
            }
            in.close();
            sigint.close();
            // let queued output drain before closing standard output
            out.shutdown((o, e) -> o.close());
        };
        in.startRead((s, data, error) -> {
            if (data == null || isExit(data)) {
                stop.run();
                return;
            }
            out.write(data);
        });
        sigint.start((sig, signum) -> stop.run(), Signal.SIGINT);
        System.err.println("Ready");
        System.err.flush();
        loop.run();
    }

    private static void serve(Loop loop, String path) {
        Set<Pipe> clients = new LinkedHashSet<>();
        Pipe server = new Pipe(loop);
        server.bind(path);
        server.listen(128, (s, error) -> {
            if (error != null) {
                System.err.println("listen: " + error.getMessage());
                return;
            }
            Pipe client = new Pipe(loop);
            s.accept(client);
            clients.add(client);
            client.startRead((c, data, e) -> {
                if (data == null) {
                    clients.remove(c);
                    c.close();
                    return;
                }
                c.write(data);
            });
        });
        Signal sigint = new Signal(loop);
        sigint.start((sig, signum) -> {
            for (Pipe c : clients) {
                c.close();
            }
            clients.clear();
            sig.close();
            // closing the bound pipe removes its socket file
            server.close();
        }, Signal.SIGINT);
        System.out.println("Listening on " + path);
        System.out.flush();
        loop.run();
        System.out.println("Stopped!");
        System.out.flush();
    }
}
