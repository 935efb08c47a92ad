package io.servicehealth.score;

/** Weight of a dimension in the overall score, and the samples it needs in a window to be scored. */
public record DimensionPolicy(double weight, long minSamples) {
    public DimensionPolicy {
        if (weight < 0 || minSamples < 0) {
            throw new IllegalArgumentException("weight and min samples must not be negative");
        }
    }
}
