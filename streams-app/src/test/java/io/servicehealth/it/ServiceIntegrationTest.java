package io.servicehealth.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicehealth.config.HealthConfig;
import io.servicehealth.registry.MockRegistries;
import io.servicehealth.backtest.AlertComparison;
import io.servicehealth.backtest.Backtest;
import io.servicehealth.backtest.BacktestPlan;
import io.servicehealth.runtime.EmbeddedBroker;
import io.servicehealth.runtime.HealthService;
import io.servicehealth.runtime.JvmMetrics;
import io.servicehealth.schema.*;
import io.servicehealth.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The service against a real Kafka broker (KRaft, started from the Maven Central jars as a child JVM):
 * events in, health results and alerts out; a restart resumes from its state; two instances share the
 * partitions and either answers queries for both.
 */
@Tag("integration")
class ServiceIntegrationTest {
    private static EmbeddedBroker broker;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String run = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private final String scope = run;
    private final List<HealthService> services = new ArrayList<>();
    @TempDir
    Path temp;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start(Files.createTempDirectory("it-broker"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @AfterEach
    void stopServices() {
        services.forEach(HealthService::close);
        MockRegistries.drop(scope);
    }

    private Map<String, String> config(String instance) {
        Map<String, String> c = new HashMap<>();
        c.put("kafka.bootstrap.servers", broker.bootstrapServers());
        c.put("kafka.application.id", run);
        c.put("kafka.state.dir", temp.resolve(instance).toString());
        c.put("schema.registry.url", "mock://" + scope);
        c.put("http.port", "0");
        ItSupport.topicsFor(run, c);
        ItSupport.onlyRule(c, "warn", "metric=complaints.per.10k.30d", "direction=above", "threshold=6.68", "recovery=3.34", "window=DAY",
                "min.samples=1000", "min.events=3", "confidence.z=0", "severity=WARNING", "scope.kinds=CAMPAIGN");
        return c;
    }

    private HealthService startService(String instance) throws Exception {
        return startService(instance, Map.of());
    }

    private HealthService startService(String instance, Map<String, String> overrides) throws Exception {
        Map<String, String> config = config(instance);
        config.putAll(overrides);
        HealthService service = HealthService.start(new HealthConfig(config));
        services.add(service);
        assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "instance " + instance + " running");
        return service;
    }

    private String topic(String role) {
        return run + "-" + role;
    }

    private KafkaProducer<String, SpecificRecord> producer() {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
        Map<String, String> serde = Map.of("schema.registry.url", "mock://" + scope);
        Serializer<SpecificRecord> values = io.servicehealth.topology.HealthSerdes.fromConfig(serde).eventSerializer();
        return new KafkaProducer<>(p, new StringSerializer(), values);
    }

    private boolean provisioned;

    private void addCatalog(CatalogEntry entry) throws Exception {
        if (!provisioned) {
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                io.servicehealth.runtime.TopicProvisioner.ensure(admin, new HealthConfig(config("provision")));
            }
            provisioned = true;
        }
        Map<String, String> serde = Map.of("schema.registry.url", "mock://" + scope);
        try (KafkaProducer<CatalogKey, CatalogEntry> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                AvroSerde.of(CatalogKey.class, serde, true).serializer(), AvroSerde.of(CatalogEntry.class, serde, false).serializer())) {
            p.send(new ProducerRecord<>(topic("catalog"), new CatalogKey(entry.getKind(), entry.getId(), entry.getValidFrom()), entry)).get();
        }
    }

    private static ComplaintEvent complaint(String campaign, String at) {
        return ComplaintEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setCustomerId("cust-" + UUID.randomUUID())
                .setCampaignId(campaign).setCategory(ComplaintCategory.VOICE).setCause(ComplaintCause.NETWORK_FAULT)
                .setOpenedAt(Instant.parse(at)).build();
    }

    /** One bystander event in every partition of every event topic, so every source partition reports progress. */
    private void tickAllPartitions(KafkaProducer<String, SpecificRecord> p, String at) {
        io.servicehealth.bench.WatermarkTicks.send(p, io.servicehealth.config.TopologySettings.Topics.of(
                new io.servicehealth.config.HealthConfig(config("tick"))), 4, Instant.parse(at));
    }

    private <K extends SpecificRecord, V extends SpecificRecord> List<V> readUntil(String topic, Class<K> keyType, Class<V> valueType,
                                                                                   Predicate<List<V>> done, Duration timeout) {
        return ItSupport.readValues(broker.bootstrapServers(), "mock://" + scope, topic, keyType, valueType, done, timeout, Duration.ZERO);
    }

    private static Predicate<List<ServiceHealth>> hasDay(String campaign) {
        return list -> list.stream().anyMatch(h -> h.getId().equals(campaign) && h.getWindowSize() == WindowSize.DAY);
    }

    private static ServiceHealth day(List<ServiceHealth> results, String campaign) {
        List<ServiceHealth> days = results.stream().filter(h -> h.getId().equals(campaign) && h.getWindowSize() == WindowSize.DAY).toList();
        assertEquals(1, days.size(), "exactly one final DAY result for " + campaign);
        return days.get(0);
    }

    @Test
    void shouldTurnEventsIntoExactFinalResultsAndAnAlertOnARealBroker() throws Exception {
        addCatalog(CatalogEntry.newBuilder().setKind(EntityKind.CAMPAIGN).setId("C1").setSubscriberBase(100_000L)
                .setValidFrom(Instant.parse("2026-01-01T00:00:00Z")).build());
        startService("a");
        try (KafkaProducer<String, SpecificRecord> p = producer()) {
            for (int i = 0; i < 4; i++) {
                p.send(new ProducerRecord<>(topic("complaints"), "cust-" + i, complaint("C1", "2026-04-01T02:00:00Z")));
            }
            tickAllPartitions(p, "2026-04-02T02:00:00Z");
        }
        List<ServiceHealth> results = readUntil(topic("health-results"), HealthResultKey.class, ServiceHealth.class, hasDay("C1"), Duration.ofSeconds(60));
        ServiceHealth c1 = day(results, "C1");
        assertEquals(4, c1.getComplaints().getCount());
        assertEquals(0.4, c1.getComplaints().getPer10k(), 1e-9, "4 / 100,000 * 10,000");

        List<HealthAlert> alerts = readUntil(topic("alerts"), EntityRef.class, HealthAlert.class, l -> !l.isEmpty(), Duration.ofSeconds(30));
        assertEquals(1, alerts.size());
        assertEquals(AlertTransition.WARNING_OPENED, alerts.get(0).getTransition());
        assertEquals(12.0, alerts.get(0).getBreaches().get(0).getObserved(), 1e-9, "4 complaints on a day: 3 * 4");
    }

    /**
     * Given production warning above 6.68 complaints per 10k (30-day pace) and two campaigns at 12.0 and
     * 9.0, a backtest of the threshold 10 raises C1's warning only: the same transition as production's
     * (same episode id), and C2's is production's alone. Production's topics are not touched.
     */
    @Test
    void shouldBacktestAStricterThresholdAgainstTheProductionAlerts() throws Exception {
        for (String campaign : List.of("C1", "C2")) {
            addCatalog(CatalogEntry.newBuilder().setKind(EntityKind.CAMPAIGN).setId(campaign).setSubscriberBase(100_000L)
                    .setValidFrom(Instant.parse("2026-01-01T00:00:00Z")).build());
        }
        startService("a");
        try (KafkaProducer<String, SpecificRecord> p = producer()) {
            for (int i = 0; i < 4; i++) {
                p.send(new ProducerRecord<>(topic("complaints"), "cust-" + i, complaint("C1", "2026-04-01T02:00:00Z")));
            }
            for (int i = 0; i < 3; i++) {
                p.send(new ProducerRecord<>(topic("complaints"), "cust-" + i, complaint("C2", "2026-04-01T03:00:00Z")));
            }
            tickAllPartitions(p, "2026-04-02T02:00:00Z");
        }
        List<HealthAlert> production = readUntil(topic("alerts"), EntityRef.class, HealthAlert.class, l -> l.size() >= 2, Duration.ofSeconds(60));
        assertEquals(2, production.size(), "production: 4 and 3 complaints on 100,000 subscribers in a day: 12.0 and 9.0 > 6.68");

        BacktestPlan plan = BacktestPlan.of(config("a"), Map.of("alert.rule.warn.threshold", "10", "source.idle.timeout.ms", "2000"), "strict");
        Backtest.Result result = Backtest.run(plan, Duration.ofMinutes(3), new PrintStream(new ByteArrayOutputStream(), true));

        assertEquals("backtest-strict-" + topic("alerts"), plan.config().get("topic.alerts"));
        assertEquals(List.of("CAMPAIGN:C1:DAY:2026-03-31T16:00:00Z WARNING_OPENED"), result.alerts().stream().map(AlertComparison::identity).toList(),
                "compared through " + result.comparedThrough());
        AlertComparison c = result.comparison();
        assertEquals(Map.of("WARNING_OPENED CAMPAIGN", 1L), c.candidateCounts());
        assertEquals(Map.of("WARNING_OPENED CAMPAIGN", 2L), c.referenceCounts());
        assertEquals(1, c.inBoth());
        assertEquals(List.of(), c.onlyInCandidate());
        assertEquals(List.of("CAMPAIGN:C2:DAY:2026-03-31T16:00:00Z WARNING_OPENED"), c.onlyInReference());
        assertEquals(2, readUntil(topic("alerts"), EntityRef.class, HealthAlert.class, l -> false, Duration.ofSeconds(3)).size(),
                "production's alert topic is unchanged");
    }

    @Test
    void shouldCloseWindowsAndAlertWhenOnlySomePartitionsOfOneTopicCarryEvents() throws Exception {
        addCatalog(CatalogEntry.newBuilder().setKind(EntityKind.CAMPAIGN).setId("C3").setSubscriberBase(100_000L)
                .setValidFrom(Instant.parse("2026-01-01T00:00:00Z")).build());
        startService("a", Map.of("source.idle.timeout.ms", "5000"));
        try (KafkaProducer<String, SpecificRecord> p = producer()) {
            // complaints only, and one customer: one partition of one of the four topics ever has records
            for (int i = 0; i < 4; i++) {
                p.send(new ProducerRecord<>(topic("complaints"), "cust-1", complaint("C3", "2026-04-01T02:00:00Z")));
            }
            p.send(new ProducerRecord<>(topic("complaints"), "cust-1", complaint("OTHER", "2026-04-02T02:00:00Z")));
        }
        // no watermark ticks: the other 15 source partitions go idle after 5 s, the low watermark becomes
        // 2026-04-02T02:00Z and the Shanghai day of 1 April (ending 16:00Z) closes
        List<ServiceHealth> results = readUntil(topic("health-results"), HealthResultKey.class, ServiceHealth.class, hasDay("C3"), Duration.ofSeconds(60));
        assertEquals(4, day(results, "C3").getComplaints().getCount());
        List<HealthAlert> alerts = readUntil(topic("alerts"), EntityRef.class, HealthAlert.class, l -> !l.isEmpty(), Duration.ofSeconds(30));
        assertEquals(List.of(AlertTransition.WARNING_OPENED), alerts.stream().map(HealthAlert::getTransition).toList());
        assertEquals("C3", alerts.get(0).getId());
    }

    @Test
    void shouldDeadLetterBadRecordsAndRedriveThemIntoTheirTopicWithTheirOriginalBytes() throws Exception {
        startService("a");
        byte[] garbage = "not an event".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic("complaints"), "cust-x".getBytes(), garbage)).get();
        }
        Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        java.io.ByteArrayOutputStream report = new java.io.ByteArrayOutputStream();
        // wait until the service has dead-lettered it
        List<ConsumerRecord<byte[], byte[]>> dead = readRaw(topic("dead-letter"), 1);
        assertEquals("wrong-magic-byte", new String(dead.get(0).headers().lastHeader("dlq.reason").value()));

        var result = io.servicehealth.errors.Redrive.run(kafka, topic("dead-letter"), null, 10, new java.io.PrintStream(report, true));

        assertEquals(1, result.redriven(), report.toString());
        List<ConsumerRecord<byte[], byte[]>> complaints = readRaw(topic("complaints"), 2);
        ConsumerRecord<byte[], byte[]> redriven = complaints.get(1);
        assertArrayEquals(garbage, redriven.value(), "the original bytes, back in their topic");
        assertArrayEquals("cust-x".getBytes(), redriven.key());
        assertNotNull(redriven.headers().lastHeader("dlq.redriven.from"));
        assertNull(redriven.headers().lastHeader("dlq.reason"), "the dead-letter headers are not carried back");
    }

    private List<ConsumerRecord<byte[], byte[]>> readRaw(String topic, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "raw-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
            }
        }
        seen.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp));
        assertTrue(seen.size() >= atLeast, "read " + seen.size() + " from " + topic);
        return seen;
    }

    @Test
    void shouldResumeWithItsStateAfterARestartCountingEveryEventOnce() throws Exception {
        HealthService first = startService("a");
        try (KafkaProducer<String, SpecificRecord> p = producer()) {
            for (int i = 0; i < 2; i++) {
                p.send(new ProducerRecord<>(topic("complaints"), "cust-" + i, complaint("C2", "2026-04-01T02:00:00Z")));
            }
            p.flush();
        }
        Thread.sleep(3000); // let the first instance process and commit them
        first.close();
        services.remove(first);
        startService("a"); // same application id and state directory
        try (KafkaProducer<String, SpecificRecord> p = producer()) {
            p.send(new ProducerRecord<>(topic("complaints"), "cust-9", complaint("C2", "2026-04-01T03:00:00Z")));
            tickAllPartitions(p, "2026-04-02T02:00:00Z");
        }
        List<ServiceHealth> results = readUntil(topic("health-results"), HealthResultKey.class, ServiceHealth.class, hasDay("C2"), Duration.ofSeconds(60));
        assertEquals(3, day(results, "C2").getComplaints().getCount(), "2 before the restart + 1 after, none lost or doubled");
    }

    @Test
    void shouldAnswerQueriesForEntitiesOwnedByTheOtherInstance() throws Exception {
        for (int c = 0; c < 40; c++) {
            addCatalog(CatalogEntry.newBuilder().setKind(EntityKind.CAMPAIGN).setId("Q" + c).setSubscriberBase(100_000L)
                    .setValidFrom(Instant.parse("2026-01-01T00:00:00Z")).build());
        }
        HealthService a = startService("a");
        HealthService b = startService("b");
        try (KafkaProducer<String, SpecificRecord> p = producer()) {
            for (int c = 0; c < 40; c++) {
                p.send(new ProducerRecord<>(topic("complaints"), "cust-" + c, complaint("Q" + c, "2026-04-01T02:00:00Z")));
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        // wait until both instances run and the events are in state
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int owned = 0;
        String remoteCampaign = null;
        while (System.nanoTime() < deadline && remoteCampaign == null) {
            for (int c = 0; c < 40; c++) {
                KeyQueryMetadata meta = a.streams().queryMetadataForKey("entity-windows", "C|Q" + c, Serdes.String().serializer());
                if (meta != KeyQueryMetadata.NOT_AVAILABLE && !a.httpAddress().endsWith(":" + meta.activeHost().port())) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(a.httpAddress() + "/entities/campaign/Q" + c)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        remoteCampaign = "Q" + c;
                        JsonNode body = JSON.readTree(r.body());
                        assertTrue(b.httpAddress().endsWith(body.path("servedBy").asText().substring(body.path("servedBy").asText().indexOf(':'))),
                                "served by the owner: " + body);
                        assertEquals(1, body.path("windows").get(0).path("complaints").path("count").asInt());
                        break;
                    }
                }
            }
            Thread.sleep(500);
        }
        assertNotNull(remoteCampaign, "instance a answered for an entity owned by b");

        HttpResponse<String> worst = null;
        for (long until = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < until; Thread.sleep(500)) {
            worst = http.send(HttpRequest.newBuilder(URI.create(a.httpAddress() + "/worst?n=1000&kind=campaign&window=DAY")).build(),
                    HttpResponse.BodyHandlers.ofString());
            // a rebalance (standby tasks settling) may make one answer partial for a moment, and queries see
            // state as of each instance's last commit: wait for the merged answer to settle
            if (worst.statusCode() == 200 && !JSON.readTree(worst.body()).path("partial").asBoolean()
                    && JSON.readTree(worst.body()).path("entities").size() == 40) {
                break;
            }
        }
        assertEquals(200, worst.statusCode(), worst.body());
        assertEquals(40, JSON.readTree(worst.body()).path("entities").size(), "worst-N merges both instances: " + worst.body());

        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(a.httpAddress() + "/worst?n=zero")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("parameter n"), bad.body());
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(a.httpAddress() + "/entities/product/NOPE")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(b.httpAddress() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(b.httpAddress() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().contains("kafka_stream"), "Kafka Streams metrics are exported");
        // the collector's counters are registered when the service binds them, before any collection
        assertTrue(metrics.body().contains(JvmMetrics.ALLOCATED_BYTES + " "), "the collector's allocation is exported");
        assertTrue(metrics.body().contains(JvmMetrics.PROMOTED_BYTES + " "), "the collector's promotion is exported");
    }
}
