package io.servicehealth.topology;

import io.servicehealth.config.TopologySettings;
import io.servicehealth.errors.DeadLetterDeserializationHandler;
import io.servicehealth.errors.DeadLetterProcessingHandler;
import io.servicehealth.registry.MockRegistries;
import io.servicehealth.schema.*;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A TopologyTestDriver around the real topology with the four inputs, the catalog and the outputs,
 * on its own in-process registry scope (dropped on close).
 */
final class PipelineDriver implements AutoCloseable {
    final TopologySettings settings;
    final TopologyTestDriver driver;
    private final String scope = "pipeline-" + UUID.randomUUID();
    final HealthSerdes serdes;
    final TestInputTopic<Bytes, ComplaintEvent> complaints;
    final TestInputTopic<Bytes, HotlineCallEvent> calls;
    final TestInputTopic<Bytes, StoreTransactionEvent> stores;
    final TestInputTopic<Bytes, SurveyResponseEvent> surveys;
    final TestInputTopic<CatalogKey, CatalogEntry> catalog;
    final TestOutputTopic<HealthResultKey, ServiceHealth> results;
    final TestOutputTopic<HealthUpdateKey, ServiceHealth> updates;
    final TestOutputTopic<String, LateEvent> late;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final io.servicehealth.errors.DeadLetterMetrics deadLetterMetrics =
            new io.servicehealth.errors.DeadLetterMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    final TestOutputTopic<EntityRef, HealthAlert> alerts;
    final TestOutputTopic<EntityRef, EntityAlertState> alertStates;

    PipelineDriver(TopologySettings settings, boolean caching) {
        this.settings = settings;
        Map<String, String> serdeConfig = Map.of("schema.registry.url", "mock://" + scope);
        this.serdes = HealthSerdes.fromConfig(serdeConfig);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "service-health-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, caching ? 10 * 1024 * 1024 : 0);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, settings.topics().deadLetter());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(io.servicehealth.errors.DeadLetterMetrics.CONFIG, deadLetterMetrics);
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("health-driver").toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        this.driver = new TopologyTestDriver(HealthTopology.build(settings, serdes), props, Instant.parse("2026-01-01T00:00:00Z"));
        TopologySettings.Topics t = settings.topics();
        complaints = driver.createInputTopic(t.complaints(), Serdes.Bytes().serializer(), serdes.complaint().serializer());
        calls = driver.createInputTopic(t.hotlineCalls(), Serdes.Bytes().serializer(), serdes.hotlineCall().serializer());
        stores = driver.createInputTopic(t.storeTransactions(), Serdes.Bytes().serializer(), serdes.storeTransaction().serializer());
        surveys = driver.createInputTopic(t.surveyResponses(), Serdes.Bytes().serializer(), serdes.surveyResponse().serializer());
        catalog = driver.createInputTopic(t.catalog(), serdes.catalogKey().serializer(), serdes.catalogEntry().serializer());
        results = driver.createOutputTopic(t.healthResults(), serdes.healthResultKey().deserializer(), serdes.serviceHealth().deserializer());
        updates = driver.createOutputTopic(t.healthUpdates(), serdes.healthUpdateKey().deserializer(), serdes.serviceHealth().deserializer());
        late = driver.createOutputTopic(t.lateEvents(), Serdes.String().deserializer(), serdes.lateEvent().deserializer());
        alerts = driver.createOutputTopic(t.alerts(), serdes.entityRef().deserializer(), serdes.healthAlert().deserializer());
        alertStates = driver.createOutputTopic(t.alertState(), serdes.entityRef().deserializer(), serdes.alertState().deserializer());
        deadLetters = driver.createOutputTopic(t.deadLetter(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    /**
     * Shipped defaults for four source partitions (one per event topic), but with {@code event.max.future.ms} at a year, so
     * that a specification can jump the clock by weeks in one step; the far-ahead rule has its own test.
     */
    static TopologySettings testSettings(Map<String, String> overrides) {
        Map<String, String> config = new java.util.HashMap<>(Map.of("event.max.future.ms", String.valueOf(Duration.ofDays(365).toMillis())));
        config.putAll(overrides);
        return TopologySettings.from(new io.servicehealth.config.HealthConfig(config), List.of(1, 1, 1, 1));
    }

    static Bytes key(String customer) {
        return Bytes.wrap(customer.getBytes(StandardCharsets.UTF_8));
    }

    void add(CatalogEntry entry) {
        catalog.pipeInput(new CatalogKey(entry.getKind(), entry.getId(), entry.getValidFrom()), entry);
    }

    void send(ComplaintEvent.Builder e) {
        complaints.pipeInput(new TestRecord<>(key(e.getCustomerId()), e.build(), e.getOpenedAt()));
    }

    void send(HotlineCallEvent.Builder e) {
        calls.pipeInput(new TestRecord<>(key(e.getCustomerId()), e.build(), e.getCalledAt()));
    }

    void send(StoreTransactionEvent.Builder e) {
        stores.pipeInput(new TestRecord<>(key(e.getCustomerId()), e.build(), e.getOccurredAt()));
    }

    void send(SurveyResponseEvent.Builder e) {
        surveys.pipeInput(new TestRecord<>(key(e.getCustomerId()), e.build(), e.getRespondedAt()));
    }

    /**
     * Moves every source partition's progress to {@code at} with one event per topic for a
     * bystander region, so windows that ended more than the grace before close.
     */
    void advanceAllSourcesTo(String at) {
        send(Events.complaint(at).setRegionId("TICK"));
        send(Events.call(at).setRegionId("TICK"));
        send(Events.store(at).setRegionId("TICK"));
        send(Events.survey(at, 8).setRegionId("TICK"));
    }

    /** Final results, leaving out the bystander region. */
    List<ServiceHealth> finalResults() {
        return results.readValuesToList().stream().filter(h -> !h.getId().equals("TICK")).toList();
    }

    ServiceHealth finalResult(List<ServiceHealth> results, EntityKind kind, String id, WindowSize size) {
        List<ServiceHealth> matching = results.stream()
                .filter(h -> h.getKind() == kind && h.getId().equals(id) && h.getWindowSize() == size).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected exactly one final " + size + " result for " + kind + " " + id + ", got " + matching.size());
        }
        return matching.get(0);
    }

    void tickWallClock() {
        driver.advanceWallClockTime(Duration.ofMillis(settings.healthUpdateIntervalMs()));
    }

    double metric(String name) {
        return metric(name, Map.of());
    }

    /** The pipeline's counter {@code name}, summed over the metrics whose tags include {@code tags}. */
    double metric(String name, Map<String, String> tags) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals(PipelineMetrics.GROUP)
                        && e.getKey().tags().entrySet().containsAll(tags.entrySet()))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    @Override
    public void close() {
        driver.close();
        MockRegistries.drop(scope);
    }
}
