package io.servicehealth.aggregate;

import io.servicehealth.window.Window;

/** A window of one entity that has not closed yet, with its counters. Mutable: updated in place. */
public final class OpenWindow {
    private final Window window;
    private final HealthCounters counters;
    private long lastEventTime;

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

    public void add(Contribution contribution) {
        counters.add(contribution);
        lastEventTime = Math.max(lastEventTime, contribution.eventTime());
    }
}
