package io.servicehealth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.servicehealth.config.HealthConfig;
import io.servicehealth.registry.MockRegistries;
import io.servicehealth.runtime.EmbeddedBroker;
import io.servicehealth.runtime.HealthService;
import io.servicehealth.runtime.TopicProvisioner;
import io.servicehealth.schema.*;
import io.servicehealth.serde.AvroSerde;
import io.servicehealth.topology.PipelineMetrics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark command: on one local broker, in one invocation, the raw producer and consumer
 * baselines, the pre-load of the peer workload in this project's events, and the backlog drain of the
 * shipped pipeline (exactly-once v2 and at-least-once, median of the runs), with the totals checked;
 * optionally the two peers (../shared/peers/run.sh) on the same machine. Writes report.md and report.json.
 */
public final class Benchmark {
    private static final String SCOPE = "bench";
    private final long events;
    private final int runs;
    private final Path out;
    private final PrintStream log;
    private final Map<String, Object> report = new LinkedHashMap<>();

    public Benchmark(long events, int runs, Path out, PrintStream log) {
        this.events = events;
        this.runs = runs;
        this.out = out;
        this.log = log;
    }

    public void run(boolean peers, Path peersScript) throws Exception {
        Files.createDirectories(out);
        report.put("started", Instant.now().toString());
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "memoryGiB", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / (1L << 30),
                "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")));
        report.put("events", events);
        report.put("runsPerGuarantee", runs);
        Path work = out.resolve("work");
        try (EmbeddedBroker broker = EmbeddedBroker.start(work.resolve("broker"))) {
            baselines(broker);
            preload(broker);
            Map<String, Object> drains = new LinkedHashMap<>();
            for (String guarantee : List.of("exactly_once_v2", "at_least_once")) {
                List<Double> rates = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    rates.add(drain(broker, guarantee, r, r == 0 && guarantee.equals("exactly_once_v2")));
                }
                List<Double> sorted = rates.stream().sorted().toList();
                drains.put(guarantee, Map.of("runs", rates, "median", sorted.get(sorted.size() / 2)));
            }
            report.put("drain", drains);
        }
        if (peers && peersScript != null && Files.exists(peersScript)) {
            report.put("peers", runPeers(peersScript));
        }
        report.put("finished", Instant.now().toString());
        writeReport();
    }

    // ---- baselines: Kafka's own perf tools on the same broker
    private void baselines(EmbeddedBroker broker) throws Exception {
        String boot = broker.bootstrapServers();
        tool("topic", "org.apache.kafka.tools.TopicCommand", "--bootstrap-server", boot, "--create", "--topic", "perf-raw", "--partitions", "4", "--replication-factor", "1");
        tool("producer-warmup", "org.apache.kafka.tools.ProducerPerformance", "--topic", "perf-raw", "--record-size", "150", "--throughput", "-1",
                "--num-records", String.valueOf(Math.min(events, 1_000_000)), "--producer-props", "bootstrap.servers=" + boot, "compression.type=lz4");
        double producer = producerRate(tool("producer-perf", "org.apache.kafka.tools.ProducerPerformance", "--topic", "perf-raw", "--record-size", "150",
                "--throughput", "-1", "--num-records", String.valueOf(events), "--producer-props", "bootstrap.servers=" + boot, "compression.type=lz4"));
        double batched = producerRate(tool("producer-perf-batched", "org.apache.kafka.tools.ProducerPerformance", "--topic", "perf-raw", "--record-size", "150",
                "--throughput", "-1", "--num-records", String.valueOf(events), "--producer-props", "bootstrap.servers=" + boot, "compression.type=lz4",
                "linger.ms=10", "batch.size=131072"));
        String consumerOut = tool("consumer-perf", "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", boot, "--topic", "perf-raw",
                "--messages", String.valueOf(events), "--timeout", "60000");
        String[] row = consumerOut.lines().filter(l -> l.matches("^\\d{4}-.*")).reduce((a, b) -> b).orElse("").split(",\\s*");
        double consumer = row.length > 5 ? Double.parseDouble(row[5].trim()) : Double.NaN;
        report.put("baselines", Map.of("producerDefaults", producer, "producerBatched", batched, "consumer", consumer));
        log.printf("baselines: producer %.0f rec/s (defaults), %.0f rec/s (batched), consumer %.0f rec/s%n", producer, batched, consumer);
    }

    private static double producerRate(String output) {
        Matcher m = Pattern.compile("records sent, ([0-9.]+) records/sec").matcher(output);
        double rate = Double.NaN;
        while (m.find()) {
            rate = Double.parseDouble(m.group(1));
        }
        return rate;
    }

    private String tool(String name, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", EmbeddedBroker.findLibDir().toAbsolutePath() + "/*", mainClass));
        command.addAll(List.of(args));
        Path logFile = out.resolve(name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(name + " failed, see " + logFile);
        }
        return Files.readString(logFile);
    }

    // ---- the workload, in this project's events
    private Map<String, String> baseConfig(EmbeddedBroker broker) {
        Map<String, String> c = new HashMap<>();
        c.put("kafka.bootstrap.servers", broker.bootstrapServers());
        c.put("schema.registry.url", "mock://" + SCOPE);
        c.put("http.port", "0");
        return c;
    }

    private void preload(EmbeddedBroker broker) throws Exception {
        HealthConfig config = new HealthConfig(baseConfig(broker));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, config);
        }
        Map<String, String> serde = Map.of("schema.registry.url", "mock://" + SCOPE);
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 131072, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<CatalogKey, CatalogEntry> p = new KafkaProducer<>(producerConfig, AvroSerde.of(CatalogKey.class, serde, true).serializer(),
                AvroSerde.of(CatalogEntry.class, serde, false).serializer())) {
            for (int i = 0; i < Workload.PRODUCTS; i++) {
                send(p, config, Workload.product(i));
            }
            for (int i = 0; i < Workload.CAMPAIGNS; i++) {
                send(p, config, Workload.campaign(i));
            }
        }
        String[] topics = {config.getString(HealthConfig.TOPIC_COMPLAINTS), config.getString(HealthConfig.TOPIC_HOTLINE_CALLS),
                config.getString(HealthConfig.TOPIC_STORE_TRANSACTIONS), config.getString(HealthConfig.TOPIC_SURVEY_RESPONSES)};
        Serializer<SpecificRecord> values = io.servicehealth.topology.HealthSerdes.fromConfig(serde).eventSerializer();
        Workload workload = new Workload(events, 42);
        long t0 = System.nanoTime();
        long bytes = 0;
        try (KafkaProducer<String, SpecificRecord> p = new KafkaProducer<>(producerConfig, new StringSerializer(), values)) {
            for (long i = 0; i < events; i++) {
                Workload.Event e = workload.event(i);
                p.send(new ProducerRecord<>(topics[e.topic()], e.key(), e.value()));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        report.put("preload", Map.of("seconds", seconds, "rate", events / seconds));
        log.printf("pre-load: %,d events in %.1f s (%.0f events/s)%n", events, seconds, events / seconds);
    }

    private static void send(KafkaProducer<CatalogKey, CatalogEntry> p, HealthConfig config, CatalogEntry e) {
        p.send(new ProducerRecord<>(config.getString(HealthConfig.TOPIC_CATALOG), new CatalogKey(e.getKind(), e.getId(), e.getValidFrom()), e));
    }

    // ---- the drain
    private double drain(EmbeddedBroker broker, String guarantee, int run, boolean verifyTotals) throws Exception {
        Map<String, String> c = baseConfig(broker);
        String appId = "bench-" + guarantee.replace('_', '-') + "-" + run;
        c.put("kafka.application.id", appId);
        c.put("kafka.state.dir", out.resolve("work").resolve("state-" + appId).toString());
        c.put("kafka.processing.guarantee", guarantee);
        c.put("topic.health.updates", "bench-updates-" + appId);
        c.put("topic.health.results", "bench-results-" + appId);
        c.put("topic.alerts", "bench-alerts-" + appId);
        c.put("topic.alert.state", "bench-alert-state-" + appId);
        c.put("topic.late.events", "bench-late-" + appId);
        c.put("topic.dead.letter", "bench-dlq-" + appId);
        long t0 = System.nanoTime();
        HealthService service = HealthService.start(new HealthConfig(c));
        double seconds;
        double late;
        try {
            while (true) {
                double accepted = metric(service, PipelineMetrics.ACCEPTED_EVENTS);
                late = metric(service, PipelineMetrics.LATE_EVENTS);
                double dead = service.metrics().find("service_health_dead_letters").counters().stream().mapToDouble(x -> x.count()).sum();
                if (accepted + late + dead >= events) {
                    break;
                }
                if (System.nanoTime() - t0 > Duration.ofMinutes(30).toNanos()) {
                    throw new IllegalStateException("drain did not finish in 30 minutes: " + accepted + " accepted");
                }
                Thread.sleep(100);
            }
            // every record read; wait for the aggregating side (repartitioned contributions) to catch up
            double records = 0;
            while (true) {
                double processed = aggregatorIdle(service);
                if (processed == records && processed > 0) {
                    break;
                }
                records = processed;
                Thread.sleep(500);
            }
            seconds = (System.nanoTime() - t0) / 1e9 - 0.5;
        } finally {
            if (!verifyTotals) {
                service.close();
            }
        }
        double rate = events / seconds;
        log.printf("drain %s run %d: %,d events in %.1f s = %.0f events/s (late %.0f)%n", guarantee, run + 1, events, seconds, rate, late);
        if (verifyTotals) {
            verify(service, broker, c);
        }
        return rate;
    }

    private static double metric(HealthService service, String name) {
        return service.streams().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals(PipelineMetrics.GROUP))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    /** Records the aggregator has processed so far (process-total of its node, over all tasks). */
    private static double aggregatorIdle(HealthService service) {
        return service.streams().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("process-total") && e.getKey().group().equals("stream-thread-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    /** Moves every source partition past the end and checks that the final DAY results count every event once. */
    private void verify(HealthService service, EmbeddedBroker broker, Map<String, String> config) throws Exception {
        try {
            HealthConfig hc = new HealthConfig(config);
            Map<String, String> serde = Map.of("schema.registry.url", "mock://" + SCOPE);
            Instant end = Workload.START.plus(Workload.SPAN).plus(Duration.ofDays(2));
            try (KafkaProducer<String, SpecificRecord> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), io.servicehealth.topology.HealthSerdes.fromConfig(serde).eventSerializer())) {
                WatermarkTicks.send(p, io.servicehealth.config.TopologySettings.from(hc, 1).topics(), hc.getInt(HealthConfig.TOPIC_PARTITIONS), end);
            }
            long counted = 0;
            long windows = 0;
            try (KafkaConsumer<HealthResultKey, ServiceHealth> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "bench-verify",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                    AvroSerde.of(HealthResultKey.class, serde, true).deserializer(), AvroSerde.of(ServiceHealth.class, serde, false).deserializer())) {
                consumer.subscribe(List.of(hc.getString(HealthConfig.TOPIC_HEALTH_RESULTS)));
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (counted < events && System.nanoTime() < deadline) {
                    for (ConsumerRecord<HealthResultKey, ServiceHealth> r : consumer.poll(Duration.ofSeconds(1))) {
                        if (r.value().getKind() == EntityKind.PRODUCT && r.value().getWindowSize() == WindowSize.DAY) {
                            counted += r.value().getEvents();
                            windows++;
                        }
                    }
                }
            }
            double late = metric(service, PipelineMetrics.LATE_EVENTS) + metric(service, PipelineMetrics.LATE_AFTER_CLOSE);
            report.put("totals", Map.of("events", events, "countedInProductDayResults", counted, "productDayResults", windows, "late", late));
            log.printf("totals: %,d of %,d events counted in %,d final product-day results; %.0f late%n", counted, events, windows, late);
        } finally {
            service.close();
        }
    }

    // ---- the peers, on their own broker (same single-node configuration), one after the other
    private Map<String, Object> runPeers(Path script) throws Exception {
        log.println("running the peers: " + script + " " + events + " (about 10 minutes for 2M events)");
        Path logFile = out.resolve("peers.log");
        Process p = new ProcessBuilder("bash", script.toString(), String.valueOf(events)).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start();
        if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
            return Map.of("error", "peers failed, see " + logFile);
        }
        String text = Files.readString(logFile);
        Map<String, Object> peers = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            Matcher m = Pattern.compile("^(Kafka Streams [^,]*, (exactly_once_v2|at_least_once)|Flink [^,]*, (checkpoints 1 s, exactly-once|no checkpoints))\\s+([0-9]+)").matcher(line);
            if (m.find()) {
                peers.put(m.group(1).trim(), Double.parseDouble(m.group(4)));
            }
        }
        peers.put("table", text.lines().dropWhile(l -> !l.startsWith("peer benchmark")).toList());
        return peers;
    }

    private void writeReport() throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(out.resolve("report.json"), json.writeValueAsString(report));
        Files.writeString(out.resolve("report.md"), BenchReport.markdown(report));
        log.println("report: " + out.resolve("report.md"));
        log.print(BenchReport.markdown(report));
    }
}
