package io.servicehealth.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one benchmark invocation measures.
 *
 * @param events     backlog size N of the drain (the peers run with the same N)
 * @param runs       pipeline drain runs per guarantee (the report quotes the median)
 * @param stages     stages to run, from {@link #ALL_STAGES}
 * @param guarantees processing guarantees drained, in order
 * @param overrides  configuration that differs from the shipped default (named in the report)
 * @param latencyRun length of the paced-load run
 * @param latencyRate events per second of the paced load, or null: 25 % of the exactly-once drain measured
 *                    in the same invocation, or {@link #FIXED_LATENCY_RATE} when none was
 * @param scaleEntities entity cardinalities of the scale stage (products + campaigns + regions, roughly)
 * @param peersScript ../shared/peers/run.sh, or null
 * @param out        report directory
 */
public record BenchPlan(long events, int runs, Set<String> stages, List<String> guarantees, Map<String, String> overrides,
                        Duration latencyRun, Double latencyRate, List<Integer> scaleEntities, Path peersScript, Path out) {
    public static final double FIXED_LATENCY_RATE = 1_000;
    /** How the report names the paced rate the latency target is defined at (any other rate is said in the verdict). */
    static final String DRAIN_SHARE_RATE = "25% of the exactly-once drain rate";
    public static final List<String> ALL_STAGES = List.of("jmh", "baselines", "drain", "profile", "latency", "scale", "restore", "peers");

    public BenchPlan {
        for (String s : stages) {
            if (!ALL_STAGES.contains(s)) {
                throw new IllegalArgumentException("unknown stage '" + s + "' (stages: " + String.join(",", ALL_STAGES) + ")");
            }
        }
        for (String g : guarantees) {
            if (!List.of("exactly_once_v2", "at_least_once").contains(g)) {
                throw new IllegalArgumentException("unknown guarantee '" + g + "' (exactly_once_v2, at_least_once)");
            }
        }
        if (latencyRate != null && !(latencyRate > 0)) {
            throw new IllegalArgumentException("--latency-rate must be a positive number of events per second, was " + latencyRate);
        }
        stages = Set.copyOf(stages);
        guarantees = List.copyOf(guarantees);
        overrides = Map.copyOf(overrides);
        scaleEntities = List.copyOf(scaleEntities);
    }

    boolean has(String stage) {
        return stages.contains(stage);
    }
}
