package io.servicehealth.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jmh stage: JMH's result file read into the report, and the verdict on the 2 µs targets. */
class MicroBenchmarksTest {
    /** Shaped as JMH 1.37 writes it (-rf json), trimmed to the fields the stage reads. */
    private static String jmhJson(double updateNs, double stateReadUs) {
        return """
                [
                  {"benchmark": "io.servicehealth.microbench.HotPathBenchmarks.aggregateUpdate", "mode": "avgt",
                   "primaryMetric": {"score": %s, "scoreError": 6.5, "scoreUnit": "ns/op"}},
                  {"benchmark": "io.servicehealth.microbench.HotPathBenchmarks.entityStateDeserialize", "mode": "avgt",
                   "primaryMetric": {"score": %s, "scoreError": "NaN", "scoreUnit": "us/op"}},
                  {"benchmark": "io.servicehealth.microbench.HotPathBenchmarks.scoreWindow", "mode": "avgt",
                   "primaryMetric": {"score": 2500.0, "scoreError": 10.0, "scoreUnit": "ns/op"}}
                ]
                """.formatted(updateNs, stateReadUs);
    }

    private static String targetsRow(String jmhJson) throws Exception {
        String md = Targets.markdown(Map.of("jmh", Map.of("results", MicroBenchmarks.parse(jmhJson))));
        return md.lines().filter(l -> l.startsWith("| JMH")).findFirst().orElseThrow();
    }

    @Test
    void readsEachBenchmarkInNanosecondsWithTheTargetItAnswersTo() throws Exception {
        List<Map<String, Object>> rows = MicroBenchmarks.parse(jmhJson(94.5, 1.25));

        assertEquals(3, rows.size());
        assertEquals("aggregateUpdate", rows.get(0).get("benchmark"));
        assertEquals(94.5, (double) rows.get(0).get("nanosPerOp"), 1e-9);
        assertEquals("AGGREGATE_UPDATE", rows.get(0).get("target"));
        assertEquals(1250.0, (double) rows.get(1).get("nanosPerOp"), 1e-9); // 1.25 us/op
        assertTrue(Double.isNaN((double) rows.get(1).get("errorNanos")));
        assertEquals("SERDE", rows.get(1).get("target"));
        assertEquals("NONE", rows.get(2).get("target"));
    }

    @Test
    void everySerdePathAndTheUpdateUnderTwoMicrosecondsMeetTheTargetScoringIsNotJudged() throws Exception {
        // scoring at 2.5 us is over the limit but has no target of its own: it does not decide the verdict
        assertEquals("| JMH: serde and the per-event aggregate update each < 2 µs | aggregateUpdate 0.09 µs, entityStateDeserialize 1.25 µs | met |",
                targetsRow(jmhJson(94.5, 1.25)));
    }

    @Test
    void oneSerdePathOverTwoMicrosecondsMissesTheTarget() throws Exception {
        assertEquals("| JMH: serde and the per-event aggregate update each < 2 µs | aggregateUpdate 0.09 µs, entityStateDeserialize 2.10 µs | **missed** |",
                targetsRow(jmhJson(94.5, 2.1)));
    }

    @Test
    void aStageThatDidNotRunIsNotJudged() {
        String md = Targets.markdown(Map.of("jmh", Map.of("notRun", "microbench/target not found")));

        assertTrue(md.contains("| JMH: serde and the per-event aggregate update each < 2 µs | microbench/target not found | not measured here |"), md);
    }

    @Test
    void theReportListsEveryBenchmarkWithWhatOneOperationIs() throws Exception {
        StringBuilder md = new StringBuilder();
        BenchReport.microBenchmarks(md, Map.of("settings", "JMH 1 fork", "results", MicroBenchmarks.parse(jmhJson(94.5, 1.25))));

        assertTrue(md.toString().contains("| aggregateUpdate | 0.095 | 0.007 | an entity's four window sizes updated: once per entity an event updates |"), md.toString());
        assertTrue(md.toString().contains("| entityStateDeserialize | 1.250 | — |"), md.toString());
    }
}
