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
        md.append("Started ").append(r.get("started")).append(", finished ").append(r.get("finished")).append("\n\n");
        Map<String, Object> base = (Map<String, Object>) r.get("baselines");
        double producer = num(base.get("producerDefaults"));
        double batched = num(base.get("producerBatched"));
        double consumer = num(base.get("consumer"));
        md.append("| measurement | rec/s | ÷ producer (defaults) | ÷ producer (batched) | ÷ consumer |\n|---|---:|---:|---:|---:|\n");
        row(md, "raw producer, ProducerPerformance (150 B, lz4, client defaults)", producer, producer, batched, consumer);
        row(md, "raw producer, same + linger.ms=10, batch.size=131072", batched, producer, batched, consumer);
        row(md, "raw consumer, ConsumerPerformance", consumer, producer, batched, consumer);
        Map<String, Object> preload = (Map<String, Object>) r.get("preload");
        row(md, "pre-load of the workload (Avro, wire format, batched producer)", num(preload.get("rate")), producer, batched, consumer);
        Map<String, Object> drain = (Map<String, Object>) r.get("drain");
        for (Map.Entry<String, Object> e : drain.entrySet()) {
            Map<String, Object> d = (Map<String, Object>) e.getValue();
            row(md, "**service-health drain, " + e.getKey() + "** (median of " + ((List<?>) d.get("runs")).size() + ": "
                    + ((List<Number>) d.get("runs")).stream().map(x -> String.format("%.0f", x.doubleValue())).toList() + ")",
                    num(d.get("median")), producer, batched, consumer);
        }
        Map<String, Object> peers = (Map<String, Object>) r.get("peers");
        if (peers != null) {
            md.append("\n## Against the peers (run by ../shared/peers/run.sh in the same invocation, on its own broker)\n\n");
            md.append("| service-health mode | peer | peer rec/s | ratio |\n|---|---|---:|---:|\n");
            double eos = num(((Map<String, Object>) drain.get("exactly_once_v2")).get("median"));
            double alos = num(((Map<String, Object>) drain.get("at_least_once")).get("median"));
            for (Map.Entry<String, Object> e : peers.entrySet()) {
                if (e.getValue() instanceof Number rate) {
                    boolean exactlyOnce = e.getKey().contains("exactly");
                    double ours = exactlyOnce ? eos : alos;
                    md.append(String.format("| %s | %s | %.0f | **%.2f** |%n", exactlyOnce ? "exactly_once_v2" : "at_least_once", e.getKey(),
                            rate.doubleValue(), ours / rate.doubleValue()));
                }
            }
            md.append("\nPeers' own table:\n\n```\n");
            ((List<String>) peers.getOrDefault("table", List.of())).forEach(l -> md.append(l).append('\n'));
            md.append("```\n");
        }
        if (r.get("totals") != null) {
            md.append("\nTotals check (first exactly-once run): ").append(r.get("totals")).append("\n");
        }
        md.append("""

                How the drain is timed: from the start of the instance (shipped defaults; only processing.guarantee varies)
                until every input record has been read (accepted + late + dead-lettered = N, from the pipeline's own
                counters) and the aggregating side has gone idle (stream threads' process-total unchanged for 0.5 s,
                which is subtracted). The service does more per event than the peers: Avro in Confluent's wire format,
                product, campaign, parent campaign and region entities, four window sizes, scores and alert rules.
                """);
        return md.toString();
    }

    private static void row(StringBuilder md, String name, double rate, double producer, double batched, double consumer) {
        md.append(String.format("| %s | %.0f | %.3f | %.3f | %.3f |%n", name, rate, rate / producer, rate / batched, rate / consumer));
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
