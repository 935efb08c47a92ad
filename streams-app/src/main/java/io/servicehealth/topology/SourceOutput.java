package io.servicehealth.topology;

import io.servicehealth.aggregate.Contribution;
import io.servicehealth.schema.LateEvent;

/** What the source side emits: a contribution for the shuffle, or a late event for its topic. */
record SourceOutput(Contribution contribution, LateEvent late) {
    static SourceOutput of(Contribution contribution) {
        return new SourceOutput(contribution, null);
    }

    static SourceOutput late(LateEvent late) {
        return new SourceOutput(null, late);
    }

    boolean isLate() {
        return late != null;
    }
}
