package dev.juv.adversary;

import java.io.PrintStream;

/**
 * The child JVM's main: runs one case of the {@link Catalogue} by name and prints one verdict
 * line, {@code VERDICT pass <case> <detail>} or {@code VERDICT fail <case>: <reason>}, then
 * exits with status 0. Any other way of ending (a signal, another status, no verdict, a hang) is
 * the parent's evidence of a crash or a hang.
 */
public final class Cases {
    private Cases() {}

    /** Prefix of the verdict line. */
    static final String VERDICT = "VERDICT ";

    public static void main(String[] args) {
        Catalogue.Case c = Catalogue.all().get(args[0]);
        PrintStream out = System.out;
        if (c == null) {
            out.println(VERDICT + "fail " + args[0] + ": no such case");
            out.flush();
            System.exit(0);
        }
        String line;
        try {
            String detail = c.body().run();
            line = VERDICT + "pass " + c.name() + (detail == null || detail.isEmpty() ? "" : " " + detail);
        } catch (Violation v) {
            line = VERDICT + "fail " + c.name() + ": " + v.getMessage();
            v.printStackTrace(out);
        } catch (Throwable t) {
            line = VERDICT + "fail " + c.name() + ": unexpected " + t;
            t.printStackTrace(out);
        }
        pass(line);
    }

    /** Prints the verdict line and exits with status 0. */
    static void pass(String line) {
        System.out.println(line);
        System.out.flush();
        System.exit(0);
    }
}
