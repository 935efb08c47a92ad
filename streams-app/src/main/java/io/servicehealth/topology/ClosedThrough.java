package io.servicehealth.topology;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The event time through which each aggregating task of this process has closed its windows (every
 * window ending at or before it has had its final result). The aggregator does not rewrite an entity
 * just because one of its windows closed, so the store may still hold windows that are already final;
 * interactive queries hide them with this.
 */
public final class ClosedThrough {
    private final ConcurrentHashMap<Integer, Long> byPartition = new ConcurrentHashMap<>();

    void set(int partition, long closedThrough) {
        byPartition.put(partition, closedThrough);
    }

    void remove(int partition) {
        byPartition.remove(partition);
    }

    /**
     * The lowest over this process's tasks, or {@code Long.MIN_VALUE} when none has closed a window: a
     * query may then show a window another partition has just closed, never hide one still open.
     */
    public long low() {
        long low = Long.MAX_VALUE;
        for (long t : byPartition.values()) {
            low = Math.min(low, t);
        }
        return low == Long.MAX_VALUE ? Long.MIN_VALUE : low;
    }
}
