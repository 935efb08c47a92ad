package io.servicehealth.score;

import io.servicehealth.aggregate.EntityKey;
import io.servicehealth.aggregate.HealthCounters;
import io.servicehealth.aggregate.OpenWindow;
import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.window.Window;

import java.time.Instant;

/** Turns a window's counters and the catalog entry valid in it into the published {@link ServiceHealth}. */
public final class HealthAssembler {
    private final ScoreModel model;

    public HealthAssembler(ScoreModel model) {
        this.model = model;
    }

    public ServiceHealth assemble(String entityKey, OpenWindow open, CatalogEntry entry, boolean isFinal) {
        return assemble(entityKey, open.window(), open.counters(), open.lastEventTime(), entry, isFinal);
    }

    public ServiceHealth assemble(String entityKey, Window window, HealthCounters counters, long lastEventTime,
                                  CatalogEntry entry, boolean isFinal) {
        Long base = entry == null ? null : entry.getSubscriberBase();
        KpiSnapshot kpis = KpiCalculator.compute(counters, base, window.durationMs());
        Scorer.Result result = Scorer.score(kpis, model.policyFor(entry));
        return ServiceHealth.newBuilder()
                .setKind(EntityKey.kind(entityKey))
                .setId(EntityKey.id(entityKey))
                .setName(entry == null ? null : entry.getName())
                .setCampaignCategory(entry == null ? null : entry.getCampaignCategory())
                .setProductClass(entry == null ? null : entry.getProductClass())
                .setParentCampaignId(entry == null ? null : entry.getParentCampaignId())
                .setWindowSize(window.size())
                .setWindowStart(Instant.ofEpochMilli(window.start()))
                .setWindowEnd(Instant.ofEpochMilli(window.end()))
                .setFinal$(isFinal)
                .setEvents(counters.get(HealthCounters.EVENTS))
                .setLastEventTime(Instant.ofEpochMilli(Math.max(lastEventTime, window.start())))
                .setSubscriberBase(base)
                .setComplaints(kpis.complaints())
                .setHotline(kpis.hotline())
                .setStore(kpis.store())
                .setChannel(kpis.channel())
                .setSatisfaction(kpis.satisfaction())
                .setDimensions(result.dimensions())
                .setScore(result.score())
                .setGrade(result.grade())
                .build();
    }
}
