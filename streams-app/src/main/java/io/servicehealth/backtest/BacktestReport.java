package io.servicehealth.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A backtest's outcome for the terminal and as JSON. */
public final class BacktestReport {
    /** Transitions listed one by one in the terminal, per side; the JSON has them all. */
    private static final int LISTED = 20;

    private BacktestReport() {
    }

    public static void print(Backtest.Result result, BacktestPlan plan, PrintStream out) {
        AlertComparison c = result.comparison();
        out.printf("backtest %s done in %d s: %,d alert transitions in %s, %,d in %s (compared)%n", result.applicationId(), result.took().toSeconds(),
                result.alerts().size(), plan.config().get("topic.alerts"), c.referenceCounts().values().stream().mapToLong(Long::longValue).sum(),
                plan.referenceAlerts());
        out.println("  compared through " + (result.comparedThrough() == null ? "nothing: no window closed" : result.comparedThrough()
                + " (every window ending by then is closed in the backtest)"));
        out.printf("  %-32s %10s %10s%n", "transition", "backtest", "production");
        for (String key : union(c.candidateCounts(), c.referenceCounts())) {
            out.printf("  %-32s %10d %10d%n", key, c.candidateCounts().getOrDefault(key, 0L), c.referenceCounts().getOrDefault(key, 0L));
        }
        out.printf("  same transition in both: %,d; only in the backtest: %,d; only in production: %,d%n",
                c.inBoth(), c.onlyInCandidate().size(), c.onlyInReference().size());
        list(out, "only in the backtest", c.onlyInCandidate());
        list(out, "only in production", c.onlyInReference());
    }

    public static void writeJson(Backtest.Result result, BacktestPlan plan, Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("applicationId", result.applicationId());
        json.put("alertTopic", plan.config().get("topic.alerts"));
        json.put("referenceAlertTopic", plan.referenceAlerts());
        json.put("inputRecords", result.inputRecords());
        json.put("comparedThrough", result.comparedThrough() == null ? null : result.comparedThrough().toString());
        json.put("seconds", result.took().toSeconds());
        json.put("backtestCounts", result.comparison().candidateCounts());
        json.put("productionCounts", result.comparison().referenceCounts());
        json.put("inBoth", result.comparison().inBoth());
        json.put("onlyInBacktest", result.comparison().onlyInCandidate());
        json.put("onlyInProduction", result.comparison().onlyInReference());
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private static Set<String> union(Map<String, Long> a, Map<String, Long> b) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static void list(PrintStream out, String title, List<String> transitions) {
        if (transitions.isEmpty()) {
            return;
        }
        out.println("  " + title + ":");
        transitions.stream().limit(LISTED).forEach(t -> out.println("    " + t));
        if (transitions.size() > LISTED) {
            out.printf("    … and %,d more (--out FILE lists them all)%n", transitions.size() - LISTED);
        }
    }
}
