package io.servicehealth.it;

import io.servicehealth.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** What the integration tests share: per-run topic names, rule definitions, and a read_committed reader. */
final class ItSupport {
    private ItSupport() {
    }

    /** Topic names of their own for one test run, so tests on one broker never see each other's records. */
    static void topicsFor(String run, Map<String, String> config) {
        for (String topic : List.of("complaints", "hotline.calls", "store.transactions", "survey.responses", "catalog", "health.updates",
                "health.results", "late.events", "alerts", "alert.state", "dead.letter")) {
            config.put("topic." + topic, run + "-" + topic.replace('.', '-'));
        }
    }

    /** Makes {@code id} the only active alert rule, with {@code field=value} settings. */
    static void onlyRule(Map<String, String> config, String id, String... fields) {
        config.put("alert.rules", id);
        for (String kv : fields) {
            config.put("alert.rule." + id + "." + kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
    }

    /**
     * Values of a topic as a read_committed consumer sees them, until {@code done} holds or the timeout;
     * then {@code linger} longer, so that a duplicate arriving after the first copy would be seen.
     */
    static <K extends SpecificRecord, V extends SpecificRecord> List<V> readValues(String bootstrap, String registryUrl, String topic,
                                                                                    Class<K> keyType, Class<V> valueType, Predicate<List<V>> done,
                                                                                    Duration timeout, Duration linger) {
        Map<String, String> serde = Map.of("schema.registry.url", registryUrl);
        Deserializer<K> keys = AvroSerde.of(keyType, serde, true).deserializer();
        Deserializer<V> values = AvroSerde.of(valueType, serde, false).deserializer();
        List<V> seen = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), keys, values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(seen)) {
                for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(r.value());
                }
            }
            if (!linger.isZero()) {
                for (ConsumerRecord<K, V> r : consumer.poll(linger)) {
                    seen.add(r.value());
                }
            }
        }
        return seen;
    }
}
