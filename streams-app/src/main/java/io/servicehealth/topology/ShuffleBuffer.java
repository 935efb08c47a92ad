package io.servicehealth.topology;

import io.servicehealth.aggregate.Contribution;
import io.servicehealth.aggregate.ContributionBatch;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * Source side of the shuffle: what one source task sends each aggregating partition, gathered into a
 * {@link ContributionBatch} per partition. A contribution goes to its entity's partition (computed as
 * the producer's default partitioner would, so that state stays where interactive queries look for
 * it); a watermark to the partitions that have not heard of its source lately ({@link WatermarkRouting});
 * an idle declaration to every partition. A batch is sent when it reaches {@link #MAX_BATCH_BYTES} and
 * whenever the owner {@link #flush flushes}: at each commit of its task (before the offsets are
 * committed, so a commit never covers an event whose contributions are still here) and at a short
 * wall-clock tick (under at-least-once commits are 30 s apart).
 */
final class ShuffleBuffer {
    /** Well under the producer's max.request.size (1 MiB): a few thousand contributions. */
    static final int MAX_BATCH_BYTES = 64 * 1024;

    /** Sends one batch to one aggregating partition. */
    @FunctionalInterface
    interface Sender {
        void send(int partition, byte[] batch, long timestamp);
    }

    private static final byte[] REPORT_KEY = ContributionMapper.WATERMARK_KEY.getBytes(StandardCharsets.UTF_8);
    private final WatermarkRouting routing;
    private final ContributionBatch.Builder[] batches;
    private final Sender sender;

    ShuffleBuffer(int partitions, WatermarkRouting routing, Sender sender) {
        if (partitions < 1) {
            throw new IllegalArgumentException("at least one aggregating partition, got " + partitions);
        }
        this.routing = routing;
        this.sender = sender;
        this.batches = new ContributionBatch.Builder[partitions];
        for (int p = 0; p < partitions; p++) {
            batches[p] = new ContributionBatch.Builder();
        }
    }

    int partitions() {
        return batches.length;
    }

    /** An event's contribution to the entity {@code entityKey}. */
    void contribution(String entityKey, Contribution c) {
        byte[] key = entityKey.getBytes(StandardCharsets.UTF_8); // once: to partition by and to write
        int partition = partitionForKey(key, batches.length);
        routing.heard(c.source(), partition, batches.length, c.progress());
        add(partition, key, c);
    }

    /** A source partition's watermark, to the partitions it is news to. */
    void watermark(Contribution report) {
        for (int partition : routing.targets(report.source(), report.progress(), batches.length)) {
            add(partition, REPORT_KEY, report);
        }
    }

    /** A source partition's idle declaration, to every partition. */
    void idle(Contribution report) {
        for (int partition = 0; partition < batches.length; partition++) {
            add(partition, REPORT_KEY, report);
        }
    }

    private void add(int partition, byte[] key, Contribution c) {
        ContributionBatch.Builder batch = batches[partition];
        batch.add(key, c);
        if (batch.sizeInBytes() >= MAX_BATCH_BYTES) {
            send(partition);
        }
    }

    /** Sends every batch that holds anything. */
    void flush() {
        for (int partition = 0; partition < batches.length; partition++) {
            if (!batches[partition].isEmpty()) {
                send(partition);
            }
        }
    }

    boolean isEmpty() {
        for (ContributionBatch.Builder batch : batches) {
            if (!batch.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Drops everything unsent: the task's input since its last commit is read again. */
    void clear() {
        for (ContributionBatch.Builder batch : batches) {
            batch.clear();
        }
    }

    private void send(int partition) {
        ContributionBatch.Builder batch = batches[partition];
        long timestamp = batch.maxEventTime();
        sender.send(partition, batch.drain(), timestamp);
    }

    /** The producer's default partitioning of a key in UTF-8 (BuiltInPartitioner.partitionForKey). */
    static int partitionForKey(byte[] key, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(key)) % numPartitions;
    }
}
