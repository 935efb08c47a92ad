package io.servicehealth.alert;

import io.servicehealth.aggregate.Contribution;
import io.servicehealth.aggregate.ContributionType;
import io.servicehealth.aggregate.HealthCounters;
import io.servicehealth.schema.*;
import io.servicehealth.score.HealthAssembler;
import io.servicehealth.score.ScoreModel;
import io.servicehealth.serde.RawAvroSerde;
import io.servicehealth.window.Window;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class AlertEngineTest {
    private static final long DAY = 24 * 3600_000L;
    private static final CatalogEntry CAMPAIGN = CatalogEntry.newBuilder().setKind(EntityKind.CAMPAIGN).setId("C")
            .setSubscriberBase(100_000L).setValidFrom(Instant.EPOCH).build();
    private static final List<AlertRule> RULES = AlertRules.parse(pairs(

            "alert.rules", "warn,delist",
            "alert.rule.warn.metric", "complaints.per.10k.30d", "alert.rule.warn.direction", "above",
            "alert.rule.warn.threshold", "6.68", "alert.rule.warn.recovery", "3.34", "alert.rule.warn.window", "DAY",
            "alert.rule.warn.confidence.z", "0", "alert.rule.warn.severity", "WARNING",
            "alert.rule.delist.metric", "complaints.per.10k.30d", "alert.rule.delist.direction", "above",
            "alert.rule.delist.threshold", "13.67", "alert.rule.delist.recovery", "3.34", "alert.rule.delist.window", "DAY",
            "alert.rule.delist.consecutive", "2", "alert.rule.delist.confidence.z", "0", "alert.rule.delist.severity", "DELIST"),
            Set.of(WindowSize.HOUR, WindowSize.DAY, WindowSize.WEEK, WindowSize.MONTH));

    private static Map<String, String> pairs(String... kv) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }

    private static WindowResult day(int index, int complaints) {
        Window window = new Window(WindowSize.DAY, index * DAY, (index + 1) * DAY);
        HealthCounters counters = new HealthCounters();
        for (int i = 0; i < complaints; i++) {
            counters.add(new Contribution(ContributionType.COMPLAINT, window.start(), 0, window.start(), 1, 1, 0, 0, null));
        }
        var health = new HealthAssembler(ScoreModel.defaults()).assemble("C|C", window, counters, window.start(), CAMPAIGN, true);
        return new WindowResult(window, counters, health);
    }

    private static final WindowLookup NONE = (size, time, by) -> { throw new AssertionError("no other window needed"); };

    @Test
    void shouldContinueTheSameEpisodeAfterItsStateIsStoredAndReadBackByANewEngine() {
        RawAvroSerde<EntityAlertState> serde = new RawAvroSerde<>(EntityAlertState.class);
        AlertEngine before = new AlertEngine(RULES);
        EntityAlertState state = AlertEngine.initialState(EntityKind.CAMPAIGN, "C");
        List<HealthAlert> opened = before.onWindowsClosed(state, CAMPAIGN, List.of(day(0, 3)), NONE);  // 9: warning
        List<HealthAlert> none = before.onWindowsClosed(state, CAMPAIGN, List.of(day(1, 5)), NONE);    // 15: delist streak 1
        assertEquals(1, opened.size());
        assertTrue(none.isEmpty());

        // restart: a new engine, the state as the changelog restores it
        EntityAlertState restored = serde.deserializer().deserialize("alert-state", serde.serializer().serialize("alert-state", state));
        List<HealthAlert> escalated = new AlertEngine(RULES).onWindowsClosed(restored, CAMPAIGN, List.of(day(2, 5)), NONE); // streak 2

        assertEquals(1, escalated.size());
        assertEquals(AlertTransition.DELIST_RECOMMENDED, escalated.get(0).getTransition());
        assertEquals(opened.get(0).getEpisodeId(), escalated.get(0).getEpisodeId());
        assertEquals("CAMPAIGN:C:DAY:1970-01-01T00:00:00Z", escalated.get(0).getEpisodeId());
        assertEquals(Instant.ofEpochMilli(DAY), escalated.get(0).getOpenedAt());
        assertEquals(3, escalated.get(0).getScoreTrend().size(), "the trend survives too");
    }

    @Test
    void givenAStateThatServedAnEpisodeExpectItsReuseToStartFromNothing() {
        AlertEngine engine = new AlertEngine(RULES);
        EntityAlertState used = AlertEngine.initialState(EntityKind.CAMPAIGN, "C");
        engine.onWindowsClosed(used, CAMPAIGN, List.of(day(0, 3)), NONE); // 9: warning opened, delist streak 0
        engine.onWindowsClosed(used, CAMPAIGN, List.of(day(1, 5)), NONE); // 15: delist streak 1
        assertEquals(AlertState.WARNING, used.getState());
        assertEquals(Map.of("warn", 2, "delist", 1), used.getBreachStreaks());

        EntityAlertState reused = AlertEngine.initialState(EntityKind.CAMPAIGN, "D", used);

        assertSame(used, reused);
        assertEquals(AlertEngine.initialState(EntityKind.CAMPAIGN, "D"), reused, "every field as a new state has it");
        List<HealthAlert> opened = engine.onWindowsClosed(reused, CAMPAIGN, List.of(day(2, 3)), NONE); // 9: a new warning, streaks from 1
        assertEquals(1, opened.size());
        assertEquals(AlertTransition.WARNING_OPENED, opened.get(0).getTransition());
        assertEquals("CAMPAIGN:D:DAY:1970-01-03T00:00:00Z", opened.get(0).getEpisodeId());
        assertEquals(List.of(opened.get(0).getScore()), opened.get(0).getScoreTrend(), "no trend carried over");
        assertEquals(Map.of("warn", 1), reused.getBreachStreaks());
    }

    @Test
    void shouldComputeTheWilsonIntervalByTheBook() {
        // p = 2/300, z = 1.96: centre 0.0130693, margin 0.0112159, denominator 1.0128053
        assertEquals(0.0018300, Wilson.lower(2, 300, 1.96), 2e-6);
        assertEquals(0.0239781, Wilson.upper(2, 300, 1.96), 2e-6); // (0.0130693 + 0.0112159) / 1.0128053
        assertEquals(0.0, Wilson.lower(0, 100, 1.96), 1e-12);
    }

    @Test
    void shouldNameTheBadKeyInARule() {
        Set<WindowSize> sizes = Set.of(WindowSize.HOUR, WindowSize.DAY);
        var e = assertThrows(IllegalArgumentException.class, () -> AlertRules.parse(Map.of("alert.rule.x.metric", "nope"), sizes));
        assertTrue(e.getMessage().contains("alert.rule.x.metric"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AlertRules.parse(Map.of("alert.rule.complaint-rate-warning.recovery", "9"), Set.of(WindowSize.values())));
        assertTrue(e.getMessage().contains("alert.rule.complaint-rate-warning.recovery"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AlertRules.parse(Map.of("alert.rule.health-score-delist.window", "WEEK"), sizes));
        assertTrue(e.getMessage().contains("window") && e.getMessage().contains("WEEK"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AlertRules.parse(Map.of("alert.rules", "ghost"), Set.of(WindowSize.values())));
        assertTrue(e.getMessage().contains("ghost"), e.getMessage());
        assertEquals(5, AlertRules.parse(Map.of(), Set.of(WindowSize.values())).size(), "the shipped defaults");
        assertTrue(AlertRules.parse(Map.of("alert.rules", "none"), Set.of(WindowSize.values())).isEmpty());
        assertEquals(List.of("complaint-rate-warning", "health-score-warning"),
                AlertRules.parse(Map.of(), sizes).stream().map(AlertRule::id).toList(), "defaults needing WEEK or MONTH are left out");
    }

    @Test
    void givenAMonthlyRuleGatedByWeeksExpectItRefusedNamingTheKey() {
        // a month is read as settled by its closed weeks, and a week that crosses the month's end is in neither
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlertRules.parse(pairs("alert.rules", "monthly",
                "alert.rule.monthly.metric", "score", "alert.rule.monthly.direction", "below", "alert.rule.monthly.threshold", "40",
                "alert.rule.monthly.recovery", "70", "alert.rule.monthly.window", "MONTH", "alert.rule.monthly.short.window", "WEEK",
                "alert.rule.monthly.severity", "WARNING"), Set.of(WindowSize.values())));
        assertTrue(e.getMessage().contains("alert.rule.monthly.short.window"), e.getMessage());
    }
}
