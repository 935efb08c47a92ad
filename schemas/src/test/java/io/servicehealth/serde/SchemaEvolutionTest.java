package io.servicehealth.serde;

import io.servicehealth.registry.InMemorySchemaRegistry;
import io.servicehealth.registry.SchemaRegistryException;
import io.servicehealth.schema.CustomerSegment;
import io.servicehealth.schema.SurveyChannel;
import io.servicehealth.schema.SurveyResponseEvent;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SchemaEvolutionTest {
    /** Version 1 of the survey contract: no sub-scores, no segment, a smaller channel enum. */
    private static final Schema V1 = new Schema.Parser().parse("""
            {"type":"record","name":"SurveyResponseEvent","namespace":"io.servicehealth.schema","fields":[
              {"name":"eventId","type":"string"},
              {"name":"customerId","type":["null","string"],"default":null},
              {"name":"productId","type":["null","string"],"default":null},
              {"name":"campaignId","type":["null","string"],"default":null},
              {"name":"regionId","type":["null","string"],"default":null},
              {"name":"surveyChannel","type":{"type":"enum","name":"SurveyChannel","symbols":["UNKNOWN","OUTBOUND_CALL","SMS"],"default":"UNKNOWN"},"default":"UNKNOWN"},
              {"name":"score","type":"int"},
              {"name":"respondedAt","type":{"type":"long","logicalType":"timestamp-millis"}}]}""");

    /** A later version: one new optional field and one new channel symbol this build does not know. */
    private static final Schema V3 = new Schema.Parser().parse("""
            {"type":"record","name":"SurveyResponseEvent","namespace":"io.servicehealth.schema","fields":[
              {"name":"eventId","type":"string"},
              {"name":"customerId","type":["null","string"],"default":null},
              {"name":"productId","type":["null","string"],"default":null},
              {"name":"campaignId","type":["null","string"],"default":null},
              {"name":"regionId","type":["null","string"],"default":null},
              {"name":"surveyChannel","type":{"type":"enum","name":"SurveyChannel","symbols":["UNKNOWN","OUTBOUND_CALL","SMS","ONLINE","IN_STORE","WECHAT"],"default":"UNKNOWN"},"default":"UNKNOWN"},
              {"name":"score","type":"int"},
              {"name":"easeOfUnderstanding","type":["null","int"],"default":null},
              {"name":"easeOfHandling","type":["null","int"],"default":null},
              {"name":"segment","type":{"type":"enum","name":"CustomerSegment","symbols":["UNKNOWN","CORE_HIGH_VALUE","CORE_ENTERPRISE","MASS_MARKET"],"default":"UNKNOWN"},"default":"UNKNOWN"},
              {"name":"interviewer","type":["null","string"],"default":null},
              {"name":"respondedAt","type":{"type":"long","logicalType":"timestamp-millis"}}]}""");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    private byte[] writeGeneric(Schema schema, GenericRecord record) throws IOException {
        int id = registry.register("surveys-value", schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void shouldReadDataWrittenWithOlderSchemaFillingDefaults() throws IOException {
        GenericRecord old = new GenericData.Record(V1);
        old.put("eventId", "s-1");
        old.put("surveyChannel", new GenericData.EnumSymbol(V1.getField("surveyChannel").schema(), "SMS"));
        old.put("score", 7);
        old.put("respondedAt", 1_700_000_000_000L);

        SurveyResponseEvent read = new AvroWireDeserializer<SurveyResponseEvent>(SurveyResponseEvent.getClassSchema(), registry)
                .deserialize("surveys", writeGeneric(V1, old));

        assertEquals("s-1", read.getEventId());
        assertEquals(7, read.getScore());
        assertEquals(SurveyChannel.SMS, read.getSurveyChannel());
        assertNull(read.getEaseOfHandling());
        assertEquals(CustomerSegment.UNKNOWN, read.getSegment());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), read.getRespondedAt());
    }

    @Test
    void shouldReadDataWrittenWithNewerSchemaIgnoringNewFieldAndDefaultingNewSymbol() throws IOException {
        GenericRecord newer = new GenericData.Record(V3);
        newer.put("eventId", "s-2");
        newer.put("surveyChannel", new GenericData.EnumSymbol(V3.getField("surveyChannel").schema(), "WECHAT"));
        newer.put("score", 9);
        newer.put("easeOfHandling", 8);
        newer.put("segment", new GenericData.EnumSymbol(V3.getField("segment").schema(), "MASS_MARKET"));
        newer.put("interviewer", "agent-7");
        newer.put("respondedAt", 1_700_000_000_000L);
        registry.register("surveys-value", SurveyResponseEvent.getClassSchema());

        SurveyResponseEvent read = new AvroWireDeserializer<SurveyResponseEvent>(SurveyResponseEvent.getClassSchema(), registry)
                .deserialize("surveys", writeGeneric(V3, newer));

        assertEquals(9, read.getScore());
        assertEquals(8, read.getEaseOfHandling());
        assertEquals(CustomerSegment.MASS_MARKET, read.getSegment());
        assertEquals(SurveyChannel.UNKNOWN, read.getSurveyChannel(), "an unknown symbol resolves to the enum's default");
    }

    @Test
    void shouldRefuseToRegisterAnIncompatibleVersion() {
        registry.register("surveys-value", V1);
        Schema breaking = new Schema.Parser().parse("""
                {"type":"record","name":"SurveyResponseEvent","namespace":"io.servicehealth.schema","fields":[
                  {"name":"eventId","type":"string"},{"name":"mandatoryNew","type":"string"}]}""");

        var e = assertThrows(SchemaRegistryException.class, () -> registry.register("surveys-value", breaking));
        assertEquals(409, e.errorCode());
    }
}
