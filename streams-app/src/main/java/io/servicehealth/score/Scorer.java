package io.servicehealth.score;

import io.servicehealth.schema.Dimension;
import io.servicehealth.schema.DimensionScore;
import io.servicehealth.schema.Grade;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Five dimension scores and the overall score. A dimension is scored when it has at least its minimum
 * samples and at least one KPI value; its score is the weighted mean of its KPI scores (weights
 * renormalised over the KPIs that have a value). The overall score is the weighted mean of the scored
 * dimensions, weights renormalised over them.
 */
public final class Scorer {
    private Scorer() {
    }

    public record Result(List<DimensionScore> dimensions, Double score, Grade grade) {
    }

    public static Result score(KpiSnapshot kpis, ScoringPolicy policy) {
        double[] dimensionScores = new double[ScoringPolicy.DIMENSIONS.length];
        boolean[] scored = new boolean[ScoringPolicy.DIMENSIONS.length];
        double totalWeight = 0;
        for (int i = 0; i < ScoringPolicy.DIMENSIONS.length; i++) {
            Dimension dimension = ScoringPolicy.DIMENSIONS[i];
            DimensionPolicy dp = policy.dimension(dimension);
            long samples = kpis.samples().getOrDefault(dimension, 0L);
            Double score = samples >= dp.minSamples() && samples > 0 ? dimensionScore(dimension, kpis.values(), policy) : null;
            if (score != null && dp.weight() > 0) {
                dimensionScores[i] = score;
                scored[i] = true;
                totalWeight += dp.weight();
            }
        }
        List<DimensionScore> out = new ArrayList<>(ScoringPolicy.DIMENSIONS.length);
        double overall = 0;
        for (int i = 0; i < ScoringPolicy.DIMENSIONS.length; i++) {
            Dimension dimension = ScoringPolicy.DIMENSIONS[i];
            double weight = scored[i] ? policy.dimension(dimension).weight() / totalWeight : 0;
            overall += weight * dimensionScores[i];
            out.add(new DimensionScore(dimension, scored[i] ? dimensionScores[i] : null, scored[i],
                    kpis.samples().getOrDefault(dimension, 0L), weight));
        }
        if (totalWeight == 0) {
            return new Result(out, null, Grade.NOT_SCORED);
        }
        Grade grade = overall >= policy.healthyMin() ? Grade.HEALTHY : overall >= policy.watchMin() ? Grade.WATCH : Grade.UNHEALTHY;
        return new Result(out, overall, grade);
    }

    static Double dimensionScore(Dimension dimension, Map<Kpi, Double> values, ScoringPolicy policy) {
        double sum = 0;
        double weights = 0;
        for (Kpi kpi : Kpi.values()) {
            if (kpi.dimension() != dimension) {
                continue;
            }
            Double value = values.get(kpi);
            KpiTarget target = policy.kpi(kpi);
            if (value != null && target.weight() > 0) {
                sum += target.weight() * target.score(value);
                weights += target.weight();
            }
        }
        return weights == 0 ? null : sum / weights;
    }
}
