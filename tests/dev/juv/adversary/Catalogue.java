package dev.juv.adversary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every adversarial case by name: its family, a one-line description, its time limit and the
 * body the child JVM runs. Building the catalogue touches no native code, so the parent JVM can
 * list the cases without loading libuv.
 */
final class Catalogue {
    /** What a case does in its child JVM; returns a short detail for the verdict line. */
    @FunctionalInterface
    interface Body {
        String run() throws Exception;
    }

    /** One case. {@code exitBoundMs}: how soon after the verdict line the JVM must be gone. */
    record Case(String family, String name, String description, int timeoutSeconds, long exitBoundMs,
            List<String> jvmOptions, Body body) {}

    /** No case is called a hang before this many seconds (children share two cores with other builds). */
    static final int MIN_TIMEOUT_SECONDS = 30;

    private final Map<String, Case> cases = new LinkedHashMap<>();
    private String family;

    private Catalogue() {}

    /** All cases of all families, in catalogue order. */
    static Catalogue all() {
        Catalogue c = new Catalogue();
        c.family("threads");
        ThreadCases.register(c);
        c.family("reentry");
        ReentryCases.register(c);
        c.family("close");
        CloseCases.register(c);
        c.family("descriptors");
        DescriptorCases.register(c);
        c.family("buffers");
        BufferCases.register(c);
        c.family("network");
        NetworkCases.register(c);
        c.family("signals");
        SignalCases.register(c);
        c.family("exit");
        ExitCases.register(c);
        c.family("errors");
        ErrorCases.register(c);
        c.family("resources");
        ResourceCases.register(c);
        return c;
    }

    private void family(String f) {
        this.family = f;
    }

    /** Adds a case with a 30 s limit. */
    void add(String name, String description, Body body) {
        add(name, description, 30, body);
    }

    /** Adds a case; its limit is at least 30 s, as the machine may be shared. */
    void add(String name, String description, int timeoutSeconds, Body body) {
        add(name, description, timeoutSeconds, 10_000, List.of(), body);
    }

    void add(String name, String description, int timeoutSeconds, long exitBoundMs, List<String> jvmOptions,
            Body body) {
        String full = family + "/" + name;
        int limit = Math.max(MIN_TIMEOUT_SECONDS, timeoutSeconds);
        if (cases.put(full, new Case(family, full, description, limit, exitBoundMs, jvmOptions, body)) != null) {
            throw new IllegalStateException("duplicate case " + full);
        }
    }

    private final Map<String, String> limits = new HashMap<>();

    /**
     * Marks a case of the current family as a known limit of juv, saying why: a wrong result
     * then aborts the test (reported as skipped, with the reason) instead of failing it. A crash,
     * a hang or an exit hang still fails it.
     */
    void knownLimit(String name, String why) {
        String full = family + "/" + name;
        if (!cases.containsKey(full)) {
            throw new IllegalStateException("no case " + full);
        }
        limits.put(full, why);
    }

    /** Why a case is a known limit, or null. */
    String limitOf(String name) {
        return limits.get(name);
    }

    Case get(String name) {
        return cases.get(name);
    }

    List<Case> cases() {
        return Collections.unmodifiableList(new ArrayList<>(cases.values()));
    }

    List<Case> ofFamily(String f) {
        List<Case> out = new ArrayList<>();
        for (Case c : cases.values()) {
            if (c.family().equals(f)) {
                out.add(c);
            }
        }
        return out;
    }
}
