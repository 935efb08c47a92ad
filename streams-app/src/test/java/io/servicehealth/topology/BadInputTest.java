package io.servicehealth.topology;

import io.servicehealth.schema.*;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.servicehealth.topology.Events.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad input never stops the pipeline and never vanishes: each case gets a reason in the dead-letter
 * header, a count in {@code service_health_dead_letters_total{reason}}, the original bytes and its
 * origin (topic, partition, offset) so it can be fixed and redriven; the next good record is counted.
 */
class BadInputTest {
    private final PipelineDriver pipeline = new PipelineDriver(PipelineDriver.testSettings(Map.of()), true);
    private final TestInputTopic<byte[], byte[]> rawComplaints = pipeline.driver.createInputTopic(
            pipeline.settings.topics().complaints(), new ByteArraySerializer(), new ByteArraySerializer());

    @AfterEach
    void close() {
        pipeline.close();
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private byte[] validComplaintBytes() {
        return pipeline.serdes.complaint().serializer().serialize(pipeline.settings.topics().complaints(),
                complaint("2026-04-10T02:00:00Z").setProductId("P1").build());
    }

    private void sendRaw(byte[] key, byte[] value) {
        rawComplaints.pipeInput(key, value, Instant.parse("2026-04-10T02:00:00Z"));
    }

    private void thenAGoodRecordIsStillCounted() {
        pipeline.send(complaint("2026-04-10T02:30:00Z").setProductId("GOOD"));
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");
        assertEquals(1, pipeline.finalResult(pipeline.finalResults(), EntityKind.PRODUCT, "GOOD", WindowSize.DAY).getComplaints().getCount());
    }

    private TestRecord<byte[], byte[]> onlyDeadLetter(String reason) {
        List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters.readRecordsToList();
        assertEquals(1, dead.size(), "one dead letter");
        assertEquals(reason, header(dead.get(0), "dlq.reason"));
        assertEquals(pipeline.settings.topics().complaints(), header(dead.get(0), "dlq.topic"));
        assertNotNull(header(dead.get(0), "dlq.offset"));
        assertNotNull(header(dead.get(0), "dlq.message"));
        assertEquals(1.0, pipeline.deadLetterMetrics.count(reason), "metric for " + reason);
        return dead.get(0);
    }

    @Test
    void shouldDeadLetterARecordWithAnUnknownSchemaId() {
        byte[] bytes = validComplaintBytes();
        ByteBuffer.wrap(bytes).putInt(1, 9999);
        sendRaw("k".getBytes(), bytes);
        TestRecord<byte[], byte[]> dead = onlyDeadLetter("unknown-schema-id");
        assertArrayEquals(bytes, dead.value());
        assertTrue(header(dead, "dlq.message").contains("unknown schema id 9999"));
        thenAGoodRecordIsStillCounted();
    }

    @Test
    void shouldDeadLetterAWrongMagicByte() {
        byte[] bytes = validComplaintBytes();
        bytes[0] = 7;
        sendRaw("k".getBytes(), bytes);
        assertArrayEquals(bytes, onlyDeadLetter("wrong-magic-byte").value());
        thenAGoodRecordIsStillCounted();
    }

    @Test
    void shouldDeadLetterARecordWithoutAKey() {
        sendRaw(null, validComplaintBytes());
        TestRecord<byte[], byte[]> dead = onlyDeadLetter("missing-key");
        assertNull(dead.key());
        thenAGoodRecordIsStillCounted();
    }

    @Test
    void shouldDeadLetterNegativeQueueSeconds() {
        pipeline.send(call("2026-04-10T02:00:00Z").setProductId("P1").setTransferredToAgent(true).setQueueSeconds(-5));
        List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters.readRecordsToList();
        assertEquals(List.of("value-out-of-range"), dead.stream().map(r -> header(r, "dlq.reason")).toList());
        assertTrue(header(dead.get(0), "dlq.message").contains("queueSeconds = -5"));
        assertEquals(1.0, pipeline.deadLetterMetrics.count("value-out-of-range"));
    }

    @Test
    void shouldDeadLetterASurveyScoreOfZeroAndEleven() {
        pipeline.send(survey("2026-04-10T02:00:00Z", 0).setCampaignId("C1"));
        pipeline.send(survey("2026-04-10T02:00:00Z", 11).setCampaignId("C1"));
        assertEquals(2.0, pipeline.deadLetterMetrics.count("value-out-of-range"));
    }

    @Test
    void shouldDeadLetterAHugeRecordAsATruncatedCopyPointingAtTheOriginal() {
        byte[] huge = new byte[900 * 1024];
        byte[] valid = validComplaintBytes();
        System.arraycopy(valid, 0, huge, 0, valid.length);
        sendRaw("k".getBytes(), huge);
        TestRecord<byte[], byte[]> dead = onlyDeadLetter("too-large");
        assertEquals(512 * 1024, dead.value().length, "the copy fits under the broker's 1 MiB limit");
        assertEquals(String.valueOf(900 * 1024), header(dead, "dlq.truncated.from.bytes"));
        assertArrayEquals(Arrays.copyOf(huge, 512 * 1024), dead.value());
        assertEquals("0", header(dead, "dlq.offset"));
        thenAGoodRecordIsStillCounted();
    }

    @Test
    void shouldCountAnUnknownEnumSymbolAndStillAggregateTheEvent() {
        pipeline.send(complaint("2026-04-10T02:00:00Z").setProductId("P9").setCategory(ComplaintCategory.UNKNOWN));
        pipeline.advanceAllSourcesTo("2026-04-11T00:00:00Z");
        ServiceHealth day = pipeline.finalResult(pipeline.finalResults(), EntityKind.PRODUCT, "P9", WindowSize.DAY);
        assertEquals(1, day.getComplaints().getOther(), "UNKNOWN counts as other");
        assertTrue(pipeline.deadLetters.isEmpty());
        // every event of this test leaves some enum at UNKNOWN: P9's complaint (category, and source unset), and the four
        // bystander events (complaint source, call intent, store channel, survey channel and segment are unset)
        assertEquals(5.0, pipeline.metric(PipelineMetrics.UNKNOWN_ENUM_EVENTS));
    }
}
