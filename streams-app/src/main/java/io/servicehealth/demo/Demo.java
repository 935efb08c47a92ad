package io.servicehealth.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicehealth.config.HealthConfig;
import io.servicehealth.registry.MockRegistries;
import io.servicehealth.registry.RegistryHttpServer;
import io.servicehealth.runtime.Directories;
import io.servicehealth.runtime.EmbeddedBroker;
import io.servicehealth.runtime.HealthService;
import io.servicehealth.schema.EntityRef;
import io.servicehealth.schema.HealthAlert;
import io.servicehealth.catalog.CatalogPublisher;
import io.servicehealth.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The embedded default: a real local broker, an in-process schema registry also served over HTTP, the
 * pipeline, simulated traffic with event time running faster than wall time, and a live summary of
 * the worst entities and new alerts in the terminal.
 */
public final class Demo implements AutoCloseable {
    public static final String SCOPE = "demo";
    /** Simulated time starts on a Monday, 00:00 in Shanghai, so weeks line up with the report weeks. */
    static final Instant SIM_START = Instant.parse("2026-03-01T16:00:00Z");

    /** The demo cannot start here, for a reason the user can fix (a port or the work directory in use). */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    public record Options(Path workDir, int httpPort, int registryPort, double simHoursPerSecond, int callsPerHour,
                          Duration runFor, PrintStream out) {
    }

    private final Options options;
    private final EmbeddedBroker broker;
    private final WorkDirLock lock;
    private final RegistryHttpServer registry;
    private final HealthService service;
    private final Thread simulator;
    private final Thread summary;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong eventsSent = new AtomicLong();
    private final AtomicLong alertsSeen = new AtomicLong();
    private volatile Instant simulatedNow = SIM_START;

    private Demo(Options options, EmbeddedBroker broker, RegistryHttpServer registry, HealthService service, WorkDirLock lock) {
        this.options = options;
        this.lock = lock;
        this.broker = broker;
        this.registry = registry;
        this.service = service;
        this.simulator = new Thread(this::simulate, "demo-simulator");
        this.summary = new Thread(this::summarise, "demo-summary");
    }

    public static Demo start(Options options, Map<String, String> overrides) throws Exception {
        // what can refuse to start is checked before anything is wiped or started: a second demo must not
        // delete the first one's data, nor leave a broker behind when its ports turn out to be taken
        WorkDirLock lock = WorkDirLock.acquire(options.workDir());
        RegistryHttpServer registry = null;
        EmbeddedBroker broker = null;
        try {
            requireFreePort(options.registryPort(), "schema registry", "--registry-port");
            requireFreePort(options.httpPort(), "query API and metrics", "--http-port");
            MockRegistries.drop(SCOPE); // only now: a refused start must not drop the registry of a demo running in this JVM
            registry = startRegistry(options.registryPort());
            Directories.deleteRecursively(options.workDir());
            Files.createDirectories(options.workDir());
            options.out().println("starting a local Kafka broker (KRaft) in " + options.workDir().resolve("broker") + " …");
            broker = EmbeddedBroker.start(options.workDir().resolve("broker"));
            return start(options, overrides, lock, registry, broker);
        } catch (Exception | Error e) {
            closeQuietly(broker);
            closeQuietly(registry);
            closeQuietly(lock);
            throw e;
        }
    }

    private static RegistryHttpServer startRegistry(int port) throws IOException {
        try {
            return RegistryHttpServer.start(MockRegistries.scope(SCOPE), "127.0.0.1", port);
        } catch (BindException e) {
            throw portTaken(port, "schema registry", "--registry-port");
        }
    }

    /** Found out before anything is wiped or started (the HTTP API binds only once the pipeline runs). */
    private static void requireFreePort(int port, String what, String option) throws IOException {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (BindException e) {
            throw portTaken(port, what, option);
        }
    }

    private static Refused portTaken(int port, String what, String option) {
        return new Refused("port " + port + " for the " + what + " is in use (another demo?): stop it, or pass "
                + option + " N (0 = any free port)");
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception ignored) {
            // already failing: the first exception is the one to report
        }
    }

    private static Demo start(Options options, Map<String, String> overrides, WorkDirLock lock, RegistryHttpServer registry,
                              EmbeddedBroker broker) throws Exception {
        PrintStream out = options.out();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("kafka.application.id", "service-health-demo");
        config.put("kafka.state.dir", options.workDir().resolve("state").toString());
        // one instance: there is no other to hold standby copies (the assignor would warn at every rebalance)
        config.put("kafka.num.standby.replicas", "0");
        config.put("schema.registry.url", "mock://" + SCOPE);
        config.put(HealthConfig.HTTP_PORT, String.valueOf(options.httpPort()));
        config.putAll(overrides);
        HealthConfig healthConfig = new HealthConfig(config);

        DemoCatalog catalog = new DemoCatalog(SIM_START.minus(Duration.ofDays(60)), 7);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            io.servicehealth.runtime.TopicProvisioner.ensure(admin, healthConfig);
        }
        CatalogPublisher.publish(producerConfig(broker), Map.of("schema.registry.url", "mock://" + SCOPE),
                healthConfig.getString(HealthConfig.TOPIC_CATALOG), catalog.entries());
        HealthService service = HealthService.start(healthConfig);
        Demo demo = new Demo(options, broker, registry, service, lock);
        demo.simulatorCatalog = catalog;
        demo.config = healthConfig;
        out.println();
        out.println("service-health demo is running");
        out.println("  Kafka broker      " + broker.bootstrapServers());
        out.println("  schema registry   " + registry.url() + "   (Confluent REST API subset)");
        out.println("  query API         " + service.httpAddress() + "/worst?kind=campaign&window=DAY");
        out.println("                    " + service.httpAddress() + "/entities/campaign/C0005");
        out.println("  metrics           " + service.httpAddress() + "/metrics");
        out.println("  topics            " + healthConfig.getString(HealthConfig.TOPIC_HEALTH_UPDATES) + ", "
                + healthConfig.getString(HealthConfig.TOPIC_HEALTH_RESULTS) + ", " + healthConfig.getString(HealthConfig.TOPIC_ALERTS)
                + ", " + healthConfig.getString(HealthConfig.TOPIC_ALERT_STATE));
        out.println("  simulated time runs " + options.simHoursPerSecond() + " hours per second from " + SIM_START + "; campaigns "
                + DEGRADING.stream().map(DemoCatalog::campaignId).sorted().collect(Collectors.joining(", ")) + " degrade from day 2");
        out.println("Ctrl-C stops it.");
        out.println();
        demo.simulator.start();
        demo.summary.start();
        return demo;
    }

    static final Set<Integer> DEGRADING = Set.of(5, 123, 456, 789);
    private DemoCatalog simulatorCatalog;
    private HealthConfig config;

    public HealthService service() {
        return service;
    }

    public String registryUrl() {
        return registry.url();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public long alertsSeen() {
        return alertsSeen.get();
    }

    private static Map<String, Object> producerConfig(EmbeddedBroker broker) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    private void simulate() {
        Map<String, String> serde = Map.of("schema.registry.url", "mock://" + SCOPE);
        Map<Class<?>, String> topics = Map.of(
                io.servicehealth.schema.ComplaintEvent.class, config.getString(HealthConfig.TOPIC_COMPLAINTS),
                io.servicehealth.schema.HotlineCallEvent.class, config.getString(HealthConfig.TOPIC_HOTLINE_CALLS),
                io.servicehealth.schema.StoreTransactionEvent.class, config.getString(HealthConfig.TOPIC_STORE_TRANSACTIONS),
                io.servicehealth.schema.SurveyResponseEvent.class, config.getString(HealthConfig.TOPIC_SURVEY_RESPONSES));
        Serializer<SpecificRecord> byType = io.servicehealth.topology.HealthSerdes.fromConfig(serde).eventSerializer();
        TrafficSimulator traffic = new TrafficSimulator(simulatorCatalog, 11, ZoneId.of("Asia/Shanghai"), options.callsPerHour(),
                DEGRADING, SIM_START.plus(Duration.ofDays(1)));
        long tickMs = Math.max(1, Math.round(1000 / options.simHoursPerSecond()));
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(producerConfig(broker), new StringSerializer(), byType)) {
            Instant hour = SIM_START;
            long next = System.currentTimeMillis();
            while (running.get()) {
                for (TrafficSimulator.Event e : traffic.hour(hour)) {
                    producer.send(new ProducerRecord<>(topics.get(e.value().getClass()), null, e.time(), e.customerId(), e.value()));
                    eventsSent.incrementAndGet();
                }
                hour = hour.plus(Duration.ofHours(1));
                simulatedNow = hour;
                next += tickMs;
                long sleep = next - System.currentTimeMillis();
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running.get()) {
                options.out().println("simulator stopped: " + e);
            }
        }
    }

    private void summarise() {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "demo-summary",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, String> serde = Map.of("schema.registry.url", "mock://" + SCOPE);
        try (KafkaConsumer<EntityRef, HealthAlert> alerts = new KafkaConsumer<>(consumerConfig,
                AvroSerde.of(EntityRef.class, serde, true).deserializer(), AvroSerde.of(HealthAlert.class, serde, false).deserializer())) {
            alerts.subscribe(List.of(config.getString(HealthConfig.TOPIC_ALERTS)));
            long nextSummary = System.currentTimeMillis() + 5000;
            while (running.get()) {
                for (var record : alerts.poll(Duration.ofMillis(500))) {
                    HealthAlert a = record.value();
                    alertsSeen.incrementAndGet();
                    options.out().printf("ALERT %-19s %-8s %s %s  (%s) episode %s%n", a.getTransition(), a.getKind(), a.getId(),
                            a.getName() == null ? "" : a.getName(), a.getBreaches().stream().map(b -> b.getRuleId() + "=" + round(b.getObserved()))
                                    .collect(Collectors.joining(", ")), a.getEpisodeId());
                }
                if (System.currentTimeMillis() >= nextSummary) {
                    nextSummary += 5000;
                    printWorst(json, http);
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                options.out().println("summary stopped: " + e);
            }
        }
    }

    private void printWorst(ObjectMapper json, HttpClient http) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service.httpAddress() + "/worst?n=5&window=DAY&kind=campaign"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            StringBuilder line = new StringBuilder(String.format("[sim %s | %,d events sent | %d alerts] worst campaigns today:",
                    simulatedNow.atZone(ZoneId.of("Asia/Shanghai")).toLocalDateTime(), eventsSent.get(), alertsSeen.get()));
            if (r.statusCode() == 200) {
                for (JsonNode e : json.readTree(r.body()).path("entities")) {
                    line.append(String.format(" %s %.0f %s;", e.path("id").asText(), e.path("score").asDouble(), e.path("grade").asText()));
                }
            } else {
                line.append(" (not ready: ").append(r.statusCode()).append(')');
            }
            options.out().println(line);
        } catch (IOException e) {
            options.out().println("summary: query API did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String round(double v) {
        return String.format("%.1f", v);
    }

    /** Runs until the time limit (if any) or until the pipeline stops. */
    public void awaitEnd() throws InterruptedException {
        if (options.runFor() != null) {
            Thread.sleep(options.runFor().toMillis());
        } else {
            service.awaitStop();
        }
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        simulator.interrupt();
        simulator.join(10_000);
        summary.join(10_000);
        service.close();
        registry.close();
        broker.close();
        MockRegistries.drop(SCOPE);
        lock.close();
    }
}
