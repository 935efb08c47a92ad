package io.servicehealth.alert;

import io.servicehealth.schema.CampaignCategory;
import io.servicehealth.schema.EntityKind;
import io.servicehealth.schema.Severity;
import io.servicehealth.schema.WindowSize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The rules in force, from {@code alert.*} keys on top of the shipped defaults (docs/alerts.md explains
 * each default). {@code alert.rule.<id>.<field>} changes a field of a default rule or defines a new
 * rule; {@code alert.rules} lists the active rule ids (default: every defined rule);
 * {@code alert.rules=none} disables alerting. Every key and value is checked at start.
 */
public final class AlertRules {
    public static final String PREFIX = "alert.";
    private static final Set<String> FIELDS = Set.of("metric", "type", "direction", "threshold", "recovery", "window",
            "short.window", "consecutive", "min.samples", "min.events", "confidence.z", "severity", "min.elapsed",
            "recovery.windows", "scope.kinds", "scope.categories", "scope.classes", "scope.ids");

    private AlertRules() {
    }

    /** The shipped defaults, as configuration text (so they parse exactly like an operator's rules). */
    public static Map<String, String> defaultConfig() {
        Map<String, String> d = new LinkedHashMap<>();
        rule(d, "complaint-rate-warning", "metric=complaints.per.10k.30d", "direction=above", "threshold=6.68", "recovery=3.34",
                "window=DAY", "short.window=HOUR", "min.samples=1000", "min.events=3", "severity=WARNING");
        rule(d, "complaint-rate-delist", "metric=complaints.per.10k.30d", "direction=above", "threshold=13.67", "recovery=3.34",
                "window=WEEK", "consecutive=2", "min.samples=1000", "min.events=10", "severity=DELIST");
        rule(d, "health-score-warning", "metric=score", "direction=below", "threshold=60", "recovery=70",
                "window=DAY", "consecutive=2", "min.samples=30", "severity=WARNING");
        rule(d, "health-score-delist", "metric=score", "direction=below", "threshold=40", "recovery=70",
                "window=WEEK", "consecutive=2", "min.samples=100", "severity=DELIST");
        rule(d, "complaint-rate-early-warning", "type=projected", "metric=complaints.per.10k.30d", "direction=above",
                "threshold=13.67", "recovery=3.34", "window=MONTH", "min.elapsed=0.2", "min.samples=1000", "min.events=10", "severity=WARNING",
                "recovery.windows=1");
        return d;
    }

    private static void rule(Map<String, String> d, String id, String... fields) {
        for (String f : fields) {
            int eq = f.indexOf('=');
            d.put(PREFIX + "rule." + id + "." + f.substring(0, eq), f.substring(eq + 1));
        }
        d.put(PREFIX + "rule." + id + ".scope.kinds", "PRODUCT,CAMPAIGN");
    }

    public static List<AlertRule> parse(Map<String, String> config, Set<WindowSize> computedSizes) {
        Map<String, String> merged = new LinkedHashMap<>(defaultConfig());
        String active = null;
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (e.getKey().equals(PREFIX + "rules")) {
                active = e.getValue();
            } else if (e.getKey().startsWith(PREFIX + "rule.")) {
                merged.put(e.getKey(), e.getValue());
            } else if (e.getKey().startsWith(PREFIX)) {
                throw new IllegalArgumentException("unknown configuration key " + e.getKey() + ": expected alert.rules or alert.rule.<id>.<field>");
            }
        }
        Map<String, Map<String, String>> byId = new TreeMap<>();
        for (Map.Entry<String, String> e : merged.entrySet()) {
            String rest = e.getKey().substring((PREFIX + "rule.").length());
            int dot = rest.indexOf('.');
            String field = dot < 0 ? "" : rest.substring(dot + 1);
            if (dot <= 0 || !FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown configuration key " + e.getKey() + ": fields are " + new java.util.TreeSet<>(FIELDS));
            }
            byId.computeIfAbsent(rest.substring(0, dot), k -> new LinkedHashMap<>()).put(field, e.getValue());
        }
        Set<String> ids = byId.keySet();
        if (active != null) {
            ids = new HashSet<>();
            if (!active.trim().equalsIgnoreCase("none")) {
                for (String id : active.split(",")) {
                    if (!byId.containsKey(id.trim())) {
                        throw new IllegalArgumentException("configuration key alert.rules names rule '" + id.trim() + "', which is not defined");
                    }
                    ids.add(id.trim());
                }
            }
        }
        Set<String> touched = new HashSet<>();
        config.keySet().stream().filter(k -> k.startsWith(PREFIX + "rule.")).forEach(k -> {
            String rest = k.substring((PREFIX + "rule.").length());
            touched.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
        });
        List<AlertRule> rules = new ArrayList<>();
        for (String id : new TreeMap<>(byId).keySet()) {
            if (!ids.contains(id)) {
                continue;
            }
            // a shipped default that needs a window size the operator chose not to compute is left out,
            // unless the operator asked for it by name or changed it
            boolean untouchedDefault = active == null && !touched.contains(id);
            if (untouchedDefault && !computedSizes.containsAll(sizesOf(byId.get(id)))) {
                continue;
            }
            rules.add(build(id, byId.get(id), computedSizes));
        }
        return List.copyOf(rules);
    }

    private static Set<WindowSize> sizesOf(Map<String, String> fields) {
        Set<WindowSize> sizes = new HashSet<>();
        for (String field : List.of("window", "short.window")) {
            String v = fields.get(field);
            if (v != null) {
                sizes.add(WindowSize.valueOf(v.toUpperCase(Locale.ROOT)));
            }
        }
        if ("projected".equalsIgnoreCase(fields.get("type"))) {
            sizes.add(WindowSize.HOUR);
        }
        return sizes;
    }

    private static AlertRule build(String id, Map<String, String> f, Set<WindowSize> sizes) {
        String p = PREFIX + "rule." + id + ".";
        AlertMetric metric = required(f, p, "metric", v -> {
            AlertMetric m = AlertMetric.fromConfigName(v);
            if (m == null) throw new IllegalArgumentException("unknown metric; known: " + Arrays.stream(AlertMetric.values()).map(AlertMetric::configName).toList());
            return m;
        });
        AlertRule.Type type = optional(f, p, "type", AlertRule.Type.CLOSED, v -> AlertRule.Type.valueOf(v.toUpperCase(Locale.ROOT)));
        boolean above = required(f, p, "direction", v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "above" -> true;
            case "below" -> false;
            default -> throw new IllegalArgumentException("expected above or below");
        });
        double threshold = required(f, p, "threshold", Double::parseDouble);
        double recovery = required(f, p, "recovery", Double::parseDouble);
        if (above ? recovery > threshold : recovery < threshold) {
            throw new IllegalArgumentException("bad value for configuration key " + p + "recovery: must be on the healthy side of the threshold " + threshold);
        }
        WindowSize window = required(f, p, "window", v -> size(v, sizes));
        WindowSize shortWindow = optional(f, p, "short.window", null, v -> size(v, sizes));
        if (shortWindow != null && shortWindow.ordinal() >= window.ordinal()) {
            throw new IllegalArgumentException("bad value for configuration key " + p + "short.window: must be shorter than " + window);
        }
        if (shortWindow == WindowSize.WEEK) {
            // the larger window is read as settled by its closed short windows, which must fall wholly inside it
            throw new IllegalArgumentException("bad value for configuration key " + p + "short.window: a WEEK does not fall within one " + window
                    + " (weeks cross month ends); use HOUR or DAY");
        }
        if (type == AlertRule.Type.PROJECTED) {
            if (!metric.isCount()) {
                throw new IllegalArgumentException("bad value for configuration key " + p + "metric: a projected rule needs a count metric (complaints.per.10k or complaints.per.10k.30d)");
            }
            if (!sizes.contains(WindowSize.HOUR)) {
                throw new IllegalArgumentException("configuration key " + p + "type=projected needs HOUR in window.sizes (projections are checked as each hour closes)");
            }
        }
        int consecutive = optional(f, p, "consecutive", 1, v -> positive(Integer.parseInt(v)));
        long minSamples = optional(f, p, "min.samples", 1L, v -> (long) nonNegative(Long.parseLong(v)));
        long minEvents = optional(f, p, "min.events", 0L, v -> (long) nonNegative(Long.parseLong(v)));
        double z = optional(f, p, "confidence.z", 1.96, v -> nonNegative(Double.parseDouble(v)));
        Severity severity = required(f, p, "severity", v -> {
            Severity s = Severity.valueOf(v.toUpperCase(Locale.ROOT));
            if (s != Severity.WARNING && s != Severity.DELIST) throw new IllegalArgumentException("expected WARNING or DELIST");
            return s;
        });
        double minElapsed = optional(f, p, "min.elapsed", 0.2, v -> {
            double x = Double.parseDouble(v);
            if (x <= 0 || x > 1) throw new IllegalArgumentException("expected a fraction in (0, 1]");
            return x;
        });
        int recoveryWindows = optional(f, p, "recovery.windows", 3, v -> positive(Integer.parseInt(v)));
        Set<EntityKind> kinds = optional(f, p, "scope.kinds", Set.of(), v -> set(v, s -> EntityKind.valueOf(s.toUpperCase(Locale.ROOT))));
        Set<CampaignCategory> categories = optional(f, p, "scope.categories", Set.of(), v -> set(v, s -> CampaignCategory.valueOf(s.toUpperCase(Locale.ROOT))));
        Set<Integer> classes = optional(f, p, "scope.classes", Set.of(), v -> set(v, Integer::parseInt));
        Set<String> ids = optional(f, p, "scope.ids", Set.of(), v -> set(v, s -> s));
        return new AlertRule(id, metric, type, above, threshold, recovery, window, shortWindow, consecutive, minSamples, minEvents,
                z, severity, minElapsed, recoveryWindows, kinds, categories, classes, ids);
    }

    private static WindowSize size(String v, Set<WindowSize> sizes) {
        WindowSize size = WindowSize.valueOf(v.toUpperCase(Locale.ROOT));
        if (!sizes.contains(size)) {
            throw new IllegalArgumentException(size + " is not among the computed window.sizes " + sizes);
        }
        return size;
    }

    private static <T> Set<T> set(String v, Function<String, T> parse) {
        Set<T> out = new HashSet<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) out.add(parse.apply(s.trim()));
        }
        return out;
    }

    private static int positive(int v) {
        if (v < 1) throw new IllegalArgumentException("must be at least 1");
        return v;
    }

    private static double nonNegative(double v) {
        if (v < 0) throw new IllegalArgumentException("must not be negative");
        return v;
    }

    private static <T> T required(Map<String, String> f, String prefix, String field, Function<String, T> parse) {
        if (!f.containsKey(field)) {
            throw new IllegalArgumentException("missing configuration key " + prefix + field);
        }
        return optional(f, prefix, field, null, parse);
    }

    private static <T> T optional(Map<String, String> f, String prefix, String field, T fallback, Function<String, T> parse) {
        String v = f.get(field);
        if (v == null) {
            return fallback;
        }
        try {
            return parse.apply(v.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad value for configuration key " + prefix + field + ": '" + v + "' (" + e.getMessage() + ")", e);
        }
    }
}
