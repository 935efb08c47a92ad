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
        // the all-arguments constructor, not the builder: a builder copies the schema's field list and
        // keeps a flag per field, for a record built several times per event
        return new ServiceHealth(EntityKey.kind(entityKey), EntityKey.id(entityKey),
                entry == null ? null : entry.getName(),
                entry == null ? null : entry.getCampaignCategory(),
                entry == null ? null : entry.getProductClass(),
                entry == null ? null : entry.getParentCampaignId(),
                window.size(), Instant.ofEpochMilli(window.start()), Instant.ofEpochMilli(window.end()), isFinal,
                counters.get(HealthCounters.EVENTS), Instant.ofEpochMilli(Math.max(lastEventTime, window.start())), base,
                kpis.complaints(), kpis.hotline(), kpis.store(), kpis.channel(), kpis.satisfaction(),
                result.dimensions(), result.score(), result.grade());
    }
}
