package io.servicehealth.demo;

import io.servicehealth.schema.*;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Simulated traffic of the four streams for one simulated hour at a time, from the domain brief:
 * a daily rhythm (quiet nights, busy days) of hotline calls — ~79 % self-served in the IVR — store
 * transactions and survey responses, rare complaints (about 1.5 per 10,000 subscribers a month), and
 * a few campaigns that degrade: their complaints climb day by day and their survey scores drop.
 * Deterministic for a seed.
 */
public final class TrafficSimulator {
    /** Relative traffic by local hour of day. */
    private static final double[] RHYTHM = {0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 1.0, 1.3, 1.4, 1.3, 1.1, 1.2, 1.3, 1.3, 1.2, 1.1, 1.0, 1.0, 0.9, 0.7, 0.5, 0.3};
    private final DemoCatalog catalog;
    private final Random random;
    private final ZoneId zone;
    private final int callsPerHour;
    private final Set<Integer> degrading;
    private final Instant degradeFrom;
    private long sequence;

    public TrafficSimulator(DemoCatalog catalog, long seed, ZoneId zone, int callsPerHour, Set<Integer> degrading, Instant degradeFrom) {
        this.catalog = catalog;
        this.random = new Random(seed);
        this.zone = zone;
        this.callsPerHour = callsPerHour;
        this.degrading = Set.copyOf(degrading);
        this.degradeFrom = degradeFrom;
    }

    /** A simulated event with the customer id that keys it. */
    public record Event(String customerId, SpecificRecord value, long time) {
    }

    public List<Event> hour(Instant hourStart) {
        int localHour = hourStart.atZone(zone).getHour();
        double rhythm = RHYTHM[localHour];
        List<Event> events = new ArrayList<>();
        int calls = (int) (callsPerHour * rhythm);
        for (int i = 0; i < calls; i++) {
            events.add(call(at(hourStart)));
        }
        for (int i = 0; i < calls * 2 / 3; i++) {
            events.add(store(at(hourStart)));
        }
        for (int i = 0; i < calls / 6; i++) {
            events.add(survey(at(hourStart), -1));
        }
        // background complaints: ~1.5 per 10,000 subscribers a month, spread over all campaigns
        double complaintsPerHour = 1.5 / 10_000 / 720 * totalCampaignBase() * rhythm;
        int complaints = (int) complaintsPerHour + (random.nextDouble() < complaintsPerHour % 1 ? 1 : 0);
        for (int i = 0; i < complaints; i++) {
            events.add(complaint(at(hourStart), random.nextInt(DemoCatalog.CAMPAIGNS)));
        }
        if (!hourStart.isBefore(degradeFrom) && rhythm >= 0.7) {
            long day = (hourStart.toEpochMilli() - degradeFrom.toEpochMilli()) / 86_400_000L;
            for (int campaign : degrading) {
                int n = (int) Math.min(8, 3 + day);
                for (int i = 0; i < n; i++) {
                    events.add(complaint(at(hourStart), campaign));
                }
                for (int i = 0; i < 2; i++) {
                    events.add(survey(at(hourStart), campaign));
                }
            }
        }
        events.sort((a, b) -> Long.compare(a.time(), b.time()));
        return events;
    }

    private long totalCampaignBase() {
        long total = 0;
        for (long base : catalog.campaignBase) {
            total += base;
        }
        return total;
    }

    private Instant at(Instant hourStart) {
        return hourStart.plusMillis(random.nextInt(3_600_000));
    }

    private String customer() {
        return "cust-" + Long.toHexString(random.nextLong() & 0xffffffffffL);
    }

    private int campaignOrDegrading() {
        return random.nextInt(DemoCatalog.CAMPAIGNS);
    }

    private Event call(Instant t) {
        int c = campaignOrDegrading();
        boolean selfServed = random.nextDouble() < 0.79;
        boolean abandoned = !selfServed && random.nextDouble() < 0.06;
        Integer queue = selfServed ? null : (int) Math.min(900, Math.round(-12 * Math.log(1 - random.nextDouble())));
        double p = random.nextDouble();
        HangupRating rating = p < 0.55 ? HangupRating.SATISFIED : p < 0.63 ? HangupRating.NEUTRAL : p < 0.67 ? HangupRating.DISSATISFIED : HangupRating.NOT_RATED;
        HotlineCallEvent e = HotlineCallEvent.newBuilder().setEventId("h-" + (++sequence)).setCustomerId(customer())
                .setProductId(DemoCatalog.productId(catalog.campaignProduct[c])).setCampaignId(DemoCatalog.campaignId(c))
                .setRegionId(catalog.campaignRegion[c]).setIvrSelfServed(selfServed).setTransferredToAgent(!selfServed)
                .setQueueSeconds(queue).setAbandonedInQueue(abandoned).setTalkSeconds(selfServed ? null : 60 + random.nextInt(400))
                .setIntent(CallIntent.values()[1 + random.nextInt(3)]).setHangupRating(rating).setCalledAt(t).build();
        return new Event(e.getCustomerId(), e, t.toEpochMilli());
    }

    private Event store(Instant t) {
        int c = campaignOrDegrading();
        boolean failed = random.nextDouble() < 0.03;
        StoreTransactionEvent e = StoreTransactionEvent.newBuilder().setEventId("s-" + (++sequence)).setCustomerId(customer())
                .setProductId(DemoCatalog.productId(catalog.campaignProduct[c])).setCampaignId(DemoCatalog.campaignId(c))
                .setRegionId(catalog.campaignRegion[c]).setStoreId("store-" + random.nextInt(300))
                .setChannel(StoreChannel.values()[1 + random.nextInt(3)]).setAction(StoreAction.values()[1 + random.nextInt(4)])
                .setSuccess(!failed).setFailureReason(failed ? "system busy" : null)
                .setWaitSeconds((int) Math.min(3600, Math.round(-240 * Math.log(1 - random.nextDouble()))))
                .setHandlingSeconds(60 + random.nextInt(600)).setOccurredAt(t).build();
        return new Event(e.getCustomerId(), e, t.toEpochMilli());
    }

    private Event survey(Instant t, int campaign) {
        int c = campaign >= 0 ? campaign : campaignOrDegrading();
        boolean bad = degrading.contains(c) && !t.isBefore(degradeFrom);
        int score = bad ? 2 + random.nextInt(4) : Math.min(10, 6 + random.nextInt(5));
        SurveyResponseEvent e = SurveyResponseEvent.newBuilder().setEventId("v-" + (++sequence)).setCustomerId(customer())
                .setProductId(DemoCatalog.productId(catalog.campaignProduct[c])).setCampaignId(DemoCatalog.campaignId(c))
                .setRegionId(catalog.campaignRegion[c]).setSurveyChannel(SurveyChannel.OUTBOUND_CALL).setScore(score)
                .setEaseOfUnderstanding(Math.max(1, score - random.nextInt(2))).setEaseOfHandling(Math.max(1, score - random.nextInt(2)))
                .setSegment(CustomerSegment.values()[1 + random.nextInt(3)]).setRespondedAt(t).build();
        return new Event(e.getCustomerId(), e, t.toEpochMilli());
    }

    private Event complaint(Instant t, int c) {
        double p = random.nextDouble();
        ComplaintCategory category = p < 0.45 ? ComplaintCategory.VOICE : p < 0.9 ? ComplaintCategory.INTERNET : p < 0.97 ? ComplaintCategory.MESSAGING : ComplaintCategory.OTHER;
        ComplaintEvent e = ComplaintEvent.newBuilder().setEventId("c-" + (++sequence)).setCustomerId(customer())
                .setProductId(DemoCatalog.productId(catalog.campaignProduct[c])).setCampaignId(DemoCatalog.campaignId(c))
                .setRegionId(catalog.campaignRegion[c]).setChannel("10086").setSource(ComplaintSource.CRM).setCategory(category)
                .setBusinessType(degrading.contains(c) ? ComplaintBusinessType.MARKETING : ComplaintBusinessType.values()[1 + random.nextInt(7)])
                .setCause(degrading.contains(c) ? ComplaintCause.BUSINESS_RULE : ComplaintCause.values()[1 + random.nextInt(8)])
                .setRepeatComplaint(random.nextDouble() < 0.1).setFirstContactResolved(random.nextDouble() < 0.82)
                .setOpenedAt(t).build();
        return new Event(e.getCustomerId(), e, t.toEpochMilli());
    }
}
