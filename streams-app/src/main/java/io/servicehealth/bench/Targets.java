package io.servicehealth.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.servicehealth.bench.BenchReport.figure;
import static io.servicehealth.bench.BenchReport.num;

/**
 * The report's verdict: each target the benchmark exists for, what this invocation measured against it,
 * met or missed, and for a missed one what bounds it, from figures of the same invocation (CPU of the
 * pipeline, the broker and the machine; output and internal records per event). A stage that did not
 * run is named, not guessed.
 */
final class Targets {
    static final String MET = "met";
    static final String MISSED = "**missed**";
    static final String NOT_MEASURED = "not measured here";
    /** A profile whose largest activity is below this share of the stream threads' samples is called spread out. */
    static final double SPREAD_PERCENT = 25;

    private Targets() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> r) {
        Map<String, Object> drain = (Map<String, Object>) r.getOrDefault("drain", Map.of());
        Map<String, Object> peers = (Map<String, Object>) r.get("peers");
        List<String> bounds = new ArrayList<>();
        StringBuilder md = new StringBuilder("\n## Targets in this invocation\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (String mode : List.of("exactly_once_v2", "at_least_once")) {
            Map<String, Object> d = (Map<String, Object>) drain.get(mode);
            String target = mode.equals("exactly_once_v2")
                    ? "backlog drain, exactly-once v2 (shipped default) ≥ 1.0 × each peer's exactly-once rate"
                    : "backlog drain, at-least-once ≥ 1.0 × each peer without transactions or checkpoints";
            if (d == null) {
                row(md, target, "this guarantee was not drained", NOT_MEASURED);
                continue;
            }
            List<String> ratios = new ArrayList<>();
            boolean allMet = true;
            if (peers != null) {
                for (Map.Entry<String, Object> p : peers.entrySet()) {
                    if (p.getValue() instanceof Number rate && p.getKey().contains("exactly") == mode.equals("exactly_once_v2")) {
                        double ratio = num(d.get("median")) / rate.doubleValue();
                        ratios.add(String.format("%.2f × %s (%.0f)", ratio, p.getKey(), rate.doubleValue()));
                        allMet &= ratio >= 1.0;
                    }
                }
            }
            String measured = String.format("median %.0f events/s", num(d.get("median")));
            if (ratios.isEmpty()) {
                row(md, target, measured + "; the peers did not run", NOT_MEASURED);
                continue;
            }
            row(md, target, measured + ": " + String.join(", ", ratios), allMet ? MET : MISSED);
            if (!allMet) {
                bounds.add(drainBound(mode, d, r));
            }
        }
        latency(md, (Map<String, Object>) r.get("latency"));
        cardinality(md, (List<Map<String, Object>>) r.get("scale"), bounds);
        restore(md, (Map<String, Object>) r.get("restore"));
        microBenchmarks(md, (Map<String, Object>) r.get("jmh"));
        if (!bounds.isEmpty()) {
            md.append("\nWhat bounds the missed targets (figures of this invocation):\n\n");
            bounds.forEach(b -> md.append("* ").append(b).append('\n'));
        }
        return md.toString();
    }

    /** A drain below the peers: where its CPU went and how many records each event cost. */
    @SuppressWarnings("unchecked")
    static String drainBound(String mode, Map<String, Object> d, Map<String, Object> r) {
        StringBuilder b = new StringBuilder(mode + ": ");
        List<Map<String, Object>> cpu = (List<Map<String, Object>>) d.get("cpu");
        if (cpu != null && !cpu.isEmpty()) {
            b.append(String.format("the machine was busy %s of %s cores (%s stolen by the hypervisor); the pipeline process used %s cores, "
                            + "%s µs of CPU per event, the broker %s cores, %s µs per event (medians of the runs). ",
                    figure(median(cpu, "machineBusyCores"), "%.2f"), BenchReport.cores(r), figure(median(cpu, "stealCores"), "%.2f"),
                    figure(median(cpu, "pipelineCores"), "%.2f"), figure(median(cpu, "pipelineCpuMicrosPerEvent"), "%.0f"),
                    figure(median(cpu, "brokerCores"), "%.2f"), figure(median(cpu, "brokerCpuMicrosPerEvent"), "%.0f")));
            List<Map<String, Object>> threads = (List<Map<String, Object>>) cpu.get(0).get("threads");
            if (threads != null && !threads.isEmpty()) {
                b.append("The pipeline's CPU by thread (first run): ").append(ThreadCpu.summary(threads)).append(". ");
            }
            double allocated = median(cpu, "allocatedBytesPerEvent");
            if (!Double.isNaN(allocated)) {
                b.append(String.format("The collector (medians of the runs): %.1f KiB allocated and %.0f bytes promoted to the old generation per event; "
                                + "collections stopped the process for %.1f s of the %.0f s (%.0f pauses). ",
                        allocated / 1024, median(cpu, "promotedBytesPerEvent"), median(cpu, "gcPauseSeconds"), median(cpu, "seconds"),
                        median(cpu, "gcPauses")));
            }
        }
        double finals = num(d.get("finalResultsPerEvent"));
        double live = num(d.get("liveUpdatesPerEvent"));
        if (!Double.isNaN(finals) && !Double.isNaN(live)) {
            b.append(String.format("Each event caused %.2f final results and %.2f live updates (scored records)", finals, live));
            Map<String, Object> internal = (Map<String, Object>) d.get("internalRecordsPerEvent");
            if (internal != null) {
                double sum = internal.values().stream().mapToDouble(v -> num(v)).sum();
                b.append(String.format(" and %.2f internal records (repartition and changelogs)", sum));
            }
            b.append('.');
            jobBound(b, d, cpu, r, finals + live);
        }
        Map<String, Object> profile = (Map<String, Object>) r.get("profile");
        Map<String, Object> shares = profile == null ? null : (Map<String, Object>) profile.get("streamThreadSharePercent");
        if (shares != null && mode.equals("exactly_once_v2") && !shares.isEmpty()) {
            // shares are written largest first
            List<String> top = shares.entrySet().stream().limit(3).map(e -> String.format("%s %.1f %%", e.getKey(), num(e.getValue()))).toList();
            double largest = num(shares.values().iterator().next());
            b.append(String.format(" The profiled drain's stream threads: %s (the largest of %d activities)%s.", String.join(", ", top), shares.size(),
                    largest < SPREAD_PERCENT ? String.format("; none above %.0f %%, so no one part of the job holds the drain back", SPREAD_PERCENT)
                            : ": the first place to look"));
        }
        return b.toString().trim();
    }

    /** The job's own hot paths (JMH of this invocation × this drain's counts) against the pipeline's CPU per event. */
    @SuppressWarnings("unchecked")
    private static void jobBound(StringBuilder b, Map<String, Object> d, List<Map<String, Object>> cpu, Map<String, Object> r, double scored) {
        Map<String, Object> jmh = (Map<String, Object>) r.get("jmh");
        List<Map<String, Object>> results = jmh == null ? null : (List<Map<String, Object>>) jmh.get("results");
        Map<String, Object> internal = (Map<String, Object>) d.get("internalRecordsPerEvent");
        if (results == null || internal == null || cpu == null || cpu.isEmpty()) {
            return;
        }
        // reports before the shuffle was batched counted contributions as repartition records
        double contributions = d.containsKey("entityUpdatesPerEvent") ? num(d.get("entityUpdatesPerEvent"))
                : num(internal.get("entity-contributions-repartition"));
        double writes = num(internal.get("entity-windows-changelog"));
        double job = MicroBenchmarks.jobMicrosPerEvent(results, contributions, writes, scored);
        double pipeline = median(cpu, "pipelineCpuMicrosPerEvent");
        if (Double.isNaN(job) || Double.isNaN(pipeline)) {
            return;
        }
        b.append(String.format(" The job's own hot paths, timed by this invocation's JMH and counted per event from this drain (an event read; "
                        + "%.2f contributions, each shuffled, applied and at worst read back; %.2f entity writes; %.2f scored records, each scored "
                        + "and encoded), come to %.1f µs at JMH's warm-cache speed, of the pipeline's %.0f µs per event (%.0f %%): the rest is Kafka's work "
                        + "per record (the internal and output records above, and the input read), collections and cache misses.",
                contributions, writes, scored, job, pipeline, 100 * job / pipeline));
    }

    /** A per-minute latency figure counts as growing when the median of the run's second half exceeds the first half's by this factor. */
    static final double LATENCY_GROWTH = 1.25;
    /** Resident memory counts as growing when it rises by more than this share over the run's second half (a bounded cache fills early). */
    static final double RSS_GROWTH = 0.05;

    private static void latency(StringBuilder md, Map<String, Object> latency) {
        String target = "end-to-end latency at 25 % of the drain rate: p99 < 1 s, no figure growing over the run";
        if (latency == null) {
            row(md, target, "the latency stage did not run", NOT_MEASURED);
            return;
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> minutes = ((List<Map<String, Object>>) latency.getOrDefault("perMinute", List.of())).stream()
                .filter(m -> m.get("p99Ms") != null).toList();
        double p99 = num(latency.get("p99Ms"));
        StringBuilder measured = new StringBuilder(String.format("p99 %.0f ms at %.0f events/s", p99, num(latency.get("rate"))));
        Object rateSource = latency.get("rateSource");
        if (rateSource != null && !BenchPlan.DRAIN_SHARE_RATE.equals(rateSource)) {
            measured.append(" (").append(rateSource).append(", not 25 % of a drain)");
        }
        List<String> growing = new ArrayList<>();
        if (minutes.size() >= 2) {
            int half = minutes.size() / 2;
            List<Double> p99s = minutes.stream().map(m -> num(m.get("p99Ms"))).toList();
            double firstHalf = medianOf(p99s.subList(0, half));
            double secondHalf = medianOf(p99s.subList(half, p99s.size()));
            measured.append(String.format("; per-minute p99 %.0f–%.0f ms, median of the first half %.0f, of the second %.0f",
                    p99s.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    p99s.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), firstHalf, secondHalf));
            for (String figure : List.of("p50Ms", "p99Ms", "maxMs")) {
                List<Double> values = minutes.stream().map(m -> num(m.get(figure))).filter(v -> !Double.isNaN(v)).toList();
                if (values.size() == minutes.size() && medianOf(values.subList(half, values.size())) > LATENCY_GROWTH * medianOf(values.subList(0, half))) {
                    growing.add(figure.replace("Ms", ""));
                }
            }
            long rssFirst = ((Number) minutes.get(0).get("rssBytes")).longValue() >> 20;
            long rssHalf = ((Number) minutes.get(half).get("rssBytes")).longValue() >> 20;
            long rssLast = ((Number) minutes.get(minutes.size() - 1).get("rssBytes")).longValue() >> 20;
            measured.append(String.format("; RSS %d → %d MiB, %+.1f %% over the second half", rssFirst, rssLast, 100.0 * (rssLast - rssHalf) / rssHalf));
            if (rssLast > (1 + RSS_GROWTH) * rssHalf) {
                growing.add("resident memory");
            }
        }
        if (!growing.isEmpty()) {
            measured.append("; growing: ").append(String.join(", ", growing));
        }
        row(md, target, measured.toString(), p99 < 1000 && growing.isEmpty() ? MET : MISSED);
    }

    @SuppressWarnings("unchecked")
    private static void cardinality(StringBuilder md, List<Map<String, Object>> scale, List<String> bounds) {
        String target = "cardinality 10k → 1M entities: drain throughput drops by less than half";
        String memory = "cardinality: resident memory < 2 GiB at every size";
        if (scale == null || scale.size() < 2) {
            row(md, target, "the scale stage did not run", NOT_MEASURED);
            row(md, memory, "the scale stage did not run", NOT_MEASURED);
            return;
        }
        Map<String, Object> first = scale.get(0);
        Map<String, Object> last = scale.get(scale.size() - 1);
        double ratio = num(last.get("rate")) / num(first.get("rate"));
        long largest = ((Number) last.get("entities")).longValue();
        String measured = String.format("%,d → %,d entities: %.0f → %.0f events/s = %.2f ×", ((Number) first.get("entities")).longValue(),
                largest, num(first.get("rate")), num(last.get("rate")), ratio);
        if (largest < 1_000_000) {
            // the drop grows with cardinality: a smaller range says nothing about the target's
            row(md, target, measured + "; the target's range reaches 1M entities", NOT_MEASURED);
            ratio = Double.NaN;
        } else {
            row(md, target, measured, ratio >= 0.5 ? MET : MISSED);
        }
        long peak = scale.stream().mapToLong(s -> ((Number) s.get("peakRssBytes")).longValue()).max().orElse(0);
        row(md, memory, String.format("peak RSS %d MiB", peak >> 20), peak < (2L << 30) ? MET : MISSED);
        if (ratio < 0.5) { // false for NaN: no bound for a range that was not judged
            bounds.add(cardinalityBound(first, last));
        }
    }

    /**
     * Two causes, separated by the figures: more scored records per event (the contract: a final result
     * per entity and closed window) and more CPU per record (state and catalog read back, compactions),
     * with the largest row's CPU by thread to say where the second went.
     */
    @SuppressWarnings("unchecked")
    static String cardinalityBound(Map<String, Object> first, Map<String, Object> last) {
        double outFirst = num(first.get("finalResultsPerEvent")) + num(first.get("liveUpdatesPerEvent"));
        double outLast = num(last.get("finalResultsPerEvent")) + num(last.get("liveUpdatesPerEvent"));
        StringBuilder b = new StringBuilder(String.format("cardinality: scored records per event grew %.2f → %.2f (%.1f ×): one final result "
                + "per entity and closed window, and at a million entities most events open windows of their own", outFirst, outLast, outLast / outFirst));
        Map<String, Object> cpuFirst = (Map<String, Object>) first.getOrDefault("cpu", Map.of());
        Map<String, Object> cpuLast = (Map<String, Object>) last.getOrDefault("cpu", Map.of());
        double microsFirst = num(cpuFirst.get("pipelineCpuMicrosPerEvent"));
        double microsLast = num(cpuLast.get("pipelineCpuMicrosPerEvent"));
        if (!Double.isNaN(microsFirst) && !Double.isNaN(microsLast)) {
            b.append(String.format("; the pipeline's CPU per event %.0f → %.0f µs, per scored record %.0f → %.0f µs", microsFirst, microsLast,
                    microsFirst / outFirst, microsLast / outLast));
        }
        List<Map<String, Object>> threads = (List<Map<String, Object>>) cpuLast.get("threads");
        if (threads != null && !threads.isEmpty()) {
            b.append(String.format(". At %,d entities, by thread: %s", ((Number) last.get("entities")).longValue(), ThreadCpu.summary(threads)));
        }
        return b.append('.').toString();
    }

    private static void restore(StringBuilder md, Map<String, Object> restore) {
        String target = "restoration: 1M keys of state in < 60 s after the local state is wiped";
        if (restore == null) {
            row(md, target, "the restore stage did not run", NOT_MEASURED);
            return;
        }
        long keys = ((Number) restore.get("entityKeys")).longValue();
        double seconds = num(restore.get("seconds"));
        // the time includes the process start and the group join, so scaling it to a million keys
        // overstates a small state's restore: a projection under the limit passes, one over it proves nothing
        double perMillion = seconds * 1_000_000.0 / keys;
        if (keys >= 1_000_000) {
            row(md, target, String.format("%,d keys in %.1f s", keys, seconds), seconds < 60 ? MET : MISSED);
        } else if (perMillion < 60) {
            row(md, target, String.format("%,d keys in %.1f s (%.1f s per million at that rate, start-up included)", keys, seconds, perMillion), MET);
        } else {
            row(md, target, String.format("%,d keys in %.1f s; scaled to a million keys with the start-up included, %.1f s, which proves nothing",
                    keys, seconds, perMillion), NOT_MEASURED);
        }
    }

    /** Each serde benchmark and the aggregate update against the limit, every one named with its time; scoring has no limit of its own. */
    @SuppressWarnings("unchecked")
    static void microBenchmarks(StringBuilder md, Map<String, Object> jmh) {
        String target = "JMH: serde and the per-event aggregate update each < 2 µs";
        List<Map<String, Object>> results = jmh == null ? null : (List<Map<String, Object>>) jmh.get("results");
        if (results == null || results.isEmpty()) {
            row(md, target, jmh == null ? "the jmh stage did not run (`bench/jmh.sh` runs it alone)" : String.valueOf(jmh.get("notRun")), NOT_MEASURED);
            return;
        }
        List<String> measured = new ArrayList<>();
        boolean met = true;
        boolean sawUpdate = false;
        boolean sawSerde = false;
        for (Map<String, Object> row : results) {
            String kind = String.valueOf(row.get("target"));
            if (kind.equals(MicroBenchmarks.Target.NONE.name())) {
                continue;
            }
            double nanos = num(row.get("nanosPerOp"));
            sawUpdate |= kind.equals(MicroBenchmarks.Target.AGGREGATE_UPDATE.name());
            sawSerde |= kind.equals(MicroBenchmarks.Target.SERDE.name());
            met &= nanos < MicroBenchmarks.TARGET_NANOS;
            measured.add(String.format("%s %.2f µs", row.get("benchmark"), nanos / 1000));
        }
        if (!sawUpdate || !sawSerde) {
            row(md, target, "JMH ran without " + (sawUpdate ? "a serde benchmark" : "the aggregate update") + ": " + String.join(", ", measured), NOT_MEASURED);
            return;
        }
        row(md, target, String.join(", ", measured), met ? MET : MISSED);
    }

    private static void row(StringBuilder md, String target, String measured, String verdict) {
        md.append("| ").append(target).append(" | ").append(measured).append(" | ").append(verdict).append(" |\n");
    }

    private static double median(List<Map<String, Object>> runs, String key) {
        return medianOf(runs.stream().map(m -> num(m.get(key))).filter(v -> !Double.isNaN(v)).toList());
    }

    /** The middle value, the upper one of an even count: the drain's median of runs and every median the verdict quotes. */
    static double medianOf(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        return sorted.get(sorted.size() / 2);
    }
}
