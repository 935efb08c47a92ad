package io.servicehealth.bench;

import io.servicehealth.runtime.ServiceProcess;
import io.servicehealth.config.HealthConfig;
import io.servicehealth.config.TopologySettings;
import io.servicehealth.schema.EntityKind;
import io.servicehealth.schema.HealthUpdateKey;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.schema.WindowSize;
import io.servicehealth.serde.AvroSerde;
import io.servicehealth.topology.HealthSerdes;
import io.servicehealth.window.CalendarWindows;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * End-to-end latency under a paced load: events stamped with the wall clock are sent at a fixed rate;
 * a {@code read_committed} consumer of the live health updates matches each product-hour update to the
 * events it now includes (its event count says how many) and records, for each newly included event,
 * the time from its send to the update's receipt. Matching assumes an entity's events are counted in
 * send order; with 10,000 products an entity rarely has two events in flight at once.
 */
final class LatencyProbe {
    private final String bootstrap;
    private final Map<String, String> serde;
    private final HealthConfig config;
    private final ServiceProcess pipeline;
    private final CalendarWindows calendar;
    /** Send times (ms) of the events of each product-hour, in send order; and how many an update has covered. */
    private final Map<String, long[]> sent = new ConcurrentHashMap<>();
    private final Map<String, Integer> sentCount = new ConcurrentHashMap<>();
    private final Map<String, Integer> covered = new ConcurrentHashMap<>();

    LatencyProbe(String bootstrap, Map<String, String> serde, HealthConfig config, ServiceProcess pipeline) {
        this.bootstrap = bootstrap;
        this.serde = serde;
        this.config = config;
        this.pipeline = pipeline;
        this.calendar = new CalendarWindows(config.zone());
    }

    /**
     * Paces the load for {@code warmup} (JIT compilation, first commits; reported apart) and then for
     * {@code length}, the measured part, reported per minute so that growth shows.
     */
    Map<String, Object> run(double rate, Duration warmup, Duration length, PrintStream log) throws Exception {
        int minutes = (int) Math.max(1, Math.ceil(length.toSeconds() / 60.0));
        List<List<Long>> bySendMinute = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            bySendMinute.add(new ArrayList<>());
        }
        List<Long> warm = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.currentTimeMillis() + 2000 + warmup.toMillis(); // the measured part starts after the reader's join and the warm-up
        Thread reader = new Thread(() -> read(stop, start, bySendMinute, warm), "latency-reader");
        reader.start();
        Thread.sleep(2000); // the reader has joined and sits at the end of the topic
        List<String> topics = TopologySettings.Topics.of(config).inputs(); // in the Workload's topic order
        Workload workload = new Workload(Long.MAX_VALUE, 7);
        List<Long> rssByMinute = new ArrayList<>();
        long sentTotal = 0;
        long sentMeasured = 0;
        long t0 = System.nanoTime();
        long end = t0 + warmup.toNanos() + length.toNanos();
        int minute = -1;
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), HealthSerdes.fromConfig(serde).eventSerializer())) {
            while (System.nanoTime() < end) {
                long due = (long) ((System.nanoTime() - t0) / 1e9 * rate);
                while (sentTotal < due) {
                    long now = System.currentTimeMillis();
                    Workload.Event e = workload.eventAt(sentTotal, Instant.ofEpochMilli(now));
                    SpecificRecord v = e.value();
                    String product = String.valueOf(v.get(v.getSchema().getField("productId").pos()));
                    String key = product + "@" + calendar.windowOf(WindowSize.HOUR, now).start();
                    synchronized (this) {
                        int n = sentCount.getOrDefault(key, 0);
                        long[] times = sent.computeIfAbsent(key, k -> new long[8]);
                        if (n == times.length) {
                            times = Arrays.copyOf(times, n * 2);
                            sent.put(key, times);
                        }
                        times[n] = now;
                        sentCount.put(key, n + 1);
                    }
                    producer.send(new ProducerRecord<>(topics.get(e.topic()), e.key(), v));
                    sentTotal++;
                    if (now >= start) {
                        sentMeasured++;
                    }
                }
                int m = (int) Math.floorDiv(System.nanoTime() - t0 - warmup.toNanos(), 60_000_000_000L);
                if (m >= 0 && m != minute) {
                    minute = m;
                    rssByMinute.add(pipeline.rssBytes());
                }
                Thread.sleep(1);
            }
        }
        Thread.sleep(5000); // the last events' updates
        stop.set(true);
        reader.join();
        List<Long> all = new ArrayList<>();
        List<Map<String, Object>> perMinute = new ArrayList<>();
        for (int i = 0; i < bySendMinute.size(); i++) {
            List<Long> l = bySendMinute.get(i);
            synchronized (l) {
                all.addAll(l);
                Map<String, Object> row = new LinkedHashMap<>(stats(l));
                row.put("minute", i + 1);
                row.put("rssBytes", i < rssByMinute.size() ? rssByMinute.get(i) : -1L);
                perMinute.add(row);
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rate", rate);
        result.put("warmupSeconds", warmup.toSeconds());
        result.put("warmup", stats(warm));
        result.put("seconds", length.toSeconds());
        result.put("sent", sentMeasured);
        result.put("matched", (long) all.size());
        result.putAll(stats(all));
        result.put("perMinute", perMinute);
        log.printf("latency: %,d sent after the warm-up, %,d matched to an update; p50 %s ms, p99 %s ms, max %s ms%n", sentMeasured, all.size(),
                result.get("p50Ms"), result.get("p99Ms"), result.get("maxMs"));
        return result;
    }

    private void read(AtomicBoolean stop, long start, List<List<Long>> bySendMinute, List<Long> warm) {
        try (KafkaConsumer<HealthUpdateKey, ServiceHealth> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                AvroSerde.of(HealthUpdateKey.class, serde, true).deserializer(), AvroSerde.of(ServiceHealth.class, serde, false).deserializer())) {
            consumer.subscribe(List.of(config.getString(HealthConfig.TOPIC_HEALTH_UPDATES)));
            while (!stop.get()) {
                for (ConsumerRecord<HealthUpdateKey, ServiceHealth> r : consumer.poll(Duration.ofMillis(50))) {
                    long received = System.currentTimeMillis();
                    ServiceHealth h = r.value();
                    if (h.getKind() != EntityKind.PRODUCT || h.getWindowSize() != WindowSize.HOUR) {
                        continue;
                    }
                    String key = h.getId() + "@" + h.getWindowStart().toEpochMilli();
                    synchronized (this) {
                        long[] times = sent.get(key);
                        int from = covered.getOrDefault(key, 0);
                        int to = (int) Math.min(h.getEvents(), sentCount.getOrDefault(key, 0));
                        for (int i = from; i < to; i++) {
                            int minute = (int) Math.floorDiv(times[i] - start, 60_000);
                            if (minute < 0) {
                                warm.add(received - times[i]);
                            } else if (minute < bySendMinute.size()) {
                                List<Long> l = bySendMinute.get(minute);
                                synchronized (l) {
                                    l.add(received - times[i]);
                                }
                            }
                        }
                        if (to > from) {
                            covered.put(key, to);
                        }
                    }
                }
            }
        }
    }

    static Map<String, Object> stats(List<Long> latencies) {
        if (latencies.isEmpty()) {
            return Map.of("count", 0L);
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("count", (long) sorted.length);
        s.put("p50Ms", sorted[(int) Math.floor(0.50 * (sorted.length - 1))]);
        s.put("p99Ms", sorted[(int) Math.floor(0.99 * (sorted.length - 1))]);
        s.put("maxMs", sorted[sorted.length - 1]);
        return s;
    }
}
