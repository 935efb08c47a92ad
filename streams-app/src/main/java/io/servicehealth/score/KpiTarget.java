package io.servicehealth.score;

/**
 * Linear 0–100 mapping of a KPI: the floor scores 0, the target scores 100, clamped outside. The
 * direction follows from the two numbers (target above floor means higher is better).
 */
public record KpiTarget(double target, double floor, double weight) {
    public KpiTarget {
        if (target == floor) {
            throw new IllegalArgumentException("target and floor must differ (both " + target + ")");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight must not be negative: " + weight);
        }
    }

    public double score(double value) {
        double fraction = (value - floor) / (target - floor);
        return 100.0 * Math.max(0.0, Math.min(1.0, fraction));
    }

    public KpiTarget withTarget(double value) {
        return new KpiTarget(value, floor, weight);
    }

    public KpiTarget withFloor(double value) {
        return new KpiTarget(target, value, weight);
    }

    public KpiTarget withWeight(double value) {
        return new KpiTarget(target, floor, value);
    }
}
