package io.servicehealth.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** What an invocation refuses before it starts a broker, rather than minutes into the run. */
class BenchPlanTest {
    @TempDir
    Path dir;

    private static BenchPlan plan(Double latencyRate) {
        return new BenchPlan(1_000, 1, Set.of("latency"), List.of("exactly_once_v2"), Map.of(), Duration.ofMinutes(1), latencyRate,
                List.of(10_000), null, Path.of("unused"));
    }

    @Test
    void aPacedRateMustBePositive() {
        assertEquals(2_500.0, plan(2_500.0).latencyRate());
        assertNull(plan(null).latencyRate(), "unset: 25 % of the drain, or the fixed rate");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan(0.0));
        assertTrue(e.getMessage().startsWith("--latency-rate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plan(Double.NaN));
    }

    @Test
    void aUsedReportDirectoryIsRefusedAtOnce() throws Exception {
        Benchmark.requireFresh(dir.resolve("new")); // missing: fine, it is created
        Benchmark.requireFresh(dir); // empty: fine
        Files.createDirectories(dir.resolve("work").resolve("broker"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Benchmark.requireFresh(dir));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        Path file = Files.writeString(dir.resolve("report.md"), "x");
        assertThrows(IllegalArgumentException.class, () -> Benchmark.requireFresh(file));
    }
}
