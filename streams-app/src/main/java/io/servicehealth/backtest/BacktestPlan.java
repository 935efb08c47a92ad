package io.servicehealth.backtest;

import io.servicehealth.config.HealthConfig;
import io.servicehealth.runtime.StreamsProperties;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The configuration of a named backtest, derived from the production one: the same inputs and catalog;
 * a consumer group, internal topics, local state (Streams keeps it under the state directory by
 * application id), output topics and an HTTP port of its own, so that it runs beside the production
 * instances and never writes into their topics. Scoring and rule keys come from the caller's overrides:
 * that is what is being tested. No live updates unless an override names their sizes: they depend on the
 * wall clock, so a replay has nothing to compare them with.
 *
 * @param config          the backtest's configuration (raw keys, validated by {@link HealthConfig})
 * @param referenceAlerts the production alert topic its alerts are compared with
 */
public record BacktestPlan(Map<String, String> config, String referenceAlerts) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** Output topics, renamed "backtest-NAME-<topic>" unless the caller named them. */
    static final List<String> OUTPUT_TOPICS = List.of(HealthConfig.TOPIC_HEALTH_UPDATES, HealthConfig.TOPIC_HEALTH_RESULTS,
            HealthConfig.TOPIC_ALERTS, HealthConfig.TOPIC_ALERT_STATE, HealthConfig.TOPIC_LATE_EVENTS, HealthConfig.TOPIC_DEAD_LETTER);

    /**
     * @param production the production configuration (file and environment), without the backtest's changes
     * @param overrides  the changes under test (--set), applied last; an output topic or application id named
     *                   here is kept as given, unless it is production's
     */
    public static BacktestPlan of(Map<String, String> production, Map<String, String> overrides, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new Refused("backtest name must be 1-100 letters, digits, '.', '_' or '-' (it names topics); got '" + name + "'");
        }
        HealthConfig base = new HealthConfig(production);
        Map<String, String> config = new HashMap<>(production);
        String applicationId = production.getOrDefault("kafka.application.id", StreamsProperties.DEFAULT_APPLICATION_ID);
        config.put("kafka.application.id", applicationId + "-backtest-" + name);
        for (String topic : OUTPUT_TOPICS) {
            config.put(topic, "backtest-" + name + "-" + base.getString(topic));
        }
        config.put(HealthConfig.HTTP_PORT, "0");
        // live updates are the one wall-clock output: a replay cannot compare them, and they were about a
        // quarter of a backlog drain's work. An override may ask for them back
        config.put(HealthConfig.HEALTH_UPDATE_WINDOW_SIZES, "");
        config.putAll(overrides);
        HealthConfig candidate = new HealthConfig(config); // a bad override stops here, named
        // an override must not turn the backtest into a second production instance, or let it write into production's topics
        if (applicationId.equals(config.get("kafka.application.id"))) {
            throw new Refused("a backtest cannot run as the production application id " + applicationId);
        }
        for (String topic : OUTPUT_TOPICS) {
            if (candidate.getString(topic).equals(base.getString(topic))) {
                throw new Refused("a backtest cannot write into production's " + topic + " (" + base.getString(topic) + ")");
            }
        }
        return new BacktestPlan(Map.copyOf(config), base.getString(HealthConfig.TOPIC_ALERTS));
    }

    /**
     * The backtest cannot run as asked: a name that cannot name topics, an override naming production's
     * group or output topics, or a name that has run before.
     */
    public static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }

    public HealthConfig healthConfig() {
        return new HealthConfig(config);
    }
}
