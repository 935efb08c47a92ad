package io.servicehealth.bench;

import io.servicehealth.schema.*;
import org.apache.avro.specific.SpecificRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * The peer benchmark's workload shape in this project's own events: N events round-robin over the four
 * topics, uniform over 10,000 products and 100,000 campaigns (and 12 regions), seven days of event time
 * from 2026-01-05 with ±5 minutes of jitter, keyed by subscriber id. Deterministic for a seed. The
 * cardinality stage scales the product and campaign counts; the latency stage stamps events with the
 * wall clock instead.
 */
final class Workload {
    static final int PRODUCTS = 10_000;
    static final int CAMPAIGNS = 100_000;
    static final String[] REGIONS = {"GZ", "SZ", "FS", "DG", "ZS", "ZH", "JM", "ST", "HZ", "MZ", "ZJ", "QY"};
    static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    static final Duration SPAN = Duration.ofDays(7);

    private final long events;
    private final Random random;
    private final int products;
    private final int campaigns;

    Workload(long events, long seed) {
        this(events, seed, PRODUCTS, CAMPAIGNS);
    }

    Workload(long events, long seed, int products, int campaigns) {
        this.events = events;
        this.random = new Random(seed);
        this.products = products;
        this.campaigns = campaigns;
    }

    /** Distinct entities the workload updates: products, campaigns, the parents among them, regions. */
    static long entities(int products, int campaigns) {
        return products + campaigns + REGIONS.length;
    }

    record Event(int topic, String key, SpecificRecord value) {
    }

    Event event(long i) {
        long base = START.toEpochMilli() + i * SPAN.toMillis() / events;
        return eventAt(i, Instant.ofEpochMilli(base + random.nextInt(600_001) - 300_000));
    }

    Event eventAt(long i, Instant t) {
        String key = "sub-" + random.nextInt(5_000_000);
        String product = "P" + random.nextInt(products);
        String campaign = "C" + random.nextInt(campaigns);
        String region = REGIONS[random.nextInt(REGIONS.length)];
        int topic = (int) (i % 4);
        SpecificRecord value = switch (topic) {
            case 0 -> ComplaintEvent.newBuilder().setEventId("c" + i).setCustomerId(key).setProductId(product).setCampaignId(campaign)
                    .setRegionId(region).setCategory(ComplaintCategory.values()[1 + random.nextInt(4)])
                    .setCause(ComplaintCause.values()[1 + random.nextInt(8)]).setBusinessType(ComplaintBusinessType.MARKETING)
                    .setRepeatComplaint(random.nextInt(10) == 0).setFirstContactResolved(random.nextInt(5) != 0).setOpenedAt(t).build();
            case 1 -> HotlineCallEvent.newBuilder().setEventId("h" + i).setCustomerId(key).setProductId(product).setCampaignId(campaign)
                    .setRegionId(region).setIvrSelfServed(random.nextInt(100) < 79).setTransferredToAgent(random.nextInt(100) >= 79)
                    .setQueueSeconds(random.nextInt(120)).setIntent(CallIntent.ENQUIRY).setHangupRating(HangupRating.SATISFIED).setCalledAt(t).build();
            case 2 -> StoreTransactionEvent.newBuilder().setEventId("s" + i).setCustomerId(key).setProductId(product).setCampaignId(campaign)
                    .setRegionId(region).setChannel(StoreChannel.OWN_STORE).setAction(StoreAction.SUBSCRIBE).setSuccess(random.nextInt(30) != 0)
                    .setWaitSeconds(random.nextInt(1800)).setOccurredAt(t).build();
            default -> SurveyResponseEvent.newBuilder().setEventId("v" + i).setCustomerId(key).setProductId(product).setCampaignId(campaign)
                    .setRegionId(region).setSurveyChannel(SurveyChannel.OUTBOUND_CALL).setScore(1 + random.nextInt(10))
                    .setSegment(CustomerSegment.MASS_MARKET).setRespondedAt(t).build();
        };
        return new Event(topic, key, value);
    }

    static CatalogEntry product(int p) {
        return CatalogEntry.newBuilder().setKind(EntityKind.PRODUCT).setId("P" + p).setProductClass(1 + p % 3)
                .setSubscriberBase(20_000L + p % 1000 * 100L).setValidFrom(START.minus(Duration.ofDays(30))).build();
    }

    static CatalogEntry campaign(int c) {
        CatalogEntry.Builder b = CatalogEntry.newBuilder().setKind(EntityKind.CAMPAIGN).setId("C" + c)
                .setCampaignCategory(CampaignCategory.values()[1 + c % 6]).setSubscriberBase(5_000L + c % 500 * 100L)
                .setValidFrom(START.minus(Duration.ofDays(30)));
        if (c % 10 == 9) {
            b.setParentCampaignId("C" + (c - 9)); // a tenth are sub-activities
        }
        return b.build();
    }
}
