package io.servicehealth.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;

/**
 * The JVM's own figures on {@code /metrics}: memory by area and the garbage collector's pauses,
 * allocation and promotion. The pauses matter to operators because the collector stops the stream
 * threads (a full collection of the parallel collector is the largest single delay in the latency
 * benchmark); allocation and promotion per event are what the benchmark compares between builds, as
 * they do not depend on how fast the machine happens to be.
 */
public final class JvmMetrics implements AutoCloseable {
    /** Prometheus names of the figures the benchmark reads (Micrometer's names, exported as counters and a summary). */
    public static final String ALLOCATED_BYTES = "jvm_gc_memory_allocated_bytes_total";
    public static final String PROMOTED_BYTES = "jvm_gc_memory_promoted_bytes_total";
    public static final String PAUSE_SECONDS = "jvm_gc_pause_seconds_sum";
    public static final String PAUSES = "jvm_gc_pause_seconds_count";

    private final JvmGcMetrics gc = new JvmGcMetrics();

    private JvmMetrics() {
    }

    /** Binds the JVM meters to {@code registry}; close to stop listening to the collector's notifications. */
    public static JvmMetrics bindTo(MeterRegistry registry) {
        JvmMetrics metrics = new JvmMetrics();
        new JvmMemoryMetrics().bindTo(registry);
        metrics.gc.bindTo(registry);
        return metrics;
    }

    @Override
    public void close() {
        gc.close();
    }
}
