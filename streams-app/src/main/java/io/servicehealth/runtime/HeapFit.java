package io.servicehealth.runtime;

import io.servicehealth.config.HealthConfig;

import java.util.Optional;

/**
 * Start-up check that the write-back caches fit the heap they are given. The caches are bounded by
 * entry counts, not bytes (an entry's size is known only once decoded), so the check works from sizes
 * measured in a backlog drain: ~5 KiB per cached entity (80,000 held 433 MB of live heap,
 * bench/ab-2026-11-28e.md) and at most ~1 KiB per alert state (one with an open episode and its score
 * trends; 110,559 alert entries, 6,387 of them holding a state and the rest remembered absences, added
 * ~13 MB, bench/ab-2026-11-28j.md). Past half the heap the rest of the process (consumer fetches,
 * producer batches, the catalog) runs out first; a warning at start-up names the key, an
 * OutOfMemoryError an hour later would not.
 */
final class HeapFit {
    static final long BYTES_PER_CACHED_ENTITY = 5 * 1024;
    /** An alert state with an open episode and score trends, the largest kind; an absence takes far less. */
    static final long BYTES_PER_CACHED_ALERT_STATE = 1024;

    private HeapFit() {
    }

    /**
     * A warning when {@code cachedEntities} and {@code cachedAlertStates} would take more than half of
     * {@code maxHeapBytes}, else empty.
     */
    static Optional<String> check(int cachedEntities, int cachedAlertStates, long maxHeapBytes) {
        long entities = cachedEntities * BYTES_PER_CACHED_ENTITY;
        long alertStates = cachedAlertStates * BYTES_PER_CACHED_ALERT_STATE;
        if (maxHeapBytes == Long.MAX_VALUE || entities + alertStates <= maxHeapBytes / 2) {
            return Optional.empty();
        }
        return Optional.of(String.format("%s=%d and %s=%d may hold ~%d MiB of live heap (~%d KiB per cached entity, ~%d KiB per alert state), "
                        + "more than half the JVM's maximum heap (%d MiB): raise -Xmx (HEALTH_JAVA_OPTS) or lower %s",
                HealthConfig.STATE_CACHE_ENTITIES, cachedEntities, HealthConfig.STATE_CACHE_ALERT_ENTITIES, cachedAlertStates,
                (entities + alertStates) >> 20, BYTES_PER_CACHED_ENTITY >> 10, BYTES_PER_CACHED_ALERT_STATE >> 10, maxHeapBytes >> 20,
                entities >= alertStates ? HealthConfig.STATE_CACHE_ENTITIES : HealthConfig.STATE_CACHE_ALERT_ENTITIES));
    }
}
