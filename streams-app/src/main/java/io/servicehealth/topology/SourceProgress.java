package io.servicehealth.topology;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The aggregating side's view of every source partition's progress. Windows may close only when
 * every expected source partition has reported (or been declared idle) and the slowest active one has
 * passed the window's end plus the grace period: the low watermark is the minimum over active source
 * partitions, so a backlog drained by threads that drift apart in event time never closes a window
 * under a partition that is behind.
 * <p>
 * A partition its source task declared idle (no record for {@code source.idle.timeout.ms}) is left out
 * of the minimum until it reports again; when every partition is idle, the low watermark is the highest
 * progress of all: everything up to it has been read. The low watermark never moves back, so a
 * partition that wakes up behind it finds its old windows closed (counted as late after close).
 */
final class SourceProgress {
    private final int expectedSources;
    private final Map<Integer, Long> bySource = new HashMap<>();
    private final Set<Integer> idle = new HashSet<>();
    private long low = Long.MIN_VALUE;

    SourceProgress(int expectedSources) {
        this.expectedSources = expectedSources;
    }

    /** Records a report from an active partition; returns true when the low watermark moved. */
    boolean update(int source, long progress) {
        Long previous = bySource.get(source);
        boolean woke = idle.remove(source);
        if (previous != null && previous >= progress && !woke) {
            return false;
        }
        if (previous == null || progress > previous) {
            bySource.put(source, progress);
        }
        if (!woke && previous != null && previous > low) {
            return false; // an active partition that was not the slowest: the minimum cannot have changed
        }
        return recompute();
    }

    /** Records that a partition's source task saw no record for the idle timeout; true when the low watermark moved. */
    boolean markIdle(int source, long progress) {
        Long previous = bySource.get(source);
        boolean advanced = previous == null || progress > previous;
        if (advanced) {
            bySource.put(source, progress);
        }
        return (idle.add(source) || advanced) && recompute();
    }

    private boolean recompute() {
        if (bySource.size() < expectedSources) {
            return false;
        }
        long minActive = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Map.Entry<Integer, Long> e : bySource.entrySet()) {
            max = Math.max(max, e.getValue());
            if (!idle.contains(e.getKey())) {
                minActive = Math.min(minActive, e.getValue());
            }
        }
        long candidate = minActive == Long.MAX_VALUE ? max : minActive;
        if (candidate > low) {
            low = candidate;
            return true;
        }
        return false;
    }

    /** Minimum progress over active source partitions, or Long.MIN_VALUE until all have reported. */
    long low() {
        return low;
    }

}
