package io.servicehealth.backtest;

import io.servicehealth.schema.AlertTransition;
import io.servicehealth.schema.EntityKind;
import io.servicehealth.schema.HealthAlert;
import io.servicehealth.schema.WindowSize;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backtest runs beside production under names of its own, and compares transitions as consumers identify them. */
class BacktestPlanTest {
    private static final Map<String, String> PRODUCTION = Map.of("kafka.bootstrap.servers", "b:9092", "kafka.application.id", "health-gd",
            "schema.registry.url", "mock://plan", "topic.alerts", "gd-alerts");

    @Test
    void shouldGiveTheBacktestItsOwnGroupAndOutputTopicsAndKeepTheInputs() {
        BacktestPlan plan = BacktestPlan.of(PRODUCTION, Map.of("alert.rule.complaint-rate-warning.threshold", "8"), "q3");
        Map<String, String> c = plan.config();
        assertEquals("health-gd-backtest-q3", c.get("kafka.application.id"));
        assertEquals("backtest-q3-gd-alerts", c.get("topic.alerts"));
        assertEquals("backtest-q3-health-results", c.get("topic.health.results"));
        assertEquals("backtest-q3-health-dlq", c.get("topic.dead.letter"));
        assertEquals(null, c.get("topic.complaints"), "inputs stay production's (the default)");
        assertEquals("8", c.get("alert.rule.complaint-rate-warning.threshold"));
        assertEquals("0", c.get("http.port"), "beside a production instance on the same host");
        assertEquals("gd-alerts", plan.referenceAlerts());
        assertEquals(Set.of(), plan.healthConfig().liveUpdateSizes(), "a replay has no use for the wall-clock output");
    }

    @Test
    void shouldPublishLiveUpdatesOnlyWhenAnOverrideAsksForThem() {
        BacktestPlan plan = BacktestPlan.of(PRODUCTION, Map.of("health.update.window.sizes", "HOUR"), "live");
        assertEquals(Set.of(WindowSize.HOUR), plan.healthConfig().liveUpdateSizes());
    }

    @Test
    void shouldRefuseNamesThatCannotNameTopicsAndOverridesThatArePoductions() {
        assertThrows(BacktestPlan.Refused.class, () -> BacktestPlan.of(PRODUCTION, Map.of(), "a b"));
        assertThrows(BacktestPlan.Refused.class, () -> BacktestPlan.of(PRODUCTION, Map.of(), ""));
        BacktestPlan.Refused group = assertThrows(BacktestPlan.Refused.class,
                () -> BacktestPlan.of(PRODUCTION, Map.of("kafka.application.id", "health-gd"), "x"));
        assertTrue(group.getMessage().contains("health-gd"), group.getMessage());
        BacktestPlan.Refused topic = assertThrows(BacktestPlan.Refused.class,
                () -> BacktestPlan.of(PRODUCTION, Map.of("topic.alerts", "gd-alerts"), "x"));
        assertTrue(topic.getMessage().contains("topic.alerts"), topic.getMessage());
    }

    @Test
    void shouldCompareTransitionsByEpisodeAndTransition() {
        HealthAlert c1Warn = alert("C1", "CAMPAIGN:C1:DAY:2026-03-31T16:00:00Z", AlertTransition.WARNING_OPENED);
        HealthAlert c1Delist = alert("C1", "CAMPAIGN:C1:DAY:2026-03-31T16:00:00Z", AlertTransition.DELIST_RECOMMENDED);
        HealthAlert c2Warn = alert("C2", "CAMPAIGN:C2:DAY:2026-04-01T16:00:00Z", AlertTransition.WARNING_OPENED);

        AlertComparison c = AlertComparison.of(List.of(c1Warn, c1Delist), List.of(c1Warn, c2Warn));

        assertEquals(Map.of("WARNING_OPENED CAMPAIGN", 1L, "DELIST_RECOMMENDED CAMPAIGN", 1L), c.candidateCounts());
        assertEquals(Map.of("WARNING_OPENED CAMPAIGN", 2L), c.referenceCounts());
        assertEquals(1, c.inBoth());
        assertEquals(List.of("CAMPAIGN:C1:DAY:2026-03-31T16:00:00Z DELIST_RECOMMENDED"), c.onlyInCandidate());
        assertEquals(List.of("CAMPAIGN:C2:DAY:2026-04-01T16:00:00Z WARNING_OPENED"), c.onlyInReference());
    }

    /** Only what a comparison reads: the rest of an alert does not identify it. */
    private static HealthAlert alert(String id, String episode, AlertTransition transition) {
        HealthAlert alert = new HealthAlert();
        alert.setEpisodeId(episode);
        alert.setTransition(transition);
        alert.setKind(EntityKind.CAMPAIGN);
        alert.setId(id);
        return alert;
    }
}
