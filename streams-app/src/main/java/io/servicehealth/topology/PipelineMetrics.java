package io.servicehealth.topology;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.StreamsMetrics;

import java.util.Map;

/**
 * The pipeline's own counters, registered in Kafka Streams' metrics registry (group
 * {@value #GROUP}) so that they reach Prometheus with the built-in ones and tests read them from
 * {@code driver.metrics()}.
 */
public final class PipelineMetrics {
    public static final String GROUP = "service-health";
    public static final String LATE_EVENTS = "late-events-total";
    public static final String LATE_AFTER_CLOSE = "late-after-close-total";
    public static final String UNKNOWN_ENTITY_EVENTS = "unknown-entity-events-total";
    public static final String FINAL_RESULTS = "final-results-total";
    public static final String UNKNOWN_ENUM_EVENTS = "unknown-enum-events-total";
    public static final String ACCEPTED_EVENTS = "accepted-events-total";
    public static final String IDLE_SOURCES = "idle-source-partitions-total";
    public static final String ENTITY_UPDATES = "entity-updates-total";
    /** Delisting-alert transitions (下线机制), tagged {@code kind} and {@code transition}. */
    public static final String ALERT_TRANSITIONS = "alert-transitions-total";

    private PipelineMetrics() {
    }

    /** A cumulative counter (one per {@code record()}), shared by every task of the instance that asks for the same name and tags. */
    public static Sensor counter(StreamsMetrics metrics, String name, String description, Map<String, String> tags) {
        return cumulative(metrics, name, description, tags, new CumulativeCount());
    }

    /** A cumulative sum of the values recorded, shared like {@link #counter}. */
    public static Sensor sum(StreamsMetrics metrics, String name, String description, Map<String, String> tags) {
        return cumulative(metrics, name, description, tags, new CumulativeSum());
    }

    private static Sensor cumulative(StreamsMetrics metrics, String name, String description, Map<String, String> tags, MeasurableStat stat) {
        String sensorName = GROUP + "." + name + tags;
        Sensor sensor = metrics.addSensor(sensorName, Sensor.RecordingLevel.INFO);
        MetricName metricName = new MetricName(name, GROUP, description, tags);
        synchronized (PipelineMetrics.class) {
            if (!sensor.hasMetrics() && !metrics.metrics().containsKey(metricName)) {
                sensor.add(metricName, stat);
            }
        }
        return sensor;
    }
}
