package io.servicehealth.runtime;

import io.servicehealth.config.HealthConfig;

import java.util.Optional;

/**
 * Start-up check that the write-back cache fits the heap it is given. The cache is bounded by an entry
 * count, not bytes (an entity's size is known only once decoded), so the check works from the size a
 * cached entity was measured to take in a backlog drain: ~5 KiB (80,000 held 433 MB of live heap,
 * bench/ab-2026-11-28e.md). Past half the heap the rest of the process (consumer fetches, producer
 * batches, the catalog) runs out first; a warning at start-up names the key, an OutOfMemoryError an
 * hour later would not.
 */
final class HeapFit {
    static final long BYTES_PER_CACHED_ENTITY = 5 * 1024;

    private HeapFit() {
    }

    /** A warning when {@code cachedEntities} would take more than half of {@code maxHeapBytes}, else empty. */
    static Optional<String> check(int cachedEntities, long maxHeapBytes) {
        long estimate = cachedEntities * BYTES_PER_CACHED_ENTITY;
        if (maxHeapBytes == Long.MAX_VALUE || estimate <= maxHeapBytes / 2) {
            return Optional.empty();
        }
        return Optional.of(String.format("%s=%d may hold ~%d MiB of live heap (~%d KiB per cached entity), more than half the JVM's maximum heap (%d MiB): "
                        + "raise -Xmx (HEALTH_JAVA_OPTS) or lower %s", HealthConfig.STATE_CACHE_ENTITIES, cachedEntities, estimate >> 20,
                BYTES_PER_CACHED_ENTITY >> 10, maxHeapBytes >> 20, HealthConfig.STATE_CACHE_ENTITIES));
    }
}
