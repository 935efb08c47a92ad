package io.servicehealth.bench;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The restore line of the report: its ratio to the raw consumer, or why there is none. */
class BenchReportTest {
    private static Map<String, Object> reportWithRestore() {
        Map<String, Object> r = new HashMap<>();
        r.put("events", 2_000_000);
        // 4,000,000 offsets in 32 s = 125,000 offsets/s
        r.put("restore", Map.of("changelogRecords", 4_000_000L, "entityKeys", 1_000_000L, "seconds", 32.0,
                "recordsPerSecond", 125_000.0, "peakRssBytes", 1_500L << 20));
        return r;
    }

    @Test
    void shouldGiveTheRestoreRateAgainstTheRawConsumerOfTheSameInvocation() {
        Map<String, Object> r = reportWithRestore();
        r.put("baselines", Map.of("consumer", 500_000.0)); // 125,000 / 500,000 = 0.25

        String md = BenchReport.markdown(r);

        assertTrue(md.contains("1,000,000 live entity keys) restored in **32.0 s** from process start to RUNNING: 125000 offsets/s = 0.250 × the raw consumer; peak RSS 1500 MiB."), md);
    }

    @Test
    void shouldNameACommitIntervalSetForTheLatencyRunInsteadOfCallingItShipped() {
        Map<String, Object> r = new HashMap<>();
        r.put("events", 500_000);
        r.put("latency", Map.of("rate", 2_800.0, "seconds", 120, "sent", 336_000, "matched", 336_000, "warmupSeconds", 30,
                "p50Ms", 568, "p99Ms", 828, "maxMs", 1_075, "warmup", Map.of(),
                "perMinute", List.of(Map.of("minute", 1, "count", 168_000, "rssBytes", 1_300L << 20))));
        r.put("overrides", Map.of("kafka.commit.interval.ms", "300"));

        String md = BenchReport.markdown(r);

        assertTrue(md.contains("## End-to-end latency (paced 2800 events/s for 120 s, commit interval 300 ms (--set, not the shipped one), read_committed)"), md);

        r.put("overrides", "none: the shipped defaults");
        assertTrue(BenchReport.markdown(r).contains("## End-to-end latency (paced 2800 events/s for 120 s, shipped commit interval, read_committed)"));
    }

    @Test
    void shouldLeaveOutBaselinesThatWereNotMeasuredFromTheThroughputTable() {
        Map<String, Object> r = new HashMap<>();
        r.put("events", 500_000);
        r.put("drain", Map.of("exactly_once_v2", Map.of("runs", List.of(6_500.0), "peakRssBytes", List.of(1_400L << 20), "median", 6_500.0)));

        String md = BenchReport.markdown(r);

        assertTrue(md.contains("| **service-health drain, exactly_once_v2** (median of 1: [6500]; peak RSS [1400 MiB]) | 6500 | — | — | — |"), md);
        assertFalse(md.contains("raw producer, ProducerPerformance"), md);
        assertFalse(md.contains("NaN"), md);
    }

    @Test
    void shouldDivideTheDrainByEachBaselineOfTheSameInvocation() {
        Map<String, Object> r = new HashMap<>();
        r.put("events", 500_000);
        // 6,000 / 200,000 = 0.030, / 400,000 = 0.015, / 600,000 = 0.010
        r.put("baselines", Map.of("producerDefaults", 200_000.0, "producerBatched", 400_000.0, "consumer", 600_000.0));
        r.put("drain", Map.of("exactly_once_v2", Map.of("runs", List.of(6_000.0), "peakRssBytes", List.of(1_400L << 20), "median", 6_000.0)));

        String md = BenchReport.markdown(r);

        assertTrue(md.contains("| raw producer, ProducerPerformance (150 B, lz4, client defaults) | 200000 | 1.000 | 0.500 | 0.333 |"), md);
        assertTrue(md.contains("(median of 1: [6000]; peak RSS [1400 MiB]) | 6000 | 0.030 | 0.015 | 0.010 |"), md);
    }

    @Test
    void shouldTabulateTheFirstRunsCpuByThreadWithTheTimeItsThreadsWaitedForACore() {
        Map<String, Object> r = new HashMap<>();
        r.put("events", 500_000);
        Map<String, Object> stream = Map.of("threads", "stream threads", "count", 2, "cores", 1.074, "waitingCores", 0.571,
                "microsPerEvent", 91.8, "sharePercent", 67.04);
        Map<String, Object> ended = new HashMap<>(Map.of("threads", "threads that ended before the reading", "cores", 0.012,
                "microsPerEvent", 1.0, "sharePercent", 0.8));
        ended.put("count", null);
        ended.put("waitingCores", null);
        r.put("drain", Map.of("exactly_once_v2", Map.of("runs", List.of(6_500.0), "peakRssBytes", List.of(1_400L << 20), "median", 6_500.0,
                "cpu", List.of(Map.of("pipelineCores", 1.6, "threads", List.of(stream, ended))))));

        String md = BenchReport.markdown(r);

        assertTrue(md.contains("| stream threads | 2 | 1.07 | 92 | 67.0 % | 0.57 |\n"
                + "| threads that ended before the reading |  | 0.01 | 1 | 0.8 % | — |\n"), md);
    }

    @Test
    void shouldGiveEachRunsAllocationPromotionAndPausesFromTheCollector() {
        Map<String, Object> r = new HashMap<>();
        r.put("events", 2_000_000);
        r.put("drain", Map.of("exactly_once_v2", Map.of("runs", List.of(11_000.0, 12_000.0), "peakRssBytes", List.of(1_600L << 20, 1_610L << 20),
                "median", 12_000.0, "cpu", List.of(
                        Map.of("pipelineCores", 1.6, "allocatedBytesPerEvent", 54_912.4, "promotedBytesPerEvent", 2_161.7, "gcPauseSeconds", 14.66, "gcPauses", 411.0),
                        Map.of("pipelineCores", 1.5, "allocatedBytesPerEvent", 50_001.0, "promotedBytesPerEvent", 1_999.5, "gcPauseSeconds", 13.04, "gcPauses", 398.0)))));

        String md = BenchReport.markdown(r);

        assertTrue(md.contains("Collector, exactly_once_v2 (each run, the pipeline's /metrics at the end): allocated 54912 / 50001 and promoted to the "
                + "old generation 2162 / 2000 bytes per event; collections stopped the process 14.7 / 13.0 s (411 / 398 pauses)\n"), md);
    }

    @Test
    void shouldSayThereIsNoConsumerBaselineInsteadOfPrintingNaN() {
        String md = BenchReport.markdown(reportWithRestore());

        assertTrue(md.contains("125000 offsets/s (no raw consumer baseline: the baselines stage did not run); peak RSS 1500 MiB."), md);
        assertFalse(md.contains("NaN × the raw consumer"), md);
    }

    @Test
    void shouldListTheProfiledDrainsActivitiesWithTheOtherThreadsAndTheCollectorsPauses() {
        Map<String, Object> r = new HashMap<>();
        r.put("events", 2_000_000);
        Map<String, Object> shares = new java.util.LinkedHashMap<>();
        shares.put("aggregation: apply, close, live updates, write-back cache", 16.1);
        shares.put("Kafka Streams: polling, forwarding, tasks, commits", 14.9);
        List<Map<String, Object>> threads = List.of(Map.of("threads", "stream threads", "cores", 1.1, "waitingCores", 0.6),
                Map.of("threads", "garbage collector", "cores", 0.12, "waitingCores", 0.0));
        r.put("profile", Map.of("rate", 9_000.0, "cpu", Map.of("pipelineCpuMicrosPerEvent", 161.4, "threads", threads),
                "samplesByThreadGroup", Map.of("STREAM", 1945L, "PRODUCER_IO", 254L, "OTHER", 120L),
                "streamThreadSharePercent", shares, "gcCount", 170L, "gcPauseSeconds", 3.9, "recordedSeconds", 221.5));

        String md = BenchReport.markdown(r);

        assertTrue(md.contains("the drain ran at 9000 events/s with the recorder on, the pipeline at 161 µs of CPU per event."), md);
        assertTrue(md.contains("Samples: stream threads 1945, the producers' I/O threads 254, other Java threads 120 (the garbage collector's "
                + "threads are not sampled: 170 collections paused the process 3.9 s of the 221.5 s drain)."), md);
        assertTrue(md.contains("| aggregation: apply, close, live updates, write-back cache | 16.1 % |\n| Kafka Streams: polling, forwarding, tasks, commits | 14.9 % |"), md);
        assertTrue(md.contains("The whole process in the same drain, by thread (the kernel's counters): stream threads 1.10 cores "
                + "(waiting for a CPU 0.60), garbage collector 0.12 cores."), md);
    }
}
