package io.servicehealth.score;

import io.servicehealth.schema.Dimension;

import java.util.EnumMap;
import java.util.Map;

/** Everything the scorer needs for one entity: KPI targets, dimension weights and samples, grade cut points. */
public record ScoringPolicy(Map<Kpi, KpiTarget> kpis, Map<Dimension, DimensionPolicy> dimensions,
                            double healthyMin, double watchMin) {

    public static final Dimension[] DIMENSIONS = {Dimension.STORE, Dimension.HOTLINE, Dimension.CHANNEL_CAPACITY,
            Dimension.COMPLAINTS, Dimension.SATISFACTION};

    public ScoringPolicy {
        kpis = Map.copyOf(kpis);
        dimensions = Map.copyOf(dimensions);
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

    public KpiTarget kpi(Kpi kpi) {
        return kpis.get(kpi);
    }

    public DimensionPolicy dimension(Dimension dimension) {
        return dimensions.get(dimension);
    }
}
