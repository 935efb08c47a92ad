package io.servicehealth.topology;

import io.servicehealth.aggregate.Contribution;
import io.servicehealth.aggregate.Contributions;
import io.servicehealth.aggregate.EntityKey;
import io.servicehealth.catalog.CatalogView;
import io.servicehealth.config.TopologySettings;
import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.ComplaintEvent;
import io.servicehealth.schema.HotlineCallEvent;
import io.servicehealth.schema.LateEvent;
import io.servicehealth.schema.StoreTransactionEvent;
import io.servicehealth.schema.SurveyResponseEvent;
import io.servicehealth.state.CommitHookStore;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Source side of the shuffle. For each event it
 * <ol>
 * <li>validates it (bad values are dead-lettered by the processing-exception handler);</li>
 * <li>judges lateness against its own source partition's progress (the highest event time read from
 *     that topic-partition so far). This depends only on the order of that one partition, never on how
 *     tasks or threads interleave, so a replay decides the same;</li>
 * <li>emits one {@link Contribution} per entity it counts for — product, campaign, the campaign's
 *     parent (from the catalog version valid at the event's time) and region — carrying the partition's
 *     progress, and at every {@code watermark.interval.ms} of progress a watermark to the aggregating
 *     partitions that have not heard of this source partition lately ({@link WatermarkRouting}).</li>
 * </ol>
 * What it sends an aggregating partition is gathered into one batch ({@link ShuffleBuffer}), sent when
 * full, at a short wall-clock tick and before each commit of the task (the {@value #SHUFFLE_HOOK_STORE}
 * store's flush): a record per contribution made the shuffle ~3 records per event.
 * A partition of this task that delivers no accepted record for {@code source.idle.timeout.ms} of wall-clock time
 * is declared idle to every aggregating partition (and again at every check while it stays idle, so an
 * aggregating task that moved or restarted learns it): the low watermark then goes on without it, and
 * its next record makes it count again. This is the one wall-clock input to final results, and it only
 * acts on a partition with nothing to read; a replay in which every partition has records decides the same.
 * The progress survives restarts in the {@value #PROGRESS_STORE} store.
 */
final class ContributionMapper implements Processor<Bytes, SpecificRecord, String, SourceOutput> {
    static final String PROGRESS_STORE = "source-progress";
    /** Holds nothing: its flush before each commit sends the batches still in {@link #shuffle}. */
    static final String SHUFFLE_HOOK_STORE = "shuffle-commit-hook";
    /** Wall-clock tick that sends the batches between commits (at-least-once commits are 30 s apart). */
    static final Duration SHUFFLE_TICK = Duration.ofMillis(100);
    static final String WATERMARK_KEY = "~watermark";
    private static final long YEAR_2000 = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    private static final Logger LOG = LoggerFactory.getLogger(ContributionMapper.class);

    private final TopologySettings settings;
    private final CatalogView catalog;
    private final WatermarkRouting routing;
    private final ShuffleBuffer shuffle;
    /** The aggregating partitions' record keys, by partition (the key names the partition the batch is for). */
    private final String[] partitionKeys;
    private final Contributions contributions;
    private final Map<String, Integer> topicIndex = new HashMap<>();
    private final Map<Integer, Long> progress = new HashMap<>();
    /** By topic index: the source id of this task's partition of that topic, or -1 when the topic has no such partition. */
    private final int[] ownedSources = new int[4];
    /** By topic index: wall-clock time of the partition's last accepted record (or of the task's start). */
    private final long[] lastRecordAt = new long[4];
    private final boolean[] idle = new boolean[4];
    private ProcessorContext<String, SourceOutput> context;
    private KeyValueStore<Integer, Long> progressStore;
    private Sensor lateEvents;
    private Sensor unknownEntities;
    private Sensor unknownSymbols;
    private Sensor accepted;
    private Sensor entityUpdates;
    private Sensor idleSources;

    ContributionMapper(TopologySettings settings, CatalogView catalog) {
        this.settings = settings;
        this.catalog = catalog;
        // this task's own: its source partitions are no other task's
        this.routing = new WatermarkRouting(settings.watermarkIntervalMs());
        this.shuffle = new ShuffleBuffer(settings.aggregatingPartitions(), routing, this::sendBatch);
        this.partitionKeys = new String[settings.aggregatingPartitions()];
        for (int p = 0; p < partitionKeys.length; p++) {
            partitionKeys[p] = String.valueOf(p);
        }
        this.contributions = new Contributions(settings.hotlineSlaSeconds(), settings.storeWaitTargetSeconds());
        List<String> inputs = settings.topics().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            topicIndex.put(inputs.get(i), i);
        }
    }

    @Override
    public void init(ProcessorContext<String, SourceOutput> context) {
        this.context = context;
        this.progress.clear(); // re-read from the store: a revived task must not keep progress of aborted records
        this.progressStore = context.getStateStore(PROGRESS_STORE);
        shuffle.clear(); // a revived task re-reads the input behind anything unsent
        CommitTimeForwarding atCommit = new CommitTimeForwarding(context);
        CommitHookStore hook = context.getStateStore(SHUFFLE_HOOK_STORE);
        hook.beforeCommit(() -> {
            if (!shuffle.isEmpty()) {
                atCommit.run(shuffle::flush);
            }
        });
        context.schedule(SHUFFLE_TICK, PunctuationType.WALL_CLOCK_TIME, now -> shuffle.flush());
        catalog.attach(context);
        this.lateEvents = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LATE_EVENTS,
                "Events older than their source partition's progress minus the grace period, written to the late-events topic", Map.of());
        this.accepted = PipelineMetrics.counter(context.metrics(), PipelineMetrics.ACCEPTED_EVENTS,
                "Events accepted and sent to the entities they count for (neither late nor dead-lettered)", Map.of());
        this.entityUpdates = PipelineMetrics.sum(context.metrics(), PipelineMetrics.ENTITY_UPDATES,
                "Entity updates sent to the aggregating partitions: one per entity an accepted event counts for (product, campaign, parent campaign, region)", Map.of());
        this.unknownSymbols = PipelineMetrics.counter(context.metrics(), PipelineMetrics.UNKNOWN_ENUM_EVENTS,
                "Events with an enum field at its default UNKNOWN: a symbol newer than this build, or none given (counted, not rejected)", Map.of());
        this.unknownEntities = PipelineMetrics.counter(context.metrics(), PipelineMetrics.UNKNOWN_ENTITY_EVENTS,
                "Entity updates for a product, campaign or region missing from the catalog (aggregated; denominator unknown)", Map.of());
        this.idleSources = PipelineMetrics.counter(context.metrics(), PipelineMetrics.IDLE_SOURCES,
                "Source partitions declared idle (no record for source.idle.timeout.ms): windows close without them until they deliver again", Map.of());
        int partition = context.taskId().partition();
        long now = context.currentSystemTimeMs();
        for (int i = 0; i < ownedSources.length; i++) {
            ownedSources[i] = settings.inputPartitions().get(i) > partition ? TopologySettings.sourceId(i, partition) : -1;
            lastRecordAt[i] = now;
            idle[i] = false;
        }
        long timeout = settings.sourceIdleTimeoutMs();
        if (timeout > 0) {
            long check = Math.max(1_000, Math.min(timeout / 4, 10_000));
            context.schedule(Duration.ofMillis(check), PunctuationType.WALL_CLOCK_TIME, this::declareIdleSources);
        }
    }

    /** Declares (again) every partition of this task that has delivered nothing for the idle timeout. */
    private void declareIdleSources(long now) {
        List<String> inputs = settings.topics().inputs();
        for (int i = 0; i < ownedSources.length; i++) {
            int source = ownedSources[i];
            if (source < 0 || now - lastRecordAt[i] < settings.sourceIdleTimeoutMs()) {
                continue;
            }
            long partitionProgress = progressOf(source);
            if (!idle[i]) {
                idle[i] = true;
                idleSources.record();
                LOG.info("{}-{} has delivered no record for {} ms: windows close without it (its progress {}) until it delivers again",
                        inputs.get(i), source & 0xFFFF, now - lastRecordAt[i],
                        partitionProgress == Long.MIN_VALUE ? "none yet" : Instant.ofEpochMilli(partitionProgress));
            }
            shuffle.idle(Contribution.idle(source, partitionProgress));
        }
    }

    @Override
    public void close() {
        shuffle.clear();
    }

    @Override
    public void process(Record<Bytes, SpecificRecord> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        if (record.value() == null) {
            throw new InvalidEventException("missing-value", "null value on " + meta.topic());
        }
        if (record.key() == null) {
            throw new InvalidEventException("missing-key", "record without key on " + meta.topic() + " (keys are pseudonymous customer ids)");
        }
        Integer index = topicIndex.get(meta.topic());
        if (index == null) {
            throw new IllegalStateException("record from unexpected topic " + meta.topic());
        }
        int source = TopologySettings.sourceId(index, meta.partition());
        long partitionProgress = progressOf(source);
        long time = eventTime(record.value());
        validateTime(time, partitionProgress, meta.topic());

        if (partitionProgress != Long.MIN_VALUE && time < partitionProgress - settings.graceMs()) {
            lateEvents.record();
            context.forward(record.withKey(keyOf(record.value())).withValue(SourceOutput.late(lateEvent(record.value(), meta, time, partitionProgress))));
            return;
        }
        if (hasUnknownSymbol(record.value())) {
            unknownSymbols.record();
        }
        long newProgress = Math.max(partitionProgress, time);
        Contribution contribution = toContribution(record.value(), time, source, newProgress);
        forwardToEntities(record, contribution, ids(record.value()));
        accepted.record();
        lastRecordAt[index] = context.currentSystemTimeMs();
        if (idle[index]) {
            // the aggregating partitions that got none of its events count it again too
            idle[index] = false;
            routing.forget(source);
            shuffle.watermark(Contribution.watermark(source, newProgress));
        }
        if (newProgress > partitionProgress) {
            progress.put(source, newProgress);
            progressStore.put(source, newProgress);
            long interval = settings.watermarkIntervalMs();
            boolean crossed = partitionProgress == Long.MIN_VALUE
                    || WatermarkRouting.intervalOf(newProgress, interval) > WatermarkRouting.intervalOf(partitionProgress, interval);
            if (crossed && routing.isNews(source, newProgress)) {
                shuffle.watermark(Contribution.watermark(source, newProgress));
            }
        }
    }

    /** One aggregating partition's batch, keyed by the partition it is for (the repartition topic's partitioner reads the key). */
    private void sendBatch(int partition, byte[] batch, long timestamp) {
        context.forward(new Record<>(partitionKeys[partition], SourceOutput.batch(batch), timestamp));
    }

    private long progressOf(int source) {
        Long known = progress.get(source);
        if (known == null) {
            Long stored = progressStore.get(source);
            known = stored == null ? Long.MIN_VALUE : stored;
            progress.put(source, known);
        }
        return known;
    }

    private void validateTime(long time, long partitionProgress, String topic) {
        if (time < YEAR_2000) {
            throw new InvalidEventException("time-before-2000", "event time " + Instant.ofEpochMilli(time) + " on " + topic);
        }
        if (partitionProgress != Long.MIN_VALUE && time > partitionProgress + settings.maxFutureMs()) {
            throw new InvalidEventException("time-too-far-ahead", "event time " + Instant.ofEpochMilli(time) + " is more than "
                    + settings.maxFutureMs() + " ms ahead of its partition's progress " + Instant.ofEpochMilli(partitionProgress) + " on " + topic);
        }
    }

    private void forwardToEntities(Record<Bytes, SpecificRecord> record, Contribution contribution, String[] ids) {
        String productId = ids[0];
        String campaignId = ids[1];
        String regionId = ids[2];
        if (productId == null && campaignId == null && regionId == null) {
            throw new InvalidEventException("no-entity", "event names no product, campaign or region");
        }
        long ts = contribution.eventTime();
        int sent = 0;
        if (productId != null) {
            send(EntityKey.product(productId), contribution);
            sent++;
        }
        if (campaignId != null) {
            String campaignKey = EntityKey.campaign(campaignId);
            send(campaignKey, contribution);
            sent++;
            CatalogEntry campaign = catalog.validAt(campaignKey, ts);
            String parent = campaign == null ? null : campaign.getParentCampaignId();
            if (parent != null && !parent.equals(campaignId)) {
                send(EntityKey.campaign(parent), contribution);
                sent++;
            }
        }
        if (regionId != null) {
            send(EntityKey.region(regionId), contribution);
            sent++;
        }
        entityUpdates.record(sent);
    }

    private void send(String entityKey, Contribution contribution) {
        if (catalog.validAt(entityKey, contribution.eventTime()) == null) {
            unknownEntities.record();
        }
        shuffle.contribution(entityKey, contribution);
    }

    private Contribution toContribution(SpecificRecord value, long time, int source, long progress) {
        if (value instanceof ComplaintEvent e) {
            return contributions.complaint(e, time, source, progress);
        }
        if (value instanceof HotlineCallEvent e) {
            nonNegative(e.getQueueSeconds(), "queueSeconds");
            nonNegative(e.getTalkSeconds(), "talkSeconds");
            return contributions.hotline(e, time, source, progress);
        }
        if (value instanceof StoreTransactionEvent e) {
            nonNegative(e.getWaitSeconds(), "waitSeconds");
            nonNegative(e.getHandlingSeconds(), "handlingSeconds");
            return contributions.store(e, time, source, progress);
        }
        if (value instanceof SurveyResponseEvent e) {
            inScoreRange(e.getScore(), "score");
            inScoreRange(e.getEaseOfUnderstanding(), "easeOfUnderstanding");
            inScoreRange(e.getEaseOfHandling(), "easeOfHandling");
            return contributions.survey(e, time, source, progress);
        }
        throw new IllegalStateException("unexpected event type " + value.getClass().getName());
    }

    /** An enum at its declared default: what Avro resolution gives for a symbol this build does not know. */
    private static boolean hasUnknownSymbol(SpecificRecord value) {
        for (org.apache.avro.Schema.Field field : value.getSchema().getFields()) {
            Object v = value.get(field.pos());
            if (v instanceof Enum<?> e && e.name().equals("UNKNOWN")) {
                return true;
            }
        }
        return false;
    }

    private static void nonNegative(Integer value, String field) {
        if (value != null && value < 0) {
            throw new InvalidEventException("value-out-of-range", field + " = " + value + " is negative");
        }
    }

    private static void inScoreRange(Integer value, String field) {
        if (value != null && (value < 1 || value > 10)) {
            throw new InvalidEventException("value-out-of-range", field + " = " + value + " is outside 1..10");
        }
    }

    static long eventTime(SpecificRecord value) {
        if (value instanceof ComplaintEvent e) return e.getOpenedAt().toEpochMilli();
        if (value instanceof HotlineCallEvent e) return e.getCalledAt().toEpochMilli();
        if (value instanceof StoreTransactionEvent e) return e.getOccurredAt().toEpochMilli();
        if (value instanceof SurveyResponseEvent e) return e.getRespondedAt().toEpochMilli();
        throw new IllegalStateException("unexpected event type " + value.getClass().getName());
    }

    private static String[] ids(SpecificRecord value) {
        if (value instanceof ComplaintEvent e) return new String[]{blankToNull(e.getProductId()), blankToNull(e.getCampaignId()), blankToNull(e.getRegionId())};
        if (value instanceof HotlineCallEvent e) return new String[]{blankToNull(e.getProductId()), blankToNull(e.getCampaignId()), blankToNull(e.getRegionId())};
        if (value instanceof StoreTransactionEvent e) return new String[]{blankToNull(e.getProductId()), blankToNull(e.getCampaignId()), blankToNull(e.getRegionId())};
        if (value instanceof SurveyResponseEvent e) return new String[]{blankToNull(e.getProductId()), blankToNull(e.getCampaignId()), blankToNull(e.getRegionId())};
        throw new IllegalStateException("unexpected event type " + value.getClass().getName());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String keyOf(SpecificRecord value) {
        return String.valueOf(value.get(value.getSchema().getField("eventId").pos()));
    }

    private LateEvent lateEvent(SpecificRecord value, RecordMetadata meta, long time, long partitionProgress) {
        LateEvent.Builder late = LateEvent.newBuilder()
                .setSourceTopic(meta.topic()).setSourcePartition(meta.partition()).setSourceOffset(meta.offset())
                .setEventTime(Instant.ofEpochMilli(time)).setPartitionProgress(Instant.ofEpochMilli(partitionProgress))
                .setGraceMs(settings.graceMs());
        if (value instanceof ComplaintEvent e) late.setComplaint(e);
        else if (value instanceof HotlineCallEvent e) late.setHotlineCall(e);
        else if (value instanceof StoreTransactionEvent e) late.setStoreTransaction(e);
        else if (value instanceof SurveyResponseEvent e) late.setSurveyResponse(e);
        return late.build();
    }
}
