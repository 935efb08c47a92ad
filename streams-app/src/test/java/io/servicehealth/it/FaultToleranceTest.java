package io.servicehealth.it;

import io.servicehealth.runtime.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicehealth.registry.InMemorySchemaRegistry;
import io.servicehealth.registry.RegistryHttpServer;
import io.servicehealth.runtime.EmbeddedBroker;
import io.servicehealth.schema.*;
import io.servicehealth.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Faults with real processes: the application killed with SIGKILL mid-stream and restarted, the broker
 * stopped and restarted under a running application, one of two instances killed. Each test states what
 * it did and checks that the final counts are exact (nothing lost, nothing counted twice) and that no
 * alert transition is emitted twice. Figures (takeover time) are printed for the README.
 */
@Tag("integration")
class FaultToleranceTest {
    private static final int CAMPAIGNS = 50;
    private static EmbeddedBroker broker;
    private static RegistryHttpServer registry;
    private static final InMemorySchemaRegistry SCHEMAS = new InMemorySchemaRegistry();
    private final String run = "fault-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ServiceProcess> apps = new ArrayList<>();
    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start(Files.createTempDirectory("fault-broker"));
        registry = RegistryHttpServer.start(SCHEMAS, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
        broker.close();
    }

    @AfterEach
    void stopApps() throws Exception {
        for (ServiceProcess app : apps) {
            app.close();
        }
    }

    private Map<String, String> config() {
        return config(registry.url());
    }

    private Map<String, String> config(String registryUrl) {
        Map<String, String> c = new HashMap<>();
        c.put("kafka.bootstrap.servers", broker.bootstrapServers());
        c.put("kafka.application.id", run);
        c.put("schema.registry.url", registryUrl);
        c.put("topic.partitions", "2");
        ItSupport.topicsFor(run, c);
        // an alert for every campaign (1,000 subscribers, 200+ complaints a day per 10k): 50 transitions that could be duplicated
        ItSupport.onlyRule(c, "burst", "metric=complaints.per.10k", "direction=above", "threshold=50", "recovery=10", "window=DAY",
                "min.samples=0", "min.events=3", "confidence.z=0", "severity=WARNING", "scope.kinds=CAMPAIGN");
        return c;
    }

    /** An instance as a real process (`service-health run`) with a state directory of its own, so a test can SIGKILL it. */
    private ServiceProcess start(String name, Map<String, String> config) throws Exception {
        config.put("kafka.state.dir", temp.resolve("state-" + name).toString());
        return ServiceProcess.start(temp, name, config, "-Xmx512m");
    }

    private ServiceProcess app(String name) throws Exception {
        ServiceProcess app = start(name, config());
        apps.add(app);
        assertTrue(app.awaitReady(Duration.ofSeconds(90)), name + " ready; log:\n" + app.logText());
        return app;
    }

    private String topic(String role) {
        return run + "-" + role;
    }

    private KafkaProducer<String, SpecificRecord> producer() {
        return producer(registry.url());
    }

    private KafkaProducer<String, SpecificRecord> producer(String registryUrl) {
        Map<String, String> serde = Map.of("schema.registry.url", registryUrl);
        Serializer<SpecificRecord> values = io.servicehealth.topology.HealthSerdes.fromConfig(serde).eventSerializer();
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), values);
    }

    private void provisionTopics() throws Exception {
        createTopics();
        Map<String, String> serde = Map.of("schema.registry.url", registry.url());
        try (KafkaProducer<CatalogKey, CatalogEntry> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                AvroSerde.of(CatalogKey.class, serde, true).serializer(), AvroSerde.of(CatalogEntry.class, serde, false).serializer())) {
            for (int c = 0; c < CAMPAIGNS; c++) {
                CatalogEntry e = CatalogEntry.newBuilder().setKind(EntityKind.CAMPAIGN).setId("K" + c).setSubscriberBase(1_000L)
                        .setValidFrom(Instant.parse("2026-01-01T00:00:00Z")).build();
                p.send(new ProducerRecord<>(topic("catalog"), new CatalogKey(e.getKind(), e.getId(), e.getValidFrom()), e));
            }
        }
    }

    private void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            io.servicehealth.runtime.TopicProvisioner.ensure(admin, new io.servicehealth.config.HealthConfig(config()));
        }
    }

    /** Complaint i of campaign i % CAMPAIGNS at a time spread over Shanghai day 1 April, in time order. */
    private static ComplaintEvent complaint(int i, int total) {
        Instant t = Instant.parse("2026-03-31T16:00:00Z").plusMillis((long) i * (86_400_000L - 60_000) / total);
        return ComplaintEvent.newBuilder().setEventId("e-" + i).setCustomerId("cust-" + i).setCampaignId("K" + (i % CAMPAIGNS))
                .setCategory(ComplaintCategory.VOICE).setCause(ComplaintCause.NETWORK_FAULT).setOpenedAt(t).build();
    }

    private void send(KafkaProducer<String, SpecificRecord> p, int from, int to, int total) {
        for (int i = from; i < to; i++) {
            p.send(new ProducerRecord<>(topic("complaints"), "cust-" + i, complaint(i, total)));
        }
        p.flush();
    }

    private void tickAllPartitions(KafkaProducer<String, SpecificRecord> p, String at) {
        io.servicehealth.bench.WatermarkTicks.send(p, io.servicehealth.config.TopologySettings.Topics.of(
                new io.servicehealth.config.HealthConfig(config())), 2, Instant.parse(at));
    }

    private <K extends SpecificRecord, V extends SpecificRecord> List<V> read(String topic, Class<K> k, Class<V> v, Predicate<List<V>> done, Duration timeout) {
        return read(registry.url(), topic, k, v, done, timeout);
    }

    private <K extends SpecificRecord, V extends SpecificRecord> List<V> read(String registryUrl, String topic, Class<K> k, Class<V> v,
                                                                              Predicate<List<V>> done, Duration timeout) {
        return ItSupport.readValues(broker.bootstrapServers(), registryUrl, topic, k, v, done, timeout, Duration.ofSeconds(2));
    }

    private void assertExactDayCounts(int total) {
        List<ServiceHealth> results = read(topic("health-results"), HealthResultKey.class, ServiceHealth.class,
                l -> l.stream().filter(h -> h.getId().startsWith("K") && h.getWindowSize() == WindowSize.DAY).count() >= CAMPAIGNS,
                Duration.ofSeconds(120));
        List<ServiceHealth> days = results.stream().filter(h -> h.getId().startsWith("K") && h.getWindowSize() == WindowSize.DAY).toList();
        assertEquals(CAMPAIGNS, days.size(), "exactly one final DAY result per campaign");
        assertEquals(total, days.stream().mapToLong(h -> h.getComplaints().getCount()).sum(), "every event counted exactly once");
        for (ServiceHealth day : days) {
            assertEquals(total / CAMPAIGNS, day.getComplaints().getCount(), day.getId());
        }
        long hourTotal = results.stream().filter(h -> h.getId().startsWith("K") && h.getWindowSize() == WindowSize.HOUR)
                .mapToLong(h -> h.getComplaints().getCount()).sum();
        assertEquals(total, hourTotal, "hour windows too");

        List<HealthAlert> alerts = read(topic("alerts"), EntityRef.class, HealthAlert.class, l -> false, Duration.ofSeconds(3));
        Set<String> unique = new HashSet<>();
        for (HealthAlert a : alerts) {
            assertTrue(unique.add(a.getEpisodeId() + "/" + a.getTransition()), "transition emitted twice: " + a.getEpisodeId() + " " + a.getTransition());
        }
        assertFalse(alerts.isEmpty(), "the scenario raises alerts");
        System.out.printf("fault test: %d events, %d final DAY results, %d alert transitions, no duplicates%n", total, days.size(), alerts.size());
    }

    @Test
    void shouldCountExactlyOnceWhenTheApplicationIsKilledMidStreamAndRestarted() throws Exception {
        provisionTopics();
        int total = 20_000;
        ServiceProcess first = app("a");
        try (KafkaProducer<String, SpecificRecord> p = producer()) {
            send(p, 0, total / 2, total);
            Thread.sleep(1500); // mid-stream: part processed, part committed, part in an open transaction
            first.kill();
            send(p, total / 2, total, total);
            app("a"); // same state directory, same application id
            tickAllPartitions(p, "2026-04-02T02:00:00Z");
        }
        assertExactDayCounts(total);
    }

    @Test
    void shouldRecoverByItselfWhenTheBrokerRestartsUnderIt() throws Exception {
        provisionTopics();
        int total = 10_000;
        app("a");
        try (KafkaProducer<String, SpecificRecord> p = producer()) {
            send(p, 0, total / 2, total);
            Thread.sleep(1000);
            broker.stop();
            Thread.sleep(5000);
            broker.launch();
            send(p, total / 2, total, total);
            tickAllPartitions(p, "2026-04-02T02:00:00Z");
        }
        assertExactDayCounts(total);
    }

    @Test
    void shouldStopLoudlyWhileTheRegistryIsDownAndResumeWithoutSkippingOnceItIsBack() throws Exception {
        createTopics(); // no catalog: its records would be registered in the other registry
        InMemorySchemaRegistry schemas = new InMemorySchemaRegistry();
        RegistryHttpServer own = RegistryHttpServer.start(schemas, "127.0.0.1", 0);
        int port = Integer.parseInt(own.url().substring(own.url().lastIndexOf(':') + 1));
        Map<String, String> serde = Map.of("schema.registry.url", own.url());
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, ComplaintEvent> p = new KafkaProducer<>(producerConfig, new StringSerializer(),
                AvroSerde.of(ComplaintEvent.class, serde, false).serializer())) {
            for (int i = 0; i < 100; i++) {
                p.send(new ProducerRecord<>(topic("complaints"), "cust-" + i, complaint(i, 100)));
            }
        }
        own.close(); // the registry goes down before the application has ever fetched the schema

        ServiceProcess down = start("registry-down", config(own.url()));
        apps.add(down);
        long started = System.nanoTime();
        int exit = down.awaitExit(Duration.ofSeconds(120));
        System.out.printf("registry outage: the instance stopped after %.1f s with exit code %d%n", (System.nanoTime() - started) / 1e9, exit);
        assertEquals(1, exit, "stops loudly; log:\n" + down.logText());
        assertTrue(down.logText().contains("schema registry unavailable"), down.logText());
        try (KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-check", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            dlq.subscribe(List.of(topic("dead-letter")));
            assertTrue(dlq.poll(Duration.ofSeconds(5)).isEmpty(), "an outage dead-letters nothing");
        }

        RegistryHttpServer back = RegistryHttpServer.start(schemas, "127.0.0.1", port);
        try {
            ServiceProcess resumed = start("registry-back", config(back.url()));
            apps.add(resumed);
            assertTrue(resumed.awaitReady(Duration.ofSeconds(90)), resumed.logText());
            try (KafkaProducer<String, SpecificRecord> p = producer(back.url())) {
                tickAllPartitions(p, "2026-04-02T02:00:00Z");
            }
            List<ServiceHealth> results = read(back.url(), topic("health-results"), HealthResultKey.class, ServiceHealth.class,
                    l -> l.stream().filter(h -> h.getId().startsWith("K") && h.getWindowSize() == WindowSize.DAY).count() >= CAMPAIGNS,
                    Duration.ofSeconds(90));
            long total = results.stream().filter(h -> h.getId().startsWith("K") && h.getWindowSize() == WindowSize.DAY)
                    .mapToLong(h -> h.getComplaints().getCount()).sum();
            assertEquals(100, total, "every event written during the outage is counted once the registry is back");
        } finally {
            back.close();
        }
    }

    private static int dayCount(JsonNode entity) {
        for (JsonNode window : entity.path("windows")) {
            if (window.path("windowSize").asText().equals("DAY")) {
                return window.path("complaints").path("count").asInt();
            }
        }
        return -1;
    }

    @Test
    void shouldMoveAKilledInstancesPartitionsToTheSurvivorWhichKeepsAnswering() throws Exception {
        provisionTopics();
        ServiceProcess a = app("a");
        ServiceProcess b = app("b");
        try (KafkaProducer<String, SpecificRecord> p = producer()) {
            send(p, 0, 1_000, 1_000);
        }
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String ownedByA = null;
        // an entity owned by a, once all 20 of its events are processed (so the state to move is complete)
        for (long until = System.nanoTime() + Duration.ofSeconds(60).toNanos(); ownedByA == null && System.nanoTime() < until; Thread.sleep(500)) {
            for (int c = 0; c < CAMPAIGNS && ownedByA == null; c++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(b.url() + "/entities/campaign/K" + c)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && json.readTree(r.body()).path("servedBy").asText().endsWith(":" + a.httpPort())
                        && dayCount(json.readTree(r.body())) == 20) {
                    ownedByA = "K" + c;
                }
            }
        }
        assertNotNull(ownedByA, "some campaign is owned by instance a");
        long killedAt = System.nanoTime();
        a.kill();
        double firstAnswer = -1;
        double takeover = -1;
        for (long until = System.nanoTime() + Duration.ofSeconds(90).toNanos(); takeover < 0 && System.nanoTime() < until; Thread.sleep(200)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(b.url() + "/entities/campaign/" + ownedByA)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode body = json.readTree(r.body());
                if (firstAnswer < 0) {
                    firstAnswer = (System.nanoTime() - killedAt) / 1e9;
                }
                if (!body.path("stale").asBoolean() && body.path("servedBy").asText().endsWith(":" + b.httpPort())) {
                    takeover = (System.nanoTime() - killedAt) / 1e9;
                    assertEquals(20, dayCount(body), "state moved intact");
                }
            }
        }
        assertTrue(takeover > 0, "the survivor took over " + ownedByA);
        System.out.printf("takeover: survivor answered (standby, stale) %.1f s and as owner %.1f s after SIGKILL%n", firstAnswer, takeover);
    }
}
