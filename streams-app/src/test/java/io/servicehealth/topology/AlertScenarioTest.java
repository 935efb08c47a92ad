package io.servicehealth.topology;

import io.servicehealth.schema.*;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.servicehealth.topology.Events.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Delisting scenarios (下线机制) through the whole topology. Each test states its rules; the subscriber
 * base is 100,000 unless said otherwise, so on a DAY window the 30-day complaint rate is
 * n / 100,000 * 10,000 * 30 = 3n for n complaints, on an HOUR window 72n and on a WEEK window 3n/7.
 */
class AlertScenarioTest {
    private PipelineDriver pipeline;

    @AfterEach
    void close() {
        pipeline.close();
    }

    private void start(String... ruleConfig) {
        Map<String, String> config = new HashMap<>();
        StringBuilder ids = new StringBuilder();
        for (String line : ruleConfig) {
            int eq = line.indexOf('=');
            String key = line.substring(0, eq);
            config.put("alert.rule." + key, line.substring(eq + 1));
            String id = key.substring(0, key.indexOf('.'));
            if (!ids.toString().contains(id + ",")) {
                ids.append(id).append(',');
            }
        }
        config.put("alert.rules", ids.toString());
        pipeline = new PipelineDriver(PipelineDriver.testSettings(config), true);
        pipeline.add(campaign("C", CampaignCategory.HANDSET, 100_000, "2026-01-01T00:00:00Z").build());
    }

    private static final String[] WARN = {"warn.metric=complaints.per.10k.30d", "warn.direction=above", "warn.threshold=6.68",
            "warn.recovery=3.34", "warn.window=DAY", "warn.min.samples=1000", "warn.min.events=3", "warn.confidence.z=0", "warn.severity=WARNING"};
    private static final String[] DELIST = {"delist.metric=complaints.per.10k.30d", "delist.direction=above", "delist.threshold=13.67",
            "delist.recovery=3.34", "delist.window=DAY", "delist.consecutive=2", "delist.min.samples=1000", "delist.min.events=5",
            "delist.confidence.z=0", "delist.severity=DELIST"};

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void complaints(String campaign, int n, String at) {
        for (int i = 0; i < n; i++) {
            pipeline.send(complaint(at).setCampaignId(campaign).setCategory(ComplaintCategory.INTERNET)
                    .setCause(ComplaintCause.BUSINESS_RULE).setRegionId("GZ"));
        }
    }

    /** Shanghai day d of April 2026 at 10:00 local. */
    private static String april(int day) {
        return String.format("2026-04-%02dT02:00:00Z", day);
    }

    private List<HealthAlert> alerts() {
        return pipeline.alerts.readValuesToList();
    }

    @Test
    void shouldWarnThenRecommendDelistingThenResolveADegradingCampaignThatGoesQuiet() {
        start(concat(WARN, DELIST));
        complaints("C", 3, april(1));    // day 1: 9   > 6.68           -> warning opens
        pipeline.advanceAllSourcesTo(april(2));
        complaints("C", 6, april(2));    // day 2: 18  > 13.67, streak 1
        pipeline.advanceAllSourcesTo(april(3));
        complaints("C", 6, april(3));    // day 3: 18  > 13.67, streak 2 -> delisting recommended
        for (int day = 4; day <= 8; day++) { // days 4, 5, 6 without a complaint: 0 <= 3.34 three times -> resolved
            pipeline.advanceAllSourcesTo(april(day));
        }

        List<HealthAlert> alerts = alerts();
        assertEquals(List.of(AlertTransition.WARNING_OPENED, AlertTransition.DELIST_RECOMMENDED, AlertTransition.RESOLVED),
                alerts.stream().map(HealthAlert::getTransition).toList());
        String episode = "CAMPAIGN:C:DAY:2026-03-31T16:00:00Z"; // the Shanghai day 1 April that opened it
        alerts.forEach(a -> assertEquals(episode, a.getEpisodeId()));
        assertEquals(Instant.parse("2026-04-01T16:00:00Z"), alerts.get(0).getEventTime());
        assertEquals(Instant.parse("2026-04-03T16:00:00Z"), alerts.get(1).getEventTime());
        assertEquals(Instant.parse("2026-04-06T16:00:00Z"), alerts.get(2).getEventTime());

        RuleBreach opened = alerts.get(0).getBreaches().get(0);
        assertEquals("warn", opened.getRuleId());
        assertEquals(9.0, opened.getObserved(), 1e-9);
        assertEquals(6.68, opened.getThreshold(), 1e-9);
        assertEquals(100_000, opened.getSamples());
        assertEquals(Map.of("INTERNET", 3L), alerts.get(0).getTopComplaintCategories());
        assertEquals(Map.of("BUSINESS_RULE", 3L), alerts.get(0).getTopCauses());
        assertEquals(Map.of("GZ", 3L), alerts.get(0).getTopRegions());
        assertEquals(Severity.DELIST, alerts.get(1).getSeverity());
        assertEquals(List.of("delist", "warn"), alerts.get(1).getBreaches().stream().map(RuleBreach::getRuleId).sorted().toList());
        assertEquals(AlertState.OK, alerts.get(2).getState());
        assertTrue(alerts.get(2).getBreaches().isEmpty());

        List<EntityAlertState> states = pipeline.alertStates.readValuesToList();
        assertEquals(List.of(AlertState.WARNING, AlertState.DELIST_RECOMMENDED, AlertState.OK),
                states.stream().map(EntityAlertState::getState).toList());
        assertEquals(episode, states.get(2).getEpisodeId(), "after RESOLVED the state keeps the last episode");

        // what the operations dashboard counts: one of each transition, for a campaign
        assertEquals(1.0, pipeline.metric(PipelineMetrics.ALERT_TRANSITIONS, Map.of("kind", "CAMPAIGN", "transition", "WARNING_OPENED")));
        assertEquals(1.0, pipeline.metric(PipelineMetrics.ALERT_TRANSITIONS, Map.of("kind", "CAMPAIGN", "transition", "DELIST_RECOMMENDED")));
        assertEquals(1.0, pipeline.metric(PipelineMetrics.ALERT_TRANSITIONS, Map.of("kind", "CAMPAIGN", "transition", "RESOLVED")));
        assertEquals(3.0, pipeline.metric(PipelineMetrics.ALERT_TRANSITIONS));
    }

    private static final String[] BURN = {"burn.metric=complaints.per.10k.30d", "burn.direction=above", "burn.threshold=6.68",
            "burn.recovery=3.34", "burn.window=WEEK", "burn.short.window=HOUR", "burn.min.samples=1000", "burn.min.events=3",
            "burn.confidence.z=0", "burn.severity=WARNING"};

    @Test
    void shouldFireNothingForAOneHourSpikeUnderAMultiWindowRule() {
        start(BURN);
        complaints("C", 10, "2026-04-08T02:10:00Z"); // hour: 720 > 6.68, but week so far: 3*10/7 = 4.29 <= 6.68
        pipeline.advanceAllSourcesTo("2026-04-09T00:00:00Z");
        assertTrue(alerts().isEmpty());
    }

    @Test
    void shouldFireWithinTheHourWhenADegradationIsSharpAndSustained() {
        start(BURN);
        complaints("C", 10, "2026-04-08T02:10:00Z");
        complaints("C", 10, "2026-04-08T03:10:00Z"); // week so far: 3*20/7 = 8.57 > 6.68, and this hour breaches too
        pipeline.advanceAllSourcesTo("2026-04-08T04:10:00Z");

        List<HealthAlert> alerts = alerts();
        assertEquals(1, alerts.size());
        assertEquals(Instant.parse("2026-04-08T04:00:00Z"), alerts.get(0).getEventTime(), "at the close of the second hour");
        assertEquals(WindowSize.WEEK, alerts.get(0).getBreaches().get(0).getWindowSize());
        assertEquals(3.0 * 20 / 7, alerts.get(0).getBreaches().get(0).getObserved(), 1e-9);
    }

    @Test
    void shouldReadTheWeekAsSettledByItsClosedHoursNotByAnHourStillAheadOfTheWatermark() {
        start(BURN);
        complaints("C", 10, "2026-04-08T02:10:00Z");
        complaints("C", 10, "2026-04-08T04:10:00Z"); // read early: its hour is still open when 02:00-03:00 closes
        pipeline.advanceAllSourcesTo("2026-04-08T03:10:00Z");
        assertTrue(alerts().isEmpty(), "week as settled at 03:00: 3*10/7 = 4.29 <= 6.68, the 04:00 hour not counted yet");

        pipeline.advanceAllSourcesTo("2026-04-08T05:10:00Z");
        List<HealthAlert> alerts = alerts();
        assertEquals(1, alerts.size());
        assertEquals(Instant.parse("2026-04-08T05:00:00Z"), alerts.get(0).getEventTime(), "at the close of the second hour");
        assertEquals(3.0 * 20 / 7, alerts.get(0).getBreaches().get(0).getObserved(), 1e-9, "both hours settled by then");
        assertEquals(Map.of("GZ", 20L), alerts.get(0).getTopRegions());
    }

    @Test
    void shouldJudgeRecoveryOfAMultiWindowRuleOnWholeDaysNotOnADayThatHasJustBegun() {
        start("fast.metric=complaints.per.10k.30d", "fast.direction=above", "fast.threshold=6.68", "fast.recovery=3.34",
                "fast.window=DAY", "fast.short.window=HOUR", "fast.min.samples=1000", "fast.min.events=3", "fast.confidence.z=0",
                "fast.severity=WARNING");
        complaints("C", 3, "2026-04-01T02:10:00Z"); // hour: 72*3 = 216; day so far: 3*3 = 9 -> fires as the hour closes
        for (int day = 2; day <= 6; day++) {       // then quiet: days 2, 3 and 4 close at 0 <= 3.34
            pipeline.advanceAllSourcesTo(april(day));
        }

        List<HealthAlert> alerts = alerts();
        assertEquals(List.of(AlertTransition.WARNING_OPENED, AlertTransition.RESOLVED), alerts.stream().map(HealthAlert::getTransition).toList());
        assertEquals(Instant.parse("2026-04-01T03:00:00Z"), alerts.get(0).getEventTime());
        assertEquals(Instant.parse("2026-04-04T16:00:00Z"), alerts.get(1).getEventTime(), "the end of the third whole healthy day");
    }

    @Test
    void shouldKeepOneEpisodeForAnEntityOscillatingAroundTheThreshold() {
        start(WARN);
        for (int day = 1; day <= 8; day++) {
            complaints("C", day % 2 == 1 ? 3 : 2, april(day)); // 9, 6, 9, 6 …: never back under the recovery 3.34
            pipeline.advanceAllSourcesTo(april(day + 1));
        }
        List<HealthAlert> alerts = alerts();
        assertEquals(1, alerts.size());
        assertEquals(AlertTransition.WARNING_OPENED, alerts.get(0).getTransition());
    }

    @Test
    void shouldNotFlagATinyCampaignWhoseHighRateRestsOnTwoComplaints() {
        start("rate.metric=complaints.per.10k.30d", "rate.direction=above", "rate.threshold=20", "rate.recovery=5",
                "rate.window=MONTH", "rate.min.samples=0", "rate.min.events=0", "rate.confidence.z=1.96", "rate.severity=DELIST");
        pipeline.add(campaign("TINY", CampaignCategory.DATA_ENTERPRISE, 300, "2026-01-01T00:00:00Z").build());
        pipeline.add(campaign("BIG", CampaignCategory.DATA_ENTERPRISE, 30_000, "2026-01-01T00:00:00Z").build());
        complaints("TINY", 2, april(10));  // 66.7 per 10k, Wilson lower bound 18.3 < 20: not credible
        complaints("BIG", 200, april(10)); // 66.7 per 10k, Wilson lower bound 58.1 > 20
        pipeline.advanceAllSourcesTo("2026-05-01T00:00:00Z");

        List<HealthAlert> alerts = alerts();
        assertEquals(List.of("BIG"), alerts.stream().map(HealthAlert::getId).toList());
        RuleBreach breach = alerts.get(0).getBreaches().get(0);
        assertEquals(200.0 / 30_000 * 10_000, breach.getObserved(), 1e-9);
        assertEquals(58.1, breach.getCredibleBound(), 0.1);
    }

    @Test
    void shouldShipDefaultRulesThatLeaveATinyCampaignAlone() {
        pipeline = new PipelineDriver(PipelineDriver.testSettings(Map.of()), true);
        pipeline.add(campaign("TINY", CampaignCategory.DATA_ENTERPRISE, 300, "2026-01-01T00:00:00Z").build());
        for (int day = 1; day <= 14; day++) {
            complaints("TINY", 2, april(day));
            pipeline.advanceAllSourcesTo(april(day + 1));
        }
        assertTrue(alerts().isEmpty(), "every default complaint rule needs a base of at least 1,000 subscribers");
    }

    @Test
    void shouldNotWarnEarlyOnAProjectionThatRestsOnTooFewRealComplaints() {
        start("early.type=projected", "early.metric=complaints.per.10k.30d", "early.direction=above", "early.threshold=13.67",
                "early.recovery=3.34", "early.window=MONTH", "early.min.elapsed=0.2", "early.min.samples=1000", "early.min.events=10",
                "early.confidence.z=0", "early.severity=WARNING");
        pipeline.add(campaign("SMALL", CampaignCategory.VOICE_ADDON, 2_000, "2026-01-01T00:00:00Z").build());
        // 5 complaints on 2,000 subscribers: 25 per 10k so far, projected 25 * 720 / 155 = 116 — but only 5 were seen, not 10
        complaints("SMALL", 5, "2026-04-07T02:10:00Z");
        pipeline.advanceAllSourcesTo("2026-04-07T03:10:00Z");
        assertTrue(alerts().isEmpty());
    }

    @Test
    void shouldWarnEarlyWhenTheMonthsPaceProjectsPastTheThreshold() {
        start("early.type=projected", "early.metric=complaints.per.10k.30d", "early.direction=above", "early.threshold=13.67",
                "early.recovery=3.34", "early.window=MONTH", "early.min.elapsed=0.2", "early.min.samples=1000", "early.min.events=10",
                "early.confidence.z=0", "early.severity=WARNING");
        complaints("C", 40, "2026-04-02T02:10:00Z"); // April so far 4.0, but under 20 % of the month has passed: no projection
        pipeline.advanceAllSourcesTo("2026-04-02T04:00:00Z");
        assertTrue(alerts().isEmpty());
        complaints("C", 1, "2026-04-07T02:10:00Z");  // hour 02-03Z closes 155 h into the 720-h month
        pipeline.advanceAllSourcesTo("2026-04-07T03:10:00Z");

        List<HealthAlert> alerts = alerts();
        assertEquals(1, alerts.size());
        RuleBreach breach = alerts.get(0).getBreaches().get(0);
        assertTrue(breach.getProjected());
        assertEquals(4.1 * 720 / 155, breach.getObserved(), 1e-9, "41 complaints = 4.1 so far, projected to the month's end");
        assertEquals(Instant.parse("2026-04-07T03:00:00Z"), alerts.get(0).getEventTime());
    }
}
