package io.servicehealth.bench;

import java.util.List;
import java.util.Map;

/** The benchmark report as Markdown: every figure, and each rate as a ratio to the baselines of the same run. */
final class BenchReport {
    private BenchReport() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> r) {
        StringBuilder md = new StringBuilder("# Benchmark report\n\n");
        md.append("Machine: ").append(r.get("machine")).append("  \n");
        md.append("Events: ").append(String.format("%,d", ((Number) r.get("events")).longValue()))
                .append(" over 4 topics, 10,000 products, 100,000 campaigns (a tenth sub-activities), 12 regions, 7 days of event time  \n");
        md.append("Pipeline: its own process, JVM options `").append(r.get("pipelineJvm")).append("`; configuration: ").append(r.get("overrides")).append("  \n");
        md.append("Started ").append(r.get("started")).append(", finished ").append(r.get("finished")).append("\n\n");
        Map<String, Object> base = (Map<String, Object>) r.getOrDefault("baselines", Map.of());
        double producer = num(base.get("producerDefaults"));
        double batched = num(base.get("producerBatched"));
        double consumer = num(base.get("consumer"));
        Map<String, Object> drain = (Map<String, Object>) r.getOrDefault("drain", Map.of());
        if (r.get("baselines") != null || r.get("preload") != null || !drain.isEmpty()) {
            md.append("## Throughput\n\n| measurement | rec/s | ÷ producer (defaults) | ÷ producer (batched) | ÷ consumer |\n|---|---:|---:|---:|---:|\n");
        }
        row(md, "raw producer, ProducerPerformance (150 B, lz4, client defaults)", producer, producer, batched, consumer);
        row(md, "raw producer, same + linger.ms=10, batch.size=131072", batched, producer, batched, consumer);
        row(md, "raw consumer, ConsumerPerformance", consumer, producer, batched, consumer);
        Map<String, Object> preload = (Map<String, Object>) r.get("preload");
        if (preload != null) {
            row(md, "pre-load of the workload (Avro, wire format, batched producer)", num(preload.get("rate")), producer, batched, consumer);
        }
        for (Map.Entry<String, Object> e : drain.entrySet()) {
            Map<String, Object> d = (Map<String, Object>) e.getValue();
            row(md, "**service-health drain, " + e.getKey() + "** (median of " + ((List<?>) d.get("runs")).size() + ": "
                    + ((List<Number>) d.get("runs")).stream().map(x -> String.format("%.0f", x.doubleValue())).toList() + "; peak RSS "
                    + ((List<Number>) d.get("peakRssBytes")).stream().map(x -> (x.longValue() >> 20) + " MiB").toList() + ")",
                    num(d.get("median")), producer, batched, consumer);
        }
        for (Map.Entry<String, Object> e : drain.entrySet()) {
            Object internal = ((Map<String, Object>) e.getValue()).get("internalRecordsPerEvent");
            if (internal != null) {
                md.append("\nInternal records per event, ").append(e.getKey()).append(" (first run; offsets, transaction markers included): ")
                        .append(internal).append('\n');
            }
            List<Map<String, Object>> cpu = (List<Map<String, Object>>) ((Map<String, Object>) e.getValue()).get("cpu");
            if (cpu != null && !cpu.isEmpty()) {
                md.append("\nCPU, ").append(e.getKey()).append(" (each run, from the pipeline's launch until drained): pipeline ")
                        .append(joined(cpu, "pipelineCores", "%.2f")).append(" cores (").append(joined(cpu, "pipelineCpuMicrosPerEvent", "%.0f"))
                        .append(" µs per event), broker ").append(joined(cpu, "brokerCores", "%.2f")).append(" cores (")
                        .append(joined(cpu, "brokerCpuMicrosPerEvent", "%.0f")).append(" µs per event); the machine busy ")
                        .append(joined(cpu, "machineBusyCores", "%.2f")).append(" of ").append(cores(r)).append(" cores, stolen by the hypervisor ")
                        .append(joined(cpu, "stealCores", "%.2f"))
                        .append('\n');
                if (cpu.get(0).containsKey("allocatedBytesPerEvent")) {
                    // machine-independent: what a build costs the collector, where drains of one build differ by ±15 %
                    md.append("\nCollector, ").append(e.getKey()).append(" (each run, the pipeline's /metrics at the end): allocated ")
                            .append(joined(cpu, "allocatedBytesPerEvent", "%.0f")).append(" and promoted to the old generation ")
                            .append(joined(cpu, "promotedBytesPerEvent", "%.0f")).append(" bytes per event; collections stopped the process ")
                            .append(joined(cpu, "gcPauseSeconds", "%.1f")).append(" s (").append(joined(cpu, "gcPauses", "%.0f")).append(" pauses)\n");
                }
                threadTable(md, e.getKey(), (List<Map<String, Object>>) cpu.get(0).get("threads"));
            }
        }
        Map<String, Object> peers = (Map<String, Object>) r.get("peers");
        if (peers != null && !drain.isEmpty()) {
            md.append("\n## Against the peers (../shared/peers/run.sh in the same invocation, on its own broker)\n\n");
            md.append("| service-health mode | peer | peer rec/s | ratio |\n|---|---|---:|---:|\n");
            for (Map.Entry<String, Object> e : peers.entrySet()) {
                if (e.getValue() instanceof Number rate) {
                    String mode = e.getKey().contains("exactly") ? "exactly_once_v2" : "at_least_once";
                    Map<String, Object> d = (Map<String, Object>) drain.get(mode);
                    if (d != null) {
                        md.append(String.format("| %s | %s | %.0f | **%.2f** |%n", mode, e.getKey(), rate.doubleValue(), num(d.get("median")) / rate.doubleValue()));
                    }
                }
            }
            md.append("\nPeers' own table:\n\n```\n");
            ((List<String>) peers.getOrDefault("table", List.of())).forEach(l -> md.append(l).append('\n'));
            md.append("```\n");
        }
        if (r.get("totals") != null) {
            md.append("\nTotals check (last drain run): ").append(r.get("totals")).append("\n");
        }
        profile(md, (Map<String, Object>) r.get("profile"));
        microBenchmarks(md, (Map<String, Object>) r.get("jmh"));
        Map<String, Object> latency = (Map<String, Object>) r.get("latency");
        if (latency != null) {
            md.append(String.format("%n## End-to-end latency (paced %.0f events/s%s for %s s, %s, read_committed)%n%n",
                    num(latency.get("rate")), latency.get("rateSource") == null ? "" : ", " + latency.get("rateSource"), latency.get("seconds"),
                    commitInterval(r.get("overrides"))));
            md.append(String.format("Sent %s events after a %s s warm-up; %s matched to the live product-hour update that first included them: "
                            + "**p50 %s ms, p99 %s ms, max %s ms**. Warm-up (JIT, first commits, not in the figures): %s.%n%n",
                    latency.get("sent"), latency.get("warmupSeconds"), latency.get("matched"),
                    latency.get("p50Ms"), latency.get("p99Ms"), latency.get("maxMs"), latency.get("warmup")));
            md.append("| minute | events matched | p50 ms | p99 ms | max ms | pipeline RSS MiB |\n|---:|---:|---:|---:|---:|---:|\n");
            for (Map<String, Object> m : (List<Map<String, Object>>) latency.get("perMinute")) {
                md.append(String.format("| %s | %s | %s | %s | %s | %d |%n", m.get("minute"), m.get("count"), m.getOrDefault("p50Ms", "-"),
                        m.getOrDefault("p99Ms", "-"), m.getOrDefault("maxMs", "-"), ((Number) m.get("rssBytes")).longValue() >> 20));
            }
        }
        List<Map<String, Object>> scale = (List<Map<String, Object>>) r.get("scale");
        if (scale != null && !scale.isEmpty()) {
            double first = num(scale.get(0).get("rate"));
            md.append("\n## Cardinality (exactly_once_v2 drain of the same N, more distinct entities)\n\n");
            md.append("| entities | products | campaigns | events/s | ÷ smallest | peak RSS MiB | final results per event | live updates per event "
                    + "| output records/s | pipeline CPU µs per event |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Map<String, Object> s : scale) {
                Map<String, Object> cpu = (Map<String, Object>) s.getOrDefault("cpu", Map.of());
                md.append(String.format("| %,d | %,d | %,d | %.0f | %.2f | %d | %.2f | %.2f | %.0f | %s |%n", ((Number) s.get("entities")).longValue(),
                        ((Number) s.get("products")).longValue(), ((Number) s.get("campaigns")).longValue(), num(s.get("rate")),
                        num(s.get("rate")) / first, ((Number) s.get("peakRssBytes")).longValue() >> 20,
                        num(s.getOrDefault("finalResultsPerEvent", Double.NaN)), num(s.getOrDefault("liveUpdatesPerEvent", Double.NaN)),
                        outputRecordsPerSecond(s), figure(cpu.get("pipelineCpuMicrosPerEvent"), "%.0f")));
            }
            md.append("\nFinal results per event count one record per entity and closed window: with more distinct entities\n"
                    + "an event more often opens windows of its own, so the output (and the work) per event grows.\n");
        }
        Map<String, Object> restore = (Map<String, Object>) r.get("restore");
        if (restore != null) {
            double rate = num(restore.get("recordsPerSecond"));
            String againstConsumer = Double.isNaN(consumer) ? "(no raw consumer baseline: the baselines stage did not run)"
                    : String.format("= %.3f × the raw consumer", rate / consumer);
            md.append(String.format("%n## Restoration (largest state, local state wiped)%n%n%,d changelog offsets (records and transaction markers; %,d live "
                            + "entity keys) restored in **%.1f s** from process start to RUNNING: %.0f offsets/s %s; peak RSS %d MiB.%n",
                    ((Number) restore.get("changelogRecords")).longValue(), ((Number) restore.get("entityKeys")).longValue(),
                    num(restore.get("seconds")), rate, againstConsumer, ((Number) restore.get("peakRssBytes")).longValue() >> 20));
        }
        md.append(Targets.markdown(r));
        if (drain.isEmpty() && r.get("scale") == null) {
            return md.toString();
        }
        md.append("""

                How the drain is timed: from launching the pipeline process (`service-health run`, shipped defaults
                unless named above; only processing.guarantee varies) until every input record has been read
                (accepted + late + dead-lettered = N, from its /metrics) and the aggregating side has caught up
                (no consumer lag on any input or repartition partition, and the stream threads' process-total
                unchanged for 1 s, which is subtracted). JVM start-up and the
                group's first rebalance are included. The service does more per event than the peers: Avro in
                Confluent's wire format, product, campaign, parent campaign and region entities, four window sizes,
                scores and alert rules.
                """);
        return md.toString();
    }

    /** The profiled drain: each activity's share of the stream threads' samples, the other threads, the collector's pauses. */
    @SuppressWarnings("unchecked")
    private static void profile(StringBuilder md, Map<String, Object> p) {
        if (p == null) {
            return;
        }
        md.append(String.format("%n## Where the stream threads' time goes (one more exactly-once drain, profiled; not in the medians)%n%n"
                + "Recorded with Java Flight Recorder (`-XX:+DebugNonSafepoints`; Java code sampled every 10 ms, native code every 20 ms, of which "
                + "only RocksDB's counts: the rest is threads waiting on sockets); the drain ran at %.0f events/s "
                + "with the recorder on, the pipeline at %s µs of CPU per event.%n", num(p.get("rate")),
                figure(((Map<String, Object>) p.getOrDefault("cpu", Map.of())).get("pipelineCpuMicrosPerEvent"), "%.0f")));
        Map<String, Object> shares = (Map<String, Object>) p.get("streamThreadSharePercent");
        if (shares == null) {
            md.append("\nNo recording was written (the process did not exit normally): no profile.\n");
            return;
        }
        Map<String, Object> groups = (Map<String, Object>) p.getOrDefault("samplesByThreadGroup", Map.of());
        md.append(String.format("%nSamples: stream threads %s, the producers' I/O threads %s, other Java threads %s (the garbage collector's "
                        + "threads are not sampled: %s collections paused the process %.1f s of the %.1f s drain).%n%n",
                groups.getOrDefault("STREAM", 0), groups.getOrDefault("PRODUCER_IO", 0), groups.getOrDefault("OTHER", 0),
                p.get("gcCount"), num(p.get("gcPauseSeconds")), num(p.get("recordedSeconds"))));
        md.append("| activity (a sample counts for the narrowest of these on its stack) | share of the stream threads' time |\n|---|---:|\n");
        shares.forEach((label, share) -> md.append(String.format("| %s | %.1f %% |%n", label, num(share))));
        List<Map<String, Object>> threads = (List<Map<String, Object>>) ((Map<String, Object>) p.getOrDefault("cpu", Map.of())).get("threads");
        if (threads != null && !threads.isEmpty()) {
            // the recorder samples Java code: these shares are of the stream threads alone, and this says what they are of
            md.append("\nThe whole process in the same drain, by thread (the kernel's counters): ").append(ThreadCpu.summary(threads)).append(".\n");
        }
    }

    /** A throughput row; a baseline that was not measured (its stage did not run) is left out, not printed as NaN. */
    private static void row(StringBuilder md, String name, double rate, double producer, double batched, double consumer) {
        if (Double.isNaN(rate)) {
            return;
        }
        md.append(String.format("| %s | %.0f | %s | %s | %s |%n", name, rate, ratio(rate, producer), ratio(rate, batched), ratio(rate, consumer)));
    }

    private static String ratio(double rate, double baseline) {
        return Double.isNaN(baseline) ? "—" : String.format("%.3f", rate / baseline);
    }

    /** Output records per second of a drain: events/s times the final results and live updates each event caused. */
    static double outputRecordsPerSecond(Map<String, Object> drain) {
        return num(drain.get("rate")) * (num(drain.get("finalResultsPerEvent")) + num(drain.get("liveUpdatesPerEvent")));
    }

    /** The JMH stage: each hot path's time per operation and how often the pipeline does it. */
    @SuppressWarnings("unchecked")
    static void microBenchmarks(StringBuilder md, Map<String, Object> jmh) {
        if (jmh == null) {
            return;
        }
        md.append("\n## Micro-benchmarks of the hot paths (JMH, before the broker started)\n\n");
        if (jmh.get("notRun") != null) {
            md.append("Not run: ").append(jmh.get("notRun")).append('\n');
            return;
        }
        md.append(jmh.get("settings")).append(".\n\n| benchmark | µs per operation | ± (99.9 %) | one operation is |\n|---|---:|---:|---|\n");
        for (Map<String, Object> row : (List<Map<String, Object>>) jmh.get("results")) {
            md.append(String.format("| %s | %s | %s | %s |%n", row.get("benchmark"), figure(num(row.get("nanosPerOp")) / 1000, "%.3f"),
                    figure(num(row.get("errorNanos")) / 1000, "%.3f"), row.get("per")));
        }
    }

    /** The first run's pipeline CPU by thread group; nothing when it was not read (not Linux). */
    static void threadTable(StringBuilder md, String mode, List<Map<String, Object>> threads) {
        if (threads == null || threads.isEmpty()) {
            return;
        }
        md.append("\nPipeline CPU by thread, ").append(mode).append(" (first run, the kernel's per-thread counters; \"waiting\" is time runnable "
                + "but without a core):\n\n| threads | count | cores | µs per event | share of the process | waiting for a CPU, cores |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> t : threads) {
            md.append(String.format("| %s | %s | %s | %s | %s %% | %s |%n", t.get("threads"), t.get("count") == null ? "" : t.get("count"),
                    figure(t.get("cores"), "%.2f"), figure(t.get("microsPerEvent"), "%.0f"), figure(t.get("sharePercent"), "%.1f"),
                    figure(t.get("waitingCores"), "%.2f")));
        }
    }

    /** The machine's core count as the report recorded it. */
    @SuppressWarnings("unchecked")
    static String cores(Map<String, Object> r) {
        Object cores = ((Map<String, Object>) r.getOrDefault("machine", Map.of())).get("cores");
        return cores == null ? "its" : cores.toString();
    }

    /** One figure of every run, "a / b / c". */
    private static String joined(List<Map<String, Object>> runs, String key, String format) {
        return String.join(" / ", runs.stream().map(m -> figure(m.get(key), format)).toList());
    }

    static String figure(Object value, String format) {
        double v = num(value);
        return Double.isNaN(v) ? "—" : String.format(format, v);
    }

    static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    /** The latency run's commit interval: the shipped one, unless {@code --set} gave another (which the figures then depend on). */
    private static String commitInterval(Object overrides) {
        Object set = overrides instanceof Map<?, ?> map ? map.get("kafka.commit.interval.ms") : null;
        return set == null ? "shipped commit interval" : "commit interval " + set + " ms (--set, not the shipped one)";
    }
}
