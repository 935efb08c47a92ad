package io.servicehealth.errors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays dead-letter records into the topic they came from, as they are (fix the producer or the
 * configuration first). Truncated copies are skipped and reported: their full original is at the
 * topic, partition and offset in their headers. Progress is a consumer group, so a second run
 * continues where the first stopped.
 */
public final class Redrive {
    public record Result(long redriven, long skipped) {
    }

    private Redrive() {
    }

    public static Result run(Map<String, Object> kafka, String deadLetterTopic, String reasonFilter, long limit, PrintStream out) {
        Map<String, Object> consumerConfig = new HashMap<>(kafka);
        consumerConfig.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "service-health-redrive");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.keySet().retainAll(ConsumerConfig.configNames());
        Map<String, Object> producerConfig = new HashMap<>(kafka);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.keySet().retainAll(ProducerConfig.configNames());
        long redriven = 0;
        long skipped = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            // only what is in the topic now: a record that fails again and returns to the dead-letter topic is not redriven in a loop
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                if (c == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, c.offset());
                }
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (redriven + skipped < limit && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                var records = consumer.poll(Duration.ofSeconds(2));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    String origin = header(r, DeadLetters.HEADER_TOPIC);
                    String reason = header(r, DeadLetters.HEADER_REASON);
                    if (reasonFilter != null && !reasonFilter.equals(reason)) {
                        continue;
                    }
                    if (origin == null || header(r, DeadLetters.HEADER_TRUNCATED_FROM) != null) {
                        skipped++;
                        out.printf("skipped %s-%d@%d (%s): %s%n", deadLetterTopic, r.partition(), r.offset(), reason,
                                origin == null ? "no origin header" : "truncated copy; the original is at " + origin + "-"
                                        + header(r, DeadLetters.HEADER_PARTITION) + "@" + header(r, DeadLetters.HEADER_OFFSET));
                        continue;
                    }
                    RecordHeaders headers = new RecordHeaders();
                    for (Header h : r.headers()) {
                        if (!h.key().startsWith("dlq.") && !h.key().startsWith("__streams.errors.")) {
                            headers.add(h);
                        }
                    }
                    headers.add("dlq.redriven.from", (deadLetterTopic + "-" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
                    producer.send(new ProducerRecord<>(origin, null, r.key(), r.value(), headers));
                    redriven++;
                }
                producer.flush();
                consumer.commitSync();
            }
        }
        out.printf("redriven %d record(s), skipped %d%n", redriven, skipped);
        return new Result(redriven, skipped);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
