package io.servicehealth.aggregate;

/** What a repartitioned record carries. */
public enum ContributionType {
    COMPLAINT, HOTLINE_CALL, STORE_TRANSACTION, SURVEY_RESPONSE,
    /** No event: its source partition's progress, broadcast to every aggregating partition. */
    WATERMARK;

    private static final ContributionType[] VALUES = values();

    public static ContributionType of(int ordinal) {
        return VALUES[ordinal];
    }
}
