package io.servicehealth.serde;

import java.nio.ByteBuffer;

/**
 * Confluent's wire format: magic byte 0, the writer schema's global id as a 4-byte big-endian int,
 * then the Avro binary encoding of the record.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    public static void writeHeader(ByteBuffer buffer, int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }

    /** Subject of a topic's key or value under the default TopicNameStrategy. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
