package io.servicehealth.score;

import io.servicehealth.schema.ChannelKpis;
import io.servicehealth.schema.ComplaintKpis;
import io.servicehealth.schema.Dimension;
import io.servicehealth.schema.HotlineKpis;
import io.servicehealth.schema.SatisfactionKpis;
import io.servicehealth.schema.StoreKpis;

/**
 * The KPIs of one entity and window: the published figures (Avro records) and the values the
 * scorer reads, with each dimension's sample count. The scorer's inputs are arrays by ordinal, not
 * maps: every scored record (several per event) builds one snapshot.
 *
 * @param values  by {@link Kpi#ordinal()}; NaN where the window has no value for that KPI
 * @param samples by {@link Dimension#ordinal()}
 */
public record KpiSnapshot(ComplaintKpis complaints, HotlineKpis hotline, StoreKpis store, ChannelKpis channel,
                          SatisfactionKpis satisfaction, double[] values, long[] samples) {
    static final int KPIS = Kpi.values().length;
    static final int DIMENSIONS = Dimension.values().length;

    /** The KPI's value, or NaN when the window has none (no denominator). */
    public double value(Kpi kpi) {
        return values[kpi.ordinal()];
    }

    public long samples(Dimension dimension) {
        return samples[dimension.ordinal()];
    }
}
