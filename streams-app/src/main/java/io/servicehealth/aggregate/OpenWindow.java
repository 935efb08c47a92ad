package io.servicehealth.aggregate;

import io.servicehealth.schema.WindowSize;
import io.servicehealth.window.Window;

import java.util.EnumMap;
import java.util.Map;

/** A window of one entity that has not closed yet, with its counters. Mutable: updated in place. */
public final class OpenWindow {
    private final Window window;
    private final HealthCounters counters;
    private long lastEventTime;
    /** Counters of the finer windows inside this one that have closed, by finer size ("settled so far"). */
    private EnumMap<WindowSize, HealthCounters> settled;

    public OpenWindow(Window window) {
        this(window, new HealthCounters(), Long.MIN_VALUE);
    }

    OpenWindow(Window window, HealthCounters counters, long lastEventTime) {
        this.window = window;
        this.counters = counters;
        this.lastEventTime = lastEventTime;
    }

    public Window window() {
        return window;
    }

    public HealthCounters counters() {
        return counters;
    }

    public long lastEventTime() {
        return lastEventTime;
    }

    /** Adds a closed finer window's counters to what this window has settled so far. */
    public void settle(WindowSize finer, HealthCounters closed) {
        if (settled == null) {
            settled = new EnumMap<>(WindowSize.class);
        }
        settled.computeIfAbsent(finer, f -> new HealthCounters()).merge(closed);
    }

    /** Puts back a settled copy read from the store (no merge: the decoded object is this window's own). */
    void restoreSettled(WindowSize finer, HealthCounters counters) {
        if (settled == null) {
            settled = new EnumMap<>(WindowSize.class);
        }
        settled.put(finer, counters);
    }

    /**
     * This window as of the close of its latest finer window of size {@code finer}: the events of
     * closed finer windows only. Unlike the live counters, it does not depend on how far other
     * partitions' events have run ahead, so a rule evaluated on it gives the same answer on replay.
     */
    public HealthCounters settledBy(WindowSize finer) {
        HealthCounters c = settled == null ? null : settled.get(finer);
        return c == null ? new HealthCounters() : c;
    }

    Map<WindowSize, HealthCounters> settledMap() {
        return settled == null ? Map.of() : settled;
    }

    public void add(Contribution contribution) {
        counters.add(contribution);
        lastEventTime = Math.max(lastEventTime, contribution.eventTime());
    }
}
