package dev.juv.internal;

import dev.juv.LibUvLoadError;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owns the linker, the libuv symbol lookup and juv's counted native allocator.
 *
 * <p>Pointers cross the boundary as {@code long}: every supported platform is 64-bit, where a
 * pointer and a 64-bit integer travel in the same registers. {@link #load} refuses anything else.
 */
@SuppressWarnings("restricted")
public final class Native {
    private Native() {}

    static final Linker LINKER = Linker.nativeLinker();
    static final ValueLayout.OfLong P = ValueLayout.JAVA_LONG; // a pointer, as an address
    static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    /** What the loader tried, in order, and what it found. */
    private static final List<String> TRIED = new ArrayList<>();
    static final SymbolLookup UV;
    static final String LIBRARY_PATH;
    private static final MethodHandle MALLOC;
    private static final MethodHandle CALLOC;
    private static final MethodHandle FREE;
    private static final AtomicLong LIVE_BYTES = new AtomicLong();
    private static final AtomicLong LIVE_BLOCKS = new AtomicLong();
    private static final long HEADER = 16;

    private static final String LOAD_FAILURE;

    static {
        SymbolLookup uv = null;
        String path = null;
        String failure = null;
        MethodHandle malloc = null;
        MethodHandle calloc = null;
        MethodHandle free = null;
        try {
            if (ValueLayout.ADDRESS.byteSize() != 8) {
                throw new LibUvLoadError("juv needs a 64-bit JVM; this one has "
                        + (ValueLayout.ADDRESS.byteSize() * 8) + "-bit pointers");
            }
            Object[] found = load();
            uv = (SymbolLookup) found[0];
            path = (String) found[1];
            SymbolLookup lookup = uv;
            FunctionDescriptor wordCall = linkDescriptor("P:SS");
            malloc = LINKER.downcallHandle(findIn(lookup, "malloc"), wordCall);
            calloc = LINKER.downcallHandle(findIn(lookup, "calloc"), wordCall);
            free = LINKER.downcallHandle(findIn(lookup, "free"), wordCall);
        } catch (LibUvLoadError e) {
            failure = e.getMessage();
        } catch (IllegalCallerException e) {
            failure = nativeAccessDenied(e);
        }
        UV = uv;
        LIBRARY_PATH = path;
        MALLOC = malloc;
        CALLOC = calloc;
        FREE = free;
        LOAD_FAILURE = failure;
        if (failure == null && fromDirectory()) {
            LibUv.loadHolders();
        }
    }

    /**
     * The message for a JVM that refuses juv native access (--illegal-native-access=deny, or a
     * later JDK's default): the flag to add, for the way juv was loaded.
     */
    private static String nativeAccessDenied(IllegalCallerException e) {
        Module m = Native.class.getModule();
        String flag = m.isNamed() ? "--enable-native-access=" + m.getName() : "--enable-native-access=ALL-UNNAMED";
        return "juv needs native access to call libuv, and this JVM refuses it (" + e.getMessage() + ").\n"
                + "Add " + flag + " to the java command line"
                + (m.isNamed() ? " (juv is on the module path as " + m.getName() + ")"
                        : " (juv is on the class path; an executable jar can say"
                        + " 'Enable-Native-Access: ALL-UNNAMED' in its manifest instead)")
                + ".";
    }

    /** Whether juv's classes come from a directory (an IDE, target/classes) rather than a jar. */
    private static boolean fromDirectory() {
        java.net.URL self = Native.class.getResource("Native.class");
        return self != null && "file".equals(self.getProtocol());
    }

    /** Throws {@link LibUvLoadError} with the loader's report when no libuv could be loaded. */
    public static void ensureLoaded() {
        if (LOAD_FAILURE != null) {
            throw new LibUvLoadError(LOAD_FAILURE);
        }
    }

    private static MemorySegment findIn(SymbolLookup lookup, String name) {
        return lookup.find(name).or(() -> LINKER.defaultLookup().find(name)).orElseThrow(
                () -> new LibUvLoadError("symbol " + name + " is missing from the loaded libuv"));
    }

    private static Object[] load() {
        String explicit = System.getProperty("juv.libuv");
        if (explicit == null || explicit.isEmpty()) {
            explicit = System.getenv("JUV_LIBUV");
        }
        Arena arena = Arena.global();
        if (explicit != null && !explicit.isEmpty()) {
            try {
                return new Object[] {SymbolLookup.libraryLookup(Path.of(explicit), arena), explicit};
            } catch (IllegalArgumentException e) {
                TRIED.add(explicit + " (juv.libuv / JUV_LIBUV): " + e.getMessage());
                throw new LibUvLoadError(failureMessage());
            }
        }
        String bundled = Bundled.extract(TRIED);
        if (bundled != null) {
            try {
                return new Object[] {SymbolLookup.libraryLookup(Path.of(bundled), arena), bundled};
            } catch (IllegalArgumentException e) {
                TRIED.add(bundled + " (bundled): " + e.getMessage());
            }
            // the system may refuse to map a file from the cache directory (a noexec mount):
            // a second directory, then the system's libuv
            String again = Bundled.extract(TRIED, true);
            if (again != null) {
                try {
                    return new Object[] {SymbolLookup.libraryLookup(Path.of(again), arena), again};
                } catch (IllegalArgumentException e) {
                    TRIED.add(again + " (bundled, second directory): " + e.getMessage());
                }
            }
            TRIED.add("(-Djuv.cache.dir=DIR extracts the bundled libuv into DIR, which must be on a mount"
                    + " that allows executing files, not noexec)");
        }
        for (String name : systemNames()) {
            try {
                SymbolLookup lookup = SymbolLookup.libraryLookup(name, arena);
                return new Object[] {lookup, resolvedPath(name)};
            } catch (IllegalArgumentException e) {
                TRIED.add(name + " (system): not found");
            }
        }
        throw new LibUvLoadError(failureMessage());
    }

    private static List<String> systemNames() {
        if (Platform.WINDOWS) {
            return List.of("uv.dll", "libuv.dll");
        }
        if (Platform.MAC) {
            return List.of("libuv.1.dylib", "libuv.dylib", "/opt/homebrew/lib/libuv.1.dylib",
                    "/usr/local/lib/libuv.1.dylib");
        }
        return List.of("libuv.so.1", "libuv.so");
    }

    /** The file a system library name resolved to, read from the process's own mappings. */
    private static String resolvedPath(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.contains("libuv")) {
                    return line.substring(slash).trim();
                }
            }
        } catch (Exception ignored) {
            // not Linux: the name is all that is known
        }
        return name;
    }

    private static String failureMessage() {
        StringBuilder sb = new StringBuilder("juv could not load libuv (1.44 or newer). Tried:");
        for (String t : TRIED) {
            sb.append("\n  - ").append(t);
        }
        sb.append("\nInstall libuv (Debian/Ubuntu: apt-get install libuv1; Fedora: dnf install libuv;"
                + " macOS: brew install libuv) or point -Djuv.libuv=/path/to/libuv.so at a copy.");
        return sb.toString();
    }

    /**
     * Links a function of the C library (waitpid, sigaction, fcntl...), or null where the
     * platform has none.
     */
    static MethodHandle libc(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.defaultLookup().find(name).map(s -> LINKER.downcallHandle(s, fd, options)).orElse(null);
    }

    /**
     * Links a libuv function, or returns null when the loaded libuv lacks it. Called from the
     * initialiser of the function's holder class in {@code LibUv}, which catches whatever this
     * throws and leaves the handle null, so no holder is ever left unusable.
     *
     * @param shape the result's letter, ':', then one letter per parameter: {@code P} pointer,
     *     {@code I} int, {@code J} 64-bit integer, {@code S} size_t, {@code D} double, {@code V} void
     */
    static MethodHandle linkOrNull(String name, String shape, boolean critical) {
        ensureLoaded();
        Optional<MemorySegment> sym = UV.find(name);
        if (sym.isEmpty()) {
            return null;
        }
        Link link = new Link(sym.get(), shape, critical);
        link.run(); // on a fresh thread when this one's stack is too deep for the linker
        return link.handle;
    }

    /** Handles linked outside their holder (whose initialiser met a stack overflow). */
    private static final ConcurrentHashMap<String, Optional<MethodHandle>> RELINKED = new ConcurrentHashMap<>();

    /**
     * Links a function whose holder has no handle: the slow path of a {@code LibUv} method, taken
     * only when the loaded libuv lacks an optional function or an overflow interrupted the
     * holder's initialiser. Returns null for an absent optional function; a required one that is
     * absent is a {@link LibUvLoadError}.
     */
    static MethodHandle relink(String name, String shape, boolean critical, boolean optional) {
        Optional<MethodHandle> known = RELINKED.get(name);
        if (known == null) {
            known = Optional.ofNullable(linkOrNull(name, shape, critical));
            RELINKED.putIfAbsent(name, known);
        }
        if (known.isEmpty() && !optional) {
            throw new LibUvLoadError("symbol " + name + " is missing from " + LIBRARY_PATH);
        }
        return known.orElse(null);
    }

    /** The layout of one letter of a shape (see {@link #linkOrNull}). */
    static ValueLayout layout(char letter) {
        switch (letter) {
            case 'P':
                return P;
            case 'I':
                return I;
            case 'J':
                return J;
            case 'S':
                return SIZE_T;
            case 'D':
                return D;
            default:
                throw new IllegalArgumentException("no layout for '" + letter + "'");
        }
    }

    /**
     * Integer parameters a word call passes (SysV x86-64 has six integer argument registers; the
     * other platforms at least four, then stack slots of eight bytes).
     */
    public static final int WORD_CALL_ARGS = 6;

    /**
     * The descriptor a downcall of {@code shape} is linked with. A function whose parameters and
     * result are all integers or pointers is linked as a <em>word call</em>: {@code long} result,
     * {@link #WORD_CALL_ARGS} {@code long} parameters (more when it has more), whatever its C
     * types. Every such function then shares the one downcall class the JDK generates for that
     * descriptor, instead of one class per C signature: that generation is most of what linking
     * costs (about 5 ms per new descriptor in a fresh JVM), and a program's first loop needs
     * some fifteen functions. This is sound on every platform juv supports (x86-64 SysV and
     * Windows, AArch64 AAPCS64): each integer or pointer argument has a 64-bit register or stack
     * slot of its own whose unused upper bits the callee ignores; arguments beyond the callee's
     * last are never read (the caller cleans them up); and a narrower result is the low bits of
     * the result register, so the caller narrows it ({@code (int)}) and drops a void one. The
     * generated {@code LibUv} methods keep the C types and names: they widen, pad with zeros
     * and narrow. A function with a {@code double} keeps its exact descriptor (doubles travel
     * in other registers).
     */
    static FunctionDescriptor linkDescriptor(String shape) {
        if (shape.indexOf('D') >= 0) {
            return descriptor(shape);
        }
        MemoryLayout[] params = new MemoryLayout[Math.max(WORD_CALL_ARGS, shape.length() - 2)];
        java.util.Arrays.fill(params, J);
        return FunctionDescriptor.of(J, params);
    }

    /** The function descriptor of a shape such as {@code "I:PPJJ"} (see {@link #linkOrNull}). */
    static FunctionDescriptor descriptor(String shape) {
        MemoryLayout[] params = new MemoryLayout[shape.length() - 2];
        for (int i = 0; i < params.length; i++) {
            params[i] = layout(shape.charAt(i + 2));
        }
        return shape.charAt(0) == 'V' ? FunctionDescriptor.ofVoid(params)
                : FunctionDescriptor.of(layout(shape.charAt(0)), params);
    }

    /** {@code uv_loop_option}: {@code UV_LOOP_BLOCK_SIGNAL}. */
    public static final int UV_LOOP_BLOCK_SIGNAL = 0;
    /** {@code uv_loop_option}: {@code UV_METRICS_IDLE_TIME}. */
    public static final int UV_METRICS_IDLE_TIME = 1;

    /**
     * {@code uv_loop_configure}, variadic: linked by hand (not generated from uv.symbols) with
     * {@code Linker.Option.firstVariadicArg(2)}, once per argument list juv uses.
     */
    private static final class LoopConfigure {
        static final MethodHandle NO_ARG;
        static final MethodHandle INT_ARG;

        static {
            ensureLoaded();
            MemorySegment sym = UV.find("uv_loop_configure").orElseThrow(
                    () -> new UnsatisfiedLinkError("uv_loop_configure not found in " + LIBRARY_PATH));
            NO_ARG = LINKER.downcallHandle(sym, FunctionDescriptor.of(I, P, I), Linker.Option.firstVariadicArg(2));
            INT_ARG = LINKER.downcallHandle(sym, FunctionDescriptor.of(I, P, I, I), Linker.Option.firstVariadicArg(2));
        }
    }

    /** {@code uv_loop_configure(loop, option)}: an option without argument (UV_METRICS_IDLE_TIME). */
    public static int loopConfigure(long loop, int option) {
        try {
            return (int) LoopConfigure.NO_ARG.invokeExact(loop, option);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code uv_loop_configure(loop, option, arg)}: an option with an int (UV_LOOP_BLOCK_SIGNAL, signum). */
    public static int loopConfigure(long loop, int option, int arg) {
        try {
            return (int) LoopConfigure.INT_ARG.invokeExact(loop, option, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * One downcall link. LibUv links each function the first time it is called, inside a holder
     * class's initialiser; when this thread's stack is too deep for the linker the link is made
     * on a fresh thread instead, so the first call of a function deep in a recursion still links it. No lambda on this path: an invokedynamic site whose first
     * resolution overflows fails for ever too. {@code critical} (a leaf call that never blocks,
     * never calls back and never re-enters the loop, marked so in include/uv.symbols) skips the
     * thread-state transition.
     */
    private static final class Link implements Runnable {
        private final MemorySegment symbol;
        private final String shape;
        private final boolean critical;
        private MethodHandle handle;

        Link(MemorySegment symbol, String shape, boolean critical) {
            this.symbol = symbol;
            this.shape = shape;
            this.critical = critical;
        }

        @Override
        public void run() {
            try {
                FunctionDescriptor descriptor = linkDescriptor(shape);
                handle = critical ? LINKER.downcallHandle(symbol, descriptor, Linker.Option.critical(false))
                        : LINKER.downcallHandle(symbol, descriptor);
            } catch (StackOverflowError e) {
                if (onLinkThread()) {
                    throw e;
                }
                onFreshThread(this);
            }
        }
    }

    /** A thread with a stack of its own for work the calling thread is too deep to do. */
    private static final class LinkThread extends Thread {
        private final Runnable work;
        private Throwable failure;

        LinkThread(Runnable work) {
            super("juv-link");
            this.work = work;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                work.run();
            } catch (Throwable e) {
                failure = e;
            }
        }
    }

    /** Whether this thread is one {@link #onFreshThread} started (there is no fresher one). */
    static boolean onLinkThread() {
        return Thread.currentThread() instanceof LinkThread;
    }

    /** Runs {@code work} on a fresh thread, waits for it, and rethrows what it threw. */
    static void onFreshThread(Runnable work) {
        LinkThread t = new LinkThread(work);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (t.failure != null) {
            throw rethrow(t.failure);
        }
    }

    /** The path of the libuv file that was loaded. */
    public static String libraryPath() {
        return LIBRARY_PATH;
    }

    // ---- counted allocator ----

    /** Allocates {@code size} bytes with libuv's malloc (uninitialised); never returns 0. */
    public static long malloc(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        long p;
        try {
            p = (long) MALLOC.invokeExact(size + HEADER, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (p == 0) {
            throw new OutOfMemoryError("malloc(" + size + ") failed");
        }
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, p, size);
        LIVE_BYTES.addAndGet(size);
        LIVE_BLOCKS.incrementAndGet();
        return p + HEADER;
    }

    /** Allocates {@code size} zeroed bytes. */
    public static long calloc(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        long p;
        try {
            p = (long) CALLOC.invokeExact(1L, size + HEADER, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (p == 0) {
            throw new OutOfMemoryError("calloc(" + size + ") failed");
        }
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, p, size);
        LIVE_BYTES.addAndGet(size);
        LIVE_BLOCKS.incrementAndGet();
        return p + HEADER;
    }

    /** Frees a block from {@link #malloc}; 0 is ignored. */
    public static void free(long p) {
        if (p == 0) {
            return;
        }
        long base = p - HEADER;
        long size = ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, base);
        LIVE_BYTES.addAndGet(-size);
        LIVE_BLOCKS.decrementAndGet();
        try {
            long unused = (long) FREE.invokeExact(base, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Frees memory that libuv or the C library allocated with its own malloc. */
    public static void freeForeign(long p) {
        if (p == 0) {
            return;
        }
        try {
            long unused = (long) FREE.invokeExact(p, 0L, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Live bytes handed out by {@link #malloc} and not yet freed. */
    public static long liveBytes() {
        return LIVE_BYTES.get();
    }

    /** Live blocks handed out by {@link #malloc} and not yet freed. */
    public static long liveBlocks() {
        return LIVE_BLOCKS.get();
    }

    // ---- memory access helpers (only internal code sees segments) ----

    /**
     * The whole address space as one segment: reading and writing at an absolute address
     * through it allocates nothing, unlike a fresh {@code ofAddress(..).reinterpret(..)}.
     */
    static final MemorySegment ALL = everything();

    private static MemorySegment everything() {
        try {
            return MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        } catch (IllegalCallerException deniedNativeAccess) {
            // the loader found the same refusal first and said what to add; ensureLoaded throws that
            return MemorySegment.NULL;
        }
    }

    static MemorySegment seg(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    /** A NUL-terminated UTF-8 copy of {@code s} in counted memory; the caller frees it. */
    public static long cstring(String s) {
        return cbytes(utf8(s));
    }

    /**
     * The UTF-8 bytes of {@code s}. A lone surrogate has no UTF-8 form: {@code getBytes} would turn
     * it into '?' and name another file, pipe or host, so it is refused instead.
     *
     * @throws IllegalArgumentException if {@code s} holds an unpaired surrogate
     */
    public static byte[] utf8(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("string has an unpaired surrogate at index " + i
                            + " and no UTF-8 form");
                }
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A NUL-terminated copy of raw bytes in counted memory; the caller frees it. */
    public static long cbytes(byte[] b) {
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("string contains a NUL byte");
            }
        }
        long p = malloc(b.length + 1L);
        MemorySegment s = seg(p, b.length + 1L);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
        s.set(ValueLayout.JAVA_BYTE, b.length, (byte) 0);
        return p;
    }

    /** Reads a NUL-terminated string; invalid UTF-8 becomes replacement characters. */
    public static String string(long p) {
        if (p == 0) {
            return null;
        }
        return MemorySegment.ofAddress(p).reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
    }

    /** Reads a NUL-terminated string's raw bytes. */
    public static byte[] stringBytes(long p) {
        if (p == 0) {
            return null;
        }
        MemorySegment s = MemorySegment.ofAddress(p).reinterpret(Long.MAX_VALUE);
        long n = 0;
        while (s.get(ValueLayout.JAVA_BYTE, n) != 0) {
            n++;
        }
        byte[] out = new byte[(int) n];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 0, out, 0, (int) n);
        return out;
    }

    /** Reads {@code len} bytes. */
    public static byte[] bytes(long p, long len) {
        byte[] out = new byte[Math.toIntExact(len)];
        MemorySegment.copy(ALL, ValueLayout.JAVA_BYTE, p, out, 0, out.length);
        return out;
    }

    public static void putBytes(long p, byte[] src, int off, int len) {
        MemorySegment.copy(src, off, ALL, ValueLayout.JAVA_BYTE, p, len);
    }

    public static int getInt(long p) {
        return ALL.get(ValueLayout.JAVA_INT_UNALIGNED, p);
    }

    public static void putInt(long p, int v) {
        ALL.set(ValueLayout.JAVA_INT_UNALIGNED, p, v);
    }

    public static long getLong(long p) {
        return ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, p);
    }

    public static void putLong(long p, long v) {
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, p, v);
    }

    public static double getDouble(long p) {
        return ALL.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, p);
    }

    /** A ByteBuffer over native memory; valid as long as the memory is. */
    public static java.nio.ByteBuffer buffer(long p, long len) {
        return seg(p, len).asByteBuffer();
    }

    /** The native address of a direct buffer's first byte (its position ignored). */
    public static long address(java.nio.ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address() - direct.position();
    }

    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
