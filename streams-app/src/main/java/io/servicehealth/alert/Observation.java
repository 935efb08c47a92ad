package io.servicehealth.alert;

/**
 * A metric's value in one window with the evidence behind it.
 *
 * @param value     the value compared with thresholds (null when the window has no sample)
 * @param samples   sample size (subscribers for complaint rates, the denominator for other rates, events for scores)
 * @param events    the rate's numerator (complaints, failures …), or the sample size for non-rates
 * @param rateScale for proportions: value = (events / samples) * rateScale; 0 when the value is not a proportion
 */
public record Observation(Double value, long samples, long events, double rateScale) {
    public static final Observation NONE = new Observation(null, 0, 0, 0);

    public boolean isRate() {
        return rateScale > 0;
    }

    /** Wilson bound of the value, on the side that must pass the threshold (lower for "above" rules). */
    public double credibleBound(boolean above, double z) {
        return (above ? Wilson.lower(events, samples, z) : Wilson.upper(events, samples, z)) * rateScale;
    }

    /**
     * The same observation projected to a whole window from a fraction of it: the value and its
     * credible bound scale with the window, the evidence does not — {@code events} stays the number
     * actually seen, so {@code min.events} asks for real complaints, not projected ones.
     */
    public Observation projected(double factor) {
        return new Observation(value == null ? null : value * factor, samples, events, rateScale * factor);
    }
}
