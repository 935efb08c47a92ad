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
                               long watermarkIntervalMs, long maxFutureMs, List<Integer> inputPartitions, long sourceIdleTimeoutMs,
                               int hotlineSlaSeconds, int storeWaitTargetSeconds, long healthUpdateIntervalMs,
                               ScoreModel scoreModel, List<AlertRule> alertRules, int maxEventBytes, Set<WindowSize> liveUpdateSizes,
                               int stateCacheEntities, int stateCacheAlertEntities) {

    public TopologySettings {
        windowSizes = Set.copyOf(EnumSet.copyOf(windowSizes));
        alertRules = List.copyOf(alertRules);
        liveUpdateSizes = liveUpdateSizes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(liveUpdateSizes));
        inputPartitions = List.copyOf(inputPartitions);
        if (inputPartitions.size() != 4 || inputPartitions.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("inputPartitions must give the partition count (at least 1) of each of the four event topics"
                    + " (discover them from the cluster before building), got " + inputPartitions);
        }
    }

    /** Source partitions over the four event topics: windows close once every one has reported or gone idle. */
    public int sourcePartitions() {
        return inputPartitions.stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Partitions of the repartition topic, and so aggregating tasks: the largest event topic's count, what
     * Streams would choose; fixed here because the source side batches per aggregating partition.
     */
    public int aggregatingPartitions() {
        return inputPartitions.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** Source id of a topic-partition: topic index (in {@link Topics#inputs()} order) << 16 | partition. */
    public static int sourceId(int topicIndex, int partition) {
        return (topicIndex << 16) | partition;
    }

    /** Topic names by role. */
    public record Topics(String complaints, String hotlineCalls, String storeTransactions, String surveyResponses,
                         String catalog, String healthUpdates, String healthResults, String lateEvents,
                         String alerts, String alertState, String deadLetter) {
        public List<String> inputs() {
            return List.of(complaints, hotlineCalls, storeTransactions, surveyResponses);
        }

        public static Topics of(HealthConfig config) {
            return new Topics(config.getString(HealthConfig.TOPIC_COMPLAINTS), config.getString(HealthConfig.TOPIC_HOTLINE_CALLS),
                    config.getString(HealthConfig.TOPIC_STORE_TRANSACTIONS), config.getString(HealthConfig.TOPIC_SURVEY_RESPONSES),
                    config.getString(HealthConfig.TOPIC_CATALOG), config.getString(HealthConfig.TOPIC_HEALTH_UPDATES),
                    config.getString(HealthConfig.TOPIC_HEALTH_RESULTS), config.getString(HealthConfig.TOPIC_LATE_EVENTS),
                    config.getString(HealthConfig.TOPIC_ALERTS), config.getString(HealthConfig.TOPIC_ALERT_STATE),
                    config.getString(HealthConfig.TOPIC_DEAD_LETTER));
        }

        public static Topics defaults() {
            return new Topics("complaints", "hotline-calls", "store-transactions", "survey-responses", "catalog",
                    "health-updates", "health-results", "late-events", "health-alerts", "alert-state", "health-dlq");
        }
    }

    /**
     * @param inputPartitions partition count of each event topic, in {@link Topics#inputs()} order, as
     *                        found on the cluster; {@code source.partitions}, when set, must agree with their sum
     */
    public static TopologySettings from(HealthConfig config, List<Integer> inputPartitions) {
        int configured = config.getInt(HealthConfig.SOURCE_PARTITIONS);
        int discovered = inputPartitions.stream().mapToInt(Integer::intValue).sum();
        if (configured > 0 && configured != discovered) {
            throw new org.apache.kafka.common.config.ConfigException(HealthConfig.SOURCE_PARTITIONS, configured,
                    "the four event topics have " + discovered + " partitions " + inputPartitions + "; leave it at 0 to use what the cluster has");
        }
        return new TopologySettings(Topics.of(config), config.zone(), config.windowSizes(), config.getLong(HealthConfig.WINDOW_GRACE_MS),
                config.getLong(HealthConfig.WATERMARK_INTERVAL_MS), config.getLong(HealthConfig.EVENT_MAX_FUTURE_MS),
                inputPartitions, config.getLong(HealthConfig.SOURCE_IDLE_TIMEOUT_MS),
                config.getInt(HealthConfig.HOTLINE_SLA_SECONDS), config.getInt(HealthConfig.STORE_WAIT_TARGET_SECONDS),
                config.getLong(HealthConfig.HEALTH_UPDATE_INTERVAL_MS), config.scoreModel(), config.alertRules(),
                config.getInt(HealthConfig.EVENT_MAX_BYTES), config.liveUpdateSizes(),
                config.getInt(HealthConfig.STATE_CACHE_ENTITIES), config.getInt(HealthConfig.STATE_CACHE_ALERT_ENTITIES));
    }

    /** Shipped defaults, each event topic with {@code partitionsPerTopic} partitions (tests and tools). */
    public static TopologySettings defaults(int partitionsPerTopic) {
        return from(new HealthConfig(java.util.Map.of()), java.util.Collections.nCopies(4, partitionsPerTopic));
    }
}
