package io.servicehealth.runtime;

import io.servicehealth.config.HealthConfig;
import io.servicehealth.errors.DeadLetterDeserializationHandler;
import io.servicehealth.errors.DeadLetterProcessingHandler;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;
import java.util.Properties;

/**
 * Kafka Streams settings: the shipped defaults, then every {@code kafka.*} key on top (so TLS and SASL
 * settings reach every client: consumers, producers, admin, restore and global consumers).
 */
public final class StreamsProperties {
    public static final String DEFAULT_APPLICATION_ID = "service-health";

    private StreamsProperties() {
    }

    public static Properties build(HealthConfig config, String advertisedHttp) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, "work/state");
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Streams' partition assignor re-reads its settings from the main consumer's configuration, where
        // the flag above is missing, and warns at every start that it is off; under the consumer prefix it
        // reaches the assignor too (the consumer itself ignores it)
        props.put(StreamsConfig.consumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.getString(HealthConfig.TOPIC_DEAD_LETTER));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // one event becomes ~7 output and ~2 changelog records: with 16 KiB batches the broker spent its
        // CPU on per-batch work. 128 KiB batches cut the broker's CPU ~20 % in a backlog drain and the
        // drain rate rose in each of four paired runs (bench/README.md). Under exactly-once, latency is
        // unchanged: a read_committed consumer sees records at the commit, which flushes the producer;
        // under at-least-once a batch may now wait out Streams' linger.ms (100 ms) instead of filling.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 128 * 1024);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class.getName());
        props.put(BoundedRocksDbConfig.MEMORY_BYTES, String.valueOf((long) config.getInt(HealthConfig.STATE_ROCKSDB_MEMORY_MB) << 20));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHttp);
        // a killed instance's partitions move to the survivor after the session timeout: 10 s, not the 45 s default
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        short replication = config.getShort(HealthConfig.TOPIC_REPLICATION_FACTOR);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication);
        for (Map.Entry<String, Object> e : config.kafkaConfig().entrySet()) {
            props.put(e.getKey(), e.getValue());
        }
        return props;
    }
}
