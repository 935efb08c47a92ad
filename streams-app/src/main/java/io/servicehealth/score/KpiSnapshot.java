package io.servicehealth.score;

import io.servicehealth.schema.ChannelKpis;
import io.servicehealth.schema.ComplaintKpis;
import io.servicehealth.schema.Dimension;
import io.servicehealth.schema.HotlineKpis;
import io.servicehealth.schema.SatisfactionKpis;
import io.servicehealth.schema.StoreKpis;

import java.util.Map;

/**
 * The KPIs of one entity and window: the published figures (Avro records) and the values the
 * scorer reads, with each dimension's sample count.
 */
public record KpiSnapshot(ComplaintKpis complaints, HotlineKpis hotline, StoreKpis store, ChannelKpis channel,
                          SatisfactionKpis satisfaction, Map<Kpi, Double> values, Map<Dimension, Long> samples) {
}
