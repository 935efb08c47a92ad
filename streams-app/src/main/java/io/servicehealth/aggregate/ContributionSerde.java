package io.servicehealth.aggregate;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;



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

    private static final ThreadLocal<ByteSink> SCRATCH = ThreadLocal.withInitial(() -> new ByteSink(64));

    static byte[] write(Contribution c) {
        ByteSink out = SCRATCH.get().reset();
        out.put((byte) c.type().ordinal());
        out.varlong(c.eventTime());
        out.varint(c.source());
        out.varlong(c.progress() - c.eventTime());
        out.varint(c.a());
        out.varint(c.b());
        out.varint(c.c());
        out.varint(c.flags());
        byte[] region = c.regionId() == null ? null : NameCache.get().encode(c.regionId()); // region ids are few: bytes kept per thread
        out.varint(region == null ? -1 : region.length);
        if (region != null) {
            out.put(region);
        }
        return out.toByteArray();
    }

    static Contribution read(byte[] bytes) {
        ByteSource in = new ByteSource(bytes);
        ContributionType type = ContributionType.of(in.get());
        long eventTime = in.readVarlong();
        int source = in.readVarint();
        long progress = eventTime + in.readVarlong();
        int a = in.readVarint();
        int b = in.readVarint();
        int c = in.readVarint();
        int flags = in.readVarint();
        int regionLength = in.readVarint();
        String region = regionLength >= 0 ? in.name(regionLength, NameCache.get()) : null;
        return new Contribution(type, eventTime, source, progress, a, b, c, flags, region);
    }
}
