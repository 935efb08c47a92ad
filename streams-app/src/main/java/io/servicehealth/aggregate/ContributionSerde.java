package io.servicehealth.aggregate;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;


import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Varint binary layout of {@link Contribution} for the internal repartition topic. */
public final class ContributionSerde implements Serde<Contribution> {

    @Override
    public Serializer<Contribution> serializer() {
        return (topic, c) -> c == null ? null : write(c);
    }

    @Override
    public Deserializer<Contribution> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(Contribution c) {
        byte[] region = c.regionId() == null ? null : c.regionId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + 10 * 2 + 5 * 6 + (region == null ? 0 : region.length));
        out.put((byte) c.type().ordinal());
        Varints.writeVarlong(c.eventTime(), out);
        Varints.writeVarint(c.source(), out);
        Varints.writeVarlong(c.progress() - c.eventTime(), out);
        Varints.writeVarint(c.a(), out);
        Varints.writeVarint(c.b(), out);
        Varints.writeVarint(c.c(), out);
        Varints.writeVarint(c.flags(), out);
        Varints.writeVarint(region == null ? -1 : region.length, out);
        if (region != null) {
            out.put(region);
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    static Contribution read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        ContributionType type = ContributionType.of(in.get());
        long eventTime = Varints.readVarlong(in);
        int source = Varints.readVarint(in);
        long progress = eventTime + Varints.readVarlong(in);
        int a = Varints.readVarint(in);
        int b = Varints.readVarint(in);
        int c = Varints.readVarint(in);
        int flags = Varints.readVarint(in);
        int regionLength = Varints.readVarint(in);
        String region = null;
        if (regionLength >= 0) {
            region = new String(bytes, in.position(), regionLength, StandardCharsets.UTF_8);
        }
        return new Contribution(type, eventTime, source, progress, a, b, c, flags, region);
    }
}
