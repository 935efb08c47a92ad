package io.servicehealth.aggregate;

import io.servicehealth.schema.ComplaintCategory;
import io.servicehealth.schema.ComplaintCause;
import io.servicehealth.schema.HangupRating;

import java.util.Arrays;
import java.util.Map;

/**
 * The raw sums of one entity in one window, from which every KPI is derived. Plain counts and sums
 * only, so that windows merge exactly (a roll-up is an element-wise addition) and the per-event
 * update is a handful of array increments. Indexes are named constants, not a map of strings.
 * <p>
 * Stored sparsely: a bitmap of the counters in use and a packed array of their values in index
 * order. A window holds a few events of one or two kinds, so most of its {@value #SIZE} counters are
 * zero; a dense {@code long[SIZE]} made each entity (hour to month windows plus the settled copies
 * the alert rules read) ~9 KiB of heap, and at 100k cached entities the heap was full, the collector
 * took ~10 % of the run and the commit-time encoding stalled on cache misses. Reading a counter is a
 * population count; a counter's first use inserts it.
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

    static {
        if (SIZE > 64) {
            throw new IllegalStateException("the counters' presence bitmap is one long: at most 64 counters");
        }
    }

    /** Bit i set: counter i has a slot in {@link #packed} (at the rank of bit i). */
    private long present;
    /** Values of the present counters in index order; may have spare slots at the end. */
    private long[] packed;
    /** Null until the first complaint with a region (most windows never have one). */
    private RegionCounts complaintsByRegion;

    public HealthCounters() {
        this.packed = EMPTY;
    }

    private static final long[] EMPTY = new long[0];

    /** From the encoded form: {@code values} holds the counters of {@code mask}'s bits, in index order. */
    static HealthCounters of(long mask, long[] values, RegionCounts complaintsByRegion) {
        if (Long.bitCount(mask) != values.length) {
            throw new IllegalArgumentException("mask has " + Long.bitCount(mask) + " counters, values " + values.length);
        }
        HealthCounters c = new HealthCounters();
        c.present = mask;
        c.packed = values;
        c.complaintsByRegion = complaintsByRegion == null || complaintsByRegion.size() == 0 ? null : complaintsByRegion;
        return c;
    }

    public long get(int index) {
        long bit = 1L << index;
        return (present & bit) == 0 ? 0 : packed[Long.bitCount(present & (bit - 1))];
    }

    /** Bitmap of the counters that are not zero. */
    long nonZeroMask() {
        long mask = 0;
        int rank = 0;
        for (long rest = present; rest != 0; rest &= rest - 1, rank++) {
            if (packed[rank] != 0) {
                mask |= Long.lowestOneBit(rest);
            }
        }
        return mask;
    }

    private void add(int index, long delta) {
        if (delta == 0) {
            return;
        }
        long bit = 1L << index;
        int rank = Long.bitCount(present & (bit - 1));
        if ((present & bit) == 0) {
            int used = Long.bitCount(present);
            if (used == packed.length) {
                packed = Arrays.copyOf(packed, Math.min(SIZE, used + 8));
            }
            System.arraycopy(packed, rank, packed, rank + 1, used - rank);
            packed[rank] = 0;
            present |= bit;
        }
        packed[rank] += delta;
    }

    private void inc(int index) {
        add(index, 1);
    }

    public long cause(ComplaintCause cause) {
        return get(C_CAUSE_BASE + cause.ordinal());
    }

    public long queueBucket(int bucket) {
        return get(H_QUEUE_BUCKET_BASE + bucket);
    }

    public int queueBuckets() {
        return QUEUE_BUCKETS;
    }

    /** Read-only, in the order the regions first appeared; empty when no complaint named a region. */
    public Map<String, Long> complaintsByRegion() {
        return complaintsByRegion == null ? Map.of() : complaintsByRegion.toMap();
    }

    /** The counts themselves, for the state encoder; null when no complaint named a region. */
    RegionCounts regionsForEncoding() {
        return complaintsByRegion;
    }

    public void add(Contribution c) {
        inc(EVENTS);
        switch (c.type()) {
            case COMPLAINT -> addComplaint(c);
            case HOTLINE_CALL -> addHotlineCall(c);
            case STORE_TRANSACTION -> addStoreTransaction(c);
            case SURVEY_RESPONSE -> addSurveyResponse(c);
            case WATERMARK, IDLE -> add(EVENTS, -1);
        }
    }

    private void addComplaint(Contribution c) {
        inc(COMPLAINTS);
        inc(categoryIndex(c.a()));
        inc(C_CAUSE_BASE + c.b());
        if (c.flag(Contributions.REPEAT)) inc(C_REPEAT);
        if (c.flag(Contributions.FCR_KNOWN)) inc(C_FCR_KNOWN);
        if (c.flag(Contributions.FCR_YES)) inc(C_FCR_YES);
        if (c.regionId() != null) {
            if (complaintsByRegion == null) {
                complaintsByRegion = new RegionCounts(4);
            }
            complaintsByRegion.addOne(c.regionId(), MAX_REGIONS, OTHER_REGIONS);
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
        inc(H_CALLS);
        if (c.flag(Contributions.IVR_SELF_SERVED)) inc(H_IVR);
        if (c.flag(Contributions.TRANSFERRED)) inc(H_TRANSFERRED);
        if (c.flag(Contributions.ABANDONED)) inc(H_ABANDONED);
        if (c.flag(Contributions.WITHIN_SLA)) inc(H_WITHIN_SLA);
        if (c.a() >= 0) {
            inc(H_QUEUED);
            add(H_QUEUE_SUM, c.a());
            inc(H_QUEUE_BUCKET_BASE + bucketOf(c.a()));
        }
        HangupRating rating = HangupRating.values()[c.b()];
        if (rating == HangupRating.SATISFIED || rating == HangupRating.NEUTRAL || rating == HangupRating.DISSATISFIED) {
            inc(H_RATED);
            if (rating == HangupRating.SATISFIED) inc(H_SATISFIED);
            if (rating == HangupRating.DISSATISFIED) inc(H_DISSATISFIED);
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
        inc(S_TRANSACTIONS);
        if (!c.flag(Contributions.SUCCESS)) inc(S_FAILED);
        if (c.flag(Contributions.WITHIN_WAIT_TARGET)) inc(S_WITHIN_TARGET);
        add(S_WAIT_SUM, c.a());
    }

    private void addSurveyResponse(Contribution c) {
        inc(V_RESPONSES);
        add(V_SCORE_SUM, c.a());
        if (c.a() >= 8) inc(V_HIGH);
        if (c.a() <= 4) inc(V_LOW);
        if (c.b() >= 0) {
            inc(V_UNDERSTAND_N);
            add(V_UNDERSTAND_SUM, c.b());
        }
        if (c.c() >= 0) {
            inc(V_HANDLE_N);
            add(V_HANDLE_SUM, c.c());
        }
    }

    /** Element-wise sum: windows roll up exactly. One pass over both sparse layouts. */
    public void merge(HealthCounters other) {
        long union = present | other.present;
        if (union == present) { // nothing new: add in place
            int rank = 0;
            for (long rest = other.present; rest != 0; rest &= rest - 1, rank++) {
                long bit = Long.lowestOneBit(rest);
                packed[Long.bitCount(present & (bit - 1))] += other.packed[rank];
            }
        } else {
            long[] merged = new long[Long.bitCount(union)];
            int mine = 0;
            int theirs = 0;
            int i = 0;
            for (long rest = union; rest != 0; rest &= rest - 1, i++) {
                long bit = Long.lowestOneBit(rest);
                long v = 0;
                if ((present & bit) != 0) {
                    v += packed[mine++];
                }
                if ((other.present & bit) != 0) {
                    v += other.packed[theirs++];
                }
                merged[i] = v;
            }
            packed = merged;
            present = union;
        }
        if (other.complaintsByRegion != null) {
            if (complaintsByRegion == null) {
                complaintsByRegion = new RegionCounts(other.complaintsByRegion.size());
            }
            complaintsByRegion.addAll(other.complaintsByRegion);
        }
    }

    /**
     * Takes away the counts of a window inside this one (a larger window less a finer one it contains:
     * what the alert rules read "as settled"). Exact for counters, since every event of the finer window
     * is also in this one. A complaint region the finer window names but this one counts under
     * {@link #OTHER_REGIONS} (past {@link #MAX_REGIONS}) is taken from that bucket.
     */
    public void subtract(HealthCounters inner) {
        int rank = 0;
        for (long rest = inner.present; rest != 0; rest &= rest - 1, rank++) {
            add(Long.numberOfTrailingZeros(rest), -inner.packed[rank]);
        }
        if (inner.complaintsByRegion != null && complaintsByRegion != null) {
            complaintsByRegion.subtract(inner.complaintsByRegion, OTHER_REGIONS);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HealthCounters other) || nonZeroMask() != other.nonZeroMask()) {
            return false;
        }
        for (int i = 0; i < SIZE; i++) {
            if (get(i) != other.get(i)) {
                return false;
            }
        }
        return complaintsByRegion().equals(other.complaintsByRegion());
    }

    @Override
    public int hashCode() {
        long h = nonZeroMask();
        for (int i = 0; i < SIZE; i++) {
            h = 31 * h + get(i);
        }
        return Long.hashCode(h);
    }
}
