package io.servicehealth.serde;

import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.CatalogKey;
import io.servicehealth.schema.ComplaintEvent;
import io.servicehealth.schema.EntityAlertState;
import io.servicehealth.schema.EntityRef;
import io.servicehealth.schema.HealthAlert;
import io.servicehealth.schema.HealthResultKey;
import io.servicehealth.schema.HealthUpdateKey;
import io.servicehealth.schema.HotlineCallEvent;
import io.servicehealth.schema.LateEvent;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.schema.StoreTransactionEvent;
import io.servicehealth.schema.SurveyResponseEvent;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The compiled writer is held to Avro's own: for random records of every schema the project owns
 * (nulls and values in every union, empty and filled maps and arrays, every enum symbol), the bytes
 * equal {@link SpecificDatumWriter}'s. A schema change that the compiled writer mishandles fails here.
 */
class CompiledDatumWriterTest {
    private static final List<Class<? extends SpecificRecord>> RECORDS = List.of(ServiceHealth.class, HealthAlert.class,
            EntityAlertState.class, ComplaintEvent.class, HotlineCallEvent.class, StoreTransactionEvent.class,
            SurveyResponseEvent.class, CatalogEntry.class, CatalogKey.class, LateEvent.class, EntityRef.class,
            HealthResultKey.class, HealthUpdateKey.class);

    @Test
    void shouldWriteTheSameBytesAsAvrosSpecificWriterForRandomRecordsOfEverySchema() throws IOException {
        Random random = new Random(20261126);
        for (Class<? extends SpecificRecord> type : RECORDS) {
            Schema schema = SpecificData.get().getSchema(type);
            DatumWriter<Object> compiled = CompiledDatumWriter.compile(schema);
            DatumWriter<Object> reference = new SpecificDatumWriter<>(schema);
            for (int i = 0; i < 300; i++) {
                Object record = randomValue(schema, random, 0);
                assertArrayEquals(bytes(reference, record), bytes(compiled, record), type.getSimpleName() + " #" + i + ": " + record);
            }
        }
    }

    @Test
    void shouldRefuseALogicalTypeItDoesNotKnowSoTheCallerUsesTheGenericWriter() {
        Schema decimal = LogicalTypes.decimal(9, 2).addToSchema(Schema.create(Schema.Type.BYTES));
        assertThrows(UnsupportedOperationException.class, () -> CompiledDatumWriter.compile(decimal));
    }

    private static byte[] bytes(DatumWriter<Object> writer, Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Object randomValue(Schema s, Random random, int depth) {
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return Instant.ofEpochMilli(random.nextLong(4_000_000_000_000L));
        }
        if (s.getLogicalType() instanceof LogicalTypes.Date) {
            return LocalDate.ofEpochDay(random.nextInt(40_000));
        }
        return switch (s.getType()) {
            case RECORD -> {
                SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, s);
                for (Schema.Field f : s.getFields()) {
                    record.put(f.pos(), randomValue(f.schema(), random, depth + 1));
                }
                yield record;
            }
            case ENUM -> SpecificData.get().createEnum(s.getEnumSymbols().get(random.nextInt(s.getEnumSymbols().size())), s);
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                int n = depth > 3 ? 0 : random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    items.add(randomValue(s.getElementType(), random, depth + 1));
                }
                yield items;
            }
            case MAP -> {
                Map<String, Object> entries = new LinkedHashMap<>();
                int n = depth > 3 ? 0 : random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    entries.put("k" + random.nextInt(1000), randomValue(s.getValueType(), random, depth + 1));
                }
                yield entries;
            }
            case UNION -> randomValue(s.getTypes().get(random.nextInt(s.getTypes().size())), random, depth + 1);
            case FIXED -> SpecificData.get().createFixed(null, new byte[s.getFixedSize()], s);
            case STRING -> random.nextInt(5) == 0 ? "" : "s" + random.nextInt() + (random.nextBoolean() ? "区域" : "");
            case BYTES -> ByteBuffer.wrap(new byte[random.nextInt(8)]);
            case INT -> random.nextInt() >> random.nextInt(32);
            case LONG -> random.nextLong() >> random.nextInt(64);
            case FLOAT -> random.nextFloat();
            case DOUBLE -> random.nextBoolean() ? random.nextDouble() * 1000 : Double.NaN;
            case BOOLEAN -> random.nextBoolean();
            case NULL -> null;
        };
    }
}
