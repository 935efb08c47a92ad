package io.servicehealth.alert;

/**
 * Wilson score interval for a binomial proportion: how far a rate observed on n trials can be
 * trusted. Two complaints among 300 subscribers is a rate of 67 per 10,000, but the interval is wide;
 * a rule fires only when the whole interval is past its threshold.
 */
public final class Wilson {
    private Wilson() {
    }

    public static double lower(long successes, long trials, double z) {
        return bound(successes, trials, z, -1);
    }

    public static double upper(long successes, long trials, double z) {
        return bound(successes, trials, z, +1);
    }

    private static double bound(long successes, long trials, double z, int sign) {
        if (trials <= 0) {
            return sign < 0 ? 0.0 : 1.0;
        }
        double n = trials;
        double p = Math.min(1.0, (double) successes / n);
        double z2 = z * z;
        double centre = p + z2 / (2 * n);
        double margin = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        double bound = (centre + sign * margin) / (1 + z2 / n);
        return Math.max(0.0, Math.min(1.0, bound));
    }
}
