package io.servicehealth.aggregate;

import io.servicehealth.schema.WindowSize;
import io.servicehealth.window.Window;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The newest window of each size and the earliest end are kept, not scanned: they must follow every change. */
class EntityWindowsTest {
    private static final long H = 3_600_000L;

    private static Window hour(int i) {
        return new Window(WindowSize.HOUR, i * H, (i + 1) * H);
    }

    @Test
    void givenHoursOpenedOutOfOrderThenClosedOldestFirstExpectTheNewestAndTheEarliestEndToFollow() {
        EntityWindows state = new EntityWindows();
        OpenWindow h2 = state.open(hour(2));
        state.open(hour(1));
        OpenWindow day = state.open(new Window(WindowSize.DAY, 0, 24 * H));
        assertSame(h2, state.latest(WindowSize.HOUR));
        OpenWindow h3 = state.open(hour(3));
        assertSame(h3, state.latest(WindowSize.HOUR));
        assertSame(day, state.latest(WindowSize.DAY));
        assertNull(state.latest(WindowSize.WEEK));
        assertEquals(2 * H, state.earliestEnd());

        List<OpenWindow> closed = new ArrayList<>();
        state.closeEndingBy(3 * H, closed::add); // hours 1 and 2
        assertEquals(2, closed.size());
        assertSame(h3, state.latest(WindowSize.HOUR));
        assertEquals(4 * H, state.earliestEnd());

        state.closeEndingBy(4 * H, closed::add); // hour 3: no hour left
        assertNull(state.latest(WindowSize.HOUR));
        assertSame(day, state.latest(WindowSize.DAY));
        assertEquals(24 * H, state.earliestEnd());

        state.closeEndingBy(24 * H, closed::add);
        assertNull(state.latest(WindowSize.DAY));
        assertEquals(Long.MAX_VALUE, state.earliestEnd());
    }

    @Test
    void givenAStateReadBackExpectTheSameNewestWindowsAndEarliestEnd() {
        EntityWindows state = new EntityWindows();
        state.open(hour(5));
        state.open(hour(4));
        state.open(new Window(WindowSize.DAY, 0, 24 * H));

        EntityWindows back = EntityWindowsSerde.read(EntityWindowsSerde.write(state));

        assertEquals(hour(5), back.latest(WindowSize.HOUR).window());
        assertEquals(5 * H, back.earliestEnd());
    }
}
