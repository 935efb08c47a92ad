package io.servicehealth.aggregate;

import java.nio.ByteBuffer;

/** Reads the zig-zag varints {@link ByteSink} writes (the encoding Avro and Kafka use). */
final class Varints {
    private Varints() {
    }

    static int readVarint(ByteBuffer in) {
        return (int) readVarlong(in);
    }

    static long readVarlong(ByteBuffer in) {
        long raw = 0;
        int shift = 0;
        byte b;
        do {
            if (shift > 63) {
                throw new IllegalArgumentException("varint longer than 10 bytes");
            }
            b = in.get();
            raw |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }
}
