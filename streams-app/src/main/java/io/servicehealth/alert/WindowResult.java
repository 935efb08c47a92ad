package io.servicehealth.alert;

import io.servicehealth.aggregate.HealthCounters;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.window.Window;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A window's counters and its assembled health, as a rule sees it (closed, or open so far). For an open
 * window the counters are computed when a rule first reads them (a settled view: a projected rule
 * early in its window reads only the bounds), and the health record is assembled only when a rule
 * reads a score: count and rate rules need the counters alone.
 */
public final class WindowResult {
    private final Window window;
    private final Supplier<HealthCounters> source;
    private final Function<HealthCounters, ServiceHealth> assemble;
    private HealthCounters counters;
    private ServiceHealth health;

    /** A closed window, its health record assembled already. */
    public WindowResult(Window window, HealthCounters counters, ServiceHealth health) {
        this.window = window;
        this.source = null; // never read: counters and health are both here already
        this.assemble = null;
        this.counters = counters;
        this.health = health;
    }

    public WindowResult(Window window, Supplier<HealthCounters> counters, Function<HealthCounters, ServiceHealth> assemble) {
        this.window = window;
        this.source = counters;
        this.assemble = assemble;
    }

    public Window window() {
        return window;
    }

    public HealthCounters counters() {
        if (counters == null) {
            counters = source.get();
        }
        return counters;
    }

    public ServiceHealth health() {
        if (health == null) {
            health = assemble.apply(counters());
        }
        return health;
    }

    public Observation observe(AlertMetric metric, Long subscriberBase) {
        return metric.observe(counters(), metric.needsHealth() ? health() : null, subscriberBase, window.durationMs());
    }
}
