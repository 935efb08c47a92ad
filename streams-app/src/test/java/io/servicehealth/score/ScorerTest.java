package io.servicehealth.score;

import io.servicehealth.aggregate.Contribution;
import io.servicehealth.aggregate.ContributionType;
import io.servicehealth.aggregate.Contributions;
import io.servicehealth.aggregate.HealthCounters;
import io.servicehealth.schema.Dimension;
import io.servicehealth.schema.Grade;
import io.servicehealth.schema.HangupRating;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ScorerTest {
    private static final double EPS = 1e-9;
    private static final long DAY_MS = 24 * 3600_000L;

    @Test
    void shouldMapAKpiLinearlyBetweenFloorAndTargetClampedInItsDirection() {
        KpiTarget satisfaction = new KpiTarget(8.0, 5.0, 1);
        assertEquals(50.0, satisfaction.score(6.5), EPS);
        assertEquals(0.0, satisfaction.score(4.0), EPS);
        assertEquals(100.0, satisfaction.score(9.5), EPS);
        KpiTarget failureRate = new KpiTarget(0.02, 0.15, 1); // lower is better
        assertEquals(100.0, failureRate.score(0.01), EPS);
        assertEquals(50.0, failureRate.score(0.085), EPS);
        assertEquals(0.0, failureRate.score(0.5), EPS);
    }

    private static Contribution call(int queueSeconds, boolean abandoned, HangupRating rating) {
        int flags = Contributions.TRANSFERRED | (abandoned ? Contributions.ABANDONED : 0)
                | (!abandoned && queueSeconds <= 20 ? Contributions.WITHIN_SLA : 0);
        return new Contribution(ContributionType.HOTLINE_CALL, 0, 0, 0, queueSeconds, rating.ordinal(), 0, flags, null);
    }

    @Test
    void shouldDeriveHotlineKpisAndTheP90FromTheBucketUpperEdge() {
        HealthCounters c = new HealthCounters();
        // 20 transferred calls: queue 1..20 s; the 2 slowest abandoned; 10 satisfied, 5 dissatisfied, 5 not rated
        for (int i = 1; i <= 20; i++) {
            HangupRating rating = i <= 10 ? HangupRating.SATISFIED : i <= 15 ? HangupRating.DISSATISFIED : HangupRating.NOT_RATED;
            c.add(call(i, i > 18, rating));
        }
        KpiSnapshot kpis = KpiCalculator.compute(c, null, DAY_MS);

        assertEquals(20, kpis.hotline().getCalls());
        assertEquals(0.1, kpis.hotline().getAbandonRate(), EPS);         // 2 / 20
        assertEquals(10.5, kpis.hotline().getMeanQueueSeconds(), EPS);   // 210 / 20
        assertEquals(20.0, kpis.hotline().getP90QueueSeconds(), EPS);    // rank 18 falls in the (10, 20] bucket
        assertEquals(10.0 / 15, kpis.hotline().getSatisfactionRate(), EPS);
        assertEquals(5.0 / 15, kpis.hotline().getDissatisfactionRate(), EPS);
        assertEquals(0.9, kpis.channel().getHotlineServiceLevel(), EPS); // 18 answered within 20 s of 20 offered

        // hotline dimension: satisfaction 0.6667 -> (0.6667-0.6)/(0.9-0.6) = 22.22; dissatisfaction 0.3333 -> 0;
        // abandon 0.1 -> (0.3-0.1)/(0.3-0.05) = 80; weights 0.5 / 0.25 / 0.25
        double expected = 0.5 * (100 * (10.0 / 15 - 0.6) / 0.3) + 0.25 * 0 + 0.25 * 80;
        Scorer.Result result = Scorer.score(kpis, ScoringPolicy.defaults());
        assertEquals(expected, result.dimensions().get(1).getScore(), 1e-6);
        assertEquals(Dimension.HOTLINE, result.dimensions().get(1).getDimension());
    }

    @Test
    void shouldRenormaliseWeightsOverScoredDimensionsAndGrade() {
        HealthCounters c = new HealthCounters();
        for (int i = 0; i < 20; i++) { // store: 20 transactions, 2 failed (10%), all within target, wait 300 s
            int flags = (i < 2 ? 0 : Contributions.SUCCESS) | Contributions.WITHIN_WAIT_TARGET;
            c.add(new Contribution(ContributionType.STORE_TRANSACTION, 0, 0, 0, 300, 0, 0, flags, null));
        }
        KpiSnapshot kpis = KpiCalculator.compute(c, 100_000L, DAY_MS);
        Scorer.Result result = Scorer.score(kpis, ScoringPolicy.defaults());

        // store: failure 0.10 -> (0.15-0.10)/(0.13) = 38.46; wait 300 -> 100; 0.6/0.4 -> 63.08
        double store = 0.6 * (100 * 0.05 / 0.13) + 0.4 * 100;
        // channel: store service level 1.0 -> 100 (hotline level has no value); complaints: 0 per 10k -> 100
        double overall = (0.15 * store + 0.15 * 100 + 0.30 * 100) / 0.60;
        assertEquals(store, result.dimensions().get(0).getScore(), 1e-6);
        assertEquals(overall, result.score(), 1e-6);
        assertEquals(Grade.HEALTHY, result.grade());
        assertEquals(0.25, result.dimensions().get(0).getWeight(), EPS);
    }

    @Test
    void shouldApplyCategoryAndClassOverridesAndNameBadKeys() {
        ScoreModel model = ScoreModel.parse(Map.of(
                "score.kpi.satisfaction.mean.score.target", "9",
                "score.override.category.HANDSET.kpi.satisfaction.mean.score.floor", "6",
                "score.override.class.3.dimension.satisfaction.min.samples", "5",
                "score.grade.healthy.min", "85"));
        var handset = io.servicehealth.schema.CatalogEntry.newBuilder().setKind(io.servicehealth.schema.EntityKind.CAMPAIGN)
                .setId("c").setCampaignCategory(io.servicehealth.schema.CampaignCategory.HANDSET)
                .setValidFrom(java.time.Instant.EPOCH).build();
        assertEquals(new KpiTarget(9, 6, 1.0), model.policyFor(handset).kpi(Kpi.SATISFACTION_MEAN_SCORE));
        assertEquals(new KpiTarget(9, 5, 1.0), model.defaultPolicy().kpi(Kpi.SATISFACTION_MEAN_SCORE));
        assertEquals(85.0, model.policyFor(handset).healthyMin(), EPS, "overrides start from the configured defaults");

        var e = assertThrows(IllegalArgumentException.class, () -> ScoreModel.parse(Map.of("score.kpi.satisfaction.mean.scor.target", "9")));
        assertTrue(e.getMessage().contains("score.kpi.satisfaction.mean.scor.target"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScoreModel.parse(Map.of("score.kpi.store.failure.rate.target", "0.15")));
        assertTrue(e.getMessage().contains("score.kpi.store.failure.rate.target") && e.getMessage().contains("differ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScoreModel.parse(Map.of("score.override.category.LOTTERY.grade.watch.min", "50")));
        assertTrue(e.getMessage().contains("LOTTERY"), e.getMessage());
    }
}
