package io.servicehealth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JMH micro-benchmarks of the hot paths (module {@code microbench}, built by {@code mvn install}) as a
 * stage of the invocation: run in JVMs of their own before the broker starts, on a quiet machine, so that
 * the report judges the 2 µs targets with figures of the same machine and hour as the rest
 * ({@code bench/jmh.sh} runs the same benchmarks alone).
 */
final class MicroBenchmarks {
    /** The limit for the serde paths and the per-event aggregate update. */
    static final double TARGET_NANOS = 2_000;

    /** Which target a benchmark answers to; scoring has none of its own and is reported for context. */
    enum Target {AGGREGATE_UPDATE, SERDE, NONE}

    /** What each benchmark measures one operation of, in the pipeline's terms (how often it happens). */
    private static final Map<String, String> PER = Map.of(
            "eventDeserialize", "an input event read (wire format, Avro): once per event",
            "contributionRoundTrip", "the repartition hop, a contribution and its entity key added to a batch and read back: once per entity an event updates (~3)",
            "aggregateUpdate", "an entity's four window sizes updated: once per entity an event updates",
            "entityStateSerialize", "an entity written after an event changed it (update included): per changed entity and commit or eviction",
            "entityStateSerializeUnchanged", "an entity written with no window changed: windows copied from their last encoding",
            "entityStateDeserialize", "an entity read back from RocksDB after eviction from the write-back cache, every window decoded (at most: a window is decoded when first used)",
            "outputSerialize", "a health record in Confluent's wire format: once per scored record",
            "scoreWindow", "KPIs, dimension scores, score and grade of a window: once per scored record");

    private MicroBenchmarks() {
    }

    static Target targetOf(String benchmark) {
        if (benchmark.equals("aggregateUpdate")) {
            return Target.AGGREGATE_UPDATE;
        }
        String lower = benchmark.toLowerCase();
        return lower.contains("serialize") || lower.contains("roundtrip") ? Target.SERDE : Target.NONE;
    }

    static String perOf(String benchmark) {
        return PER.getOrDefault(benchmark, "");
    }

    /** {@code microbench/target}, found above the working directory as the broker's jars are; null when not built. */
    static Path findBuild() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve("microbench/target");
            if (Files.isRegularFile(target.resolve("classpath.txt")) && Files.isDirectory(target.resolve("classes"))) {
                return target;
            }
        }
        return null;
    }

    /**
     * Runs every benchmark with the settings of their annotations (one fork, 3 × 1 s warm-up, 5 × 1 s
     * measured) and returns the report's entry: {@code results} (name, ns per operation, error, target,
     * what one operation is), or {@code notRun} saying why.
     */
    static Map<String, Object> run(Path out) throws IOException, InterruptedException {
        Path build = findBuild();
        if (build == null) {
            return Map.of("notRun", "microbench/target not found: `mvn -B -DskipTests install` builds it");
        }
        String classpath = build.resolve("classes") + java.io.File.pathSeparator + Files.readString(build.resolve("classpath.txt")).trim();
        Path json = out.resolve("jmh.json");
        Path logFile = out.resolve("jmh.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "org.openjdk.jmh.Main", "-rf", "json", "-rff", json.toString(), "-foe", "true");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("JMH did not finish in 20 minutes, see " + logFile);
        }
        if (p.exitValue() != 0 || !Files.exists(json)) {
            throw new IOException("JMH failed (exit " + p.exitValue() + "), see " + logFile);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("results", parse(Files.readString(json)));
        entry.put("settings", "JMH 1 fork, 3 × 1 s warm-up, 5 × 1 s measured, average time per operation");
        return entry;
    }

    /**
     * An upper bound of the job's own work per event: each hot path's JMH time multiplied by how often a
     * drain did it per event (one event read; each contribution shuffled, applied and, at worst, its entity
     * read back; each entity write; each scored record scored and encoded). NaN when a benchmark is missing.
     */
    static double jobMicrosPerEvent(List<Map<String, Object>> results, double contributions, double entityWrites, double scoredRecords) {
        Map<String, Double> nanos = new LinkedHashMap<>();
        for (Map<String, Object> row : results) {
            nanos.put(String.valueOf(row.get("benchmark")), ((Number) row.get("nanosPerOp")).doubleValue());
        }
        for (String needed : List.of("eventDeserialize", "contributionRoundTrip", "aggregateUpdate", "entityStateDeserialize",
                "entityStateSerialize", "scoreWindow", "outputSerialize")) {
            if (!nanos.containsKey(needed)) {
                return Double.NaN;
            }
        }
        double total = nanos.get("eventDeserialize")
                + contributions * (nanos.get("contributionRoundTrip") + nanos.get("aggregateUpdate") + nanos.get("entityStateDeserialize"))
                + entityWrites * nanos.get("entityStateSerialize")
                + scoredRecords * (nanos.get("scoreWindow") + nanos.get("outputSerialize"));
        return total / 1000;
    }

    /** One line for the console: each benchmark's time per operation, or why the stage did not run. */
    @SuppressWarnings("unchecked")
    static String summary(Map<String, Object> entry) {
        if (entry.get("notRun") != null) {
            return "not run: " + entry.get("notRun");
        }
        return String.join(", ", ((List<Map<String, Object>>) entry.get("results")).stream()
                .map(r -> String.format("%s %.3f µs", r.get("benchmark"), ((Number) r.get("nanosPerOp")).doubleValue() / 1000)).toList());
    }

    /** JMH's JSON result file as the report's rows, in JMH's order. */
    static List<Map<String, Object>> parse(String jmhJson) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode b : new ObjectMapper().readTree(jmhJson)) {
            String full = b.path("benchmark").asText();
            String name = full.substring(full.lastIndexOf('.') + 1);
            JsonNode metric = b.path("primaryMetric");
            double scale = switch (metric.path("scoreUnit").asText()) {
                case "ns/op" -> 1;
                case "us/op" -> 1_000;
                case "ms/op" -> 1_000_000;
                default -> throw new IOException("unexpected JMH unit '" + metric.path("scoreUnit").asText() + "' of " + full
                        + " (the stage reads average time per operation)");
            };
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", name);
            row.put("nanosPerOp", metric.path("score").asDouble() * scale);
            row.put("errorNanos", metric.path("scoreError").asDouble() * scale);
            row.put("target", targetOf(name).name());
            row.put("per", perOf(name));
            rows.add(row);
        }
        return rows;
    }
}
