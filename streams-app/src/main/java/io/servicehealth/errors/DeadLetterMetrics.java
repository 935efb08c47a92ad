package io.servicehealth.errors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts dead-lettered records by reason and source topic ({@code service_health_dead_letters_total}).
 * Handed to the exception handlers through their configuration map under {@link #CONFIG}, so nothing
 * is global; without it the handlers still dead-letter and Kafka Streams still counts
 * {@code dropped-records-total}.
 */
public final class DeadLetterMetrics {
    public static final String CONFIG = "service.health.dead.letter.metrics";
    public static final String NAME = "service_health_dead_letters";
    private final MeterRegistry registry;

    public DeadLetterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String reason, String topic) {
        Counter.builder(NAME).description("Records sent to the dead-letter topic, by reason and source topic")
                .tag("reason", reason).tag("topic", topic == null ? "unknown" : topic).register(registry).increment();
    }

    public double count(String reason) {
        return registry.find(NAME).tag("reason", reason).counters().stream().mapToDouble(Counter::count).sum();
    }
}
