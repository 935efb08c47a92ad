package io.servicehealth.aggregate;

import io.servicehealth.schema.WindowSize;
import io.servicehealth.window.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * All open windows of one entity, every size together: one store read and one write per event,
 * however many window sizes there are (with separate windowed stores it would be one each).
 */
public final class EntityWindows {
    private static final int SIZES = WindowSize.values().length;
    private final List<OpenWindow> windows;
    private final List<OpenWindow> view;
    /**
     * Kept, not recomputed: every load asks it (to drop windows closed since the entity was written)
     * and every event twice; as a scan it was 4 % of the stream threads in a drain profile.
     */
    private long earliestEnd = Long.MAX_VALUE;
    /** The newest window of each size, by ordinal: every live tick asks for it (a scan was 11 % of the tick). */
    private final OpenWindow[] latest = new OpenWindow[SIZES];
    /**
     * Set while the entity waits for the next live tick, so that the aggregator's pending map takes one
     * insert per entity and tick rather than one per event (a hot region gets hundreds per tick).
     */
    private boolean livePending;

    public EntityWindows() {
        this(new ArrayList<>(6));
    }

    EntityWindows(List<OpenWindow> windows) {
        this.windows = windows;
        this.view = Collections.unmodifiableList(windows);
        windows.forEach(this::track);
    }

    /** The open windows, read-only: they change through {@link #open} and {@link #closeEndingBy}. */
    public List<OpenWindow> windows() {
        return view;
    }

    public boolean isEmpty() {
        return windows.isEmpty();
    }

    /** The open window for {@code window}, or null. */
    public OpenWindow find(Window window) {
        for (OpenWindow open : windows) {
            Window w = open.window();
            if (w.start() == window.start() && w.size() == window.size()) {
                return open;
            }
        }
        return null;
    }

    public OpenWindow open(Window window) {
        OpenWindow created = new OpenWindow(window);
        windows.add(created);
        track(created);
        return created;
    }

    /** Brings the kept earliest end and newest windows up to date with a window that is open. */
    private void track(OpenWindow open) {
        earliestEnd = Math.min(earliestEnd, open.window().end());
        offerLatest(open);
    }

    private void offerLatest(OpenWindow open) {
        int size = open.window().size().ordinal();
        if (latest[size] == null || open.window().start() > latest[size].window().start()) {
            latest[size] = open;
        }
    }

    /** The newest open window of a size (the one a live dashboard shows), or null. */
    public OpenWindow latest(WindowSize size) {
        return latest[size.ordinal()];
    }

    /** Marks the entity as waiting for the next live tick; false when it already was. */
    public boolean markLivePending() {
        if (livePending) {
            return false;
        }
        livePending = true;
        return true;
    }

    public void clearLivePending() {
        livePending = false;
    }

    /** Earliest window end among the open windows, or Long.MAX_VALUE when none. */
    public long earliestEnd() {
        return earliestEnd;
    }

    /**
     * Removes and hands over, oldest end first, every window whose end is at or before {@code endLimit}.
     */
    public void closeEndingBy(long endLimit, Consumer<OpenWindow> onClose) {
        List<OpenWindow> closing = new ArrayList<>(2);
        long earliestLeft = Long.MAX_VALUE;
        boolean newestClosed = false;
        for (Iterator<OpenWindow> it = windows.iterator(); it.hasNext(); ) {
            OpenWindow open = it.next();
            long end = open.window().end();
            if (end <= endLimit) {
                closing.add(open);
                it.remove();
                newestClosed |= latest[open.window().size().ordinal()] == open;
            } else {
                earliestLeft = Math.min(earliestLeft, end);
            }
        }
        if (!closing.isEmpty()) {
            earliestEnd = earliestLeft;
        }
        if (newestClosed) {
            Arrays.fill(latest, null);
            windows.forEach(this::offerLatest);
        }
        closing.sort((x, y) -> x.window().end() != y.window().end()
                ? Long.compare(x.window().end(), y.window().end())
                : Integer.compare(x.window().size().ordinal(), y.window().size().ordinal()));
        closing.forEach(onClose);
    }
}
