import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates {@code dev.juv.internal.LibUv} from {@code include/uv.symbols}, the one list of the
 * libuv functions juv binds. Run by the build in the generate-sources phase:
 *
 * <pre>java src/build/Bindings.java include/uv.symbols target/generated-sources/libuv</pre>
 *
 * <p>Each C declaration becomes a public static method of the same name whose parameters carry
 * the declaration's names. Pointers, arrays and callbacks travel as {@code long} addresses,
 * 64-bit integers and {@code size_t} as {@code long}, {@code int}-sized integers and enums as
 * {@code int}, {@code double} as {@code double}. The method handles live in one nested class per
 * {@code ## section} of the list, so the JVM links a section's functions the first time one of
 * them is called and never links the sections a program does not use.
 *
 * <p>Written for Java 17 so that any JDK the build runs on can run it; it writes the file only
 * when its text changes, so an unchanged list never forces a recompilation.
 */
public final class Bindings {
    private static final Pattern SECTION = Pattern.compile("^##\\s*([a-z_]+)\\s*$");
    private static final Pattern DECL = Pattern.compile(
            "^(.+?)\\b(uv_[a-z0-9_]+)\\s*\\(([^)]*)\\)\\s*;\\s*(?:#\\s*(.*))?$");
    private static final Pattern SINCE = Pattern.compile("since\\s+(\\d+)\\.(\\d+)");
    private static final Set<String> INT_TYPES = Set.of("int", "unsigned int", "unsigned", "uv_file",
            "uv_os_fd_t", "uv_os_sock_t", "uv_pid_t", "uv_uid_t", "uv_gid_t", "uv_handle_type",
            "uv_req_type", "uv_fs_type", "uv_run_mode", "uv_tty_mode_t", "uv_tty_vtermstate_t", "uv_membership", "uv_clock_id",
            "uv_loop_option");
    private static final Set<String> LONG_TYPES = Set.of("int64_t", "uint64_t", "size_t", "ssize_t");
    private static final Set<String> KEYWORDS = Set.of("abstract", "boolean", "byte", "char", "class",
            "default", "double", "float", "int", "long", "native", "new", "short", "static", "switch");

    private Bindings() {}

    /** One C type as it crosses: the Java carrier and the layout constant of {@code Native}. */
    private record Carrier(String java, String letter) {
        static final Carrier POINTER = new Carrier("long", "P");
        static final Carrier INT = new Carrier("int", "I");
        static final Carrier LONG = new Carrier("long", "J");
        static final Carrier SIZE = new Carrier("long", "S");
        static final Carrier DOUBLE = new Carrier("double", "D");
        static final Carrier VOID = new Carrier("void", "V");
    }

    private record Param(String name, Carrier carrier) {}

    private record Function(String section, String declaration, String name, Carrier result,
            List<Param> params, String since, boolean critical) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java Bindings.java include/uv.symbols <output source root>");
            System.exit(2);
        }
        Path list = Path.of(args[0]);
        List<Function> functions = parse(list);
        String text = render(functions);
        Path out = Path.of(args[1], "dev", "juv", "internal", "LibUv.java");
        Files.createDirectories(out.getParent());
        if (!Files.exists(out) || !Files.readString(out, StandardCharsets.UTF_8).equals(text)) {
            Files.writeString(out, text, StandardCharsets.UTF_8);
            System.out.println("bindings: " + functions.size() + " libuv functions -> " + out);
        }
    }

    static List<Function> parse(Path list) throws IOException {
        List<Function> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        String section = null;
        int lineNo = 0;
        for (String raw : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            lineNo++;
            String line = raw.strip();
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                section = s.group(1);
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher d = DECL.matcher(line);
            if (!d.matches()) {
                throw fail(list, lineNo, "not a C declaration: " + raw);
            }
            if (section == null) {
                throw fail(list, lineNo, "a declaration before the first '## section'");
            }
            String name = d.group(2);
            if (!seen.add(name)) {
                throw fail(list, lineNo, name + " is listed twice");
            }
            String tags = d.group(4) == null ? "" : d.group(4);
            Matcher since = SINCE.matcher(tags);
            List<Param> params = new ArrayList<>();
            String plist = d.group(3).strip();
            if (!plist.equals("void") && !plist.isEmpty()) {
                for (String p : plist.split(",")) {
                    params.add(param(list, lineNo, p.strip()));
                }
            }
            String decl = line.substring(0, line.indexOf(';') + 1);
            out.add(new Function(section, decl, name, carrier(list, lineNo, d.group(1).strip(), true), params,
                    since.find() ? since.group(1) + "." + since.group(2) : null, tags.contains("critical")));
        }
        return out;
    }

    private static Param param(Path list, int lineNo, String p) {
        Matcher m = Pattern.compile("^(.*?)([A-Za-z_][A-Za-z0-9_]*)\\s*(\\[[0-9]*\\])?$").matcher(p);
        if (!m.matches() || m.group(1).isBlank()) {
            throw fail(list, lineNo, "a parameter without a name: '" + p + "'");
        }
        String type = m.group(1).strip() + (m.group(3) == null ? "" : "*");
        String name = m.group(2);
        return new Param(KEYWORDS.contains(name) ? name + "_" : name, carrier(list, lineNo, type, false));
    }

    private static Carrier carrier(Path list, int lineNo, String cType, boolean result) {
        String t = cType.replace("const ", "").replace("struct ", "").strip();
        if (t.endsWith("*") || t.endsWith("_cb") || t.endsWith("_func")) {
            return Carrier.POINTER;
        }
        if (t.equals("void") && result) {
            return Carrier.VOID;
        }
        if (INT_TYPES.contains(t)) {
            return Carrier.INT;
        }
        if (t.equals("size_t") || t.equals("ssize_t")) {
            return Carrier.SIZE;
        }
        if (LONG_TYPES.contains(t)) {
            return Carrier.LONG;
        }
        if (t.equals("double")) {
            return Carrier.DOUBLE;
        }
        throw fail(list, lineNo, "no Java carrier for the C type '" + cType + "'");
    }

    private static IllegalArgumentException fail(Path list, int lineNo, String why) {
        return new IllegalArgumentException(list + ":" + lineNo + ": " + why);
    }

    static String render(List<Function> functions) {
        Map<String, List<Function>> sections = new LinkedHashMap<>();
        for (Function f : functions) {
            sections.computeIfAbsent(f.section(), k -> new ArrayList<>()).add(f);
        }
        StringBuilder b = new StringBuilder();
        b.append("// Generated by src/build/Bindings.java from include/uv.symbols: change the list, not this file.\n");
        b.append("package dev.juv.internal;\n\n");
        b.append("import static dev.juv.internal.Native.linkOrNull;\n");
        b.append("import static dev.juv.internal.Native.relink;\n");
        b.append("import static dev.juv.internal.Native.rethrow;\n\n");
        b.append("import java.lang.invoke.MethodHandle;\n");
        b.append("import java.util.List;\n");
        b.append("import java.util.Set;\n\n");
        b.append("/**\n");
        b.append(" * Every libuv function juv binds, named and typed as include/uv.symbols declares it: pointers are\n");
        b.append(" * {@code long} addresses and each method returns libuv's raw result (callers decide what a status\n");
        b.append(" * means). Each function is linked the first time it is called (its handle lives in a holder\n");
        b.append(" * class of its own, a constant once linked), so a program pays only for the functions it uses.\n");
        b.append(" * A function without a {@code double} is linked as a word call ({@code Native.linkDescriptor}):\n");
        b.append(" * its method widens {@code int} arguments, pads with zeros and narrows the result.\n");
        b.append(" *\n");
        b.append(" * <p>A holder is initialised where its function is first called, which may be at the very end\n");
        b.append(" * of the stack. An overflow inside the initialiser leaves its handle null; one the JVM throws\n");
        b.append(" * before the initialiser runs leaves the class unusable for ever (each use then throws\n");
        b.append(" * {@code NoClassDefFoundError}). Either way the method links through {@code Native.relink}\n");
        b.append(" * instead: the call that met the overflow fails with it, and the function works afterwards.\n");
        b.append(" */\n");
        b.append("public final class LibUv {\n");
        b.append("    private LibUv() {}\n\n");
        b.append("    /** Every function bound here, in the order of the list. */\n");
        b.append("    public static List<String> bound() {\n");
        b.append("        return Listed.BOUND;\n");
        b.append("    }\n\n");
        b.append("    /** The functions linked with {@code Linker.Option.critical}: leaf calls only. */\n");
        b.append("    public static Set<String> critical() {\n");
        b.append("        return Listed.CRITICAL;\n");
        b.append("    }\n\n");
        b.append("    /**\n");
        b.append("     * Loads (without initialising or linking) every function's holder class. From a jar this\n");
        b.append("     * is never needed; from a directory of classes, loading a class opens a file, and a\n");
        b.append("     * function first called while descriptors are exhausted would fail for the life of the\n");
        b.append("     * JVM (a failed class resolution is final), so {@code Native} calls this once there.\n");
        b.append("     * Returns how many classes could not be loaded now (they load on first use).\n");
        b.append("     */\n");
        b.append("    static int loadHolders() {\n");
        b.append("        int missed = 0;\n");
        b.append("        ClassLoader loader = LibUv.class.getClassLoader();\n");
        b.append("        for (String name : Listed.BOUND) {\n");
        b.append("            try {\n");
        b.append("                Class.forName(\"dev.juv.internal.LibUv$Link_\" + name, false, loader);\n");
        b.append("            } catch (ClassNotFoundException | LinkageError e) {\n");
        b.append("                missed++;\n");
        b.append("            }\n");
        b.append("        }\n");
        b.append("        return missed;\n");
        b.append("    }\n\n");
        b.append("    // LibUv itself has no static state: nothing a stack overflow in a class initialiser\n");
        b.append("    // could leave unusable (see Native.Link); the lists are for checks, not for calls\n");
        b.append("    private static final class Listed {\n");
        b.append("        static final List<String> BOUND = List.of(");
        names(b, functions, false);
        b.append(");\n\n");
        b.append("        static final Set<String> CRITICAL = Set.of(");
        names(b, functions, true);
        b.append(");\n");
        b.append("    }\n");
        for (Map.Entry<String, List<Function>> e : sections.entrySet()) {
            b.append("\n    // ---- ").append(e.getKey()).append(" ----\n");
            for (Function f : e.getValue()) {
                method(b, f);
            }
        }
        b.append("\n    private static UnsupportedOperationException unsupported(String name, String version) {\n");
        b.append("        return new UnsupportedOperationException(name + \" needs libuv \" + version\n");
        b.append("                + \" or newer; the loaded libuv is \" + Version.string());\n");
        b.append("    }\n");
        b.append("}\n");
        return b.toString();
    }

    private static void names(StringBuilder b, List<Function> functions, boolean criticalOnly) {
        String sep = "";
        for (Function f : functions) {
            if (!criticalOnly || f.critical()) {
                b.append(sep).append("\n                \"").append(f.name()).append('"');
                sep = ",";
            }
        }
    }

    /** The function's shape for {@code Native.descriptor}: result, ':', one letter per parameter. */
    private static String shape(Function f) {
        StringBuilder sb = new StringBuilder(f.result() == Carrier.VOID ? "V" : f.result().letter()).append(':');
        for (Param p : f.params()) {
            sb.append(p.carrier().letter());
        }
        return sb.toString();
    }

    /**
     * Parameters of a word call: Native.WORD_CALL_ARGS, which links it (this generator runs
     * before juv is compiled). Were the two to differ, every generated call would throw
     * WrongMethodTypeException, which the first test of any kind meets.
     */
    private static final int WORD_CALL_ARGS = 6;

    /** Whether {@code f} is linked as a word call (see Native.linkDescriptor): no double anywhere. */
    private static boolean wordCall(Function f) {
        return shape(f).indexOf('D') < 0;
    }

    private static void method(StringBuilder b, Function f) {
        String ret = f.result().java();
        boolean word = wordCall(f);
        StringBuilder params = new StringBuilder();
        StringBuilder args = new StringBuilder();
        for (Param p : f.params()) {
            if (params.length() > 0) {
                params.append(", ");
                args.append(", ");
            }
            params.append(p.carrier().java()).append(' ').append(p.name());
            args.append(word && p.carrier() == Carrier.INT ? "(long) " : "").append(p.name());
        }
        if (word) {
            for (int i = f.params().size(); i < WORD_CALL_ARGS; i++) {
                args.append(args.length() > 0 ? ", " : "").append("0L");
            }
        }
        String holder = "Link_" + f.name();
        String link = "\"" + f.name() + "\", \"" + shape(f) + "\", " + f.critical();
        b.append("\n    /** {@code ").append(f.declaration()).append("} */\n");
        b.append("    public static ").append(ret).append(' ').append(f.name()).append('(').append(params).append(") {\n");
        b.append("        MethodHandle h;\n");
        b.append("        try {\n");
        b.append("            h = ").append(holder).append(".HANDLE;\n");
        b.append("        } catch (LinkageError unusable) {\n");
        b.append("            h = null; // see the class comment\n");
        b.append("        }\n");
        b.append("        if (h == null) {\n");
        if (f.since() != null) {
            b.append("            h = relink(").append(link).append(", true);\n");
            b.append("            if (h == null) {\n");
            b.append("                throw unsupported(\"").append(f.name()).append("\", \"").append(f.since()).append("\");\n");
            b.append("            }\n");
        } else {
            b.append("            h = relink(").append(link).append(", false);\n");
        }
        b.append("        }\n");
        b.append("        try {\n");
        b.append("            ");
        if (!word) {
            b.append(ret.equals("void") ? "" : "return (" + ret + ") ");
        } else if (ret.equals("void")) {
            b.append("long unused = (long) ");
        } else {
            b.append("return (").append(ret).append(ret.equals("long") ? ") " : ") (long) ");
        }
        b.append("h.invokeExact(").append(args).append(");\n");
        b.append("        } catch (Throwable t) {\n");
        b.append("            throw rethrow(t);\n");
        b.append("        }\n");
        b.append("    }\n");
        b.append("\n    private static final class ").append(holder).append(" {\n");
        b.append("        static final MethodHandle HANDLE;\n\n");
        b.append("        static {\n");
        b.append("            MethodHandle h = null;\n");
        b.append("            try {\n");
        b.append("                h = linkOrNull(").append(link).append(");\n");
        b.append("            } catch (Throwable t) {\n");
        b.append("                // left null: the method links it again (see Native.linkOrNull)\n");
        b.append("            }\n");
        b.append("            HANDLE = h;\n");
        b.append("        }\n");
        b.append("    }\n");
        if (f.since() != null) {
            b.append("\n    /** Whether the loaded libuv has {@code ").append(f.name()).append("} (libuv ")
                    .append(f.since()).append(" or newer). */\n");
            b.append("    public static boolean has_").append(f.name()).append("() {\n");
            b.append("        try {\n");
            b.append("            if (").append(holder).append(".HANDLE != null) {\n");
            b.append("                return true;\n");
            b.append("            }\n");
            b.append("        } catch (LinkageError unusable) {\n");
            b.append("            // see the class comment\n");
            b.append("        }\n");
            b.append("        return relink(").append(link).append(", true) != null;\n");
            b.append("    }\n");
        }
    }
}
