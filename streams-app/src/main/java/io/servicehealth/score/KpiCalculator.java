package io.servicehealth.score;

import io.servicehealth.aggregate.HealthCounters;
import io.servicehealth.schema.ChannelKpis;
import io.servicehealth.schema.ComplaintCause;
import io.servicehealth.schema.ComplaintKpis;
import io.servicehealth.schema.Dimension;
import io.servicehealth.schema.HotlineKpis;
import io.servicehealth.schema.SatisfactionKpis;
import io.servicehealth.schema.StoreKpis;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.servicehealth.aggregate.HealthCounters.*;

/** Derives every KPI from a window's counters; docs/scoring.md defines each one. */
public final class KpiCalculator {
    private static final double DAYS_30_MS = 30.0 * 24 * 3600 * 1000;
    /** {@code values()} clones its array on every call. */
    private static final ComplaintCause[] CAUSES = ComplaintCause.values();

    private KpiCalculator() {
    }

    /**
     * @param subscriberBase the denominator of complaints per 10,000 subscribers, or null when unknown
     * @param windowMs       window length, to scale the complaint rate to 30 days for scoring
     */
    public static KpiSnapshot compute(HealthCounters c, Long subscriberBase, long windowMs) {
        double[] values = new double[KpiSnapshot.KPIS];
        Arrays.fill(values, Double.NaN);
        long[] samples = new long[KpiSnapshot.DIMENSIONS];

        long complaints = c.get(COMPLAINTS);
        Double per10k = per10k(complaints, subscriberBase);
        Map<String, Long> byCause = new LinkedHashMap<>();
        for (ComplaintCause cause : CAUSES) {
            if (c.cause(cause) > 0) {
                byCause.put(cause.name(), c.cause(cause));
            }
        }
        ComplaintKpis complaintKpis = new ComplaintKpis(complaints, c.get(C_VOICE), c.get(C_INTERNET), c.get(C_MESSAGING),
                c.get(C_OTHER), byCause, c.complaintsByRegion(), per10k,
                per10k(c.get(C_VOICE), subscriberBase), per10k(c.get(C_INTERNET), subscriberBase),
                per10k(c.get(C_MESSAGING), subscriberBase), per10k(c.get(C_OTHER), subscriberBase),
                ratio(c.get(C_REPEAT), complaints), ratio(c.get(C_FCR_YES), c.get(C_FCR_KNOWN)));
        if (per10k != null) {
            values[Kpi.COMPLAINTS_PER_10K_30D.ordinal()] = per10k * DAYS_30_MS / windowMs;
        }
        put(values, Kpi.FIRST_CONTACT_RESOLUTION, complaintKpis.getFirstContactResolutionRate());
        put(values, Kpi.REPEAT_COMPLAINT_SHARE, complaintKpis.getRepeatShare());
        samples[Dimension.COMPLAINTS.ordinal()] = subscriberBase == null ? 0L : subscriberBase;

        long calls = c.get(H_CALLS);
        HotlineKpis hotline = new HotlineKpis(calls, ratio(c.get(H_IVR), calls), ratio(c.get(H_TRANSFERRED), calls),
                ratio(c.get(H_ABANDONED), c.get(H_TRANSFERRED)), ratio(c.get(H_QUEUE_SUM), c.get(H_QUEUED)),
                p90Queue(c), ratio(c.get(H_SATISFIED), c.get(H_RATED)), ratio(c.get(H_DISSATISFIED), c.get(H_RATED)));
        put(values, Kpi.HOTLINE_SATISFACTION_RATE, hotline.getSatisfactionRate());
        put(values, Kpi.HOTLINE_DISSATISFACTION_RATE, hotline.getDissatisfactionRate());
        put(values, Kpi.HOTLINE_ABANDON_RATE, hotline.getAbandonRate());
        samples[Dimension.HOTLINE.ordinal()] = calls;

        long transactions = c.get(S_TRANSACTIONS);
        StoreKpis store = new StoreKpis(transactions, ratio(c.get(S_FAILED), transactions), ratio(c.get(S_WAIT_SUM), transactions));
        put(values, Kpi.STORE_FAILURE_RATE, store.getFailureRate());
        put(values, Kpi.STORE_MEAN_WAIT_SECONDS, store.getMeanWaitSeconds());
        samples[Dimension.STORE.ordinal()] = transactions;

        ChannelKpis channel = new ChannelKpis(ratio(c.get(H_WITHIN_SLA), c.get(H_TRANSFERRED)), ratio(c.get(S_WITHIN_TARGET), transactions));
        put(values, Kpi.HOTLINE_SERVICE_LEVEL, channel.getHotlineServiceLevel());
        put(values, Kpi.STORE_SERVICE_LEVEL, channel.getStoreServiceLevel());
        samples[Dimension.CHANNEL_CAPACITY.ordinal()] = c.get(H_TRANSFERRED) + transactions;

        long responses = c.get(V_RESPONSES);
        SatisfactionKpis satisfaction = new SatisfactionKpis(responses, ratio(c.get(V_SCORE_SUM), responses),
                ratio(c.get(V_HIGH), responses), ratio(c.get(V_LOW), responses),
                ratio(c.get(V_UNDERSTAND_SUM), c.get(V_UNDERSTAND_N)), ratio(c.get(V_HANDLE_SUM), c.get(V_HANDLE_N)));
        put(values, Kpi.SATISFACTION_MEAN_SCORE, satisfaction.getMeanScore());
        samples[Dimension.SATISFACTION.ordinal()] = responses;

        return new KpiSnapshot(complaintKpis, hotline, store, channel, satisfaction, values, samples);
    }

    private static void put(double[] values, Kpi kpi, Double value) {
        if (value != null) {
            values[kpi.ordinal()] = value;
        }
    }

    static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    static Double per10k(long complaints, Long subscriberBase) {
        return subscriberBase == null || subscriberBase <= 0 ? null : complaints * 10_000.0 / subscriberBase;
    }

    /** Upper edge of the histogram bucket holding the 90th percentile (nearest-rank). */
    static Double p90Queue(HealthCounters c) {
        long n = c.get(H_QUEUED);
        if (n == 0) {
            return null;
        }
        long rank = (long) Math.ceil(0.9 * n);
        long cumulative = 0;
        for (int b = 0; b < c.queueBuckets(); b++) {
            cumulative += c.queueBucket(b);
            if (cumulative >= rank) {
                int[] edges = QUEUE_BUCKET_EDGES;
                return (double) (b < edges.length ? edges[b] : edges[edges.length - 1]);
            }
        }
        return (double) QUEUE_BUCKET_EDGES[QUEUE_BUCKET_EDGES.length - 1];
    }
}
