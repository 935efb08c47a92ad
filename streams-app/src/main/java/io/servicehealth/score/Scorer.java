package io.servicehealth.score;

import io.servicehealth.schema.Dimension;
import io.servicehealth.schema.DimensionScore;
import io.servicehealth.schema.Grade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
            long samples = kpis.samples(dimension);
            double score = samples >= dp.minSamples() && samples > 0 ? dimensionScore(dimension, kpis, policy) : Double.NaN;
            if (!Double.isNaN(score) && dp.weight() > 0) {
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
            out.add(new DimensionScore(dimension, scored[i] ? dimensionScores[i] : null, scored[i], kpis.samples(dimension), weight));
        }
        if (totalWeight == 0) {
            return new Result(out, null, Grade.NOT_SCORED);
        }
        Grade grade = overall >= policy.healthyMin() ? Grade.HEALTHY : overall >= policy.watchMin() ? Grade.WATCH : Grade.UNHEALTHY;
        return new Result(out, overall, grade);
    }

    /** The weighted mean of the dimension's KPI scores over the KPIs that have a value; NaN when none has. */
    static double dimensionScore(Dimension dimension, KpiSnapshot kpis, ScoringPolicy policy) {
        double sum = 0;
        double weights = 0;
        for (Kpi kpi : KPIS_BY_DIMENSION[dimension.ordinal()]) {
            double value = kpis.value(kpi);
            KpiTarget target = policy.kpi(kpi);
            if (!Double.isNaN(value) && target.weight() > 0) {
                sum += target.weight() * target.score(value);
                weights += target.weight();
            }
        }
        return weights == 0 ? Double.NaN : sum / weights;
    }

    /** By dimension ordinal, its KPIs in declaration order (the order the sums above always used). */
    private static final Kpi[][] KPIS_BY_DIMENSION = new Kpi[KpiSnapshot.DIMENSIONS][];

    static {
        for (Dimension d : Dimension.values()) {
            KPIS_BY_DIMENSION[d.ordinal()] = Arrays.stream(Kpi.values()).filter(k -> k.dimension() == d).toArray(Kpi[]::new);
        }
    }
}
