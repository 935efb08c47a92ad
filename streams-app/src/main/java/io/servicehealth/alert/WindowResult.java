package io.servicehealth.alert;

import io.servicehealth.aggregate.HealthCounters;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.window.Window;

/** A window's counters and its assembled health, as a rule sees it (closed, or open so far). */
public record WindowResult(Window window, HealthCounters counters, ServiceHealth health) {
    public Observation observe(AlertMetric metric) {
        return metric.observe(counters, health, health.getSubscriberBase(), window.durationMs());
    }
}
