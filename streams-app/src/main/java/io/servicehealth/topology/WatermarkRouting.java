package io.servicehealth.topology;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which aggregating partitions have lately heard of each source partition's progress. Every contribution
 * carries its source partition's progress, so while events flow every aggregating partition hears of
 * every source partition anyway, and a watermark broadcast to all of them is mostly news to none: a
 * 500k-event backlog drain sent 645k of them (16 source partitions × 10,080 minutes of event time × 4
 * partitions). A watermark goes only to the partitions that have heard nothing of its source for more
 * than one whole {@code watermark.interval.ms} of event time, so each partition's view of a source is
 * at most two intervals old, where broadcasting at every interval kept it within one: windows may close
 * one interval later where traffic is sparse, and what they contain does not change (lateness is judged
 * at the source).
 * <p>
 * One per source task: fed by its {@link ShuffleBuffer} (which places every contribution) and asked by
 * the task before it emits a watermark, on the stream thread that owns the task. Not persisted: a
 * restarted task starts by broadcasting everywhere.
 * If a transaction aborts, a partition may be recorded as having heard a progress it never received;
 * that only delays its news by another interval.
 */
final class WatermarkRouting {
    private static final long NOTHING = Long.MIN_VALUE;
    private final long intervalMs;
    /** Source id → per aggregating partition: the watermark interval of the latest progress it heard. */
    private final Map<Integer, long[]> heard = new ConcurrentHashMap<>();

    WatermarkRouting(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** A contribution carrying {@code progress} of {@code source} is going to {@code partition}. */
    void heard(int source, int partition, int numPartitions, long progress) {
        long[] byPartition = of(source, numPartitions);
        byPartition[partition] = Math.max(byPartition[partition], interval(progress));
    }

    /** Whether a watermark at {@code progress} is news to any aggregating partition (always, before the partitions are known). */
    boolean isNews(int source, long progress) {
        long[] byPartition = heard.get(source);
        if (byPartition == null) {
            return true;
        }
        long now = interval(progress);
        for (long h : byPartition) {
            if (isStale(h, now)) {
                return true;
            }
        }
        return false;
    }

    /** The partitions a watermark at {@code progress} is news to, now recorded as having heard it; all of them if none is. */
    Set<Integer> targets(int source, long progress, int numPartitions) {
        long[] byPartition = of(source, numPartitions);
        long now = interval(progress);
        Set<Integer> targets = new HashSet<>();
        for (int p = 0; p < numPartitions; p++) {
            if (isStale(byPartition[p], now)) {
                targets.add(p);
            }
        }
        if (targets.isEmpty()) { // not asked first: stay safe
            for (int p = 0; p < numPartitions; p++) {
                targets.add(p);
            }
        }
        for (int p : targets) {
            byPartition[p] = Math.max(byPartition[p], now);
        }
        return targets;
    }

    /** The source's next watermark goes to every partition (it was idle: partitions that got none of its events must count it again). */
    void forget(int source) {
        heard.remove(source);
    }

    private long[] of(int source, int numPartitions) {
        long[] byPartition = heard.get(source);
        if (byPartition == null || byPartition.length != numPartitions) {
            byPartition = new long[numPartitions];
            Arrays.fill(byPartition, NOTHING);
            heard.put(source, byPartition);
        }
        return byPartition;
    }

    /** A partition that last heard of a source in {@code heardInterval} needs news of it in {@code now}. */
    private static boolean isStale(long heardInterval, long now) {
        return heardInterval < now - 1;
    }

    private long interval(long progress) {
        return intervalOf(progress, intervalMs);
    }

    /** The watermark interval an event time or progress falls in: the unit watermarks are sent and persisted by. */
    static long intervalOf(long progress, long intervalMs) {
        return Math.floorDiv(progress, intervalMs);
    }
}
