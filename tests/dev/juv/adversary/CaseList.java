package dev.juv.adversary;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints the catalogue as the Markdown table kept in CASES.md:
 * {@code java -cp target/test-classes dev.juv.adversary.CaseList > tests/dev/juv/adversary/CASES.md}.
 */
public final class CaseList {
    private CaseList() {}

    public static void main(String[] args) {
        System.out.print(markdown());
    }

    /** The catalogue as Markdown: counts per family, then one row per case. */
    static String markdown() {
        Catalogue all = Catalogue.all();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Catalogue.Case c : all.cases()) {
            counts.merge(c.family(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# The adversarial family: ").append(all.cases().size()).append(" cases\n\n");
        sb.append("Generated from `Catalogue` by `CaseList`; each case runs in its own JVM (see `AdversaryTest`).\n\n");
        sb.append("| family | cases |\n| --- | ---: |\n");
        counts.forEach((f, n) -> sb.append("| ").append(f).append(" | ").append(n).append(" |\n"));
        sb.append("| **total** | **").append(all.cases().size()).append("** |\n");
        String family = null;
        for (Catalogue.Case c : all.cases()) {
            if (!c.family().equals(family)) {
                family = c.family();
                sb.append("\n## ").append(family).append(" (").append(counts.get(family)).append(")\n\n");
                sb.append("| case | what it does and expects | limit |\n| --- | --- | ---: |\n");
            }
            sb.append("| `").append(c.name().substring(family.length() + 1)).append("` | ")
                    .append(c.description().replace("|", "\\|")).append(" | ").append(c.timeoutSeconds()).append(" s")
                    .append(c.exitBoundMs() < 10_000 ? ", exit ≤ " + c.exitBoundMs() / 1000 + " s" : "")
                    .append(c.jvmOptions().isEmpty() ? "" : ", " + String.join(" ", c.jvmOptions())).append(" |\n");
        }
        return sb.toString();
    }
}
