package io.servicehealth.serde;

import io.servicehealth.registry.MockRegistries;
import io.servicehealth.schema.EntityRef;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MalformedPayloadTest {
    private static final String SCOPE = "malformed-test";
    private final AvroSerde<EntityRef> serde = AvroSerde.of(EntityRef.class, Map.of("schema.registry.url", "mock://" + SCOPE), false);

    @AfterEach
    void dropRegistry() {
        MockRegistries.drop(SCOPE);
    }

    private SerializationException decodeFails(String hex) {
        return assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("complaints", HexFormat.of().parseHex(hex)));
    }

    @Test
    void shouldNameTopicAndMagicByteWhenMagicByteIsWrong() {
        var e = decodeFails("01" + "00000001" + "02047031");
        assertTrue(e.getMessage().contains("complaints") && e.getMessage().contains("magic byte 1"), e.getMessage());
    }

    @Test
    void shouldNameTopicWhenPayloadIsShorterThanHeader() {
        var e = decodeFails("0000");
        assertTrue(e.getMessage().contains("complaints") && e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void shouldNameTopicAndIdWhenSchemaIdIsUnknown() {
        var e = decodeFails("00" + "0000002a" + "02047031");
        assertTrue(e.getMessage().contains("complaints") && e.getMessage().contains("unknown schema id 42"), e.getMessage());
    }

    @Test
    void shouldReportTruncatedBody() {
        byte[] good = serde.serializer().serialize("complaints", new EntityRef(io.servicehealth.schema.EntityKind.PRODUCT, "p1"));
        String truncated = HexFormat.of().formatHex(good).substring(0, (good.length - 1) * 2);
        var e = decodeFails(truncated);
        assertTrue(e.getMessage().contains("complaints") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shouldRejectTrailingGarbage() {
        byte[] good = serde.serializer().serialize("complaints", new EntityRef(io.servicehealth.schema.EntityKind.PRODUCT, "p1"));
        var e = decodeFails(HexFormat.of().formatHex(good) + "ffff");
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
    }
}
