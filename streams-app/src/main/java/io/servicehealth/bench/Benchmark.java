package io.servicehealth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.servicehealth.catalog.CatalogPublisher;
import io.servicehealth.config.HealthConfig;
import io.servicehealth.config.TopologySettings;
import io.servicehealth.registry.MockRegistries;
import io.servicehealth.registry.RegistryHttpServer;
import io.servicehealth.runtime.Directories;
import io.servicehealth.runtime.EmbeddedBroker;
import io.servicehealth.runtime.JvmMetrics;
import io.servicehealth.runtime.ServiceProcess;
import io.servicehealth.runtime.TopicProvisioner;
import io.servicehealth.schema.*;
import io.servicehealth.serde.AvroSerde;
import io.servicehealth.topology.HealthSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The benchmark command: on one local broker, in one invocation, the raw producer and consumer
 * baselines; the backlog drain of the shipped pipeline (exactly-once v2 and at-least-once, median of the
 * runs) with every event's count checked; end-to-end latency under a paced load; throughput and
 * resident memory as the entity cardinality grows, and restoration of the largest state; then the two
 * peers (../shared/peers/run.sh) on the same machine. Writes report.md and report.json.
 * <p>
 * The pipeline always runs as its own process ({@code service-health run} with the launcher's default
 * heap), so resident memory is the pipeline's alone; it is read through its HTTP API like any deployment.
 */
public final class Benchmark {
    private static final String SCOPE = "bench";
    private static final String PIPELINE_JVM = System.getenv().getOrDefault("HEALTH_JAVA_OPTS", ServiceProcess.DEFAULT_JAVA_OPTS);
    static final String ACCEPTED = "kafka_service_health_accepted_events_total";
    static final String LATE = "kafka_service_health_late_events_total";
    static final String ENTITY_UPDATES = "kafka_service_health_entity_updates_total";
    static final String LATE_AFTER_CLOSE = "kafka_service_health_late_after_close_total";
    static final String DEAD = "service_health_dead_letters_total";
    static final String PROCESSED = "kafka_stream_thread_process_total";
    /** Summed over every partition of the stream threads' consumers (input and repartition topics). */
    static final String RECORDS_LAG = "kafka_consumer_fetch_manager_records_lag";

    private final BenchPlan plan;
    private final PrintStream log;
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final Map<String, String> serde = Map.of("schema.registry.url", MockRegistries.SCHEME + SCOPE);
    private EmbeddedBroker broker;
    private String registryUrl;

    /** @throws IllegalArgumentException when the plan's report directory is in use (before anything starts) */
    public Benchmark(BenchPlan plan, PrintStream log) throws java.io.IOException {
        requireFresh(plan.out());
        this.plan = plan;
        this.log = log;
    }

    public void run() throws Exception {
        Path out = plan.out();
        Files.createDirectories(out);
        report.put("started", Instant.now().toString());
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "memoryGiB", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / (1L << 30),
                "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")));
        report.put("events", plan.events());
        report.put("runsPerGuarantee", plan.runs());
        report.put("pipelineJvm", PIPELINE_JVM);
        report.put("overrides", plan.overrides().isEmpty() ? "none: the shipped defaults" : plan.overrides());
        if (plan.has("jmh")) {
            // first, before the broker starts: the micro-benchmarks want the machine to themselves
            log.println("jmh: the hot paths' micro-benchmarks (about 1.5 minutes)");
            Map<String, Object> jmh = MicroBenchmarks.run(out);
            report.put("jmh", jmh);
            log.println("jmh: " + MicroBenchmarks.summary(jmh));
        }
        Path work = out.resolve("work");
        if (plan.stages().stream().anyMatch(s -> !s.equals("jmh") && !s.equals("peers"))) {
            try {
                measureOnOwnBroker(work);
            } finally {
                deleteBulkData(work); // a failed stage too: the data of half an invocation filled the disk once
            }
        }
        if (plan.has("peers") && plan.peersScript() != null && Files.exists(plan.peersScript())) {
            report.put("peers", runPeers(plan.peersScript()));
        }
        report.put("finished", Instant.now().toString());
        writeReport();
    }

    /** Every stage that runs on this invocation's own broker: baselines, drain, latency, scale, restore. */
    private void measureOnOwnBroker(Path work) throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start(work.resolve("broker"));
             RegistryHttpServer registry = RegistryHttpServer.start(MockRegistries.scope(SCOPE), "127.0.0.1", 0)) {
            this.broker = b;
            this.registryUrl = registry.url();
            if (plan.has("baselines")) {
                baselines();
            }
            Double eosRate = null;
            Map<String, String> dataset = null;
            if (plan.has("drain") || plan.has("profile")) {
                dataset = dataset("drain");
                preload(dataset, Workload.PRODUCTS, Workload.CAMPAIGNS, plan.events(), "preload");
            }
            if (plan.has("drain")) {
                Map<String, Object> drains = new LinkedHashMap<>();
                for (String guarantee : plan.guarantees()) {
                    List<Double> rates = new ArrayList<>();
                    List<Long> rss = new ArrayList<>();
                    List<Map<String, Object>> cpu = new ArrayList<>();
                    Drain first = null;
                    for (int r = 0; r < plan.runs(); r++) {
                        // the check appends a watermark tick to every input partition: done after the last timed drain,
                        // so that every run drains the same N records (the profiled drain, not timed, reads the ticks too)
                        boolean last = r == plan.runs() - 1 && guarantee.equals(plan.guarantees().get(plan.guarantees().size() - 1));
                        Drain d = drain(dataset, guarantee, guarantee + "-" + r, last);
                        rates.add(d.rate());
                        rss.add(d.peakRss());
                        cpu.add(d.cpuFigures());
                        first = first == null ? d : first;
                    }
                    double median = Targets.medianOf(rates);
                    drains.put(guarantee, Map.of("runs", rates, "median", median, "peakRssBytes", rss, "internalRecordsPerEvent", first.recordsPerEvent(),
                            "finalResultsPerEvent", first.finalsPerEvent(), "liveUpdatesPerEvent", first.updatesPerEvent(),
                            "entityUpdatesPerEvent", first.entityUpdatesPerEvent(), "cpu", cpu));
                    if (guarantee.equals("exactly_once_v2")) {
                        eosRate = median;
                    }
                }
                report.put("drain", drains);
            }
            if (plan.has("profile")) {
                report.put("profile", profiledDrain(dataset));
            }
            if (plan.has("latency")) {
                latency(eosRate);
            }
            if (plan.has("scale") || plan.has("restore")) {
                scale();
            }
        }
    }

    /**
     * The broker's log directory and the pipelines' state directories, once the broker is stopped: a full
     * invocation leaves tens of GB there, and a day of runs filled a 252 GB disk. The logs stay.
     */
    private static void deleteBulkData(Path work) throws IOException {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (Stream<Path> entries = Files.list(work)) {
            for (Path dir : entries.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                if (name.equals("broker") || name.startsWith("state")) {
                    Directories.deleteRecursively(dir);
                }
            }
        }
    }

    // ---- baselines: Kafka's own perf tools on the same broker
    private void baselines() throws Exception {
        String boot = broker.bootstrapServers();
        long n = plan.events();
        tool("topic", "org.apache.kafka.tools.TopicCommand", "--bootstrap-server", boot, "--create", "--topic", "perf-raw", "--partitions", "4", "--replication-factor", "1");
        tool("producer-warmup", "org.apache.kafka.tools.ProducerPerformance", "--topic", "perf-raw", "--record-size", "150", "--throughput", "-1",
                "--num-records", String.valueOf(Math.min(n, 1_000_000)), "--producer-props", "bootstrap.servers=" + boot, "compression.type=lz4");
        double producer = producerRate(tool("producer-perf", "org.apache.kafka.tools.ProducerPerformance", "--topic", "perf-raw", "--record-size", "150",
                "--throughput", "-1", "--num-records", String.valueOf(n), "--producer-props", "bootstrap.servers=" + boot, "compression.type=lz4"));
        double batched = producerRate(tool("producer-perf-batched", "org.apache.kafka.tools.ProducerPerformance", "--topic", "perf-raw", "--record-size", "150",
                "--throughput", "-1", "--num-records", String.valueOf(n), "--producer-props", "bootstrap.servers=" + boot, "compression.type=lz4",
                "linger.ms=10", "batch.size=131072"));
        String consumerOut = tool("consumer-perf", "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", boot, "--topic", "perf-raw",
                "--messages", String.valueOf(n), "--timeout", "60000");
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
        Path logFile = plan.out().resolve(name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(name + " failed, see " + logFile);
        }
        return Files.readString(logFile);
    }

    // ---- datasets: the workload under topic names of its own
    private Map<String, String> dataset(String name) {
        Map<String, String> c = new HashMap<>();
        c.put("kafka.bootstrap.servers", broker.bootstrapServers());
        c.put("schema.registry.url", registryUrl);
        c.put("http.host", "127.0.0.1");
        for (String topic : List.of("complaints", "hotline.calls", "store.transactions", "survey.responses", "catalog")) {
            c.put("topic." + topic, name + "-" + topic.replace('.', '-'));
        }
        return c;
    }

    /** The dataset's configuration for one pipeline run: its own application id, state and output topics. */
    private Map<String, String> runConfig(Map<String, String> dataset, String appId, String guarantee) {
        Map<String, String> c = new HashMap<>(dataset);
        c.put("kafka.application.id", appId);
        c.put("kafka.state.dir", plan.out().resolve("work").resolve("state-" + appId).toAbsolutePath().toString());
        c.put("kafka.processing.guarantee", guarantee);
        for (String topic : List.of("health.updates", "health.results", "alerts", "alert.state", "late.events", "dead.letter")) {
            c.put("topic." + topic, appId + "-" + topic.replace('.', '-'));
        }
        c.putAll(plan.overrides());
        return c;
    }

    private void preload(Map<String, String> dataset, int products, int campaigns, long events, String label) throws Exception {
        HealthConfig config = new HealthConfig(dataset);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, config);
        }
        loadCatalog(config, products, campaigns);
        List<String> topics = TopologySettings.Topics.of(config).inputs();
        Serializer<SpecificRecord> values = HealthSerdes.fromConfig(serde).eventSerializer();
        Workload workload = new Workload(events, 42, products, campaigns);
        long t0 = System.nanoTime();
        try (KafkaProducer<String, SpecificRecord> p = new KafkaProducer<>(batchedProducer(), new StringSerializer(), values)) {
            for (long i = 0; i < events; i++) {
                Workload.Event e = workload.event(i);
                p.send(new ProducerRecord<>(topics.get(e.topic()), e.key(), e.value()));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (label.equals("preload")) {
            report.put("preload", Map.of("seconds", seconds, "rate", events / seconds));
        }
        log.printf("%s: %,d events (%,d products, %,d campaigns) in %.1f s (%.0f events/s)%n", label, events, products, campaigns, seconds, events / seconds);
    }

    private void loadCatalog(HealthConfig config, int products, int campaigns) {
        // generated as sent: a million campaigns need not sit in the heap at once
        Iterable<CatalogEntry> entries = () -> Stream.concat(IntStream.range(0, products).mapToObj(Workload::product),
                IntStream.range(0, campaigns).mapToObj(Workload::campaign)).iterator();
        CatalogPublisher.publish(batchedProducer(), serde, config.getString(HealthConfig.TOPIC_CATALOG), entries);
    }

    private Map<String, Object> batchedProducer() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 131072, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    // ---- the drain
    /**
     * @param recordsPerEvent offsets written per input event to each of the run's internal topics (changelogs, repartition)
     * @param entityUpdatesPerEvent entities each event updated (the pipeline's entity-updates counter ÷ events): the contributions shuffled
     * @param threads         the pipeline's CPU by thread group ({@link ThreadCpu#figures}); empty when not readable
     */
    record Drain(double rate, double seconds, long peakRss, double finalsPerEvent, double updatesPerEvent, Map<String, Double> recordsPerEvent,
                 double entityUpdatesPerEvent, CpuMeter.Use cpu, long events, Instant startedAt, List<Map<String, Object>> threads,
                 Collector collector) {
        /** CPU per input event, as the report gives it: cores of the pipeline, the broker and the machine, and microseconds per event. */
        Map<String, Object> cpuFigures() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", cpu.seconds());
            m.put("pipelineCores", cpu.pipelineCores());
            m.put("brokerCores", cpu.brokerCores());
            m.put("machineBusyCores", cpu.machineBusyCores());
            m.put("stealCores", cpu.stealCores());
            m.put("pipelineCpuMicrosPerEvent", cpu.pipelineMicrosPer(events));
            m.put("brokerCpuMicrosPerEvent", cpu.brokerMicrosPer(events));
            if (!threads.isEmpty()) {
                m.put("threads", threads);
            }
            m.putAll(collector.figures(events));
            return m;
        }
    }

    /**
     * The garbage collector over a pipeline process's life, from its {@code /metrics} (NaN where not exported).
     * Allocation and promotion per event depend on the build, not on how fast the machine was, so they
     * compare builds where neighbouring drains of the same build differ by ±15 %.
     */
    record Collector(double allocatedBytes, double promotedBytes, double pauseSeconds, double pauses) {
        static Collector from(Map<String, Double> metrics) {
            return new Collector(metrics.getOrDefault(JvmMetrics.ALLOCATED_BYTES, Double.NaN), metrics.getOrDefault(JvmMetrics.PROMOTED_BYTES, Double.NaN),
                    metrics.getOrDefault(JvmMetrics.PAUSE_SECONDS, Double.NaN), metrics.getOrDefault(JvmMetrics.PAUSES, Double.NaN));
        }

        Map<String, Object> figures(long events) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (!Double.isNaN(allocatedBytes)) {
                m.put("allocatedBytesPerEvent", allocatedBytes / events);
                m.put("promotedBytesPerEvent", promotedBytes / events);
                m.put("gcPauseSeconds", pauseSeconds);
                m.put("gcPauses", pauses);
            }
            return m;
        }
    }

    private Drain drain(Map<String, String> dataset, String guarantee, String run, boolean verifyTotals) throws Exception {
        return drain(dataset, guarantee, run, verifyTotals, false, "");
    }

    /**
     * One more exactly-once drain of the same backlog with a flight recording, after the measured ones and
     * not in their median (the recorder costs some throughput): where the stream threads' time went.
     */
    private Map<String, Object> profiledDrain(Map<String, String> dataset) throws Exception {
        Path jfr = plan.out().resolve("profile.jfr");
        Files.deleteIfExists(jfr);
        Drain d = drain(dataset, "exactly_once_v2", "profiled", false, false, CpuProfile.jvmOptions(jfr));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate", d.rate());
        m.put("cpu", d.cpuFigures());
        m.put("recording", jfr.getFileName().toString());
        if (!Files.exists(jfr)) { // the recording is written when the process exits: a killed one leaves none
            log.println("profile: no recording was written (" + jfr + ")");
            return m;
        }
        CpuProfile.Result profile = CpuProfile.read(jfr, d.startedAt(), d.startedAt().plusMillis((long) (d.seconds() * 1000)));
        m.putAll(profile.toReport());
        log.printf("profile: %,d stream-thread samples; largest shares %s; GC pauses %.1f s in %d collections%n", profile.streamSamples(),
                profile.ranked().stream().limit(4).map(a -> String.format("%s %.1f %%", a.label(), 100 * profile.share(a))).toList(),
                profile.gcPauses().toMillis() / 1000.0, profile.gcCount());
        return m;
    }

    /** The pipeline as its own process with the launcher's JVM options (HEALTH_JAVA_OPTS overrides them), once it is ready. */
    private ServiceProcess startPipeline(String name, Map<String, String> config, Duration readyWithin) throws Exception {
        return startPipeline(name, config, readyWithin, "");
    }

    private ServiceProcess startPipeline(String name, Map<String, String> config, Duration readyWithin, String extraJvm) throws Exception {
        ServiceProcess pipeline = ServiceProcess.start(plan.out().resolve("work"), name, config, (PIPELINE_JVM + " " + extraJvm).trim());
        if (!pipeline.awaitReady(readyWithin)) {
            pipeline.close();
            throw new IllegalStateException("pipeline " + name + " not ready within " + readyWithin + ", see " + pipeline.log());
        }
        return pipeline;
    }

    private Drain drain(Map<String, String> dataset, String guarantee, String run, boolean verifyTotals, boolean keepTopics, String extraJvm) throws Exception {
        String appId = "bench-" + dataset.get("topic.catalog").replace("-catalog", "") + "-" + run.replace('_', '-');
        Map<String, String> config = runConfig(dataset, appId, guarantee);
        long events = countInputs(new HealthConfig(config));
        CpuMeter.Sample cpuBefore = CpuMeter.sample(-1, broker.pid()); // the pipeline process does not exist yet: its CPU counts from zero
        long t0 = System.nanoTime();
        Instant startedAt = Instant.now();
        try (ServiceProcess pipeline = startPipeline(appId, config, Duration.ofMinutes(5), extraJvm)) {
            double seconds = awaitDrained(pipeline, events, t0);
            CpuMeter.Use cpu = CpuMeter.between(cpuBefore, CpuMeter.sample(pipeline.pid(), broker.pid()), Runtime.getRuntime().availableProcessors());
            List<Map<String, Object>> threads = ThreadCpu.figures(ThreadCpu.byGroup(ThreadCpu.read(pipeline.pid())), cpu.seconds(), events,
                    cpu.pipelineCores() * cpu.seconds());
            double rate = events / seconds;
            long rss = pipeline.peakRssBytes();
            Map<String, Double> m = pipeline.metrics();
            // output volume explains much of the cost: offsets of the run's own output topics (under
            // exactly-once they include a transaction marker per partition and commit, well under 1 %)
            double finalsPerEvent;
            double updatesPerEvent;
            Map<String, Double> internal = new java.util.TreeMap<>();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                finalsPerEvent = endOffsets(admin, List.of(config.get("topic.health.results"))) / (double) events;
                updatesPerEvent = endOffsets(admin, List.of(config.get("topic.health.updates"))) / (double) events;
                // what keeping state and the shuffle cost in records: each one is produced, stored and (for
                // the repartition topic) consumed again
                for (String topic : admin.listTopics().names().get()) {
                    if (topic.startsWith(appId + "-") && (topic.endsWith("-changelog") || topic.endsWith("-repartition"))) {
                        internal.put(topic.substring(appId.length() + 1), Math.round(1000.0 * endOffsets(admin, List.of(topic)) / events) / 1000.0);
                    }
                }
            }
            log.printf("drain %s (%s): %,d events in %.1f s = %.0f events/s, late %.0f, peak RSS %d MiB; per event %.2f final results, %.2f live updates%n"
                            + "  internal records per event (offsets, transaction markers included): %s%n"
                            + "  CPU: pipeline %.2f cores (%.0f us per event), broker %.2f cores (%.0f us per event), machine busy %.2f of %d cores, steal %.2f%n",
                    run, guarantee, events, seconds, rate, m.getOrDefault(LATE, 0.0), rss >> 20, finalsPerEvent, updatesPerEvent, internal,
                    cpu.pipelineCores(), cpu.pipelineMicrosPer(events), cpu.brokerCores(), cpu.brokerMicrosPer(events),
                    cpu.machineBusyCores(), Runtime.getRuntime().availableProcessors(), cpu.stealCores());
            if (!threads.isEmpty()) {
                log.printf("  CPU by thread: %s%n", ThreadCpu.summary(threads));
            }
            if (verifyTotals) {
                verify(pipeline, config, events);
            }
            double entityUpdatesPerEvent = m.getOrDefault(ENTITY_UPDATES, Double.NaN) / events;
            return new Drain(rate, seconds, rss, finalsPerEvent, updatesPerEvent, internal, entityUpdatesPerEvent, cpu, events, startedAt, threads,
                    Collector.from(m));
        } finally {
            if (!keepTopics) {
                deleteRunTopics(appId);
            }
        }
    }

    /** A run's internal and output topics, deleted after it: a full benchmark writes tens of GB otherwise. */
    private void deleteRunTopics(String appId) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            List<String> topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith(appId + "-")).toList();
            admin.deleteTopics(topics).all().get();
        }
    }

    /** Seconds from the process start until every input record was read and the aggregating side went idle. */
    private double awaitDrained(ServiceProcess pipeline, long events, long t0) throws Exception {
        while (true) {
            Map<String, Double> m = pipeline.metrics();
            double read = m.getOrDefault(ACCEPTED, 0.0) + m.getOrDefault(LATE, 0.0) + m.getOrDefault(DEAD, 0.0);
            if (read >= events) {
                break;
            }
            if (System.nanoTime() - t0 > Duration.ofMinutes(45).toNanos()) {
                throw new IllegalStateException("drain did not finish in 45 minutes: " + read + " of " + events + " read");
            }
            // each scrape costs the pipeline CPU (a profile put 3 % of it in /metrics at 5 scrapes a
            // second); the end is fixed by the 1 s idle check below: this adds at most a second to a drain of minutes
            Thread.sleep(1000);
        }
        // every input record read; drained when the stream threads' consumers have no lag left on any
        // partition (input and repartition: every contribution fetched) and process-total has stopped
        // for a second (every fetched record processed). Idleness alone is not enough: a long GC pause
        // looks idle too.
        double last = -1;
        while (true) {
            Map<String, Double> m = pipeline.metrics();
            double processed = m.getOrDefault(PROCESSED, 0.0);
            double lag = m.getOrDefault(RECORDS_LAG, Double.NaN);
            if (processed == last && (lag == 0.0 || Double.isNaN(lag))) { // NaN: no lag metric exported, idleness only
                return (System.nanoTime() - t0) / 1e9 - 1.0;
            }
            if (System.nanoTime() - t0 > Duration.ofMinutes(45).toNanos()) {
                throw new IllegalStateException("aggregation did not catch up in 45 minutes (lag " + lag + ")");
            }
            last = processed;
            Thread.sleep(1000);
        }
    }

    private long countInputs(HealthConfig config) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return endOffsets(admin, TopologySettings.Topics.of(config).inputs());
        }
    }

    private static long endOffsets(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, d) ->
                d.partitions().forEach(p -> specs.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        return admin.listOffsets(specs).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    /**
     * Moves every source partition past the end and checks that the final product results of one window
     * size count every event once: DAY, or the finest size computed when a run's {@code window.sizes} has
     * no days (every event is in exactly one window of each size).
     */
    private void verify(ServiceProcess pipeline, Map<String, String> config, long events) throws Exception {
        HealthConfig hc = new HealthConfig(config);
        WindowSize size = hc.windowSizes().contains(WindowSize.DAY) ? WindowSize.DAY : Collections.min(hc.windowSizes());
        // past the grace of every window of that size the workload has: a month's window ends weeks after the span
        Duration past = size.compareTo(WindowSize.DAY) <= 0 ? Duration.ofDays(2) : Duration.ofDays(62);
        Instant end = Workload.START.plus(Workload.SPAN).plus(past);
        try (KafkaProducer<String, SpecificRecord> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), HealthSerdes.fromConfig(serde).eventSerializer())) {
            WatermarkTicks.send(p, TopologySettings.Topics.of(hc), hc.getInt(HealthConfig.TOPIC_PARTITIONS), end);
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
                    if (r.value().getKind() == EntityKind.PRODUCT && r.value().getWindowSize() == size) {
                        counted += r.value().getEvents();
                        windows++;
                    }
                }
            }
        }
        Map<String, Double> m = pipeline.metrics();
        double late = m.getOrDefault(LATE, 0.0) + m.getOrDefault(LATE_AFTER_CLOSE, 0.0);
        report.put("totals", Map.of("events", events, "windowSize", size.name(), "countedInProductResults", counted, "productResults", windows, "late", late));
        log.printf("totals: %,d of %,d events counted in %,d final product-%s results; %.0f late%n", counted, events, windows, size.name().toLowerCase(Locale.ROOT), late);
    }

    /**
     * The broker's storage, the pipelines' state and the logs all go under the report directory: a used
     * one failed minutes in, at the broker's storage format step, instead of at once.
     */
    static void requireFresh(Path out) throws java.io.IOException {
        if (Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + out + " is not empty: each invocation needs a fresh directory (its broker's storage is formatted there)");
                }
            }
        } else if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
        }
    }

    // ---- paced load: end-to-end latency
    private void latency(Double eosDrainRate) throws Exception {
        double rate = plan.latencyRate() != null ? plan.latencyRate() : eosDrainRate != null ? 0.25 * eosDrainRate : BenchPlan.FIXED_LATENCY_RATE;
        String rateSource = plan.latencyRate() != null ? "set with --latency-rate"
                : eosDrainRate != null ? BenchPlan.DRAIN_SHARE_RATE : "no drain in this invocation: the fixed default";
        Map<String, String> dataset = dataset("latency");
        HealthConfig datasetConfig = new HealthConfig(dataset);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, datasetConfig);
        }
        loadCatalog(datasetConfig, Workload.PRODUCTS, Workload.CAMPAIGNS);
        Map<String, String> config = runConfig(dataset, "bench-latency", "exactly_once_v2");
        config.remove("kafka.processing.guarantee"); // the shipped default
        try (ServiceProcess pipeline = startPipeline("bench-latency", config, Duration.ofMinutes(5))) {
            Duration warmup = plan.latencyRun().compareTo(Duration.ofMinutes(5)) >= 0 ? Duration.ofMinutes(1) : Duration.ofSeconds(30);
            log.printf("latency: paced load of %.0f events/s (%s) for %s after a warm-up of %s%n", rate, rateSource, plan.latencyRun(), warmup);
            LatencyProbe probe = new LatencyProbe(broker.bootstrapServers(), serde, new HealthConfig(config), pipeline);
            Map<String, Object> result = probe.run(rate, warmup, plan.latencyRun(), log);
            result.put("rateSource", rateSource);
            report.put("latency", result);
        }
    }

    // ---- cardinality scale, and restoration of the largest state
    private void scale() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        long events = plan.events();
        Map<String, String> largest = null;
        for (int entities : plan.scaleEntities()) {
            int products = Math.max(1, entities / 11);
            int campaigns = Math.max(1, entities - products - Workload.REGIONS.length);
            Map<String, String> dataset = dataset("scale-" + entities);
            preload(dataset, products, campaigns, events, "scale pre-load " + entities);
            boolean last = entities == plan.scaleEntities().get(plan.scaleEntities().size() - 1);
            Drain d = drain(dataset, "exactly_once_v2", "eos", false, last && plan.has("restore"), ""); // the restore stage reads the last one's changelogs
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("entities", Workload.entities(products, campaigns));
            row.put("products", products);
            row.put("campaigns", campaigns);
            row.put("events", events);
            row.put("rate", d.rate());
            row.put("peakRssBytes", d.peakRss());
            row.put("finalResultsPerEvent", d.finalsPerEvent());
            row.put("liveUpdatesPerEvent", d.updatesPerEvent());
            row.put("internalRecordsPerEvent", d.recordsPerEvent());
            row.put("cpu", d.cpuFigures());
            rows.add(row);
            largest = runConfig(dataset, "bench-scale-" + entities + "-eos", "exactly_once_v2");
        }
        report.put("scale", rows);
        if (plan.has("restore") && largest != null) {
            report.put("restore", restore(largest));
        }
    }

    private Map<String, Object> restore(Map<String, String> config) throws Exception {
        String appId = config.get("kafka.application.id");
        Directories.deleteRecursively(Path.of(config.get("kafka.state.dir")));
        long records;
        long keys;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            List<String> changelogs = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(appId + "-") && t.endsWith("-changelog")).sorted().toList();
            records = endOffsets(admin, changelogs);
            keys = liveKeys(appId + "-entity-windows-changelog");
        }
        long t0 = System.nanoTime();
        try (ServiceProcess pipeline = startPipeline(appId + "-restore", config, Duration.ofMinutes(15))) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            log.printf("restore: %,d changelog records (%,d live entity keys) restored in %.1f s (%.0f records/s), from process start to RUNNING%n",
                    records, keys, seconds, records / seconds);
            return Map.of("changelogRecords", records, "entityKeys", keys, "seconds", seconds, "recordsPerSecond", records / seconds,
                    "peakRssBytes", pipeline.peakRssBytes());
        }
    }

    /** Keys of the entity-windows changelog whose latest record is not a tombstone: the entities in state. */
    private long liveKeys(String changelog) {
        Set<String> live = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(changelog).stream()
                    .map(p -> new TopicPartition(changelog, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        live.remove(key);
                    } else {
                        live.add(key);
                    }
                }
            }
        }
        return live.size();
    }

    // ---- the peers, on their own broker (same single-node configuration), one after the other
    private Map<String, Object> runPeers(Path script) throws Exception {
        log.println("running the peers: " + script + " " + plan.events() + " (about 10 minutes for 2M events)");
        Path logFile = plan.out().resolve("peers.log");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), String.valueOf(plan.events())).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        // the peers' script runs whichever java is first on the PATH: make it the JDK the pipeline runs on,
        // so that a ratio compares the jobs, not two JDKs (run with JAVA_HOME set, the two would differ)
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + System.getenv().getOrDefault("PATH", ""));
        Process p = builder.start();
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
        peers.put("table", text.lines().dropWhile(l -> !l.startsWith("peer benchmark")).collect(Collectors.toList()));
        return peers;
    }

    private void writeReport() throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(plan.out().resolve("report.json"), json.writeValueAsString(report));
        Files.writeString(plan.out().resolve("report.md"), BenchReport.markdown(report));
        log.println("report: " + plan.out().resolve("report.md"));
        log.print(BenchReport.markdown(report));
    }
}
