package io.servicehealth.aggregate;

import java.nio.ByteBuffer;

/** Zig-zag varints (the encoding Avro and Kafka use), for the internal binary formats. */
final class Varints {
    private Varints() {
    }

    static void writeVarint(int value, ByteBuffer out) {
        writeVarlong(value, out);
    }

    static void writeVarlong(long value, ByteBuffer out) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
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
