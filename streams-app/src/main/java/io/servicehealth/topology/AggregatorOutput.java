package io.servicehealth.topology;

import io.servicehealth.schema.EntityAlertState;
import io.servicehealth.schema.HealthAlert;
import io.servicehealth.schema.ServiceHealth;

/** What the aggregator emits: a health record (live or final), an alert transition, or the new alert state. */
record AggregatorOutput(ServiceHealth health, HealthAlert alert, EntityAlertState alertState) {
    static AggregatorOutput health(ServiceHealth health) {
        return new AggregatorOutput(health, null, null);
    }

    static AggregatorOutput alert(HealthAlert alert) {
        return new AggregatorOutput(null, alert, null);
    }

    static AggregatorOutput state(EntityAlertState state) {
        return new AggregatorOutput(null, null, state);
    }

    boolean isFinalHealth() {
        return health != null && health.getFinal$();
    }

    boolean isLiveHealth() {
        return health != null && !health.getFinal$();
    }
}
