package io.servicehealth.aggregate;

import io.servicehealth.schema.ComplaintCategory;
import io.servicehealth.schema.ComplaintCause;
import io.servicehealth.schema.HangupRating;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw sums of one entity in one window, from which every KPI is derived. Plain counts and sums
 * only, so that windows merge exactly (a roll-up is an element-wise addition) and the per-event
 * update is a handful of array increments. Indexes are named constants, not a map of strings.
 */
public final class HealthCounters {
    public static final int EVENTS = 0;
    // complaints
    public static final int COMPLAINTS = 1;
    public static final int C_VOICE = 2, C_INTERNET = 3, C_MESSAGING = 4, C_OTHER = 5;
    public static final int C_REPEAT = 6, C_FCR_KNOWN = 7, C_FCR_YES = 8;
    public static final int C_CAUSE_BASE = 9;
    private static final int CAUSES = ComplaintCause.values().length;
    // hotline
    public static final int H_CALLS = C_CAUSE_BASE + CAUSES;
    public static final int H_IVR = H_CALLS + 1, H_TRANSFERRED = H_CALLS + 2, H_ABANDONED = H_CALLS + 3;
    public static final int H_QUEUED = H_CALLS + 4, H_QUEUE_SUM = H_CALLS + 5, H_WITHIN_SLA = H_CALLS + 6;
    public static final int H_RATED = H_CALLS + 7, H_SATISFIED = H_CALLS + 8, H_DISSATISFIED = H_CALLS + 9;
    public static final int H_QUEUE_BUCKET_BASE = H_CALLS + 10;
    /**
     * Upper edges (seconds, inclusive) of the queue-time histogram buckets; the last bucket holds
     * everything above the last edge. Fixed so that histograms of any windows add up exactly.
     */
    public static final int[] QUEUE_BUCKET_EDGES = {5, 10, 20, 30, 60, 120, 300, 600, 1800};
    private static final int QUEUE_BUCKETS = QUEUE_BUCKET_EDGES.length + 1;
    // store
    public static final int S_TRANSACTIONS = H_QUEUE_BUCKET_BASE + QUEUE_BUCKETS;
    public static final int S_FAILED = S_TRANSACTIONS + 1, S_WAIT_SUM = S_TRANSACTIONS + 2, S_WITHIN_TARGET = S_TRANSACTIONS + 3;
    // surveys
    public static final int V_RESPONSES = S_TRANSACTIONS + 4;
    public static final int V_SCORE_SUM = V_RESPONSES + 1, V_HIGH = V_RESPONSES + 2, V_LOW = V_RESPONSES + 3;
    public static final int V_UNDERSTAND_N = V_RESPONSES + 4, V_UNDERSTAND_SUM = V_RESPONSES + 5;
    public static final int V_HANDLE_N = V_RESPONSES + 6, V_HANDLE_SUM = V_RESPONSES + 7;
    public static final int SIZE = V_RESPONSES + 8;

    /** Complaint regions kept for evidence; past this many, counts go to {@link #OTHER_REGIONS}. */
    public static final int MAX_REGIONS = 16;
    public static final String OTHER_REGIONS = "OTHER";

    private final long[] values;
    private final Map<String, Long> complaintsByRegion;

    public HealthCounters() {
        this(new long[SIZE], new LinkedHashMap<>());
    }

    HealthCounters(long[] values, Map<String, Long> complaintsByRegion) {
        this.values = values;
        this.complaintsByRegion = complaintsByRegion;
    }

    public long get(int index) {
        return values[index];
    }

    public long cause(ComplaintCause cause) {
        return values[C_CAUSE_BASE + cause.ordinal()];
    }

    public long queueBucket(int bucket) {
        return values[H_QUEUE_BUCKET_BASE + bucket];
    }

    public int queueBuckets() {
        return QUEUE_BUCKETS;
    }

    public Map<String, Long> complaintsByRegion() {
        return complaintsByRegion;
    }

    long[] raw() {
        return values;
    }

    public void add(Contribution c) {
        values[EVENTS]++;
        switch (c.type()) {
            case COMPLAINT -> addComplaint(c);
            case HOTLINE_CALL -> addHotlineCall(c);
            case STORE_TRANSACTION -> addStoreTransaction(c);
            case SURVEY_RESPONSE -> addSurveyResponse(c);
            case WATERMARK -> values[EVENTS]--;
        }
    }

    private void addComplaint(Contribution c) {
        values[COMPLAINTS]++;
        values[categoryIndex(c.a())]++;
        values[C_CAUSE_BASE + c.b()]++;
        if (c.flag(Contributions.REPEAT)) values[C_REPEAT]++;
        if (c.flag(Contributions.FCR_KNOWN)) values[C_FCR_KNOWN]++;
        if (c.flag(Contributions.FCR_YES)) values[C_FCR_YES]++;
        if (c.regionId() != null) {
            String region = complaintsByRegion.containsKey(c.regionId()) || complaintsByRegion.size() < MAX_REGIONS
                    ? c.regionId() : OTHER_REGIONS;
            complaintsByRegion.merge(region, 1L, Long::sum);
        }
    }

    private static int categoryIndex(int ordinal) {
        return switch (ComplaintCategory.values()[ordinal]) {
            case VOICE -> C_VOICE;
            case INTERNET -> C_INTERNET;
            case MESSAGING -> C_MESSAGING;
            default -> C_OTHER;
        };
    }

    private void addHotlineCall(Contribution c) {
        values[H_CALLS]++;
        if (c.flag(Contributions.IVR_SELF_SERVED)) values[H_IVR]++;
        if (c.flag(Contributions.TRANSFERRED)) values[H_TRANSFERRED]++;
        if (c.flag(Contributions.ABANDONED)) values[H_ABANDONED]++;
        if (c.flag(Contributions.WITHIN_SLA)) values[H_WITHIN_SLA]++;
        if (c.a() >= 0) {
            values[H_QUEUED]++;
            values[H_QUEUE_SUM] += c.a();
            values[H_QUEUE_BUCKET_BASE + bucketOf(c.a())]++;
        }
        HangupRating rating = HangupRating.values()[c.b()];
        if (rating == HangupRating.SATISFIED || rating == HangupRating.NEUTRAL || rating == HangupRating.DISSATISFIED) {
            values[H_RATED]++;
            if (rating == HangupRating.SATISFIED) values[H_SATISFIED]++;
            if (rating == HangupRating.DISSATISFIED) values[H_DISSATISFIED]++;
        }
    }

    static int bucketOf(int seconds) {
        for (int i = 0; i < QUEUE_BUCKET_EDGES.length; i++) {
            if (seconds <= QUEUE_BUCKET_EDGES[i]) {
                return i;
            }
        }
        return QUEUE_BUCKET_EDGES.length;
    }

    private void addStoreTransaction(Contribution c) {
        values[S_TRANSACTIONS]++;
        if (!c.flag(Contributions.SUCCESS)) values[S_FAILED]++;
        if (c.flag(Contributions.WITHIN_WAIT_TARGET)) values[S_WITHIN_TARGET]++;
        values[S_WAIT_SUM] += c.a();
    }

    private void addSurveyResponse(Contribution c) {
        values[V_RESPONSES]++;
        values[V_SCORE_SUM] += c.a();
        if (c.a() >= 8) values[V_HIGH]++;
        if (c.a() <= 4) values[V_LOW]++;
        if (c.b() >= 0) {
            values[V_UNDERSTAND_N]++;
            values[V_UNDERSTAND_SUM] += c.b();
        }
        if (c.c() >= 0) {
            values[V_HANDLE_N]++;
            values[V_HANDLE_SUM] += c.c();
        }
    }

    /** Element-wise sum: windows roll up exactly. */
    public void merge(HealthCounters other) {
        for (int i = 0; i < SIZE; i++) {
            values[i] += other.values[i];
        }
        other.complaintsByRegion.forEach((region, count) -> complaintsByRegion.merge(region, count, Long::sum));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HealthCounters other && Arrays.equals(values, other.values)
                && complaintsByRegion.equals(other.complaintsByRegion);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
