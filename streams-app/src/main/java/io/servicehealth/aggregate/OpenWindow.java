package io.servicehealth.aggregate;

import io.servicehealth.window.Window;


/** A window of one entity that has not closed yet, with its counters. Mutable: updated in place. */
public final class OpenWindow {
    private final Window window;
    /**
     * Null until first used when the window was read back from the store: its counters are then
     * decoded from {@code lazyIn} at {@code lazyFrom}. While a backlog drains an entity
     * holds ~9 open windows and an event uses one of each size, so decoding every window of every entity
     * read back (a write-back cache miss, a close visit) was most of what reading state cost.
     */
    private HealthCounters counters;
    private byte[] lazyIn;
    private int lazyFrom;
    private long lastEventTime;
    /**
     * This window's bytes in the state format as last written or read ({@code encodedLength} bytes of
     * {@code encodedIn} from {@code encodedFrom}: the entity's whole stored value, shared by its windows,
     * not a copy of each), or null once it changed since. An entity is written whole at each commit that
     * follows a change, but an event changes one window of each size while a drain keeps ~9 open (the
     * low watermark trails the newest events by hours): re-encoding the unchanged ones was most of the
     * 4.5 µs an entity write cost.
     */
    private byte[] encodedIn;
    private int encodedFrom;
    private int encodedLength;

    public OpenWindow(Window window) {
        this(window, new HealthCounters(), Long.MIN_VALUE);
    }

    OpenWindow(Window window, HealthCounters counters, long lastEventTime) {
        this.window = window;
        this.counters = counters;
        this.lastEventTime = lastEventTime;
    }

    /** A window read back whose counters start at {@code countersFrom} in {@code bytes}, decoded when first used. */
    static OpenWindow lazy(Window window, long lastEventTime, byte[] bytes, int countersFrom) {
        OpenWindow open = new OpenWindow(window, null, lastEventTime);
        open.lazyIn = bytes;
        open.lazyFrom = countersFrom;
        return open;
    }

    private void decode() {
        if (counters == null) {
            EntityWindowsSerde.decodeCounters(this, lazyIn, lazyFrom);
            lazyIn = null;
        }
    }

    /** Called by the decoder; {@code foreign} when written by another layout (or with settled copies), so re-encoded. */
    void decoded(HealthCounters counters, boolean foreign) {
        this.counters = counters;
        if (foreign) {
            encodedIn = null;
        }
    }

    /** Whether the counters are still undecoded (tests). */
    boolean isLazy() {
        return counters == null;
    }

    public Window window() {
        return window;
    }

    /** Read-only: the counters change through {@link #add}, which drops the window's cached encoding. */
    public HealthCounters counters() {
        decode();
        return counters;
    }

    public long lastEventTime() {
        return lastEventTime;
    }

    /** Whether the window's bytes as last written or read still stand (it has not changed since). */
    boolean hasEncoding() {
        return encodedIn != null;
    }

    /** Writes the window's bytes as last written or read; only when {@link #hasEncoding()}. */
    void writeEncoding(ByteSink out) {
        out.put(encodedIn, encodedFrom, encodedLength);
    }

    /** This window's bytes are {@code bytes[from, to)}; the array must not change afterwards. */
    void encodedAt(byte[] bytes, int from, int to) {
        this.encodedIn = bytes;
        this.encodedFrom = from;
        this.encodedLength = to - from;
    }

    public void add(Contribution contribution) {
        decode();
        encodedIn = null;
        counters.add(contribution);
        lastEventTime = Math.max(lastEventTime, contribution.eventTime());
    }
}
