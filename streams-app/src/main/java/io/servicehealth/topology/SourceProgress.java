package io.servicehealth.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * The aggregating side's view of every source partition's progress. Windows may close only when
 * every expected source partition has reported and the slowest one has passed the window's end plus
 * the grace period: the low watermark is the minimum over source partitions, so a backlog drained by
 * threads that drift apart in event time never closes a window under a partition that is behind.
 */
final class SourceProgress {
    private final int expectedSources;
    private final Map<Integer, Long> bySource = new HashMap<>();
    private long low = Long.MIN_VALUE;

    SourceProgress(int expectedSources) {
        this.expectedSources = expectedSources;
    }

    /** Records a report; returns true when the low watermark moved. */
    boolean update(int source, long progress) {
        Long previous = bySource.get(source);
        if (previous != null && previous >= progress) {
            return false;
        }
        bySource.put(source, progress);
        if (bySource.size() < expectedSources) {
            return false;
        }
        if (previous != null && previous > low) {
            return false; // not the slowest partition: the minimum cannot have changed
        }
        long min = Long.MAX_VALUE;
        for (long p : bySource.values()) {
            min = Math.min(min, p);
        }
        boolean moved = min > low;
        low = min;
        return moved;
    }

    /** Minimum progress over all source partitions, or Long.MIN_VALUE until all have reported. */
    long low() {
        return low;
    }
}
