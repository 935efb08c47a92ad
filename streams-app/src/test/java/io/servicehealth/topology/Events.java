package io.servicehealth.topology;

import io.servicehealth.schema.*;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Short builders for test events: only what a specification needs to say. */
final class Events {
    private static final AtomicLong IDS = new AtomicLong();

    private Events() {
    }

    static String nextId(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    static ComplaintEvent.Builder complaint(String at) {
        return ComplaintEvent.newBuilder().setEventId(nextId("c")).setCustomerId("cust-" + IDS.get())
                .setCategory(ComplaintCategory.VOICE).setCause(ComplaintCause.NETWORK_FAULT)
                .setBusinessType(ComplaintBusinessType.NETWORK_COVERAGE).setOpenedAt(Instant.parse(at));
    }

    static HotlineCallEvent.Builder call(String at) {
        return HotlineCallEvent.newBuilder().setEventId(nextId("h")).setCustomerId("cust-" + IDS.get())
                .setIvrSelfServed(true).setTransferredToAgent(false).setCalledAt(Instant.parse(at))
                .setHangupRating(HangupRating.NOT_RATED);
    }

    static StoreTransactionEvent.Builder store(String at) {
        return StoreTransactionEvent.newBuilder().setEventId(nextId("s")).setCustomerId("cust-" + IDS.get())
                .setSuccess(true).setWaitSeconds(60).setAction(StoreAction.SUBSCRIBE).setOccurredAt(Instant.parse(at));
    }

    static SurveyResponseEvent.Builder survey(String at, int score) {
        return SurveyResponseEvent.newBuilder().setEventId(nextId("v")).setCustomerId("cust-" + IDS.get())
                .setScore(score).setRespondedAt(Instant.parse(at));
    }

    static CatalogEntry.Builder product(String id, long subscribers, String validFrom) {
        return CatalogEntry.newBuilder().setKind(EntityKind.PRODUCT).setId(id).setName("Product " + id)
                .setProductClass(1).setSubscriberBase(subscribers).setValidFrom(Instant.parse(validFrom));
    }

    static CatalogEntry.Builder campaign(String id, CampaignCategory category, long subscribers, String validFrom) {
        return CatalogEntry.newBuilder().setKind(EntityKind.CAMPAIGN).setId(id).setName("Campaign " + id)
                .setCampaignCategory(category).setCampaignLevel(CampaignLevel.PROVINCE)
                .setSubscriberBase(subscribers).setValidFrom(Instant.parse(validFrom));
    }

    static CatalogEntry.Builder region(String id, long subscribers, String validFrom) {
        return CatalogEntry.newBuilder().setKind(EntityKind.REGION).setId(id).setName("Region " + id)
                .setSubscriberBase(subscribers).setValidFrom(Instant.parse(validFrom));
    }
}
