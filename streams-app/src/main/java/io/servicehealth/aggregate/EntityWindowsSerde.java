package io.servicehealth.aggregate;

import io.servicehealth.schema.WindowSize;
import io.servicehealth.window.Window;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;


import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compact binary state format (varints; most counters are zero and take one byte). Internal to the
 * changelog, never read by other programs; {@link #VERSION} guards a change of layout.
 * <p>
 * Version 3 puts each window's length before it (three bytes), so a window read back is decoded only
 * when it is used ({@link OpenWindow#lazy}); version 2, the same without lengths, is still read (all
 * windows decoded at once, and each re-encoded when the entity is next written).
 */
public final class EntityWindowsSerde implements Serde<EntityWindows> {
    static final byte VERSION = 3;
    private static final byte VERSION_WITHOUT_LENGTHS = 2;
    private static final WindowSize[] SIZES = WindowSize.values();

    @Override
    public Serializer<EntityWindows> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<EntityWindows> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    /** Per-thread scratch buffer, grown on demand: one pass over the state, one exact-size copy. */
    private static final ThreadLocal<ByteSink> SCRATCH = ThreadLocal.withInitial(() -> new ByteSink(4 * 1024));

    static byte[] write(EntityWindows state) {
        ByteSink out = SCRATCH.get().reset();
        out.put(VERSION);
        List<OpenWindow> windows = state.windows();
        out.varint(windows.size());
        int[] written = null; // [from, to) of each window encoded here, to point it at the result afterwards
        for (int i = 0; i < windows.size(); i++) {
            OpenWindow open = windows.get(i);
            if (open.hasEncoding()) {
                open.writeEncoding(out);
                continue;
            }
            int from = out.position();
            out.reserveLength();
            Window w = open.window();
            out.put((byte) w.size().ordinal());
            out.varlong(w.start());
            out.varlong(w.end() - w.start());
            out.varlong(open.lastEventTime());
            writeCounters(open.counters(), out);
            out.varint(0); // settled copies: no longer kept (see decodeCounters), the slot keeps the layout
            out.patchLength(from, out.position() - from - ByteSink.LENGTH_BYTES);
            if (written == null) {
                written = new int[2 * windows.size()];
                Arrays.fill(written, -1);
            }
            written[2 * i] = from;
            written[2 * i + 1] = out.position();
        }
        byte[] result = out.toByteArray();
        for (int i = 0; written != null && i < windows.size(); i++) {
            if (written[2 * i] >= 0) {
                windows.get(i).encodedAt(result, written[2 * i], written[2 * i + 1]);
            }
        }
        return result;
    }

    /**
     * Sparse: a presence bitmap over the counters, then only the non-zero ones. A window holds a few
     * events, so most of its ~50 counters are zero; this keeps the per-event state write small.
     */
    private static void writeCounters(HealthCounters counters, ByteSink out) {
        long mask = counters.nonZeroMask();
        out.varint(HealthCounters.SIZE);
        out.putLong(mask);
        for (long rest = mask; rest != 0; rest &= rest - 1) {
            out.varlong(counters.get(Long.numberOfTrailingZeros(rest)));
        }
        RegionCounts regions = counters.regionsForEncoding();
        int count = regions == null ? 0 : regions.size();
        out.varint(count);
        NameCache names = count == 0 ? null : NameCache.get();
        for (int i = 0; i < count; i++) {
            byte[] name = names.encode(regions.name(i));
            out.varint(name.length);
            out.put(name);
            out.varlong(regions.count(i));
        }
    }

    /**
     * @param foreign set to true when the counters were written by another layout (more counters than
     *                this build knows): such a window is re-encoded rather than written back as read
     */
    private static HealthCounters readCounters(ByteSource in, boolean[] foreign) {
        int n = in.readVarint();
        if (n != HealthCounters.SIZE) {
            foreign[0] = true;
        }
        long written = in.getLong();
        // counters this version does not know (a newer layout's, past SIZE) are read and dropped
        long known = written & lowBits(Math.min(n, HealthCounters.SIZE));
        long[] values = new long[Long.bitCount(known)];
        int rank = 0;
        for (int j = 0; j < n; j++) {
            if ((written & (1L << j)) != 0) {
                long value = in.readVarlong();
                if ((known & (1L << j)) != 0) {
                    values[rank++] = value;
                }
            }
        }
        int regionCount = in.readVarint();
        RegionCounts regions = null;
        if (regionCount > 0) {
            regions = new RegionCounts(regionCount);
            NameCache names = NameCache.get();
            for (int j = 0; j < regionCount; j++) {
                String name = in.name(in.readVarint(), names);
                regions.add(name, in.readVarlong());
            }
        }
        return HealthCounters.of(known, values, regions);
    }

    private static long lowBits(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    static EntityWindows read(byte[] bytes) {
        ByteSource in = new ByteSource(bytes);
        byte version = in.get();
        if (version == VERSION_WITHOUT_LENGTHS) {
            return readWithoutLengths(in);
        }
        if (version != VERSION) {
            throw new SerializationException("unknown entity-windows state version " + version);
        }
        int count = in.readVarint();
        List<OpenWindow> windows = new ArrayList<>(count + 2);
        for (int i = 0; i < count; i++) {
            int from = in.position();
            int length = in.readVarint();
            int end = in.position() + length;
            WindowSize size = SIZES[in.get()];
            long start = in.readVarlong();
            long windowEnd = start + in.readVarlong();
            long last = in.readVarlong();
            OpenWindow open = OpenWindow.lazy(new Window(size, start, windowEnd), last, bytes, in.position());
            open.encodedAt(bytes, from, end); // written back as read until it changes
            windows.add(open);
            in.seek(end);
        }
        return new EntityWindows(windows);
    }

    /**
     * A window's counters, from where {@link OpenWindow#lazy} noted they begin. State written before
     * 2026-11-28 follows them with "settled" copies (the closed finer windows inside, for the alert
     * rules); those are now computed when a rule reads them, so they are skipped here and the window is
     * re-encoded without them.
     */
    static void decodeCounters(OpenWindow open, byte[] bytes, int from) {
        ByteSource in = new ByteSource(bytes, from);
        boolean[] foreign = new boolean[1];
        HealthCounters counters = readCounters(in, foreign);
        int settled = in.readVarint();
        open.decoded(counters, foreign[0] || settled > 0);
    }

    private static EntityWindows readWithoutLengths(ByteSource in) {
        int count = in.readVarint();
        List<OpenWindow> windows = new ArrayList<>(count + 2);
        boolean[] foreign = new boolean[1];
        for (int i = 0; i < count; i++) {
            WindowSize size = SIZES[in.get()];
            long start = in.readVarlong();
            long end = start + in.readVarlong();
            long last = in.readVarlong();
            OpenWindow open = new OpenWindow(new Window(size, start, end), readCounters(in, foreign), last);
            int settled = in.readVarint();
            for (int j = 0; j < settled; j++) {
                in.get(); // the finer size of a settled copy: no longer kept (see decodeCounters)
                readCounters(in, foreign);
            }
            windows.add(open); // no encoding kept: re-encoded with its length when the entity is next written
        }
        return new EntityWindows(windows);
    }
}
