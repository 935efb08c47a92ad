package io.servicehealth.serde;

import io.servicehealth.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

import java.util.Map;

/** A Kafka {@code Serde} for one generated Avro class, in Confluent's wire format. */
public final class AvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    private AvroSerde(AvroWireSerializer<T> serializer, AvroWireDeserializer<T> deserializer) {
        super(serializer, deserializer);
    }

    /** A serde that reads its registry from {@link #configure(Map, boolean)}. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        var schema = SpecificData.get().getSchema(type);
        return new AvroSerde<>(new AvroWireSerializer<>(schema), new AvroWireDeserializer<>(schema));
    }

    /** A serde bound to a registry client, configured already. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaRegistryClient registry, boolean isKey) {
        var schema = SpecificData.get().getSchema(type);
        return new AvroSerde<>(new AvroWireSerializer<>(schema, registry, isKey, true), new AvroWireDeserializer<>(schema, registry));
    }

    /** Configured from serde properties. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Map<String, ?> configs, boolean isKey) {
        AvroSerde<T> serde = of(type);
        serde.configure(configs, isKey);
        return serde;
    }
}
