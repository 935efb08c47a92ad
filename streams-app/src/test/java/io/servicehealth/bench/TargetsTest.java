package io.servicehealth.bench;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's verdict on each target, and for a missed one what bounds it, from the invocation's own figures. */
class TargetsTest {
    private static Map<String, Object> cpu(double pipelineCores, double pipelineMicros) {
        return Map.of("pipelineCores", pipelineCores, "brokerCores", 0.5, "machineBusyCores", 1.9, "stealCores", 0.0,
                "pipelineCpuMicrosPerEvent", pipelineMicros, "brokerCpuMicrosPerEvent", 50.0);
    }

    private static Map<String, Object> peers() {
        Map<String, Object> peers = new LinkedHashMap<>();
        peers.put("Kafka Streams, exactly_once_v2", 20_000.0);
        peers.put("Kafka Streams, at_least_once", 10_000.0);
        peers.put("Flink, checkpoints 1 s, exactly-once", 8_000.0);
        peers.put("Flink, no checkpoints", 12_000.0);
        peers.put("table", List.of("peer benchmark ..."));
        return peers;
    }

    private static Map<String, Object> report() {
        Map<String, Object> r = new HashMap<>();
        r.put("machine", Map.of("cores", 2));
        r.put("peers", peers());
        r.put("drain", Map.of(
                "exactly_once_v2", Map.of("median", 10_000.0, "finalResultsPerEvent", 3.0, "liveUpdatesPerEvent", 3.5,
                        "internalRecordsPerEvent", Map.of("entity-contribution-batches-repartition", 0.01, "entity-windows-changelog", 1.75),
                        "entityUpdatesPerEvent", 3.25,
                        "cpu", List.of(cpu(1.4, 140), cpu(1.6, 160), cpu(1.5, 150))),
                "at_least_once", Map.of("median", 12_000.0)));
        return r;
    }

    @Test
    void aDrainBelowOnePeerMissesAndSaysWhereItsCpuWentAndWhatEachEventCost() {
        String md = Targets.markdown(report());

        // 10,000 / 20,000 = 0.50 and 10,000 / 8,000 = 1.25: one peer is faster, so the target is missed
        assertTrue(md.contains("| backlog drain, exactly-once v2 (shipped default) ≥ 1.0 × each peer's exactly-once rate | median 10000 events/s: "
                + "0.50 × Kafka Streams, exactly_once_v2 (20000), 1.25 × Flink, checkpoints 1 s, exactly-once (8000) | **missed** |"), md);
        // medians of the three runs: 1.5 cores, 150 µs; 0.01 + 1.75 = 1.76 internal records
        assertTrue(md.contains("* exactly_once_v2: the machine was busy 1.90 of 2 cores (0.00 stolen by the hypervisor); the pipeline process used "
                + "1.50 cores, 150 µs of CPU per event, the broker 0.50 cores, 50 µs per event (medians of the runs). Each event caused 3.00 final "
                + "results and 3.50 live updates (scored records) and 1.76 internal records (repartition and changelogs)."), md);
    }

    private static Map<String, Object> withCollector(Map<String, Object> cpu, double seconds, double allocated, double promoted, double pauseSeconds, double pauses) {
        Map<String, Object> m = new LinkedHashMap<>(cpu);
        m.put("seconds", seconds);
        m.put("allocatedBytesPerEvent", allocated);
        m.put("promotedBytesPerEvent", promoted);
        m.put("gcPauseSeconds", pauseSeconds);
        m.put("gcPauses", pauses);
        return m;
    }

    @Test
    void aDrainSaysWhatTheCollectorDidPerEventAsMediansOfTheRuns() {
        Map<String, Object> r = report();
        r.put("drain", Map.of("exactly_once_v2", Map.of("median", 10_000.0, "cpu", List.of(
                withCollector(cpu(1.4, 140), 150, 40_960, 300, 10.0, 300),
                withCollector(cpu(1.6, 160), 170, 61_440, 500, 14.0, 420),
                withCollector(cpu(1.5, 150), 160, 51_200, 400, 12.5, 350)))));

        String md = Targets.markdown(r);

        // medians: 51,200 bytes = 50.0 KiB; 400 bytes promoted; 12.5 s of 160 s; 350 pauses
        assertTrue(md.contains("The collector (medians of the runs): 50.0 KiB allocated and 400 bytes promoted to the old generation per event; "
                + "collections stopped the process for 12.5 s of the 160 s (350 pauses)."), md);
    }

    @Test
    void aDrainFromAProcessWithoutTheCollectorsMetricsSaysNothingAboutIt() {
        assertFalse(Targets.markdown(report()).contains("The collector"));
    }

    @Test
    void aMissedDrainWeighsTheJobsOwnHotPathsAgainstThePipelinesCpuPerEvent() {
        Map<String, Object> r = report();
        r.put("jmh", Map.of("results", List.of(jmh("eventDeserialize", 300), jmh("contributionRoundTrip", 100), jmh("aggregateUpdate", 100),
                jmh("entityStateDeserialize", 800), jmh("entityStateSerialize", 1_000), jmh("scoreWindow", 400), jmh("outputSerialize", 600))));

        String md = Targets.markdown(r);

        // 300 + 3.25 x (100 + 100 + 800) + 1.75 x 1,000 + (3.0 + 3.5) x (400 + 600) = 11,800 ns of the 150 us median: 7.9 %
        assertTrue(md.contains(" The job's own hot paths, timed by this invocation's JMH and counted per event from this drain (an event read; "
                + "3.25 contributions, each shuffled, applied and at worst read back; 1.75 entity writes; 6.50 scored records, each scored and "
                + "encoded), come to 11.8 µs at JMH's warm-cache speed, of the pipeline's 150 µs per event (8 %)"), md);
    }

    @Test
    void withoutEveryHotPathsBenchmarkNoJobBoundIsGuessed() {
        Map<String, Object> r = report();
        r.put("jmh", Map.of("results", List.of(jmh("aggregateUpdate", 100))));

        assertFalse(Targets.markdown(r).contains("hot paths"));
    }

    private static Map<String, Object> jmh(String benchmark, double nanos) {
        return Map.of("benchmark", benchmark, "nanosPerOp", nanos, "errorNanos", 1.0, "target", MicroBenchmarks.targetOf(benchmark).name(), "per", "");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMissedDrainSaysWhichThreadsTheFirstRunsCpuWentTo() {
        Map<String, Object> r = report();
        Map<String, Object> firstRun = new HashMap<>(cpu(1.4, 140));
        firstRun.put("threads", List.of(
                Map.of("threads", "stream threads", "cores", 1.07, "waitingCores", 0.57),
                Map.of("threads", "JIT compilers", "cores", 0.15, "waitingCores", 0.0)));
        Map<String, Object> drain = new HashMap<>((Map<String, Object>) ((Map<String, Object>) r.get("drain")).get("exactly_once_v2"));
        drain.put("cpu", List.of(firstRun, cpu(1.6, 160), cpu(1.5, 150)));
        r.put("drain", Map.of("exactly_once_v2", drain, "at_least_once", Map.of("median", 12_000.0)));

        String md = Targets.markdown(r);

        assertTrue(md.contains("(medians of the runs). The pipeline's CPU by thread (first run): stream threads 1.07 cores (waiting for a CPU 0.57), "
                + "JIT compilers 0.15 cores. Each event caused"), md);
    }

    private static Map<String, Object> profile(double... shares) {
        Map<String, Object> byActivity = new LinkedHashMap<>();
        String[] labels = {"aggregation", "Kafka Streams", "RocksDB", "catalog"};
        for (int i = 0; i < shares.length; i++) {
            byActivity.put(labels[i], shares[i]);
        }
        return Map.of("streamThreadSharePercent", byActivity);
    }

    @Test
    void aMissedDrainQuotesTheProfilesLargestActivitiesAndCallsASpreadProfileSpread() {
        Map<String, Object> r = report();
        r.put("profile", profile(18.2, 15.0, 9.5, 7.25));

        String md = Targets.markdown(r);

        assertTrue(md.contains("The profiled drain's stream threads: aggregation 18.2 %, Kafka Streams 15.0 %, RocksDB 9.5 % (the largest of 4 "
                + "activities); none above 25 %, so no one part of the job holds the drain back."), md);
    }

    @Test
    void aProfileWithOneLargeActivityPointsAtIt() {
        Map<String, Object> r = report();
        r.put("profile", profile(41.0, 20.0));

        String md = Targets.markdown(r);

        assertTrue(md.contains("The profiled drain's stream threads: aggregation 41.0 %, Kafka Streams 20.0 % (the largest of 2 activities): "
                + "the first place to look."), md);
    }

    @Test
    void aDrainAtLeastAsFastAsEveryPeerOfItsGuaranteeMeetsIt() {
        String md = Targets.markdown(report());

        // 12,000 / 10,000 = 1.20 and 12,000 / 12,000 = 1.00
        assertTrue(md.contains("median 12000 events/s: 1.20 × Kafka Streams, at_least_once (10000), 1.00 × Flink, no checkpoints (12000) | met |"), md);
        assertFalse(md.contains("* at_least_once"), md);
    }

    @Test
    void stagesThatDidNotRunAreNamedNotJudged() {
        Map<String, Object> r = new HashMap<>();
        r.put("drain", Map.of("exactly_once_v2", Map.of("median", 10_000.0)));

        String md = Targets.markdown(r);

        assertTrue(md.contains("| median 10000 events/s; the peers did not run | not measured here |"), md);
        assertTrue(md.contains("| this guarantee was not drained | not measured here |"), md);
        assertTrue(md.contains("| the latency stage did not run | not measured here |"), md);
        assertTrue(md.contains("| the scale stage did not run | not measured here |"), md);
        assertTrue(md.contains("| the restore stage did not run | not measured here |"), md);
        assertFalse(md.contains("What bounds"), md);
    }

    @Test
    void aLatencyUnderOneSecondWhosePerMinuteP99ClimbsIsStillMissed() {
        Map<String, Object> r = new HashMap<>();
        List<Map<String, Object>> minutes = List.of(
                minute(400, 1_200), minute(410, 1_250), minute(390, 1_300), minute(600, 1_300), minute(620, 1_310), minute(640, 1_320));
        r.put("latency", Map.of("p99Ms", 650L, "rate", 2_500.0, "perMinute", minutes));

        String md = Targets.markdown(r);

        // first half 390/400/410 -> 400, second half 600/620/640 -> 620 > 1.25 x 400 = 500: growing
        assertTrue(md.contains("| p99 650 ms at 2500 events/s; per-minute p99 390–640 ms, median of the first half 400, of the second 620; "
                + "RSS 1200 → 1320 MiB, +1.5 % over the second half; growing: p99 | **missed** |"), md);
    }

    @Test
    void aSteadyLatencyUnderOneSecondMeetsIt() {
        Map<String, Object> r = new HashMap<>();
        r.put("latency", Map.of("p99Ms", 395L, "rate", 2_639.0, "perMinute", List.of(minute(383, 1_275), minute(412, 1_390), minute(395, 1_396))));

        String md = Targets.markdown(r);

        // first half [383] -> 383, second half 412/395 -> 412 (upper middle) <= 478.75
        assertTrue(md.contains("| p99 395 ms at 2639 events/s; per-minute p99 383–412 ms, median of the first half 383, of the second 412; "
                + "RSS 1275 → 1396 MiB, +0.4 % over the second half | met |"), md);
    }

    @Test
    void aPacedRateNamedOnTheCommandLineIsSaidInTheVerdict() {
        Map<String, Object> r = new HashMap<>();
        r.put("latency", Map.of("p99Ms", 407L, "rate", 500.0, "rateSource", "set with --latency-rate", "perMinute", List.of()));

        String md = Targets.markdown(r);

        assertTrue(md.contains("| p99 407 ms at 500 events/s (set with --latency-rate, not 25 % of a drain) |"), md);
    }

    @Test
    void aLatencyWhoseResidentMemoryStillClimbsInTheSecondHalfIsMissed() {
        Map<String, Object> r = new HashMap<>();
        r.put("latency", Map.of("p99Ms", 420L, "rate", 3_000.0, "perMinute",
                List.of(minute(410, 1_200), minute(420, 1_250), minute(415, 1_300), minute(418, 1_400))));

        String md = Targets.markdown(r);

        // second half starts at 1,300 MiB and ends at 1,400: +7.7 % > 5 %, although p99 is flat
        assertTrue(md.contains("| p99 420 ms at 3000 events/s; per-minute p99 410–420 ms, median of the first half 420, of the second 418; "
                + "RSS 1200 → 1400 MiB, +7.7 % over the second half; growing: resident memory | **missed** |"), md);
    }

    @Test
    void cardinalityBelowHalfIsMissedAndBoundByTheOutputPerEvent() {
        Map<String, Object> r = new HashMap<>();
        r.put("scale", List.of(
                scaleRow(10_012, 20_000, 0.7, 1.3, 1_400, 60.0),     // 2.0 output records per event, 40,000 per second
                scaleRow(1_000_012, 6_000, 3.6, 4.2, 1_500, 290.0))); // 7.8 per event, 46,800 per second

        String md = Targets.markdown(r);

        // 6,000 / 20,000 = 0.30
        assertTrue(md.contains("| 10,012 → 1,000,012 entities: 20000 → 6000 events/s = 0.30 × | **missed** |"), md);
        assertTrue(md.contains("| cardinality: resident memory < 2 GiB at every size | peak RSS 1500 MiB | met |"), md);
        // 60 µs / 2.0 records = 30 µs per record at 10k; 290 / 7.8 = 37 at 1M
        assertTrue(md.contains("* cardinality: scored records per event grew 2.00 → 7.80 (3.9 ×): one final result per entity and closed window, "
                + "and at a million entities most events open windows of their own; the pipeline's CPU per event 60 → 290 µs, per scored record "
                + "30 → 37 µs."), md);
    }

    @Test
    void theCardinalityBoundSaysWhereTheLargestRowsCpuWent() {
        Map<String, Object> first = scaleRow(10_012, 20_000, 0.7, 1.3, 1_400, 60.0);
        Map<String, Object> last = new HashMap<>(scaleRow(1_000_012, 4_000, 3.6, 4.2, 1_500, 360.0));
        last.put("cpu", Map.of("pipelineCpuMicrosPerEvent", 360.0, "threads", List.of(
                Map.of("threads", "stream threads", "cores", 0.81, "waitingCores", 0.30),
                Map.of("threads", "RocksDB flushes and compactions", "cores", 0.58, "waitingCores", 0.51))));

        String bound = Targets.cardinalityBound(first, last);

        assertTrue(bound.endsWith("per scored record 30 → 46 µs. At 1,000,012 entities, by thread: stream threads 0.81 cores (waiting for a CPU 0.30), "
                + "RocksDB flushes and compactions 0.58 cores (waiting for a CPU 0.51)."), bound);
    }

    @Test
    void restorationIsJudgedPerMillionKeysAtTheMeasuredRate() {
        Map<String, Object> r = new HashMap<>();
        r.put("restore", Map.of("entityKeys", 800_000L, "seconds", 24.0));

        String md = Targets.markdown(r);

        // 24 s x 1,000,000 / 800,000 = 30.0 s, an overestimate (start-up included) and still under a minute
        assertTrue(md.contains("| 800,000 keys in 24.0 s (30.0 s per million at that rate, start-up included) | met |"), md);
    }

    @Test
    void aCardinalityRangeShortOfAMillionEntitiesIsNotJudged() {
        Map<String, Object> r = new HashMap<>();
        r.put("scale", List.of(scaleRow(10_000, 7_000, 2.0, 1.8, 1_300, 200.0), scaleRow(100_000, 6_500, 3.7, 3.4, 1_350, 220.0)));

        String md = Targets.markdown(r);

        assertTrue(md.contains("| 10,000 → 100,000 entities: 7000 → 6500 events/s = 0.93 ×; the target's range reaches 1M entities | not measured here |"), md);
        assertFalse(md.contains("* cardinality"), md);
    }

    @Test
    void aSmallRestoreWhoseStartUpDominatesProvesNothingEitherWay() {
        Map<String, Object> r = new HashMap<>();
        r.put("restore", Map.of("entityKeys", 90_000L, "seconds", 9.0));

        String md = Targets.markdown(r);

        // 9 s x 1,000,000 / 90,000 = 100.0 s, most of it process start and group join
        assertTrue(md.contains("| 90,000 keys in 9.0 s; scaled to a million keys with the start-up included, 100.0 s, which proves nothing | not measured here |"), md);
    }

    @Test
    void aMillionKeysRestoredInAMinuteOrMoreMissIt() {
        Map<String, Object> r = new HashMap<>();
        r.put("restore", Map.of("entityKeys", 1_200_000L, "seconds", 61.0));

        assertTrue(Targets.markdown(r).contains("| 1,200,000 keys in 61.0 s | **missed** |"));
    }

    private static Map<String, Object> minute(long p99, long rssMiB) {
        return Map.of("p99Ms", p99, "rssBytes", rssMiB << 20);
    }

    private static Map<String, Object> scaleRow(long entities, double rate, double finals, double live, long rssMiB, double cpuMicros) {
        return Map.of("entities", entities, "rate", rate, "finalResultsPerEvent", finals, "liveUpdatesPerEvent", live,
                "peakRssBytes", rssMiB << 20, "cpu", Map.of("pipelineCpuMicrosPerEvent", cpuMicros));
    }
}
