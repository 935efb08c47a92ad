package io.servicehealth.serde;

import io.servicehealth.registry.MockRegistries;
import io.servicehealth.schema.EntityKind;
import io.servicehealth.schema.EntityRef;
import io.servicehealth.schema.HealthResultKey;
import io.servicehealth.schema.WindowSize;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bytes are written by hand from the format's definition, not produced by the code under test. */
class WireFormatTest {
    private static final String SCOPE = "wire-format-test";
    private static final Map<String, String> CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);

    @AfterEach
    void dropRegistry() {
        MockRegistries.drop(SCOPE);
    }

    @Test
    void shouldWriteEntityRefAsMagicByteSchemaIdAndAvroBody() {
        var serde = AvroSerde.of(EntityRef.class, CONFIG, true);
        // 00 = magic; 00000001 = first id of a fresh registry; 02 = enum index 1 (PRODUCT) zig-zag;
        // 04 = string length 2 zig-zag; 70 31 = "p1"
        byte[] expected = HexFormat.of().parseHex("00" + "00000001" + "02" + "04" + "7031");
        EntityRef record = new EntityRef(EntityKind.PRODUCT, "p1");

        assertArrayEquals(expected, serde.serializer().serialize("alerts", record));
        assertEquals(record, serde.deserializer().deserialize("alerts", expected));
    }

    @Test
    void shouldWriteTimestampAsZigZagVarint() {
        var serde = AvroSerde.of(HealthResultKey.class, CONFIG, true);
        // CAMPAIGN = index 2 -> 04; "c7" -> 04 63 37; DAY = index 2 -> 04;
        // 1000 ms -> zig-zag 2000 = 0b1111_1010000 -> varint d0 0f
        byte[] expected = HexFormat.of().parseHex("00" + "00000001" + "04" + "046337" + "04" + "d00f");
        HealthResultKey record = new HealthResultKey(EntityKind.CAMPAIGN, "c7", WindowSize.DAY, Instant.ofEpochMilli(1000));

        assertArrayEquals(expected, serde.serializer().serialize("health-results", record));
        assertEquals(record, serde.deserializer().deserialize("health-results", expected));
    }

    @Test
    void shouldRegisterKeyAndValueUnderTopicNameSubjects() {
        var serde = AvroSerde.of(EntityRef.class, CONFIG, true);
        serde.serializer().serialize("alerts", new EntityRef(EntityKind.REGION, "r1"));

        assertEquals(java.util.List.of("alerts-key"), MockRegistries.scope(SCOPE).subjects());
    }

    @Test
    void shouldWriteTheNextRecordWholeAfterOneFailedHalfWay() {
        var serde = AvroSerde.of(EntityRef.class, CONFIG, true);
        // the kind is encoded before the null id fails: none of it may reach the next record
        assertThrows(SerializationException.class, () -> serde.serializer().serialize("alerts", new EntityRef(EntityKind.PRODUCT, null)));

        byte[] expected = HexFormat.of().parseHex("00" + "00000001" + "02" + "04" + "7031");
        assertArrayEquals(expected, serde.serializer().serialize("alerts", new EntityRef(EntityKind.PRODUCT, "p1")));
    }

    @Test
    void shouldWriteRecordsLargerThanTheReusedBuffer() {
        var serde = AvroSerde.of(EntityRef.class, CONFIG, true);
        String id = "x".repeat(5000);
        // 5000 zig-zag = 10000 = 0b1001110_0010000 -> varint 90 4e
        byte[] expected = HexFormat.of().parseHex("00" + "00000001" + "02" + "904e" + "78".repeat(5000));

        assertArrayEquals(expected, serde.serializer().serialize("alerts", new EntityRef(EntityKind.PRODUCT, id)));
        assertArrayEquals(HexFormat.of().parseHex("00" + "00000001" + "02" + "04" + "7031"),
                serde.serializer().serialize("alerts", new EntityRef(EntityKind.PRODUCT, "p1")));
    }
}
