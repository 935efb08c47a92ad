package io.servicehealth.aggregate;

import io.servicehealth.schema.ComplaintEvent;
import io.servicehealth.schema.HangupRating;
import io.servicehealth.schema.HotlineCallEvent;
import io.servicehealth.schema.StoreTransactionEvent;
import io.servicehealth.schema.SurveyResponseEvent;

/** Builds the {@link Contribution} of each event type; the one place that knows the field layout. */
public final class Contributions {
    // complaint: a = category ordinal, b = cause ordinal
    public static final int REPEAT = 1, FCR_KNOWN = 2, FCR_YES = 4;
    // hotline: a = queue seconds (-1 when not queued), b = hang-up rating ordinal
    public static final int IVR_SELF_SERVED = 1, TRANSFERRED = 2, ABANDONED = 4, WITHIN_SLA = 8;
    // store: a = wait seconds
    public static final int SUCCESS = 1, WITHIN_WAIT_TARGET = 2;
    // survey: a = score, b = ease of understanding (-1 = none), c = ease of handling (-1 = none)

    private final int hotlineSlaSeconds;
    private final int storeWaitTargetSeconds;

    public Contributions(int hotlineSlaSeconds, int storeWaitTargetSeconds) {
        this.hotlineSlaSeconds = hotlineSlaSeconds;
        this.storeWaitTargetSeconds = storeWaitTargetSeconds;
    }

    public Contribution complaint(ComplaintEvent e, long time, int source, long progress) {
        int flags = (e.getRepeatComplaint() ? REPEAT : 0);
        Boolean fcr = e.getFirstContactResolved();
        if (fcr != null) {
            flags |= FCR_KNOWN | (fcr ? FCR_YES : 0);
        }
        return new Contribution(ContributionType.COMPLAINT, time, source, progress,
                e.getCategory().ordinal(), e.getCause().ordinal(), 0, flags, e.getRegionId());
    }

    public Contribution hotline(HotlineCallEvent e, long time, int source, long progress) {
        Integer queue = e.getQueueSeconds();
        int flags = (e.getIvrSelfServed() ? IVR_SELF_SERVED : 0)
                | (e.getTransferredToAgent() ? TRANSFERRED : 0)
                | (e.getAbandonedInQueue() ? ABANDONED : 0);
        // service level: a transferred call answered (not abandoned) within the target
        if (e.getTransferredToAgent() && !e.getAbandonedInQueue() && (queue == null || queue <= hotlineSlaSeconds)) {
            flags |= WITHIN_SLA;
        }
        HangupRating rating = e.getHangupRating();
        return new Contribution(ContributionType.HOTLINE_CALL, time, source, progress,
                queue == null ? -1 : queue, rating.ordinal(), 0, flags, null);
    }

    public Contribution store(StoreTransactionEvent e, long time, int source, long progress) {
        int flags = (e.getSuccess() ? SUCCESS : 0) | (e.getWaitSeconds() <= storeWaitTargetSeconds ? WITHIN_WAIT_TARGET : 0);
        return new Contribution(ContributionType.STORE_TRANSACTION, time, source, progress,
                e.getWaitSeconds(), 0, 0, flags, null);
    }

    public Contribution survey(SurveyResponseEvent e, long time, int source, long progress) {
        return new Contribution(ContributionType.SURVEY_RESPONSE, time, source, progress,
                e.getScore(), orMinusOne(e.getEaseOfUnderstanding()), orMinusOne(e.getEaseOfHandling()), 0, null);
    }

    private static int orMinusOne(Integer value) {
        return value == null ? -1 : value;
    }
}
