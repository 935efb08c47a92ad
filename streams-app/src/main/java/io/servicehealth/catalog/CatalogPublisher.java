package io.servicehealth.catalog;

import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.CatalogKey;
import io.servicehealth.serde.AvroSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes catalog versions to the catalog topic, keyed {@code (kind, id, validFrom)} so that
 * compaction keeps every version, and fails if any send failed (for the demo and the benchmark, which
 * load a catalog onto just-created topics).
 */
public final class CatalogPublisher {
    private CatalogPublisher() {
    }

    /**
     * @param producerConfig bootstrap servers and batching; idempotence is switched off here: the first
     *                       sends to just-created topics meet NOT_LEADER_OR_FOLLOWER, after which a Kafka
     *                       4.4 idempotent producer was seen retrying OUT_OF_ORDER_SEQUENCE_NUMBER for two
     *                       minutes (the demo stalled); a resend is harmless in a compacted catalog
     * @param serdeConfig    the Avro serdes' configuration (schema registry)
     */
    public static void publish(Map<String, Object> producerConfig, Map<String, ?> serdeConfig, String topic,
                               Iterable<CatalogEntry> entries) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<CatalogKey, CatalogEntry> producer = new KafkaProducer<>(config,
                AvroSerde.of(CatalogKey.class, serdeConfig, true).serializer(),
                AvroSerde.of(CatalogEntry.class, serdeConfig, false).serializer())) {
            for (CatalogEntry e : entries) {
                producer.send(new ProducerRecord<>(topic, new CatalogKey(e.getKind(), e.getId(), e.getValidFrom()), e),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("catalog not published to " + topic + ": " + failure.get().getMessage(), failure.get());
        }
    }
}
