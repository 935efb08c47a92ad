package io.servicehealth.serde;

import io.servicehealth.registry.SchemaRegistryClient;
import io.servicehealth.registry.SchemaRegistryClients;
import io.servicehealth.registry.SchemaRegistryException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Confluent's wire format into a generated class: the writer schema is fetched by the id in
 * the payload and resolved against the class's schema, so producers may evolve compatibly.
 * Malformed input raises {@link SerializationException} naming the topic and the cause, never null.
 * A registry outage raises {@link RegistryUnavailableException} so that callers can tell it apart.
 */
public final class AvroWireDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readerByWriterId = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;

    public AvroWireDeserializer(Schema readerSchema) {
        this.readerSchema = readerSchema;
    }

    public AvroWireDeserializer(Schema readerSchema, SchemaRegistryClient registry) {
        this(readerSchema);
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClients.fromConfig(configs);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroWireDeserializer for " + readerSchema.getFullName() + " used before configure()");
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("malformed record on topic " + topic + ": " + data.length
                    + " bytes, shorter than the 5-byte wire-format header");
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException("malformed record on topic " + topic + ": unknown magic byte "
                    + (data[0] & 0xff) + " (expected 0, Confluent wire format)");
        }
        int id = ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
        SpecificDatumReader<T> reader = readerFor(topic, id);
        try {
            var decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("malformed record on topic " + topic + ": trailing bytes after the "
                        + readerSchema.getName() + " body (schema id " + id + ")");
            }
            return record;
        } catch (EOFException e) {
            throw new SerializationException("malformed record on topic " + topic + ": truncated "
                    + readerSchema.getName() + " body (schema id " + id + ")", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("malformed record on topic " + topic + ": cannot decode "
                    + readerSchema.getName() + " with schema id " + id + ": " + e, e);
        }
    }

    private SpecificDatumReader<T> readerFor(String topic, int id) {
        SpecificDatumReader<T> cached = readerByWriterId.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isRetriable()) {
                throw new RegistryUnavailableException("schema registry unavailable while reading topic " + topic
                        + " (schema id " + id + "): " + e.getMessage(), e);
            }
            throw new SerializationException("malformed record on topic " + topic + ": unknown schema id " + id
                    + " (" + e.getMessage() + ")", e);
        }
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            StringBuilder why = new StringBuilder();
            for (var incompatibility : compatibility.getResult().getIncompatibilities()) {
                why.append(why.length() == 0 ? "" : "; ").append(incompatibility.getType()).append(" at ")
                        .append(incompatibility.getLocation()).append(" (").append(incompatibility.getMessage()).append(')');
            }
            throw new SerializationException("record on topic " + topic + " was written with schema id " + id + " ("
                    + writer.getFullName() + "), which " + readerSchema.getFullName() + " cannot read: " + why,
                    new AvroTypeException(why.toString()));
        }
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(writer, readerSchema);
        readerByWriterId.put(id, reader);
        return reader;
    }
}
