package io.servicehealth.score;

import io.servicehealth.schema.Dimension;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** Everything the scorer needs for one entity: KPI targets, dimension weights and samples, grade cut points. */
public record ScoringPolicy(Map<Kpi, KpiTarget> kpis, Map<Dimension, DimensionPolicy> dimensions,
                            double healthyMin, double watchMin) {

    public static final Dimension[] DIMENSIONS = {Dimension.STORE, Dimension.HOTLINE, Dimension.CHANNEL_CAPACITY,
            Dimension.COMPLAINTS, Dimension.SATISFACTION};

    public ScoringPolicy {
        // enum maps: the scorer reads them ~20 times per scored window, and a hashed immutable map's
        // probe was 1.5 % of the stream threads in a drain profile
        kpis = Collections.unmodifiableMap(copy(kpis, Kpi.class));
        dimensions = Collections.unmodifiableMap(copy(dimensions, Dimension.class));
        if (watchMin > healthyMin) {
            throw new IllegalArgumentException("grade cut points: watch minimum " + watchMin + " above healthy minimum " + healthyMin);
        }
    }

    public static ScoringPolicy defaults() {
        Map<Kpi, KpiTarget> kpis = new EnumMap<>(Kpi.class);
        for (Kpi kpi : Kpi.values()) {
            kpis.put(kpi, kpi.defaults());
        }
        Map<Dimension, DimensionPolicy> dimensions = new EnumMap<>(Dimension.class);
        dimensions.put(Dimension.STORE, new DimensionPolicy(0.15, 20));
        dimensions.put(Dimension.HOTLINE, new DimensionPolicy(0.20, 20));
        dimensions.put(Dimension.CHANNEL_CAPACITY, new DimensionPolicy(0.15, 20));
        dimensions.put(Dimension.COMPLAINTS, new DimensionPolicy(0.30, 1000));
        dimensions.put(Dimension.SATISFACTION, new DimensionPolicy(0.20, 10));
        return new ScoringPolicy(kpis, dimensions, 80, 60);
    }

    private static <K extends Enum<K>, V> EnumMap<K, V> copy(Map<K, V> from, Class<K> keys) {
        EnumMap<K, V> copy = new EnumMap<>(keys);
        from.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v)));
        return copy;
    }

    public KpiTarget kpi(Kpi kpi) {
        return kpis.get(kpi);
    }

    public DimensionPolicy dimension(Dimension dimension) {
        return dimensions.get(dimension);
    }
}
