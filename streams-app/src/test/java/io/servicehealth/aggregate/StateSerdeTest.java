package io.servicehealth.aggregate;

import io.servicehealth.schema.WindowSize;
import io.servicehealth.window.Window;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateSerdeTest {
    @Test
    void shouldRoundTripAContributionIncludingNegativeFieldsAndRegion() {
        Contribution c = new Contribution(ContributionType.HOTLINE_CALL, 1_775_786_400_000L, (2 << 16) | 3,
                1_775_786_460_000L, -1, 3, 0, 11, "GZ-01");
        ContributionBatch.Builder batch = new ContributionBatch.Builder();
        batch.add(utf8("C|活动-1"), c);
        batch.add(utf8("~watermark"), Contribution.watermark(5, Long.MIN_VALUE)); // a partition that never delivered
        byte[] bytes = batch.drain();
        List<String> keys = new ArrayList<>();
        List<Contribution> back = new ArrayList<>();
        assertEquals(2, ContributionBatch.forEach(bytes, (key, contribution) -> {
            keys.add(key);
            back.add(contribution);
        }));
        assertEquals(List.of("C|活动-1", "~watermark"), keys);
        assertEquals(List.of(c, Contribution.watermark(5, Long.MIN_VALUE)), back);
        assertTrue(batch.isEmpty(), "drained");
        batch.add(utf8("P|1"), c);
        assertTrue(batch.sizeInBytes() < 30, "compact on the wire: " + batch.sizeInBytes() + " bytes");
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

    /**
     * Unchanged windows are written from their last encoding: whatever happened in between (events,
     * settling, closing, a read-back), the bytes must equal a from-scratch encoding of the same state.
     */
    @Test
    void shouldWriteAnEntityChangedBetweenWritesExactlyAsAFreshEncodingWould() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 200; trial++) {
            EntityWindows written = new EntityWindows(); // encoded after every step, so it reuses cached windows
            EntityWindows fresh = new EntityWindows();   // never encoded until the end of each step
            for (int step = 0; step < 30; step++) {
                long time = 3_600_000L * random.nextInt(6) + random.nextInt(3_600_000);
                Contribution c = randomContribution(random, time);
                // a step either adds an event or closes hours
                long endLimit = random.nextInt(3) == 0 ? 3_600_000L * random.nextInt(6) : Long.MIN_VALUE;
                for (EntityWindows state : List.of(written, fresh)) {
                    for (WindowSize size : endLimit != Long.MIN_VALUE ? new WindowSize[0] : new WindowSize[] {WindowSize.HOUR, WindowSize.DAY}) {
                        long length = size == WindowSize.HOUR ? 3_600_000L : 86_400_000L;
                        Window w = new Window(size, time / length * length, time / length * length + length);
                        OpenWindow open = state.find(w);
                        (open == null ? state.open(w) : open).add(c);
                    }
                    if (endLimit != Long.MIN_VALUE) {
                        state.closeEndingBy(endLimit, closed -> { });
                    }
                }
                byte[] bytes = EntityWindowsSerde.write(written);
                if (random.nextInt(4) == 0) {
                    written = EntityWindowsSerde.read(bytes); // a read-back keeps the bytes it was read from
                }
                assertArrayEquals(EntityWindowsSerde.write(EntityWindowsSerde.read(EntityWindowsSerde.write(copyOf(fresh)))),
                        EntityWindowsSerde.write(written), "trial " + trial + ", step " + step);
            }
        }
    }

    private static byte[] utf8(String entityKey) {
        return entityKey.getBytes(StandardCharsets.UTF_8);
    }

    /** An entity with an hour, a day and a month. */
    private static EntityWindows threeWindows() {
        EntityWindows state = new EntityWindows();
        state.open(new Window(WindowSize.HOUR, 3_600_000L, 7_200_000L))
                .add(new Contribution(ContributionType.COMPLAINT, 3_700_000L, 0, 3_700_000L, 1, 2, 0, Contributions.REPEAT, "R1"));
        OpenWindow day = state.open(new Window(WindowSize.DAY, 0L, 86_400_000L));
        day.add(new Contribution(ContributionType.HOTLINE_CALL, 3_700_000L, 0, 3_700_000L, 45, 2, 0, Contributions.TRANSFERRED, null));
        state.open(new Window(WindowSize.MONTH, 0L, 2_592_000_000L))
                .add(new Contribution(ContributionType.SURVEY_RESPONSE, 3_800_000L, 1, 3_800_000L, 9, -1, 7, 0, null));
        return state;
    }

    @Test
    void shouldDecodeAWindowReadBackOnlyWhenItIsUsedAndWriteTheOthersBackAsRead() {
        byte[] stored = EntityWindowsSerde.write(threeWindows());
        EntityWindows back = EntityWindowsSerde.read(stored);
        OpenWindow hour = back.latest(WindowSize.HOUR);
        OpenWindow day = back.latest(WindowSize.DAY);
        OpenWindow month = back.latest(WindowSize.MONTH);
        assertTrue(hour.isLazy() && day.isLazy() && month.isLazy(), "nothing decoded by reading");

        assertEquals(45, day.counters().get(HealthCounters.H_QUEUE_SUM));
        assertTrue(hour.isLazy() && month.isLazy(), "only the day was used");
        assertArrayEquals(stored, EntityWindowsSerde.write(back), "unchanged, so written back byte for byte");

        hour.add(new Contribution(ContributionType.COMPLAINT, 3_900_000L, 0, 3_900_000L, 1, 2, 0, 0, "R1"));
        assertEquals(2L, hour.counters().complaintsByRegion().get("R1"));
        assertTrue(month.isLazy());
        EntityWindows expected = threeWindows();
        expected.latest(WindowSize.HOUR).add(new Contribution(ContributionType.COMPLAINT, 3_900_000L, 0, 3_900_000L, 1, 2, 0, 0, "R1"));
        assertArrayEquals(EntityWindowsSerde.write(expected), EntityWindowsSerde.write(back));
    }

    @Test
    void shouldReadStateWrittenInVersionTwoWithoutWindowLengths() {
        byte[] v3 = EntityWindowsSerde.write(threeWindows());
        byte[] v2 = withoutWindowLengths(v3);
        assertEquals(2, v2[0]);
        assertEquals(v3.length - 3 * 3, v2.length, "three windows, three length bytes each");

        EntityWindows back = EntityWindowsSerde.read(v2);

        assertEquals(1L, back.latest(WindowSize.HOUR).counters().complaintsByRegion().get("R1"));
        assertEquals(45, back.latest(WindowSize.DAY).counters().get(HealthCounters.H_QUEUE_SUM));
        assertEquals(9, back.latest(WindowSize.MONTH).counters().get(HealthCounters.V_SCORE_SUM));
        assertArrayEquals(v3, EntityWindowsSerde.write(back), "written again in version 3");
    }

    @Test
    void shouldIgnoreASettledCopyInStateWrittenBeforeTheyWereDroppedAndWriteAUsedWindowWithoutIt() {
        byte[] current = EntityWindowsSerde.write(threeWindows());
        byte[] old = withASettledCopyInTheDay(current);
        assertTrue(old.length > current.length);

        EntityWindows back = EntityWindowsSerde.read(old);
        assertArrayEquals(old, EntityWindowsSerde.write(back), "a window nobody used is written back as read");
        assertEquals(45, back.latest(WindowSize.DAY).counters().get(HealthCounters.H_QUEUE_SUM));
        assertEquals(1L, back.latest(WindowSize.HOUR).counters().get(HealthCounters.COMPLAINTS));
        assertArrayEquals(current, EntityWindowsSerde.write(back), "a used window is written again without the copy");
        assertArrayEquals(EntityWindowsSerde.write(threeWindows()), EntityWindowsSerde.write(EntityWindowsSerde.read(withoutWindowLengths(old))),
                "version 2 state with a settled copy: the same");
    }

    /**
     * State as written before 2026-11-28: a window's counters were followed by "settled" copies (count,
     * then finer size and counters each). Here the day gets one, the hour's counters as its HOUR copy.
     */
    private static byte[] withASettledCopyInTheDay(byte[] v3) {
        ByteSource in = new ByteSource(v3);
        in.get();
        int count = in.readVarint();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(v3, 0, in.position());
        List<byte[]> windows = new java.util.ArrayList<>();
        byte[] hourCounters = null;
        int day = -1;
        for (int i = 0; i < count; i++) {
            int length = in.readVarint();
            byte[] window = java.util.Arrays.copyOfRange(v3, in.position(), in.position() + length);
            in.seek(in.position() + length);
            ByteSource w = new ByteSource(window);
            WindowSize size = WindowSize.values()[w.get()];
            w.readVarlong();
            w.readVarlong();
            w.readVarlong();
            assertEquals(0, window[window.length - 1], "no settled copy: a count of 0 ends the window");
            if (size == WindowSize.HOUR) {
                hourCounters = java.util.Arrays.copyOfRange(window, w.position(), window.length - 1);
            } else if (size == WindowSize.DAY) {
                day = i;
            }
            windows.add(window);
        }
        java.io.ByteArrayOutputStream withCopy = new java.io.ByteArrayOutputStream();
        withCopy.write(windows.get(day), 0, windows.get(day).length - 1);
        withCopy.write(2); // one copy, zig-zag
        withCopy.write(WindowSize.HOUR.ordinal());
        withCopy.write(hourCounters, 0, hourCounters.length);
        windows.set(day, withCopy.toByteArray());
        for (byte[] window : windows) {
            int z = window.length << 1; // the three-byte padded length ByteSink.patchLength writes
            out.write((z & 0x7F) | 0x80);
            out.write(((z >>> 7) & 0x7F) | 0x80);
            out.write((z >>> 14) & 0x7F);
            out.write(window, 0, window.length);
        }
        return out.toByteArray();
    }

    /** Version 2 is version 3 without the three-byte length before each window (and version byte 2). */
    private static byte[] withoutWindowLengths(byte[] v3) {
        ByteSource in = new ByteSource(v3);
        assertEquals(3, in.get());
        int count = in.readVarint();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(2);
        out.write(v3, 1, in.position() - 1);
        for (int i = 0; i < count; i++) {
            int length = in.readVarint();
            out.write(v3, in.position(), length);
            in.seek(in.position() + length);
        }
        return out.toByteArray();
    }

    private static EntityWindows copyOf(EntityWindows state) {
        return EntityWindowsSerde.read(EntityWindowsSerde.write(state));
    }

    private static Contribution randomContribution(java.util.Random random, long time) {
        return switch (random.nextInt(4)) {
            case 0 -> new Contribution(ContributionType.COMPLAINT, time, 0, time, 1 + random.nextInt(3), 1 + random.nextInt(3), 0,
                    random.nextBoolean() ? Contributions.REPEAT : 0, random.nextBoolean() ? "R" + random.nextInt(3) : null);
            case 1 -> new Contribution(ContributionType.HOTLINE_CALL, time, 0, time, random.nextInt(900), 2, 0, Contributions.TRANSFERRED, null);
            case 2 -> new Contribution(ContributionType.SURVEY_RESPONSE, time, 0, time, 1 + random.nextInt(10), -1, 1 + random.nextInt(10), 0, null);
            default -> new Contribution(ContributionType.STORE_TRANSACTION, time, 0, time, random.nextInt(1200), 0, 0, 0, null);
        };
    }
}
