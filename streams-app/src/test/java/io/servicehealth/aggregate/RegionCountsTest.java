package io.servicehealth.aggregate;

import io.servicehealth.schema.WindowSize;
import io.servicehealth.window.Window;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Complaints by region: the evidence a window keeps of where its complaints came from. */
class RegionCountsTest {
    private static Contribution complaintFrom(String region) {
        return new Contribution(ContributionType.COMPLAINT, 3_700_000L, 0, 3_700_000L, 1, 2, 0, 0, region);
    }

    @Test
    void aWindowKeepsSixteenRegionsInTheOrderTheyCameAndCountsTheRestAsOther() {
        OpenWindow hour = new EntityWindows().open(new Window(WindowSize.HOUR, 3_600_000L, 7_200_000L));
        // R1..R18 once each, then R2 again and R17 again: R17 and R18 came after sixteen others
        for (int r = 1; r <= 18; r++) {
            hour.add(complaintFrom("R" + r));
        }
        hour.add(complaintFrom("R2"));
        hour.add(complaintFrom("R17"));

        Map<String, Long> byRegion = hour.counters().complaintsByRegion();

        List<String> expectedOrder = new ArrayList<>();
        for (int r = 1; r <= 16; r++) {
            expectedOrder.add("R" + r);
        }
        expectedOrder.add("OTHER");
        assertEquals(expectedOrder, List.copyOf(byRegion.keySet()));
        assertEquals(2L, byRegion.get("R2"));
        assertEquals(1L, byRegion.get("R16"));
        assertEquals(3L, byRegion.get("OTHER")); // R17, R18, R17
    }

    @Test
    void regionsSurviveTheStateFormatAndMergeByName() {
        EntityWindows state = new EntityWindows();
        OpenWindow hour = state.open(new Window(WindowSize.HOUR, 3_600_000L, 7_200_000L));
        hour.add(complaintFrom("华东-上海"));
        hour.add(complaintFrom("R2"));
        hour.add(complaintFrom("华东-上海"));

        EntityWindows back = EntityWindowsSerde.read(EntityWindowsSerde.write(state));
        HealthCounters sum = new HealthCounters();
        sum.merge(back.find(hour.window()).counters());
        sum.merge(hour.counters());

        assertEquals(Map.of("华东-上海", 2L, "R2", 1L), back.find(hour.window()).counters().complaintsByRegion());
        assertEquals(List.of("华东-上海", "R2"), List.copyOf(sum.complaintsByRegion().keySet()));
        assertEquals(4L, sum.complaintsByRegion().get("华东-上海"));
    }

    @Test
    void aNameIsDecodedOnceAndStillRightWhenMoreNamesThanTheCacheHoldsComeBy() {
        NameCache names = new NameCache();
        byte[] first = "R1".getBytes(StandardCharsets.UTF_8);

        assertSame(names.decode(first, 0, first.length), names.decode(first.clone(), 0, first.length));
        for (int i = 0; i < 3 * NameCache.SLOTS; i++) {
            byte[] b = ("region-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] framed = new byte[b.length + 2]; // the name in the middle of a larger buffer, as in a stored entity
            System.arraycopy(b, 0, framed, 1, b.length);
            assertEquals("region-" + i, names.decode(framed, 1, b.length));
            assertEquals("region-" + i, new String(names.encode("region-" + i), StandardCharsets.UTF_8));
        }
        assertEquals("R1", names.decode(first, 0, first.length)); // evicted long ago, decoded again
    }
}
