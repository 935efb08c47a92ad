package io.servicehealth.aggregate;

/** What a repartitioned record carries. */
public enum ContributionType {
    COMPLAINT, HOTLINE_CALL, STORE_TRANSACTION, SURVEY_RESPONSE,
    /** No event: its source partition's progress, broadcast to every aggregating partition. */
    WATERMARK,
    /**
     * No event: its source partition has delivered nothing for the idle timeout (wall clock), so the
     * low watermark goes on without it until it reports again. Repeated while the partition stays idle.
     */
    IDLE;

    private static final ContributionType[] VALUES = values();

    public static ContributionType of(int ordinal) {
        return VALUES[ordinal];
    }
}
