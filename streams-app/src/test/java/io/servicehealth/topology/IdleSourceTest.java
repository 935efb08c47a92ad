package io.servicehealth.topology;

import io.servicehealth.schema.EntityKind;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.schema.WindowSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.servicehealth.topology.Events.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Specifications of quiet source partitions: four source partitions (one per event topic), grace 10
 * minutes, Shanghai zone. A partition that delivers nothing for {@code source.idle.timeout.ms} (30 s of
 * wall clock by default) stops holding back the low watermark until it delivers again.
 */
class IdleSourceTest {
    private PipelineDriver pipeline = new PipelineDriver(PipelineDriver.testSettings(Map.of()), true);

    @AfterEach
    void close() {
        pipeline.close();
    }

    private void wallClockPasses(Duration d) {
        pipeline.driver.advanceWallClockTime(d);
    }

    private List<String> productHourFinals(List<ServiceHealth> finals) {
        return finals.stream().filter(h -> h.getKind() == EntityKind.PRODUCT && h.getWindowSize() == WindowSize.HOUR)
                .map(h -> h.getId() + "@" + h.getWindowStart() + "=" + h.getEvents()).sorted().toList();
    }

    @Test
    void shouldCloseWindowsOnceTheTopicsThatNeverSpokeHaveBeenQuietForTheTimeout() {
        // only complaints arrive: hotline, store and survey partitions never report
        pipeline.send(complaint("2026-04-10T02:00:00Z").setProductId("P1"));
        pipeline.send(complaint("2026-04-10T03:30:00Z").setProductId("P1"));

        wallClockPasses(Duration.ofSeconds(29));
        assertEquals(List.of(), pipeline.finalResults(), "29 s of quiet: three partitions have not reported, nothing closes");
        assertEquals(0.0, pipeline.metric(PipelineMetrics.IDLE_SOURCES));

        wallClockPasses(Duration.ofSeconds(1));
        // all four partitions idle: the low watermark is the highest progress, 03:30; the 02:00 hour
        // ends 03:00 + 10 min grace <= 03:30 and closes; the 03:00 hour needs 04:10
        assertEquals(List.of("P1@2026-04-10T02:00:00Z=1"), productHourFinals(pipeline.finalResults()));
        assertEquals(4.0, pipeline.metric(PipelineMetrics.IDLE_SOURCES), "each partition declared idle once");

        wallClockPasses(Duration.ofMinutes(5));
        assertEquals(List.of(), pipeline.finalResults(), "repeated idle declarations close nothing new");
        assertEquals(4.0, pipeline.metric(PipelineMetrics.IDLE_SOURCES), "and are not counted again");
    }

    @Test
    void shouldHoldWindowsBackForAPartitionAgainOnceItDelivers() {
        pipeline.send(complaint("2026-04-10T02:00:00Z").setProductId("P1"));
        pipeline.send(complaint("2026-04-10T03:30:00Z").setProductId("P1"));
        wallClockPasses(Duration.ofSeconds(30));
        pipeline.finalResults(); // the 02:00 hour, as above

        pipeline.send(survey("2026-04-10T03:40:00Z", 8).setProductId("P2")); // surveys speak again
        pipeline.send(complaint("2026-04-10T04:20:00Z").setProductId("P1"));
        // active: complaints at 04:20 and surveys at 03:40; low = 03:40 < 03:00 hour's end + grace (04:10)
        assertEquals(List.of(), productHourFinals(pipeline.finalResults()));

        wallClockPasses(Duration.ofSeconds(30));
        // both quiet again: low = 04:20, so the 03:00 hour closes: P1's 03:30 complaint, P2's survey
        assertEquals(List.of("P1@2026-04-10T03:00:00Z=1", "P2@2026-04-10T03:00:00Z=1"), productHourFinals(pipeline.finalResults()));
        assertEquals(6.0, pipeline.metric(PipelineMetrics.IDLE_SOURCES), "four, then complaints and surveys once more");
    }

    @Test
    void shouldCountAnEventFromAWokenPartitionThatMissedItsClosedHourInItsDayAndAsLateAfterClose() {
        pipeline.send(complaint("2026-04-10T02:00:00Z").setProductId("P1"));
        pipeline.send(complaint("2026-04-10T03:30:00Z").setProductId("P1"));
        wallClockPasses(Duration.ofSeconds(30)); // low 03:30: the 02:00 hour is final with one event
        pipeline.finalResults();

        // the hotline partition had never reported, so 02:30 is not late at its source; its hour has closed
        pipeline.send(call("2026-04-10T02:30:00Z").setProductId("P1"));
        assertEquals(1.0, pipeline.metric(PipelineMetrics.LATE_AFTER_CLOSE));

        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");
        List<ServiceHealth> finals = pipeline.finalResults();
        ServiceHealth day = pipeline.finalResult(finals, EntityKind.PRODUCT, "P1", WindowSize.DAY);
        assertEquals(3, day.getEvents(), "the 10 April day (Shanghai) was open: both complaints and the call");
        assertEquals(1, day.getHotline().getCalls());
        assertFalse(productHourFinals(finals).stream().anyMatch(s -> s.startsWith("P1@2026-04-10T02:00")), "the 02:00 hour is not emitted twice");
    }

    @Test
    void shouldWaitForEveryPartitionWhenTheIdleTimeoutIsOff() {
        pipeline.close();
        pipeline = new PipelineDriver(PipelineDriver.testSettings(Map.of("source.idle.timeout.ms", "0")), true);
        pipeline.send(complaint("2026-04-10T02:00:00Z").setProductId("P1"));
        pipeline.send(complaint("2026-04-10T03:30:00Z").setProductId("P1"));

        wallClockPasses(Duration.ofHours(1));
        assertEquals(List.of(), pipeline.finalResults());
        assertEquals(0.0, pipeline.metric(PipelineMetrics.IDLE_SOURCES));

        pipeline.advanceAllSourcesTo("2026-04-10T03:30:00Z");
        assertEquals(List.of("P1@2026-04-10T02:00:00Z=1"), productHourFinals(pipeline.finalResults()));
    }
}
