package io.servicehealth.aggregate;


/**
 * The repartition topic's record: every contribution and progress report one source task sent one
 * aggregating partition since its last batch, in the order it produced them.
 * <p>
 * Why batches and not a record per contribution: an event fans out to ~3 entities, and a record per
 * contribution made the repartition topic the largest thing the pipeline wrote (3.1 records written
 * and read again per event), each paying the producer's, the broker's and Streams' per-record work for
 * a 20-byte payload. A batch keeps each source partition's order, which is all the aggregation relies
 * on (lateness is judged at the source and windows close on watermarks carried in the same order), so
 * what the aggregator computes does not depend on where batches begin and end.
 * <p>
 * Layout: the format byte {@value #FORMAT}, then per entry the key's UTF-8 length (varint) and bytes
 * and the contribution: type, event time, source, progress − event time, the three values and flags
 * (zig-zag varints) and the region (length, −1 for none, and UTF-8 bytes).
 */
public final class ContributionBatch {
    public static final byte FORMAT = 1;

    private ContributionBatch() {
    }

    /** Receives a batch's entries in order. */
    @FunctionalInterface
    public interface Entries {
        void accept(String key, Contribution contribution);
    }

    /** Hands each entry of {@code batch} to {@code entries}, in order; returns how many there were. */
    public static int forEach(byte[] batch, Entries entries) {
        if (batch == null || batch.length == 0 || batch[0] != FORMAT) {
            throw new IllegalArgumentException("not a contribution batch of format " + FORMAT + " (first byte "
                    + (batch == null || batch.length == 0 ? "missing" : batch[0]) + ")");
        }
        ByteSource in = new ByteSource(batch);
        in.get();
        NameCache names = NameCache.get();
        int count = 0;
        while (in.position() < batch.length) {
            String key = in.utf8(in.readVarint());
            entries.accept(key, read(in, names));
            count++;
        }
        return count;
    }

    /** Accumulates one batch; reusable after {@link #drain}. */
    public static final class Builder {
        private final ByteSink sink = new ByteSink(4096);
        private long maxEventTime;

        public Builder() {
            sink.put(FORMAT);
        }

        /** A contribution to the entity whose key is {@code key} in UTF-8 (the shuffle encodes it once, to partition by it). */
        public void add(byte[] key, Contribution c) {
            sink.varint(key.length);
            sink.put(key);
            write(c, sink);
            maxEventTime = Math.max(maxEventTime, c.eventTime());
        }

        public boolean isEmpty() {
            return sink.position() == 1; // the format byte alone
        }

        public int sizeInBytes() {
            return sink.position();
        }

        /** The latest event time in the batch (0 when none is positive): the record's timestamp. */
        public long maxEventTime() {
            return maxEventTime;
        }

        /** The batch's bytes; the builder starts a new batch. */
        public byte[] drain() {
            byte[] bytes = sink.toByteArray();
            clear();
            return bytes;
        }

        /** Drops what was added (an aborted transaction's contributions are produced again). */
        public void clear() {
            sink.reset().put(FORMAT);
            maxEventTime = 0;
        }
    }

    static void write(Contribution c, ByteSink out) {
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
    }

    static Contribution read(ByteSource in, NameCache names) {
        ContributionType type = ContributionType.of(in.get());
        long eventTime = in.readVarlong();
        int source = in.readVarint();
        long progress = eventTime + in.readVarlong();
        int a = in.readVarint();
        int b = in.readVarint();
        int c = in.readVarint();
        int flags = in.readVarint();
        int regionLength = in.readVarint();
        String region = regionLength >= 0 ? in.name(regionLength, names) : null;
        return new Contribution(type, eventTime, source, progress, a, b, c, flags, region);
    }
}
