package dev.juv;

import dev.juv.internal.CBlock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ChildProcess#spawn} starts: libuv's {@code uv_process_options_t} as a Java builder.
 * Every setter returns this object. Strings reach the child as UTF-8; a string holding a NUL
 * character is refused at once with {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * ChildProcess.spawn(loop, ProcessOptions.command("sh", "-c", "echo hi").cwd(dir)
 *         .stdio(Stdio.ignore(), Stdio.pipe(out, Stdio.WRITABLE)), (p, status, signal) -> p.close());
 * }</pre>
 */
public final class ProcessOptions {
    static final int UV_PROCESS_SETUID = 1;
    static final int UV_PROCESS_SETGID = 1 << 1;
    static final int UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS = 1 << 2;
    static final int UV_PROCESS_DETACHED = 1 << 3;
    static final int UV_PROCESS_WINDOWS_HIDE = 1 << 4;

    private String file;
    private List<String> args;
    private Map<String, String> env;
    private String cwd;
    private int flags;
    private int uid;
    private int gid;
    private List<Stdio> stdio = List.of();

    /** Empty options: at least {@link #file} or {@link #args} must be set before spawning. */
    public ProcessOptions() {}

    /**
     * Options that run {@code argv}: the program is {@code argv[0]}, looked up on {@code PATH}
     * when it holds no slash, and {@code argv} is the child's whole argument vector.
     *
     * @param argv the program and its arguments
     * @return new options that run {@code argv}
     * @throws IllegalArgumentException when {@code argv} is empty or a string holds a NUL
     */
    public static ProcessOptions command(String... argv) {
        Objects.requireNonNull(argv, "argv");
        if (argv.length == 0) {
            throw new IllegalArgumentException("argv is empty");
        }
        return new ProcessOptions().file(argv[0]).args(argv);
    }

    /**
     * The program to run, looked up on {@code PATH} when it holds no slash. Without it, the
     * program is the first argument.
     *
     * @param file the program's path or name
     * @return these options
     */
    public ProcessOptions file(String file) {
        this.file = checkString(Objects.requireNonNull(file, "file"), "file");
        return this;
    }

    /**
     * The child's whole argument vector, {@code argv[0]} included. Without it, the vector is the
     * program name alone.
     *
     * @param args the argument vector
     * @return these options
     */
    public ProcessOptions args(String... args) {
        Objects.requireNonNull(args, "args");
        return args(Arrays.asList(args));
    }

    /**
     * The child's whole argument vector, {@code argv[0]} included.
     *
     * @param args the argument vector
     * @return these options
     */
    public ProcessOptions args(List<String> args) {
        Objects.requireNonNull(args, "args");
        List<String> copy = new ArrayList<>(args.size());
        for (String a : args) {
            copy.add(checkString(Objects.requireNonNull(a, "argument"), "argument"));
        }
        this.args = List.copyOf(copy);
        return this;
    }

    /**
     * The child's environment, which replaces the whole inherited one ({@code PATH} included);
     * null (the default) inherits this process's environment.
     *
     * @param env the variables by name, or null to inherit
     * @return these options
     * @throws IllegalArgumentException for an empty name, or a name holding '=' or NUL
     */
    public ProcessOptions env(Map<String, String> env) {
        if (env == null) {
            this.env = null;
            return this;
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String k = Objects.requireNonNull(e.getKey(), "environment name");
            String v = Objects.requireNonNull(e.getValue(), "environment value");
            if (k.isEmpty() || k.indexOf('=') >= 0) {
                throw new IllegalArgumentException("invalid environment variable name '" + k + "'");
            }
            copy.put(checkString(k, "environment name"), checkString(v, "environment value"));
        }
        this.env = copy;
        return this;
    }

    /**
     * The child's working directory; null (the default) keeps this process's.
     *
     * @param cwd the directory's path, or null
     * @return these options
     */
    public ProcessOptions cwd(String cwd) {
        this.cwd = cwd == null ? null : checkString(cwd, "cwd");
        return this;
    }

    /**
     * Whether the child leads a new process group (and session) so that it can outlive this
     * process. It still keeps the loop alive unless its handle is {@link Handle#unref()}ed.
     * Wraps UV_PROCESS_DETACHED.
     *
     * @param detached true to detach the child
     * @return these options
     */
    public ProcessOptions detached(boolean detached) {
        return flag(UV_PROCESS_DETACHED, detached);
    }

    /**
     * Windows only: pass the arguments without quoting. Wraps
     * UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS.
     *
     * @param verbatim true to pass the arguments as they are
     * @return these options
     */
    public ProcessOptions verbatimArguments(boolean verbatim) {
        return flag(UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS, verbatim);
    }

    /**
     * Windows only: hide the child's window. Wraps UV_PROCESS_WINDOWS_HIDE.
     *
     * @param hide true to hide the window
     * @return these options
     */
    public ProcessOptions hide(boolean hide) {
        return flag(UV_PROCESS_WINDOWS_HIDE, hide);
    }

    /**
     * Runs the child as user {@code uid} (needs the privilege). Wraps UV_PROCESS_SETUID.
     *
     * @param uid the user id
     * @return these options
     */
    public ProcessOptions uid(int uid) {
        this.uid = uid;
        this.flags |= UV_PROCESS_SETUID;
        return this;
    }

    /**
     * Runs the child with group {@code gid} (needs the privilege). Wraps UV_PROCESS_SETGID.
     *
     * @param gid the group id
     * @return these options
     */
    public ProcessOptions gid(int gid) {
        this.gid = gid;
        this.flags |= UV_PROCESS_SETGID;
        return this;
    }

    /**
     * The child's file descriptors 0, 1, 2, ... in order. Without it, the child's stdin, stdout
     * and stderr are all {@link Stdio#ignore()}d.
     *
     * @param stdio one setting per descriptor, starting at 0
     * @return these options
     */
    public ProcessOptions stdio(Stdio... stdio) {
        Objects.requireNonNull(stdio, "stdio");
        List<Stdio> list = new ArrayList<>(stdio.length);
        for (Stdio s : stdio) {
            list.add(Objects.requireNonNull(s, "stdio entry"));
        }
        this.stdio = List.copyOf(list);
        return this;
    }

    private ProcessOptions flag(int bit, boolean on) {
        flags = on ? flags | bit : flags & ~bit;
        return this;
    }

    private static String checkString(String s, String what) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character");
        }
        CBlock.utf8(s); // an unpaired surrogate has no UTF-8 form: refused here, not at spawn
        return s;
    }

    // ---- read by ChildProcess.spawn ----

    /** The program: the file set, else the first argument; null when neither is set. */
    String program() {
        if (file != null) {
            return file;
        }
        return args != null && !args.isEmpty() ? args.get(0) : null;
    }

    /** The argument vector: the one set, else the program alone. */
    List<String> argv() {
        if (args != null && !args.isEmpty()) {
            return args;
        }
        String p = program();
        return p == null ? List.of() : List.of(p);
    }

    /** "NAME=value" strings, or null to inherit. */
    List<String> envStrings() {
        if (env == null) {
            return null;
        }
        List<String> out = new ArrayList<>(env.size());
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    String cwdValue() {
        return cwd;
    }

    int flagsValue() {
        return flags;
    }

    int uidValue() {
        return uid;
    }

    int gidValue() {
        return gid;
    }

    List<Stdio> stdioList() {
        return stdio;
    }
}
