package io.servicehealth.aggregate;

import io.servicehealth.schema.WindowSize;
import io.servicehealth.window.Window;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;


import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compact binary state format (varints; most counters are zero and take one byte). Internal to the
 * changelog, never read by other programs; {@link #VERSION} guards a future change of layout.
 */
public final class EntityWindowsSerde implements Serde<EntityWindows> {
    static final byte VERSION = 2;
    private static final WindowSize[] SIZES = WindowSize.values();

    static {
        if (HealthCounters.SIZE > 64) {
            throw new IllegalStateException("the counters' presence bitmap is one long: at most 64 counters");
        }
    }

    @Override
    public Serializer<EntityWindows> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<EntityWindows> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    /** Per-thread scratch buffer, grown on demand: one pass over the state, one exact-size copy. */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(16 * 1024));

    static byte[] write(EntityWindows state) {
        while (true) {
            ByteBuffer out = SCRATCH.get().clear();
            try {
                writeTo(state, out);
            } catch (java.nio.BufferOverflowException e) {
                SCRATCH.set(ByteBuffer.allocate(out.capacity() * 2));
                continue;
            }
            byte[] bytes = new byte[out.position()];
            out.flip().get(bytes);
            return bytes;
        }
    }

    private static void writeTo(EntityWindows state, ByteBuffer out) {
        out.put(VERSION);
        Varints.writeVarint(state.windows().size(), out);
        for (OpenWindow open : state.windows()) {
            Window w = open.window();
            out.put((byte) w.size().ordinal());
            Varints.writeVarlong(w.start(), out);
            Varints.writeVarlong(w.end() - w.start(), out);
            Varints.writeVarlong(open.lastEventTime(), out);
            writeCounters(open.counters(), out);
            Map<WindowSize, HealthCounters> settled = open.settledMap();
            Varints.writeVarint(settled.size(), out);
            for (Map.Entry<WindowSize, HealthCounters> e : settled.entrySet()) {
                out.put((byte) e.getKey().ordinal());
                writeCounters(e.getValue(), out);
            }
        }
    }

    /**
     * Sparse: a presence bitmap over the counters, then only the non-zero ones. A window holds a few
     * events, so most of its ~50 counters are zero; this keeps the per-event state write small.
     */
    private static void writeCounters(HealthCounters counters, ByteBuffer out) {
        long[] values = counters.raw();
        Varints.writeVarint(values.length, out);
        long present = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                present |= 1L << i;
            }
        }
        out.putLong(present);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                Varints.writeVarlong(values[i], out);
            }
        }
        Map<String, Long> regions = counters.complaintsByRegion();
        Varints.writeVarint(regions.size(), out);
        for (Map.Entry<String, Long> e : regions.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            Varints.writeVarint(name.length, out);
            out.put(name);
            Varints.writeVarlong(e.getValue(), out);
        }
    }

    private static HealthCounters readCounters(ByteBuffer in) {
        int n = Varints.readVarint(in);
        long present = in.getLong();
        long[] values = new long[HealthCounters.SIZE];
        for (int j = 0; j < n; j++) {
            if ((present & (1L << j)) != 0) {
                long value = Varints.readVarlong(in);
                if (j < values.length) {
                    values[j] = value;
                }
            }
        }
        int regionCount = Varints.readVarint(in);
        Map<String, Long> regions = regionCount == 0 ? new LinkedHashMap<>(2) : new LinkedHashMap<>();
        for (int j = 0; j < regionCount; j++) {
            byte[] name = new byte[Varints.readVarint(in)];
            in.get(name);
            regions.put(new String(name, StandardCharsets.UTF_8), Varints.readVarlong(in));
        }
        return new HealthCounters(values, regions);
    }

    static EntityWindows read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION) {
            throw new SerializationException("unknown entity-windows state version " + version);
        }
        int count = Varints.readVarint(in);
        List<OpenWindow> windows = new ArrayList<>(count + 2);
        for (int i = 0; i < count; i++) {
            WindowSize size = SIZES[in.get()];
            long start = Varints.readVarlong(in);
            long end = start + Varints.readVarlong(in);
            long last = Varints.readVarlong(in);
            OpenWindow open = new OpenWindow(new Window(size, start, end), readCounters(in), last);
            int settled = Varints.readVarint(in);
            for (int j = 0; j < settled; j++) {
                WindowSize finer = SIZES[in.get()];
                open.settle(finer, readCounters(in));
            }
            windows.add(open);
        }
        return new EntityWindows(windows);
    }
}
