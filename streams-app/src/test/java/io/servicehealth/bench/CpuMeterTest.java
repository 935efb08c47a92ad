package io.servicehealth.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a drain's CPU went: the kernel's counters turned into cores. */
class CpuMeterTest {
    @Test
    void busyIsWhatRanStealIsWhatTheHypervisorTookAndIdleCountsOnlyInTheTotal() {
        // user 1000 + nice 50 + system 300 + irq 10 + softirq 20 = 1380 busy; + idle 5000 + iowait 100 + steal 30 = 6510
        CpuMeter.MachineTicks t = CpuMeter.parseProcStat("cpu  1000 50 300 5000 100 10 20 30 0 0");

        assertEquals(new CpuMeter.MachineTicks(1380, 30, 6510), t);
    }

    @Test
    void aLineThatIsNotTheAggregateOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CpuMeter.parseProcStat("cpu0 1 2 3 4 5 6 7 8"));
    }

    @Test
    void coresAreCpuTimeOverWallTimeAndANewProcessCountsFromZero() {
        CpuMeter.Sample before = new CpuMeter.Sample(0, null, Duration.ofSeconds(10), new CpuMeter.MachineTicks(1380, 30, 6510));
        // ten seconds later: the pipeline has used 15 s of CPU, the broker 5 s more, the machine 1500 of 2000 ticks busy, 10 stolen
        CpuMeter.Sample after = new CpuMeter.Sample(10_000_000_000L, Duration.ofSeconds(15), Duration.ofSeconds(15),
                new CpuMeter.MachineTicks(2880, 40, 8510));

        CpuMeter.Use use = CpuMeter.between(before, after, 2);

        assertEquals(10.0, use.seconds(), 1e-9);
        assertEquals(1.5, use.pipelineCores(), 1e-9);
        assertEquals(0.5, use.brokerCores(), 1e-9);
        assertEquals(1.5, use.machineBusyCores(), 1e-9);  // 2 cores x 1500 / 2000
        assertEquals(0.01, use.stealCores(), 1e-9);       // 2 cores x 10 / 2000
    }

    @Test
    void aProcessThatCouldNotBeReadIsUnknownNotZero() {
        CpuMeter.Sample before = new CpuMeter.Sample(0, null, null, CpuMeter.MachineTicks.NONE);
        CpuMeter.Sample after = new CpuMeter.Sample(1_000_000_000L, Duration.ofSeconds(1), null, CpuMeter.MachineTicks.NONE);

        CpuMeter.Use use = CpuMeter.between(before, after, 2);

        assertEquals(1.0, use.pipelineCores(), 1e-9);
        assertTrue(Double.isNaN(use.brokerCores()));
        assertTrue(Double.isNaN(use.machineBusyCores()));
    }

    @Test
    void aBrokerUnreadableAtTheStartIsUnknownNotItsWholeLifetime() {
        CpuMeter.Sample before = new CpuMeter.Sample(0, null, null, CpuMeter.MachineTicks.NONE);
        // 500 s of broker CPU since it started long ago: none of it can be told apart for this second
        CpuMeter.Sample after = new CpuMeter.Sample(1_000_000_000L, Duration.ofSeconds(1), Duration.ofSeconds(500), CpuMeter.MachineTicks.NONE);

        assertTrue(Double.isNaN(CpuMeter.between(before, after, 2).brokerCores()));
    }

    @Test
    void thisProcessIsMeasurable() {
        CpuMeter.Sample s = CpuMeter.sample(ProcessHandle.current().pid(), -1);

        assertTrue(s.pipeline() != null && !s.pipeline().isNegative(), "own CPU time: " + s.pipeline());
        assertEquals(null, s.broker());
    }
}
