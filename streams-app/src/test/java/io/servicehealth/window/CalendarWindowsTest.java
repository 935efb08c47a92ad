package io.servicehealth.window;

import io.servicehealth.schema.WindowSize;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CalendarWindowsTest {
    private static long t(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void shouldGiveA23HourDayOnTheSpringForwardDateInBerlin() {
        CalendarWindows berlin = new CalendarWindows(ZoneId.of("Europe/Berlin"));
        Window day = berlin.windowOf(WindowSize.DAY, t("2026-03-29T12:00:00Z"));
        assertEquals(t("2026-03-28T23:00:00Z"), day.start()); // 00:00 CET (+01:00)
        assertEquals(t("2026-03-29T22:00:00Z"), day.end());   // 00:00 CEST (+02:00)
        assertEquals(23 * 3600_000L, day.durationMs());
    }

    @Test
    void shouldGiveA25HourDayAndTwoDistinctOneOClockHoursOnTheFallBackDate() {
        CalendarWindows berlin = new CalendarWindows(ZoneId.of("Europe/Berlin"));
        Window day = berlin.windowOf(WindowSize.DAY, t("2026-10-25T12:00:00Z"));
        assertEquals(25 * 3600_000L, day.durationMs());
        Window firstTwo = berlin.windowOf(WindowSize.HOUR, t("2026-10-25T00:30:00Z")); // 02:30 CEST
        Window secondTwo = berlin.windowOf(WindowSize.HOUR, t("2026-10-25T01:30:00Z")); // 02:30 CET
        assertEquals(t("2026-10-25T00:00:00Z"), firstTwo.start());
        assertEquals(t("2026-10-25T01:00:00Z"), secondTwo.start());
        assertEquals(3600_000L, secondTwo.durationMs());
    }

    @Test
    void shouldStartWeeksOnMondayAndMonthsOnTheFirstInTheZone() {
        CalendarWindows shanghai = new CalendarWindows(ZoneId.of("Asia/Shanghai"));
        // Thursday 1 Jan 2026, 07:59 UTC = 15:59 in Shanghai
        Window week = shanghai.windowOf(WindowSize.WEEK, t("2026-01-01T07:59:00Z"));
        assertEquals(t("2025-12-28T16:00:00Z"), week.start()); // Monday 29 Dec 00:00 +08:00
        Window february = shanghai.windowOf(WindowSize.MONTH, t("2026-02-10T00:00:00Z"));
        assertEquals(t("2026-01-31T16:00:00Z"), february.start());
        assertEquals(t("2026-02-28T16:00:00Z"), february.end()); // 28 days
    }

    @Test
    void shouldCutHoursAtTheZonesHalfHourForAHalfHourOffsetZone() {
        CalendarWindows kolkata = new CalendarWindows(ZoneId.of("Asia/Kolkata")); // +05:30
        Window hour = kolkata.windowOf(WindowSize.HOUR, t("2026-04-10T10:45:00Z")); // 16:15 local
        assertEquals(t("2026-04-10T10:30:00Z"), hour.start());
    }
}
