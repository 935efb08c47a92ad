package io.servicehealth.errors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Builds dead-letter records: the original key and value bytes, with headers that say where they came
 * from and why they were rejected, so a record can be fixed and redriven into its topic. A value too
 * large for the dead-letter topic is truncated and says so; the origin headers point at the full copy.
 */
public final class DeadLetters {
    public static final String HEADER_REASON = "dlq.reason";
    public static final String HEADER_EXCEPTION = "dlq.exception";
    public static final String HEADER_MESSAGE = "dlq.message";
    public static final String HEADER_TOPIC = "dlq.topic";
    public static final String HEADER_PARTITION = "dlq.partition";
    public static final String HEADER_OFFSET = "dlq.offset";
    public static final String HEADER_PROCESSOR = "dlq.processor";
    public static final String HEADER_TRUNCATED_FROM = "dlq.truncated.from.bytes";
    /** Largest value copied whole; leaves room under the broker's default 1 MiB message limit. */
    public static final String MAX_VALUE_BYTES_CONFIG = "dead.letter.max.value.bytes";
    public static final int DEFAULT_MAX_VALUE_BYTES = 512 * 1024;

    private final String topic;
    private final int maxValueBytes;
    private final DeadLetterMetrics metrics;

    private DeadLetters(String topic, int maxValueBytes, DeadLetterMetrics metrics) {
        this.topic = topic;
        this.maxValueBytes = maxValueBytes;
        this.metrics = metrics;
    }

    static DeadLetters fromConfig(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new IllegalArgumentException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " must name the dead-letter topic: bad input is never dropped silently");
        }
        Object max = configs.get(MAX_VALUE_BYTES_CONFIG);
        Object metrics = configs.get(DeadLetterMetrics.CONFIG);
        return new DeadLetters(topic.toString(), max == null ? DEFAULT_MAX_VALUE_BYTES : Integer.parseInt(max.toString()),
                metrics instanceof DeadLetterMetrics m ? m : null);
    }

    ProducerRecord<byte[], byte[]> build(ErrorHandlerContext context, byte[] key, byte[] value, String reason, Exception exception) {
        if (metrics != null) {
            metrics.record(reason, context.topic());
        }
        Headers headers = new RecordHeaders();
        put(headers, HEADER_REASON, reason);
        put(headers, HEADER_EXCEPTION, exception.getClass().getName());
        put(headers, HEADER_MESSAGE, String.valueOf(exception.getMessage()));
        put(headers, HEADER_TOPIC, context.topic());
        put(headers, HEADER_PARTITION, String.valueOf(context.partition()));
        put(headers, HEADER_OFFSET, String.valueOf(context.offset()));
        put(headers, HEADER_PROCESSOR, context.processorNodeId());
        byte[] copy = value;
        if (value != null && value.length > maxValueBytes) {
            copy = Arrays.copyOf(value, maxValueBytes);
            put(headers, HEADER_TRUNCATED_FROM, String.valueOf(value.length));
        }
        return new ProducerRecord<>(topic, null, key, copy, headers);
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
