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
    /**
     * This window's bytes in the state format as last written or read, or null once it changed since.
     * An entity is written whole at each commit that follows a change, but an event changes one window
     * of each size while a drain keeps ~9 open (the low watermark trails the newest events by hours):
     * re-encoding the unchanged ones was most of the 4.5 µs an entity write cost.
     */
    private byte[] encoded;

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

    /** Read-only: the counters change through {@link #add} and {@link #settle}, which drop the window's cached encoding. */
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
        encoded = null;
        settled.computeIfAbsent(finer, f -> new HealthCounters()).merge(closed);
    }

    /** Puts back a settled copy read from the store (no merge: the decoded object is this window's own). */
    void restoreSettled(WindowSize finer, HealthCounters counters) {
        if (settled == null) {
            settled = new EnumMap<>(WindowSize.class);
        }
        encoded = null;
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

    byte[] encoded() {
        return encoded;
    }

    void encoded(byte[] bytes) {
        this.encoded = bytes;
    }

    Map<WindowSize, HealthCounters> settledMap() {
        return settled == null ? Map.of() : settled;
    }

    public void add(Contribution contribution) {
        encoded = null;
        counters.add(contribution);
        lastEventTime = Math.max(lastEventTime, contribution.eventTime());
    }
}
