package io.servicehealth.config;

import io.servicehealth.alert.AlertRule;
import io.servicehealth.schema.WindowSize;
import io.servicehealth.score.ScoreModel;

import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The typed input of {@code HealthTopology.build}: everything that shapes the graph and its results,
 * nothing about process wiring. Built from {@link HealthConfig} (plus the discovered source partition
 * count) or directly in tests.
 */
public record TopologySettings(Topics topics, ZoneId zone, Set<WindowSize> windowSizes, long graceMs,
                               long watermarkIntervalMs, long maxFutureMs, int sourcePartitions,
                               int hotlineSlaSeconds, int storeWaitTargetSeconds, long healthUpdateIntervalMs,
                               ScoreModel scoreModel, List<AlertRule> alertRules, int maxEventBytes, Set<WindowSize> liveUpdateSizes,
                               int stateCacheEntities) {

    public TopologySettings {
        windowSizes = Set.copyOf(EnumSet.copyOf(windowSizes));
        alertRules = List.copyOf(alertRules);
        liveUpdateSizes = liveUpdateSizes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(liveUpdateSizes));
        if (sourcePartitions < 1) {
            throw new IllegalArgumentException("sourcePartitions must be at least 1 (discover it from the cluster before building)");
        }
    }

    /** Topic names by role. */
    public record Topics(String complaints, String hotlineCalls, String storeTransactions, String surveyResponses,
                         String catalog, String healthUpdates, String healthResults, String lateEvents,
                         String alerts, String alertState, String deadLetter) {
        public List<String> inputs() {
            return List.of(complaints, hotlineCalls, storeTransactions, surveyResponses);
        }

        public static Topics defaults() {
            return new Topics("complaints", "hotline-calls", "store-transactions", "survey-responses", "catalog",
                    "health-updates", "health-results", "late-events", "health-alerts", "alert-state", "health-dlq");
        }
    }

    public static TopologySettings from(HealthConfig config, int discoveredSourcePartitions) {
        int configured = config.getInt(HealthConfig.SOURCE_PARTITIONS);
        Topics topics = new Topics(config.getString(HealthConfig.TOPIC_COMPLAINTS), config.getString(HealthConfig.TOPIC_HOTLINE_CALLS),
                config.getString(HealthConfig.TOPIC_STORE_TRANSACTIONS), config.getString(HealthConfig.TOPIC_SURVEY_RESPONSES),
                config.getString(HealthConfig.TOPIC_CATALOG), config.getString(HealthConfig.TOPIC_HEALTH_UPDATES),
                config.getString(HealthConfig.TOPIC_HEALTH_RESULTS), config.getString(HealthConfig.TOPIC_LATE_EVENTS),
                config.getString(HealthConfig.TOPIC_ALERTS), config.getString(HealthConfig.TOPIC_ALERT_STATE),
                config.getString(HealthConfig.TOPIC_DEAD_LETTER));
        return new TopologySettings(topics, config.zone(), config.windowSizes(), config.getLong(HealthConfig.WINDOW_GRACE_MS),
                config.getLong(HealthConfig.WATERMARK_INTERVAL_MS), config.getLong(HealthConfig.EVENT_MAX_FUTURE_MS),
                configured > 0 ? configured : discoveredSourcePartitions,
                config.getInt(HealthConfig.HOTLINE_SLA_SECONDS), config.getInt(HealthConfig.STORE_WAIT_TARGET_SECONDS),
                config.getLong(HealthConfig.HEALTH_UPDATE_INTERVAL_MS), config.scoreModel(), config.alertRules(),
                config.getInt(HealthConfig.EVENT_MAX_BYTES), config.liveUpdateSizes(),
                config.getInt(HealthConfig.STATE_CACHE_ENTITIES));
    }

    /** Shipped defaults with {@code sourcePartitions} given (tests and tools). */
    public static TopologySettings defaults(int sourcePartitions) {
        return from(new HealthConfig(java.util.Map.of()), sourcePartitions);
    }
}
