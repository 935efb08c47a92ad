package io.servicehealth.bench;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
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
    void shouldSayThereIsNoConsumerBaselineInsteadOfPrintingNaN() {
        String md = BenchReport.markdown(reportWithRestore());

        assertTrue(md.contains("125000 offsets/s (no raw consumer baseline: the baselines stage did not run); peak RSS 1500 MiB."), md);
        assertFalse(md.contains("NaN × the raw consumer"), md);
    }
}
