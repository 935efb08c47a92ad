package io.servicehealth.topology;

import io.servicehealth.schema.LateEvent;

/** What the source side emits: a batch of contributions for the shuffle ({@code ContributionBatch}), or a late event for its topic. */
record SourceOutput(byte[] batch, LateEvent late) {
    static SourceOutput batch(byte[] batch) {
        return new SourceOutput(batch, null);
    }

    static SourceOutput late(LateEvent late) {
        return new SourceOutput(null, late);
    }

    boolean isLate() {
        return late != null;
    }
}
