package io.servicehealth.score;

import io.servicehealth.schema.Dimension;

import java.util.Locale;

/**
 * The KPIs that feed a dimension score, each with its direction and shipped defaults
 * (docs/scoring.md gives the reason for every number).
 */
public enum Kpi {
    STORE_FAILURE_RATE(Dimension.STORE, false, 0.02, 0.15, 0.6),
    STORE_MEAN_WAIT_SECONDS(Dimension.STORE, false, 300, 1800, 0.4),
    HOTLINE_SATISFACTION_RATE(Dimension.HOTLINE, true, 0.90, 0.60, 0.5),
    HOTLINE_DISSATISFACTION_RATE(Dimension.HOTLINE, false, 0.03, 0.20, 0.25),
    HOTLINE_ABANDON_RATE(Dimension.HOTLINE, false, 0.05, 0.30, 0.25),
    HOTLINE_SERVICE_LEVEL(Dimension.CHANNEL_CAPACITY, true, 0.80, 0.40, 0.5),
    STORE_SERVICE_LEVEL(Dimension.CHANNEL_CAPACITY, true, 0.90, 0.50, 0.5),
    /** Complaints per 10,000 subscribers scaled to 30 days, so one target serves every window size. */
    COMPLAINTS_PER_10K_30D(Dimension.COMPLAINTS, false, 1.67, 10.0, 0.6),
    FIRST_CONTACT_RESOLUTION(Dimension.COMPLAINTS, true, 0.80, 0.50, 0.25),
    REPEAT_COMPLAINT_SHARE(Dimension.COMPLAINTS, false, 0.05, 0.30, 0.15),
    SATISFACTION_MEAN_SCORE(Dimension.SATISFACTION, true, 8.0, 5.0, 1.0);

    private final Dimension dimension;
    private final boolean higherIsBetter;
    private final KpiTarget defaults;

    Kpi(Dimension dimension, boolean higherIsBetter, double target, double floor, double weight) {
        this.dimension = dimension;
        this.higherIsBetter = higherIsBetter;
        this.defaults = new KpiTarget(target, floor, weight);
    }

    public Dimension dimension() {
        return dimension;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public KpiTarget defaults() {
        return defaults;
    }

    /** Name used in configuration keys and rules: {@code store.failure.rate}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public static Kpi fromConfigName(String name) {
        for (Kpi kpi : values()) {
            if (kpi.configName().equals(name)) {
                return kpi;
            }
        }
        return null;
    }
}
