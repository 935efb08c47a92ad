package io.servicehealth.score;

import io.servicehealth.schema.CampaignCategory;
import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.Dimension;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scoring policy in force for each entity: the defaults, overridden per campaign category
 * (营销案分类) and per product class (产品类别). Built from {@code score.*} configuration keys:
 * <pre>
 * score.kpi.&lt;kpi&gt;.target|floor|weight        e.g. score.kpi.satisfaction.mean.score.target=8
 * score.dimension.&lt;dimension&gt;.weight|min.samples e.g. score.dimension.complaints.min.samples=1000
 * score.grade.healthy.min, score.grade.watch.min
 * score.override.category.&lt;CATEGORY&gt;.&lt;any key above without "score."&gt;
 * score.override.class.&lt;1|2|3&gt;.&lt;any key above without "score."&gt;
 * </pre>
 * An unknown key or a bad value fails with a message naming the key.
 */
public final class ScoreModel {
    public static final String PREFIX = "score.";

    private final ScoringPolicy defaults;
    private final Map<CampaignCategory, ScoringPolicy> byCategory;
    private final Map<Integer, ScoringPolicy> byClass;

    private ScoreModel(ScoringPolicy defaults, Map<CampaignCategory, ScoringPolicy> byCategory, Map<Integer, ScoringPolicy> byClass) {
        this.defaults = defaults;
        this.byCategory = Map.copyOf(byCategory);
        this.byClass = Map.copyOf(byClass);
    }

    public static ScoreModel defaults() {
        return new ScoreModel(ScoringPolicy.defaults(), Map.of(), Map.of());
    }

    public ScoringPolicy defaultPolicy() {
        return defaults;
    }

    /** Policy for an entity given its catalog entry (null when the entity is not in the catalog). */
    public ScoringPolicy policyFor(CatalogEntry entry) {
        if (entry != null) {
            if (entry.getCampaignCategory() != null) {
                ScoringPolicy p = byCategory.get(entry.getCampaignCategory());
                if (p != null) {
                    return p;
                }
            }
            if (entry.getProductClass() != null) {
                ScoringPolicy p = byClass.get(entry.getProductClass());
                if (p != null) {
                    return p;
                }
            }
        }
        return defaults;
    }

    /** Parses the keys that start with {@code score.} (others are ignored). */
    public static ScoreModel parse(Map<String, String> config) {
        Map<String, String> base = new TreeMap<>();
        Map<String, Map<String, String>> overrides = new TreeMap<>();
        for (Map.Entry<String, String> e : config.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String rest = key.substring(PREFIX.length());
            if (rest.startsWith("override.")) {
                String[] parts = rest.split("\\.", 4);
                if (parts.length < 4) {
                    throw new IllegalArgumentException("bad configuration key " + key + ": expected score.override.category.<CATEGORY>.<key> or score.override.class.<n>.<key>");
                }
                overrides.computeIfAbsent(parts[1] + "." + parts[2], k -> new TreeMap<>()).put(parts[3], e.getValue());
            } else {
                base.put(rest, e.getValue());
            }
        }
        ScoringPolicy defaults = apply(ScoringPolicy.defaults(), base, PREFIX);
        Map<CampaignCategory, ScoringPolicy> byCategory = new EnumMap<>(CampaignCategory.class);
        Map<Integer, ScoringPolicy> byClass = new HashMap<>();
        for (Map.Entry<String, Map<String, String>> o : overrides.entrySet()) {
            String scope = o.getKey();
            String keyPrefix = PREFIX + "override." + scope + ".";
            ScoringPolicy policy = apply(defaults, o.getValue(), keyPrefix);
            if (scope.startsWith("category.")) {
                String name = scope.substring("category.".length()).toUpperCase(Locale.ROOT);
                try {
                    byCategory.put(CampaignCategory.valueOf(name), policy);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("bad configuration key " + keyPrefix + "…: unknown campaign category " + name);
                }
            } else if (scope.matches("class\\.[123]")) {
                byClass.put(Integer.parseInt(scope.substring("class.".length())), policy);
            } else {
                throw new IllegalArgumentException("bad configuration key " + keyPrefix + "…: scope must be category.<CATEGORY> or class.<1|2|3>");
            }
        }
        return new ScoreModel(defaults, byCategory, byClass);
    }

    private static ScoringPolicy apply(ScoringPolicy start, Map<String, String> keys, String keyPrefix) {
        Map<Kpi, KpiTarget> kpis = new EnumMap<>(start.kpis());
        Map<Dimension, DimensionPolicy> dimensions = new EnumMap<>(start.dimensions());
        double healthy = start.healthyMin();
        double watch = start.watchMin();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = e.getKey();
            String fullKey = keyPrefix + key;
            double value = number(fullKey, e.getValue());
            if (key.equals("grade.healthy.min")) {
                healthy = value;
            } else if (key.equals("grade.watch.min")) {
                watch = value;
            } else if (key.startsWith("kpi.")) {
                String rest = key.substring(4);
                int dot = rest.lastIndexOf('.');
                Kpi kpi = dot < 0 ? null : Kpi.fromConfigName(rest.substring(0, dot));
                if (kpi == null) {
                    throw new IllegalArgumentException("unknown configuration key " + fullKey + ": no such KPI (known: "
                            + java.util.Arrays.stream(Kpi.values()).map(Kpi::configName).toList() + ")");
                }
                KpiTarget t = kpis.get(kpi);
                kpis.put(kpi, switch (rest.substring(dot + 1)) {
                    case "target" -> guarded(fullKey, () -> t.withTarget(value));
                    case "floor" -> guarded(fullKey, () -> t.withFloor(value));
                    case "weight" -> guarded(fullKey, () -> t.withWeight(value));
                    default -> throw new IllegalArgumentException("unknown configuration key " + fullKey + ": expected .target, .floor or .weight");
                });
            } else if (key.startsWith("dimension.")) {
                String rest = key.substring("dimension.".length());
                boolean weight = rest.endsWith(".weight");
                boolean samples = rest.endsWith(".min.samples");
                String name = weight ? rest.substring(0, rest.length() - 7) : samples ? rest.substring(0, rest.length() - 12) : "";
                Dimension dimension = dimensionOf(name);
                if (dimension == null || (!weight && !samples)) {
                    throw new IllegalArgumentException("unknown configuration key " + fullKey
                            + ": expected score.dimension.<store|hotline|channel.capacity|complaints|satisfaction>.<weight|min.samples>");
                }
                DimensionPolicy d = dimensions.get(dimension);
                dimensions.put(dimension, guarded(fullKey, () -> weight ? new DimensionPolicy(value, d.minSamples())
                        : new DimensionPolicy(d.weight(), (long) value)));
            } else {
                throw new IllegalArgumentException("unknown configuration key " + fullKey);
            }
        }
        double h = healthy;
        double w = watch;
        return guarded(keyPrefix + "grade", () -> new ScoringPolicy(kpis, dimensions, h, w));
    }

    private static Dimension dimensionOf(String name) {
        for (Dimension d : ScoringPolicy.DIMENSIONS) {
            if (d.name().toLowerCase(Locale.ROOT).replace('_', '.').equals(name)) {
                return d;
            }
        }
        return null;
    }

    private static double number(String key, String text) {
        try {
            double value = Double.parseDouble(text.trim());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration key " + key + " must be a number, got '" + text + "'");
        }
    }

    private static <T> T guarded(String key, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad value for configuration key " + key + ": " + e.getMessage(), e);
        }
    }
}
