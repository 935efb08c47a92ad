package io.servicehealth.aggregate;

import io.servicehealth.schema.WindowSize;
import io.servicehealth.window.Window;


/** A window of one entity that has not closed yet, with its counters. Mutable: updated in place. */
public final class OpenWindow {
    private final Window window;
    /**
     * Null until first used when the window was read back from the store: its counters and settled
     * copies are then decoded from {@code lazyIn} at {@code lazyFrom}. While a backlog drains an entity
     * holds ~9 open windows and an event uses one of each size, so decoding every window of every entity
     * read back (a write-back cache miss, a close visit) was most of what reading state cost.
     */
    private HealthCounters counters;
    private byte[] lazyIn;
    private int lazyFrom;
    private long lastEventTime;
    /**
     * Counters of the finer windows inside this one that have closed, by the finer size's ordinal
     * ("settled so far"); null until the first. An array, not an EnumMap: every entity read back from
     * the store builds one per window.
     */
    private HealthCounters[] settled;
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
    private static final int SIZES = WindowSize.values().length;

    public OpenWindow(Window window) {
        this(window, new HealthCounters(), Long.MIN_VALUE);
    }

    OpenWindow(Window window, HealthCounters counters, long lastEventTime) {
        this.window = window;
        this.counters = counters;
        this.lastEventTime = lastEventTime;
    }

    /** A window read back whose counters and settled copies start at {@code countersFrom} in {@code bytes}, decoded when first used. */
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

    /** Called by the decoder: the counters and settled copies; {@code foreign} when written by another layout, so re-encoded. */
    void decoded(HealthCounters counters, HealthCounters[] settled, boolean foreign) {
        this.counters = counters;
        this.settled = settled;
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

    /** Read-only: the counters change through {@link #add} and {@link #settle}, which drop the window's cached encoding. */
    public HealthCounters counters() {
        decode();
        return counters;
    }

    public long lastEventTime() {
        return lastEventTime;
    }

    /** Adds a closed finer window's counters to what this window has settled so far. */
    public void settle(WindowSize finer, HealthCounters closed) {
        decode();
        if (settled == null) {
            settled = new HealthCounters[SIZES];
        }
        encodedIn = null;
        HealthCounters mine = settled[finer.ordinal()];
        if (mine == null) {
            mine = new HealthCounters();
            settled[finer.ordinal()] = mine;
        }
        mine.merge(closed);
    }

    /** Puts back a settled copy read from the store (no merge: the decoded object is this window's own). */
    void restoreSettled(WindowSize finer, HealthCounters counters) {
        if (settled == null) {
            settled = new HealthCounters[SIZES];
        }
        encodedIn = null;
        settled[finer.ordinal()] = counters;
    }

    /**
     * This window as of the close of its latest finer window of size {@code finer}: the events of
     * closed finer windows only. Unlike the live counters, it does not depend on how far other
     * partitions' events have run ahead, so a rule evaluated on it gives the same answer on replay.
     */
    public HealthCounters settledBy(WindowSize finer) {
        decode();
        HealthCounters c = settled == null ? null : settled[finer.ordinal()];
        return c == null ? new HealthCounters() : c;
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

    /** The settled copies by finer size's ordinal (entries may be null), or null when none. */
    HealthCounters[] settledBySize() {
        decode();
        return settled;
    }

    public void add(Contribution contribution) {
        decode();
        encodedIn = null;
        counters.add(contribution);
        lastEventTime = Math.max(lastEventTime, contribution.eventTime());
    }
}
