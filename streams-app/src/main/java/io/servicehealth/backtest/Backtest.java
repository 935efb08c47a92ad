package io.servicehealth.backtest;

import io.servicehealth.config.HealthConfig;
import io.servicehealth.config.TopologySettings;
import io.servicehealth.runtime.HealthService;
import io.servicehealth.schema.HealthAlert;
import io.servicehealth.topology.HealthSerdes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Replays the input topics, as they are when it starts, through the pipeline under a candidate
 * configuration (other thresholds, weights, rules) and compares the alerts it raises with the production
 * alert topic. It is the production topology on the production inputs, in a consumer group of its own:
 * final results and alerts depend on the input alone (docs/design.md), so a backtest with unchanged
 * settings reproduces the production alerts for the same input, and a difference is the settings'.
 * <p>
 * Done when every input partition has been read to where it ended at the start and the windows have
 * stopped closing (by then every source partition of a finished input has been declared idle and the
 * windows that input can close are closed; windows within the grace period of the newest event stay
 * open, as in production). Both alert topics are then compared through the event time the backtest has
 * closed every window by: production, running on, may have alerts beyond it, and a backtest replaying a
 * live input has read what arrived while it ran.
 */
public final class Backtest {
    private static final Duration POLL = Duration.ofSeconds(1);

    /**
     * What a backtest produced and how it compares with the reference alert topic.
     *
     * @param comparedThrough event time through which both sides' transitions are compared (every window
     *                        ending by then closed in the backtest); null when it closed none
     */
    public record Result(String applicationId, long inputRecords, Instant comparedThrough, List<HealthAlert> alerts,
                         AlertComparison comparison, Duration took) {
    }

    private Backtest() {
    }

    public static Result run(BacktestPlan plan, Duration timeout, PrintStream out) throws Exception {
        HealthConfig config = plan.healthConfig();
        String applicationId = String.valueOf(config.kafkaConfig().get("application.id"));
        long started = System.nanoTime();
        try (Admin admin = Admin.create(config.clientConfig(AdminClientConfig.configNames()))) {
            List<String> inputs = TopologySettings.Topics.of(config).inputs();
            List<TopicPartition> partitions = admin.describeTopics(inputs).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList();
            if (!admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get().isEmpty()) {
                // it would resume where it stopped, and its alert topic would mix two runs
                throw new BacktestPlan.Refused("backtest " + applicationId + " has run before: give it a new --name");
            }
            // as a read_committed reader sees them: the end of a transaction a producer holds open is not reachable
            Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> starts = offsets(admin, partitions, OffsetSpec.earliest());
            long inputRecords = partitions.stream().mapToLong(tp -> ends.get(tp) - starts.get(tp)).sum();
            out.printf("backtest %s: replaying %,d input records (offsets, transaction markers included) into %s …%n",
                    applicationId, inputRecords, config.getString(HealthConfig.TOPIC_ALERTS));
            Duration quiet = Duration.ofMillis(config.getLong(HealthConfig.SOURCE_IDLE_TIMEOUT_MS)).plusSeconds(5);
            long closedThrough;
            try (HealthService service = HealthService.start(config)) {
                closedThrough = awaitDone(service, admin, applicationId, ends, quiet, timeout);
            }
            // both sides through the same event time: production runs on, and the backtest read whatever
            // arrived while it ran; every window ending by then is closed in both
            Deserializer<HealthAlert> reader = HealthSerdes.fromConfig(config.serdeConfig()).healthAlert().deserializer();
            Map<String, Object> consumer = config.clientConfig(ConsumerConfig.configNames());
            List<HealthAlert> alerts = through(readAll(consumer, config.getString(HealthConfig.TOPIC_ALERTS), reader), closedThrough);
            List<HealthAlert> reference = through(readAll(consumer, plan.referenceAlerts(), reader), closedThrough);
            return new Result(applicationId, inputRecords, closedThrough == Long.MIN_VALUE ? null : Instant.ofEpochMilli(closedThrough),
                    alerts, AlertComparison.of(alerts, reference), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * Waits until every input partition has been read to {@code inputEnds}, then until the windows stop
     * closing for {@code quiet} (the idle timeout and a margin: time for every source partition to be
     * declared idle and the last windows the input can close to close) — or, while new input keeps
     * arriving and closing windows, for twice that. Returns the event time through which every window is
     * closed: the comparison's cut-off.
     */
    private static long awaitDone(HealthService service, Admin admin, String group, Map<TopicPartition, Long> inputEnds,
                                  Duration quiet, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long inputsReadAt = 0;
        long lastClose = Long.MIN_VALUE;
        long lastCloseAt = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            if (service.streams().state() == KafkaStreams.State.ERROR || service.streams().state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the backtest pipeline stopped (" + service.streams().state() + "); see its log");
            }
            long now = System.nanoTime();
            if (inputsReadAt == 0) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                if (inputEnds.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || committed.containsKey(e.getKey()) && committed.get(e.getKey()).offset() >= e.getValue())) {
                    inputsReadAt = now;
                    lastClose = service.closedThrough();
                    lastCloseAt = now;
                }
                continue;
            }
            long closed = service.closedThrough();
            if (closed != lastClose) {
                lastClose = closed;
                lastCloseAt = now;
            }
            if (now - lastCloseAt >= quiet.toNanos() || now - inputsReadAt >= 2 * quiet.toNanos()) {
                return closed;
            }
        }
        throw new TimeoutException("backtest " + group + " not done after " + timeout.toSeconds() + " s");
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec));
        return admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static List<HealthAlert> through(List<HealthAlert> alerts, long closedThrough) {
        return alerts.stream().filter(a -> a.getEventTime().toEpochMilli() <= closedThrough).toList();
    }

    /** Every committed record of {@code topic}, in partition order; none when the topic does not exist. */
    static List<HealthAlert> readAll(Map<String, Object> config, String topic, Deserializer<HealthAlert> reader) {
        Map<String, Object> props = new HashMap<>(config);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<HealthAlert> alerts = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return alerts;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        alerts.add(reader.deserialize(topic, record.value()));
                    }
                }
            }
        }
        return alerts;
    }
}
