package io.servicehealth.topology;

import io.servicehealth.config.TopologySettings;
import io.servicehealth.schema.*;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.servicehealth.topology.Events.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Specifications of the service-health topology: given these events, expect these final results.
 * Every expected figure is worked out by hand in the test. Zone: Asia/Shanghai (UTC+8, no DST);
 * grace 10 minutes; four source partitions (one per input topic).
 */
class HealthTopologyTest {
    private static final double EPS = 1e-9;
    private PipelineDriver pipeline = new PipelineDriver(PipelineDriver.testSettings(Map.of()), true);

    @AfterEach
    void close() {
        pipeline.close();
    }

    private static Instant t(String instant) {
        return Instant.parse(instant);
    }

    private DimensionScore dimension(ServiceHealth health, Dimension dimension) {
        return health.getDimensions().stream().filter(d -> d.getDimension() == dimension).findFirst().orElseThrow();
    }

    @Test
    void shouldReportComplaintsPer10kByCategoryForAMonthInTheOperatorsZone() {
        pipeline.add(product("P1", 1_000_000, "2026-01-01T00:00:00Z").build());
        sendComplaints("P1", ComplaintCategory.VOICE, 622);
        sendComplaints("P1", ComplaintCategory.INTERNET, 654);
        sendComplaints("P1", ComplaintCategory.MESSAGING, 68);
        sendComplaints("P1", ComplaintCategory.OTHER, 21);
        pipeline.advanceAllSourcesTo("2026-05-01T00:00:00Z");

        ServiceHealth april = pipeline.finalResult(pipeline.finalResults(), EntityKind.PRODUCT, "P1", WindowSize.MONTH);

        // April in Shanghai: 2026-04-01T00:00+08:00 .. 2026-05-01T00:00+08:00
        assertEquals(t("2026-03-31T16:00:00Z"), april.getWindowStart());
        assertEquals(t("2026-04-30T16:00:00Z"), april.getWindowEnd());
        assertTrue(april.getFinal$());
        ComplaintKpis c = april.getComplaints();
        assertEquals(1365, c.getCount());
        assertEquals(6.22, c.getVoicePer10k(), EPS);
        assertEquals(6.54, c.getInternetPer10k(), EPS);
        assertEquals(0.68, c.getMessagingPer10k(), EPS);
        assertEquals(0.21, c.getOtherPer10k(), EPS);
        assertEquals(13.65, c.getPer10k(), EPS);
        assertEquals(0.0, c.getRepeatShare(), EPS);
        assertNull(c.getFirstContactResolutionRate(), "no complaint says whether it was solved at first contact");
        // complaints dimension: per-10k over 30 days = 13.65 (April has 30 days), past the floor 10 -> 0 points;
        // repeat share 0 -> 100 points; weights 0.6 and 0.15 over the two KPIs with a value: 15 / 0.75 = 20
        assertEquals(20.0, dimension(april, Dimension.COMPLAINTS).getScore(), EPS);
        assertEquals(20.0, april.getScore(), EPS, "the only scored dimension carries the whole weight");
        assertEquals(Grade.UNHEALTHY, april.getGrade());
    }

    private void sendComplaints(String product, ComplaintCategory category, int n) {
        for (int i = 0; i < n; i++) {
            pipeline.send(complaint("2026-04-10T02:00:00Z").setProductId(product).setCategory(category));
        }
    }

    @Test
    void shouldScoreSatisfactionFiftyForAMeanOfSixAndAHalf() {
        pipeline.add(campaign("C1", CampaignCategory.HANDSET, 50_000, "2026-01-01T00:00:00Z").build());
        for (int i = 0; i < 5; i++) {
            pipeline.send(survey("2026-04-10T02:00:00Z", 6).setCampaignId("C1"));
            pipeline.send(survey("2026-04-10T02:00:00Z", 7).setCampaignId("C1"));
        }
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");

        ServiceHealth day = pipeline.finalResult(pipeline.finalResults(), EntityKind.CAMPAIGN, "C1", WindowSize.DAY);

        assertEquals(6.5, day.getSatisfaction().getMeanScore(), EPS);
        DimensionScore satisfaction = dimension(day, Dimension.SATISFACTION);
        assertEquals(50.0, satisfaction.getScore(), EPS, "(6.5 - floor 5) / (target 8 - floor 5) = 0.5");
        assertEquals(10, satisfaction.getSamples());
        // complaints: 0 per 10k on a 50,000 base -> 100; overall (0.30*100 + 0.20*50) / 0.50 = 80
        assertEquals(100.0, dimension(day, Dimension.COMPLAINTS).getScore(), EPS);
        assertEquals(0.6, dimension(day, Dimension.COMPLAINTS).getWeight(), EPS);
        assertEquals(80.0, day.getScore(), EPS);
        assertEquals(Grade.HEALTHY, day.getGrade());
        assertFalse(dimension(day, Dimension.STORE).getScored());
    }

    @Test
    void shouldCountOneEventForBothTheProductAndTheCampaignItNames() {
        pipeline.send(complaint("2026-04-10T02:00:00Z").setProductId("P1").setCampaignId("C1"));
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");

        List<ServiceHealth> results = pipeline.finalResults();
        assertEquals(1, pipeline.finalResult(results, EntityKind.PRODUCT, "P1", WindowSize.DAY).getComplaints().getCount());
        assertEquals(1, pipeline.finalResult(results, EntityKind.CAMPAIGN, "C1", WindowSize.DAY).getComplaints().getCount());
    }

    @Test
    void shouldRollSubActivityEventsUpToTheirParentCampaign() {
        pipeline.add(campaign("C-PARENT", CampaignCategory.PREPAY_REWARD, 100_000, "2026-01-01T00:00:00Z").build());
        pipeline.add(campaign("C-SUB", CampaignCategory.PREPAY_REWARD, 10_000, "2026-01-01T00:00:00Z").setParentCampaignId("C-PARENT").build());
        pipeline.send(survey("2026-04-10T02:00:00Z", 3).setCampaignId("C-SUB"));
        pipeline.send(survey("2026-04-10T02:00:00Z", 9).setCampaignId("C-PARENT"));
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");

        List<ServiceHealth> results = pipeline.finalResults();
        ServiceHealth sub = pipeline.finalResult(results, EntityKind.CAMPAIGN, "C-SUB", WindowSize.DAY);
        ServiceHealth parent = pipeline.finalResult(results, EntityKind.CAMPAIGN, "C-PARENT", WindowSize.DAY);
        assertEquals(1, sub.getSatisfaction().getResponses());
        assertEquals(2, parent.getSatisfaction().getResponses());
        assertEquals(6.0, parent.getSatisfaction().getMeanScore(), EPS, "(3 + 9) / 2");
        assertEquals("C-PARENT", sub.getParentCampaignId());
        assertEquals(3.0 + 4, pipeline.metric(PipelineMetrics.ENTITY_UPDATES),
                "C-SUB and C-PARENT for the first survey, C-PARENT for the second, region TICK for each of the four ticks");
    }

    @Test
    void shouldReportARegionsComplaintsPer10kSubscribers() {
        pipeline.add(region("R1", 500_000, "2026-01-01T00:00:00Z").build());
        for (int i = 0; i < 100; i++) {
            pipeline.send(complaint("2026-04-10T05:00:00Z").setRegionId("R1"));
        }
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");

        ServiceHealth day = pipeline.finalResult(pipeline.finalResults(), EntityKind.REGION, "R1", WindowSize.DAY);
        assertEquals(500_000L, day.getSubscriberBase());
        assertEquals(2.0, day.getComplaints().getPer10k(), EPS, "100 / 500,000 * 10,000");
        assertEquals(100L, day.getComplaints().getByRegion().get("R1"));
    }

    @Test
    void shouldCutDaysWeeksAndMonthsAtShanghaiMidnightNotUtc() {
        pipeline.send(complaint("2026-03-31T15:59:59Z").setProductId("PB")); // Tue 31 Mar 23:59:59 in Shanghai
        pipeline.send(complaint("2026-03-31T16:00:00Z").setProductId("PB")); // Wed 1 Apr 00:00 in Shanghai
        pipeline.send(complaint("2026-04-05T16:00:00Z").setProductId("PB")); // Mon 6 Apr 00:00 in Shanghai (UTC: Sunday)
        pipeline.advanceAllSourcesTo("2026-05-01T00:00:00Z");
        List<ServiceHealth> pb = pipeline.finalResults().stream().filter(h -> h.getId().equals("PB")).toList();

        assertWindows(pb, WindowSize.DAY, "2026-03-30T16:00:00Z=1", "2026-03-31T16:00:00Z=1", "2026-04-05T16:00:00Z=1");
        assertWindows(pb, WindowSize.WEEK, "2026-03-29T16:00:00Z=2", "2026-04-05T16:00:00Z=1");
        assertWindows(pb, WindowSize.MONTH, "2026-02-28T16:00:00Z=1", "2026-03-31T16:00:00Z=2");
    }

    private void assertWindows(List<ServiceHealth> results, WindowSize size, String... startEqualsCount) {
        List<String> actual = results.stream().filter(h -> h.getWindowSize() == size)
                .map(h -> h.getWindowStart() + "=" + h.getComplaints().getCount()).sorted().toList();
        assertEquals(List.of(startEqualsCount), actual, size.toString());
    }

    @Test
    void shouldCountAnEventInsideGraceAndRouteOneOutsideGraceToTheLateTopic() {
        pipeline.send(complaint("2026-04-10T10:30:00Z").setProductId("PL"));
        pipeline.send(complaint("2026-04-10T10:25:00Z").setProductId("PL")); // 5 min behind: inside the 10-min grace
        ComplaintEvent.Builder tooLate = complaint("2026-04-10T10:10:00Z").setProductId("PL"); // 20 min behind
        pipeline.send(tooLate);
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");

        ServiceHealth hour = pipeline.finalResults().stream()
                .filter(h -> h.getId().equals("PL") && h.getWindowSize() == WindowSize.HOUR).findFirst().orElseThrow();
        assertEquals(t("2026-04-10T10:00:00Z"), hour.getWindowStart());
        assertEquals(2, hour.getComplaints().getCount());
        List<LateEvent> late = pipeline.late.readValuesToList();
        assertEquals(1, late.size());
        assertEquals(tooLate.getEventId(), late.get(0).getComplaint().getEventId());
        assertEquals(t("2026-04-10T10:30:00Z"), late.get(0).getPartitionProgress());
        assertEquals(pipeline.settings.topics().complaints(), late.get(0).getSourceTopic());
        assertEquals(1.0, pipeline.metric(PipelineMetrics.LATE_EVENTS));
    }

    @Test
    void shouldJudgeLatenessPerSourcePartitionSoAPartitionRunningAheadMakesNothingLate() {
        pipeline.send(complaint("2026-04-10T12:00:00Z").setProductId("PI"));   // complaints partition is at 12:00
        pipeline.send(call("2026-04-10T10:30:00Z").setProductId("PI"));        // hotline partition is at 10:30: not late
        pipeline.send(store("2026-04-10T09:50:00Z").setProductId("PI"));       // store partition is at 09:50: not late
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");

        List<ServiceHealth> results = pipeline.finalResults();
        ServiceHealth day = pipeline.finalResult(results, EntityKind.PRODUCT, "PI", WindowSize.DAY);
        assertEquals(1, day.getComplaints().getCount());
        assertEquals(1, day.getHotline().getCalls());
        assertEquals(1, day.getStore().getTransactions());
        assertTrue(pipeline.late.isEmpty());
        assertEquals(0.0, pipeline.metric(PipelineMetrics.LATE_EVENTS));
        assertEquals(0.0, pipeline.metric(PipelineMetrics.LATE_AFTER_CLOSE));
    }

    @Test
    void shouldScoreEachWindowWithTheSubscriberBaseValidInIt() {
        pipeline.add(product("P2", 1_000_000, "2025-12-01T00:00:00Z").build());
        pipeline.add(product("P2", 2_000_000, "2026-02-15T00:00:00Z").build()); // grew mid-quarter
        for (int i = 0; i < 100; i++) {
            pipeline.send(complaint("2026-01-10T02:00:00Z").setProductId("P2"));
        }
        for (int i = 0; i < 100; i++) {
            pipeline.send(complaint("2026-03-10T02:00:00Z").setProductId("P2"));
        }
        pipeline.advanceAllSourcesTo("2026-04-02T00:00:00Z");

        List<ServiceHealth> results = pipeline.finalResults().stream()
                .filter(h -> h.getId().equals("P2") && h.getWindowSize() == WindowSize.MONTH).toList();
        assertEquals(2, results.size());
        ServiceHealth january = results.get(0);
        ServiceHealth march = results.get(1);
        assertEquals(t("2025-12-31T16:00:00Z"), january.getWindowStart());
        assertEquals(1_000_000L, january.getSubscriberBase());
        assertEquals(1.0, january.getComplaints().getPer10k(), EPS);
        assertEquals(2_000_000L, march.getSubscriberBase());
        assertEquals(0.5, march.getComplaints().getPer10k(), EPS);
    }

    @Test
    void shouldAggregateAnIdMissingFromTheCatalogAndSayTheDenominatorIsUnknown() {
        pipeline.send(complaint("2026-04-10T02:00:00Z").setProductId("P-NEW"));
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");

        ServiceHealth day = pipeline.finalResult(pipeline.finalResults(), EntityKind.PRODUCT, "P-NEW", WindowSize.DAY);
        assertEquals(1, day.getComplaints().getCount());
        assertNull(day.getSubscriberBase());
        assertNull(day.getComplaints().getPer10k());
        assertNull(day.getName());
        DimensionScore complaints = dimension(day, Dimension.COMPLAINTS);
        assertFalse(complaints.getScored());
        assertEquals(0, complaints.getSamples());
        // P-NEW once, plus the four bystander events for region TICK, which is not in the catalog either
        assertEquals(5.0, pipeline.metric(PipelineMetrics.UNKNOWN_ENTITY_EVENTS));
    }

    @Test
    void shouldLeaveOutADimensionWithTooFewSamples() {
        for (int i = 0; i < 9; i++) {
            pipeline.send(survey("2026-04-10T02:00:00Z", 9).setCampaignId("C9"));
        }
        for (int i = 0; i < 10; i++) {
            pipeline.send(survey("2026-04-11T02:00:00Z", 9).setCampaignId("C9"));
        }
        pipeline.advanceAllSourcesTo("2026-04-12T00:00:00Z");
        List<ServiceHealth> days = pipeline.finalResults().stream()
                .filter(h -> h.getId().equals("C9") && h.getWindowSize() == WindowSize.DAY).toList();

        DimensionScore nine = dimension(days.get(0), Dimension.SATISFACTION);
        assertFalse(nine.getScored());
        assertNull(nine.getScore());
        assertEquals(9, nine.getSamples());
        assertNull(days.get(0).getScore());
        assertEquals(Grade.NOT_SCORED, days.get(0).getGrade());

        DimensionScore ten = dimension(days.get(1), Dimension.SATISFACTION);
        assertTrue(ten.getScored());
        assertEquals(100.0, ten.getScore(), EPS, "mean 9 is past the target 8");
        assertEquals(1.0, ten.getWeight(), EPS);
    }

    @Test
    void shouldCloseAQuietEntitysWindowsWhenOtherTrafficMovesTheWatermark() {
        pipeline.send(call("2026-04-10T02:00:00Z").setProductId("QUIET"));
        assertTrue(pipeline.finalResults().isEmpty());
        pipeline.advanceAllSourcesTo("2026-04-10T03:05:00Z"); // before 03:10 = hour end + grace
        assertTrue(pipeline.finalResults().isEmpty());
        pipeline.advanceAllSourcesTo("2026-04-10T03:10:00Z");

        List<ServiceHealth> closed = pipeline.finalResults();
        assertEquals(1, closed.size());
        assertEquals(WindowSize.HOUR, closed.get(0).getWindowSize());
        assertEquals(1, closed.get(0).getHotline().getCalls());
    }

    @Test
    void shouldNotCloseAWindowTwiceWhenItsEntityIsReadBackFromTheStoreAfterItClosed() {
        // a one-entity cache: P-OTHER's event evicts P-RELOAD after its hour closed, so its state comes
        // back from the store, which still holds the 02:00 hour (closing does not rewrite the entity)
        pipeline.close();
        pipeline = new PipelineDriver(PipelineDriver.testSettings(Map.of("state.cache.entities", "1")), true);
        pipeline.send(call("2026-04-10T02:00:00Z").setProductId("P-RELOAD"));
        pipeline.advanceAllSourcesTo("2026-04-10T03:10:00Z"); // closes 02:00-03:00
        pipeline.send(call("2026-04-10T04:00:00Z").setProductId("P-OTHER")); // evicts P-RELOAD
        pipeline.send(call("2026-04-10T04:30:00Z").setProductId("P-RELOAD"));
        pipeline.send(call("2026-04-10T04:40:00Z").setProductId("P-RELOAD"));
        pipeline.advanceAllSourcesTo("2026-04-10T16:10:00Z"); // closes 04:00-05:00 and the Shanghai day (ends 16:00Z)

        List<ServiceHealth> results = pipeline.finalResults().stream().filter(h -> h.getId().equals("P-RELOAD")).toList();
        assertEquals(List.of(t("2026-04-10T02:00:00Z"), t("2026-04-10T04:00:00Z")),
                results.stream().filter(h -> h.getWindowSize() == WindowSize.HOUR).map(ServiceHealth::getWindowStart).sorted().toList(),
                "each hour closed once");
        assertEquals(1, results.stream().filter(h -> h.getWindowStart().equals(t("2026-04-10T02:00:00Z"))).findFirst().orElseThrow().getHotline().getCalls());
        assertEquals(3, pipeline.finalResult(results, EntityKind.PRODUCT, "P-RELOAD", WindowSize.DAY).getHotline().getCalls(),
                "the day holds the hour closed before the entity left the cache and the two after");
    }

    @Test
    void shouldCloseEachWindowOnceWhenAnEntityIsDueTwiceInOneRoundAndLeavesTheCacheBetween() {
        pipeline.close();
        pipeline = new PipelineDriver(PipelineDriver.testSettings(Map.of("state.cache.entities", "1")), true);
        pipeline.send(call("2026-04-10T02:00:00Z").setProductId("Q-FIRST"));   // due at 03:00: [Q-FIRST]
        pipeline.send(call("2026-04-10T02:00:00Z").setProductId("P-TWICE"));   // due at 03:00: [Q-FIRST, P-TWICE]
        pipeline.send(call("2026-04-10T01:55:00Z").setProductId("P-TWICE"));   // within grace; due at 02:00 too
        // one round closes both of P-TWICE's hours at its 02:00 entry; Q-FIRST then takes the one-entity
        // cache, and P-TWICE's second entry must not close its hours again from the stored copy
        pipeline.advanceAllSourcesTo("2026-04-10T03:10:00Z");

        List<ServiceHealth> hours = pipeline.finalResults().stream()
                .filter(h -> h.getId().equals("P-TWICE") && h.getWindowSize() == WindowSize.HOUR).toList();
        assertEquals(List.of(t("2026-04-10T01:00:00Z"), t("2026-04-10T02:00:00Z")),
                hours.stream().map(ServiceHealth::getWindowStart).sorted().toList());
        assertEquals(List.of(1L, 1L), hours.stream().map(h -> h.getHotline().getCalls()).toList());
    }

    @Test
    void shouldPublishLiveUpdatesOfTheNewestWindowOfEachSizeOnTheWallClock() {
        pipeline.send(store("2026-04-10T02:00:00Z").setProductId("PLIVE").setSuccess(false));
        assertTrue(pipeline.updates.isEmpty());
        pipeline.tickWallClock();

        List<TestRecord<HealthUpdateKey, ServiceHealth>> updates = pipeline.updates.readRecordsToList();
        assertEquals(List.of(WindowSize.HOUR, WindowSize.DAY), updates.stream().map(r -> r.key().getWindowSize()).sorted().toList(),
                "the shipped health.update.window.sizes");
        for (TestRecord<HealthUpdateKey, ServiceHealth> update : updates) {
            assertEquals("PLIVE", update.key().getId());
            assertFalse(update.value().getFinal$());
            assertEquals(1.0, update.value().getStore().getFailureRate(), EPS);
        }
        pipeline.tickWallClock();
        assertTrue(pipeline.updates.isEmpty(), "nothing changed, nothing published");
    }

    @Test
    void shouldPublishNoLiveUpdatesButTheSameFinalResultsWhenNoLiveSizeIsConfigured() {
        pipeline.close();
        pipeline = new PipelineDriver(PipelineDriver.testSettings(Map.of("health.update.window.sizes", "")), true);
        pipeline.send(store("2026-04-10T02:00:00Z").setProductId("PQUIET").setSuccess(false));
        pipeline.send(store("2026-04-10T02:20:00Z").setProductId("PQUIET").setSuccess(true));
        pipeline.tickWallClock();
        assertTrue(pipeline.updates.isEmpty(), "no live size, no live update");
        pipeline.advanceAllSourcesTo("2026-04-10T03:10:00Z"); // closes 02:00-03:00

        ServiceHealth hour = pipeline.finalResult(pipeline.finalResults(), EntityKind.PRODUCT, "PQUIET", WindowSize.HOUR);
        assertEquals(2, hour.getStore().getTransactions());
        assertEquals(0.5, hour.getStore().getFailureRate(), EPS, "one of the two failed");
        pipeline.tickWallClock();
        assertTrue(pipeline.updates.isEmpty());
    }

    @Test
    void shouldDeadLetterAnOutOfRangeSurveyWithItsOriginalBytesAndGoOn() {
        SurveyResponseEvent.Builder bad = survey("2026-04-10T02:00:00Z", 11).setCampaignId("C1");
        pipeline.send(bad);
        pipeline.send(survey("2026-04-10T02:01:00Z", 8).setCampaignId("C1"));
        pipeline.surveys.pipeInput(PipelineDriver.key("x"), null); // a tombstone on an event topic
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");

        List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters.readRecordsToList();
        assertEquals(2, dead.size());
        assertEquals("value-out-of-range", header(dead.get(0), "dlq.reason"));
        assertEquals(pipeline.settings.topics().surveyResponses(), header(dead.get(0), "dlq.topic"));
        SurveyResponseEvent original = pipeline.serdes.surveyResponse().deserializer().deserialize("x", dead.get(0).value());
        assertEquals(bad.getEventId(), original.getEventId());
        assertEquals("missing-value", header(dead.get(1), "dlq.reason"));
        assertEquals(1, pipeline.finalResult(pipeline.finalResults(), EntityKind.CAMPAIGN, "C1", WindowSize.DAY).getSatisfaction().getResponses());
    }

    @Test
    void shouldDeadLetterGarbageBytesAndGoOn() {
        var raw = pipeline.driver.createInputTopic(pipeline.settings.topics().complaints(),
                new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
        raw.pipeInput("k".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8), t("2026-04-10T02:00:00Z"));
        pipeline.send(complaint("2026-04-10T02:01:00Z").setProductId("P1"));
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");

        List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters.readRecordsToList();
        assertEquals(1, dead.size());
        assertEquals("wrong-magic-byte", header(dead.get(0), "dlq.reason"));
        assertArrayEquals("not avro".getBytes(StandardCharsets.UTF_8), dead.get(0).value());
        assertEquals("0", header(dead.get(0), "dlq.offset"));
        assertEquals(1, pipeline.finalResult(pipeline.finalResults(), EntityKind.PRODUCT, "P1", WindowSize.DAY).getComplaints().getCount());
    }

    @Test
    void shouldDeadLetterAnEventFarAheadOfItsPartitionsProgressJudgedOnEventTimeNotTheWallClock() {
        pipeline.close();
        pipeline = new PipelineDriver(TopologySettings.defaults(1), true); // event.max.future.ms = 7 days
        pipeline.send(complaint("2026-04-10T02:00:00Z").setProductId("P1"));
        pipeline.send(complaint("2026-04-17T02:00:01Z").setProductId("P1")); // 7 days and 1 s ahead
        pipeline.send(complaint("2026-04-17T02:00:00Z").setProductId("P1")); // exactly 7 days: accepted
        pipeline.send(complaint("1999-12-31T23:59:59Z").setProductId("P1"));

        List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters.readRecordsToList();
        assertEquals(List.of("time-too-far-ahead", "time-before-2000"), dead.stream().map(r -> header(r, "dlq.reason")).toList());
        assertTrue(pipeline.late.isEmpty());
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "caching={0}")
    @ValueSource(booleans = {true, false})
    void shouldEmitTheSameFinalResultsWithCachingOnAndOff(boolean caching) {
        pipeline.close();
        List<ServiceHealth> first = mixedScenario(caching);
        List<ServiceHealth> second = mixedScenario(!caching);
        assertFalse(first.isEmpty());
        assertEquals(first, second);
        pipeline = new PipelineDriver(PipelineDriver.testSettings(Map.of()), true);
    }

    private List<ServiceHealth> mixedScenario(boolean caching) {
        try (PipelineDriver p = new PipelineDriver(PipelineDriver.testSettings(Map.of()), caching)) {
            p.add(product("P1", 200_000, "2026-01-01T00:00:00Z").build());
            p.add(campaign("C1", CampaignCategory.BASE_PLAN, 30_000, "2026-01-01T00:00:00Z").build());
            for (int i = 0; i < 200; i++) {
                String at = Instant.parse("2026-04-10T00:00:00Z").plusSeconds(i * 97L).toString();
                p.send(complaint(at).setProductId("P" + (i % 3)).setCampaignId("C" + (i % 2)).setRegionId("R" + (i % 4)));
                p.send(call(at).setProductId("P1").setTransferredToAgent(true).setQueueSeconds(i % 40).setHangupRating(HangupRating.SATISFIED));
                p.send(store(at).setCampaignId("C1").setSuccess(i % 5 != 0));
                p.send(survey(at, 1 + i % 10).setCampaignId("C1"));
                if (i % 50 == 0) {
                    p.tickWallClock();
                }
            }
            p.advanceAllSourcesTo("2026-05-01T00:00:00Z");
            return p.finalResults();
        }
    }
}
