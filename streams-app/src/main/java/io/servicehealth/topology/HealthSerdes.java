package io.servicehealth.topology;

import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.EntityAlertState;
import io.servicehealth.schema.EntityRef;
import io.servicehealth.schema.HealthAlert;
import io.servicehealth.schema.CatalogKey;
import io.servicehealth.schema.ComplaintEvent;
import io.servicehealth.schema.HealthResultKey;
import io.servicehealth.schema.HealthUpdateKey;
import io.servicehealth.schema.HotlineCallEvent;
import io.servicehealth.schema.LateEvent;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.schema.StoreTransactionEvent;
import io.servicehealth.schema.SurveyResponseEvent;
import io.servicehealth.serde.AvroSerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/** The serdes of every external topic, configured for one registry. */
public record HealthSerdes(Serde<ComplaintEvent> complaint, Serde<HotlineCallEvent> hotlineCall,
                           Serde<StoreTransactionEvent> storeTransaction, Serde<SurveyResponseEvent> surveyResponse,
                           Serde<CatalogKey> catalogKey, Serde<CatalogEntry> catalogEntry,
                           Serde<HealthUpdateKey> healthUpdateKey, Serde<HealthResultKey> healthResultKey,
                           Serde<ServiceHealth> serviceHealth, Serde<LateEvent> lateEvent,
                           Serde<EntityRef> entityRef, Serde<HealthAlert> healthAlert, Serde<EntityAlertState> alertState) {

    /** @param serdeConfig registry properties ({@code schema.registry.url} …) */
    public static HealthSerdes fromConfig(Map<String, ?> serdeConfig) {
        return new HealthSerdes(
                AvroSerde.of(ComplaintEvent.class, serdeConfig, false),
                AvroSerde.of(HotlineCallEvent.class, serdeConfig, false),
                AvroSerde.of(StoreTransactionEvent.class, serdeConfig, false),
                AvroSerde.of(SurveyResponseEvent.class, serdeConfig, false),
                AvroSerde.of(CatalogKey.class, serdeConfig, true),
                AvroSerde.of(CatalogEntry.class, serdeConfig, false),
                AvroSerde.of(HealthUpdateKey.class, serdeConfig, true),
                AvroSerde.of(HealthResultKey.class, serdeConfig, true),
                AvroSerde.of(ServiceHealth.class, serdeConfig, false),
                AvroSerde.of(LateEvent.class, serdeConfig, false),
                AvroSerde.of(EntityRef.class, serdeConfig, true),
                AvroSerde.of(HealthAlert.class, serdeConfig, false),
                AvroSerde.of(EntityAlertState.class, serdeConfig, false));
    }

    /** One serializer for the four event types, for producers that write all of them (demo, benchmark, tests). */
    public Serializer<SpecificRecord> eventSerializer() {
        return (topic, event) -> {
            if (event instanceof ComplaintEvent e) return complaint.serializer().serialize(topic, e);
            if (event instanceof HotlineCallEvent e) return hotlineCall.serializer().serialize(topic, e);
            if (event instanceof StoreTransactionEvent e) return storeTransaction.serializer().serialize(topic, e);
            if (event instanceof SurveyResponseEvent e) return surveyResponse.serializer().serialize(topic, e);
            throw new IllegalArgumentException("not an input event: " + (event == null ? null : event.getClass().getName()));
        };
    }

    /** Input keys are pseudonymous customer ids in any encoding: kept as bytes, never decoded. */
    public Serde<org.apache.kafka.common.utils.Bytes> inputKey() {
        return Serdes.Bytes();
    }
}
