package dev.juv.examples;

import dev.juv.Loop;
import dev.juv.Tty;

/**
 * Echoes what is typed on the terminal back to it, until input ends, a read is exactly
 * {@code exit} (a line end after it is ignored), or Ctrl+C. Its first line gives the window size.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.EchoTty</pre>
 */
public final class EchoTty {
    private EchoTty() {}

    public static void main(String[] args) {
        Loop loop = new Loop();
        Tty in = new Tty(loop, 0, true);
        Tty out = new Tty(loop, 1, false);
        EchoPipe.copyUntilExit(loop, in, out, out::close);
        Tty.Size size = out.winsize();
        System.out.println("Window size: (" + size.width() + ", " + size.height() + ")");
        System.out.flush();
        loop.run();
        loop.close();
        Tty.resetMode();
    }
}
