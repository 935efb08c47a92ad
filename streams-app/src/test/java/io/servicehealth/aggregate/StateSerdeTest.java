package io.servicehealth.aggregate;

import io.servicehealth.schema.WindowSize;
import io.servicehealth.window.Window;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StateSerdeTest {
    @Test
    void shouldRoundTripAContributionIncludingNegativeFieldsAndRegion() {
        Contribution c = new Contribution(ContributionType.HOTLINE_CALL, 1_775_786_400_000L, (2 << 16) | 3,
                1_775_786_460_000L, -1, 3, 0, 11, "GZ-01");
        ContributionSerde serde = new ContributionSerde();
        byte[] bytes = serde.serializer().serialize("t", c);
        assertEquals(c, serde.deserializer().deserialize("t", bytes));
        assertEquals(true, bytes.length < 30, "compact on the wire: " + bytes.length + " bytes");
    }

    @Test
    void shouldRoundTripEntityWindowsWithCountersAndRegions() {
        EntityWindows state = new EntityWindows();
        OpenWindow hour = state.open(new Window(WindowSize.HOUR, 3_600_000L, 7_200_000L));
        hour.add(new Contribution(ContributionType.COMPLAINT, 3_700_000L, 0, 3_700_000L, 1, 2, 0, Contributions.REPEAT, "R1"));
        state.open(new Window(WindowSize.MONTH, 0L, 2_592_000_000L))
                .add(new Contribution(ContributionType.SURVEY_RESPONSE, 3_800_000L, 1, 3_800_000L, 9, -1, 7, 0, null));
        EntityWindowsSerde serde = new EntityWindowsSerde();

        EntityWindows back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", state));

        assertEquals(2, back.windows().size());
        assertEquals(hour.counters(), back.find(hour.window()).counters());
        assertEquals(1L, back.find(hour.window()).counters().complaintsByRegion().get("R1"));
        assertEquals(3_700_000L, back.find(hour.window()).lastEventTime());
        assertEquals(9, back.latest(WindowSize.MONTH).counters().get(HealthCounters.V_SCORE_SUM));
        assertEquals(7, back.latest(WindowSize.MONTH).counters().get(HealthCounters.V_HANDLE_SUM));
    }

    @Test
    void shouldMergeCountersExactly() {
        HealthCounters a = new HealthCounters();
        HealthCounters b = new HealthCounters();
        a.add(new Contribution(ContributionType.HOTLINE_CALL, 0, 0, 0, 25, 2, 0, Contributions.TRANSFERRED, null));
        b.add(new Contribution(ContributionType.HOTLINE_CALL, 0, 0, 0, 700, 2, 0, Contributions.TRANSFERRED, null));
        a.merge(b);
        assertEquals(2, a.get(HealthCounters.H_CALLS));
        assertEquals(725, a.get(HealthCounters.H_QUEUE_SUM));
        assertEquals(1, a.queueBucket(3));  // (20, 30]
        assertEquals(1, a.queueBucket(8));  // (600, 1800]
    }

    @Test
    void shouldKeepEveryKindOfCounterApartWhenTheyAreFirstUsedInAnyOrder() {
        // survey (high indexes) first, then hotline, then a complaint (low indexes): each use inserts
        // into the sparse layout ahead of counters already there
        HealthCounters c = new HealthCounters();
        c.add(new Contribution(ContributionType.SURVEY_RESPONSE, 0, 0, 0, 3, 6, -1, 0, null));
        c.add(new Contribution(ContributionType.HOTLINE_CALL, 0, 0, 0, 45, 2, 0, Contributions.TRANSFERRED, null));
        c.add(new Contribution(ContributionType.COMPLAINT, 0, 0, 0, 1, 1, 0, Contributions.REPEAT, "R2")); // category 1 = VOICE
        c.add(new Contribution(ContributionType.SURVEY_RESPONSE, 0, 0, 0, 9, -1, 8, 0, null));

        assertEquals(4, c.get(HealthCounters.EVENTS));
        assertEquals(1, c.get(HealthCounters.COMPLAINTS));
        assertEquals(1, c.get(HealthCounters.C_VOICE));
        assertEquals(1, c.get(HealthCounters.C_REPEAT));
        assertEquals(0, c.get(HealthCounters.C_FCR_KNOWN));
        assertEquals(1, c.get(HealthCounters.H_CALLS));
        assertEquals(45, c.get(HealthCounters.H_QUEUE_SUM));
        assertEquals(1, c.queueBucket(4));  // (30, 60]
        assertEquals(2, c.get(HealthCounters.V_RESPONSES));
        assertEquals(12, c.get(HealthCounters.V_SCORE_SUM));
        assertEquals(1, c.get(HealthCounters.V_HIGH));
        assertEquals(1, c.get(HealthCounters.V_LOW));
        assertEquals(1, c.get(HealthCounters.V_UNDERSTAND_N));
        assertEquals(6, c.get(HealthCounters.V_UNDERSTAND_SUM));
        assertEquals(8, c.get(HealthCounters.V_HANDLE_SUM));
        assertEquals(0, c.get(HealthCounters.S_TRANSACTIONS));

        HealthCounters sum = new HealthCounters();
        sum.merge(c);
        sum.merge(c);
        assertEquals(8, sum.get(HealthCounters.EVENTS));
        assertEquals(90, sum.get(HealthCounters.H_QUEUE_SUM));
        assertEquals(2L, sum.complaintsByRegion().get("R2"));

        EntityWindows state = new EntityWindows();
        OpenWindow day = state.open(new Window(WindowSize.DAY, 0L, 86_400_000L));
        day.counters().merge(c);
        EntityWindowsSerde serde = new EntityWindowsSerde();
        HealthCounters back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", state)).find(day.window()).counters();
        assertEquals(c, back);
        assertEquals(12, back.get(HealthCounters.V_SCORE_SUM));
    }
}
