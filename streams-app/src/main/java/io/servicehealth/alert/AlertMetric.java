package io.servicehealth.alert;

import io.servicehealth.aggregate.HealthCounters;
import io.servicehealth.schema.Dimension;
import io.servicehealth.schema.DimensionScore;
import io.servicehealth.schema.ServiceHealth;

import java.util.Locale;

import static io.servicehealth.aggregate.HealthCounters.*;

/** What a rule can compare: the overall score, a dimension score, or a KPI with its sample. */
public enum AlertMetric {
    SCORE, STORE_SCORE, HOTLINE_SCORE, CHANNEL_CAPACITY_SCORE, COMPLAINTS_SCORE, SATISFACTION_SCORE,
    /** Complaints per 10,000 subscribers scaled to 30 days (one threshold for every window size). */
    COMPLAINTS_PER_10K_30D,
    /** Complaints per 10,000 subscribers in the window itself (万投比 as reported). */
    COMPLAINTS_PER_10K,
    HOTLINE_DISSATISFACTION_RATE, HOTLINE_ABANDON_RATE, STORE_FAILURE_RATE, SURVEY_LOW_SHARE,
    SATISFACTION_MEAN_SCORE, FIRST_CONTACT_RESOLUTION;

    private static final double DAYS_30_MS = 30.0 * 24 * 3600 * 1000;

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public static AlertMetric fromConfigName(String name) {
        for (AlertMetric m : values()) {
            if (m.configName().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** Scores and means come from the assembled health record; counts and rates from the counters alone. */
    public boolean needsHealth() {
        return this == SCORE || this == STORE_SCORE || this == HOTLINE_SCORE || this == CHANNEL_CAPACITY_SCORE
                || this == COMPLAINTS_SCORE || this == SATISFACTION_SCORE || this == SATISFACTION_MEAN_SCORE;
    }

    /** Counts scale with the time a window has run; an early-warning projection needs one. */
    public boolean isCount() {
        return this == COMPLAINTS_PER_10K || this == COMPLAINTS_PER_10K_30D;
    }

    public Observation observe(HealthCounters c, ServiceHealth health, Long subscriberBase, long windowMs) {
        return switch (this) {
            case SCORE -> new Observation(health.getScore(), c.get(EVENTS), c.get(EVENTS), 0);
            case STORE_SCORE -> dimension(health, Dimension.STORE);
            case HOTLINE_SCORE -> dimension(health, Dimension.HOTLINE);
            case CHANNEL_CAPACITY_SCORE -> dimension(health, Dimension.CHANNEL_CAPACITY);
            case COMPLAINTS_SCORE -> dimension(health, Dimension.COMPLAINTS);
            case SATISFACTION_SCORE -> dimension(health, Dimension.SATISFACTION);
            case COMPLAINTS_PER_10K -> rate(c.get(COMPLAINTS), subscriberBase == null ? 0 : subscriberBase, 10_000.0);
            case COMPLAINTS_PER_10K_30D -> rate(c.get(COMPLAINTS), subscriberBase == null ? 0 : subscriberBase, 10_000.0 * DAYS_30_MS / windowMs);
            case HOTLINE_DISSATISFACTION_RATE -> rate(c.get(H_DISSATISFIED), c.get(H_RATED), 1.0);
            case HOTLINE_ABANDON_RATE -> rate(c.get(H_ABANDONED), c.get(H_TRANSFERRED), 1.0);
            case STORE_FAILURE_RATE -> rate(c.get(S_FAILED), c.get(S_TRANSACTIONS), 1.0);
            case SURVEY_LOW_SHARE -> rate(c.get(V_LOW), c.get(V_RESPONSES), 1.0);
            case FIRST_CONTACT_RESOLUTION -> rate(c.get(C_FCR_YES), c.get(C_FCR_KNOWN), 1.0);
            case SATISFACTION_MEAN_SCORE -> new Observation(health.getSatisfaction().getMeanScore(), c.get(V_RESPONSES), c.get(V_RESPONSES), 0);
        };
    }

    private static Observation rate(long events, long samples, double scale) {
        return samples <= 0 ? new Observation(null, 0, events, scale) : new Observation(events * scale / samples, samples, events, scale);
    }

    private static Observation dimension(ServiceHealth health, Dimension dimension) {
        for (DimensionScore d : health.getDimensions()) {
            if (d.getDimension() == dimension) {
                return new Observation(d.getScored() ? d.getScore() : null, d.getSamples(), d.getSamples(), 0);
            }
        }
        return Observation.NONE;
    }
}
