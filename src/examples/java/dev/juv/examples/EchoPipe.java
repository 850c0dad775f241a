package dev.juv.examples;

import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.Signal;
import dev.juv.Stream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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
            Pipe server = new Pipe(loop);
            server.bind(args[0]);
            // closing the bound pipe at SIGINT removes its socket file
            EchoServerTcp.echoUntilSigint(loop, server, () -> new Pipe(loop));
            System.out.println("Listening on " + args[0]);
            System.out.flush();
            loop.run();
            System.out.println("Stopped!");
            System.out.flush();
        } else {
            Pipe in = new Pipe(loop);
            in.open(0);
            Pipe out = new Pipe(loop);
            out.open(1);
            // let queued output drain before standard output closes
            copyUntilExit(loop, in, out, () -> out.shutdown((o, e) -> o.close()));
            System.err.println("Ready");
            System.err.flush();
            loop.run();
        }
        loop.close();
    }

    /**
     * Writes everything read from {@code in} to {@code out} until EOF, a read of {@code exit},
     * or SIGINT; then closes {@code in} and the signal handle and runs {@code closeOut}. Also
     * serves {@link EchoTty}.
     */
    static void copyUntilExit(Loop loop, Stream<?> in, Stream<?> out, Runnable closeOut) {
        Signal sigint = new Signal(loop);
        Runnable stop = () -> {
            if (in.isClosing()) {
                return;
            }
            in.close();
            sigint.close();
            closeOut.run();
        };
        in.startRead((s, data, error) -> {
            if (data == null || isExit(data)) {
                stop.run();
                return;
            }
            out.write(data);
        });
        sigint.start((sig, signum) -> stop.run(), Signal.SIGINT);
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
}
