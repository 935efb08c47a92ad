package io.servicehealth.alert;

import io.servicehealth.aggregate.HealthCounters;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.window.Window;

import java.util.function.Supplier;

/**
 * A window's counters and its assembled health, as a rule sees it (closed, or open so far). The health
 * record is assembled only when a rule reads a score: count and rate rules need the counters alone.
 */
public final class WindowResult {
    private final Window window;
    private final HealthCounters counters;
    private final Supplier<ServiceHealth> assemble;
    private ServiceHealth health;

    public WindowResult(Window window, HealthCounters counters, ServiceHealth health) {
        this(window, counters, () -> health);
        this.health = health;
    }

    public WindowResult(Window window, HealthCounters counters, Supplier<ServiceHealth> assemble) {
        this.window = window;
        this.counters = counters;
        this.assemble = assemble;
    }

    public Window window() {
        return window;
    }

    public HealthCounters counters() {
        return counters;
    }

    public ServiceHealth health() {
        if (health == null) {
            health = assemble.get();
        }
        return health;
    }

    public Observation observe(AlertMetric metric, Long subscriberBase) {
        return metric.observe(counters, metric.needsHealth() ? health() : null, subscriberBase, window.durationMs());
    }
}
