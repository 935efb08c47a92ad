package io.servicehealth.window;

import io.servicehealth.schema.WindowSize;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * Window bounds in the operator's time zone: hour, calendar day, ISO week (Monday start) and calendar
 * month, as the daily/weekly/monthly reports (日报、周报、月报) count them. Kafka's TimeWindows align to
 * the UTC epoch and have one fixed size, so they cannot express a Shanghai day or a month; bounds
 * come from java.time, which also gives 23- and 25-hour days across daylight-saving changes.
 * <p>
 * Not thread-safe: each processor keeps its own instance, which remembers the last window of each
 * size so that the common case (the next event falls in the same window) costs two comparisons.
 */
public final class CalendarWindows {
    private final ZoneId zone;
    private final Window[] last = new Window[WindowSize.values().length];

    public CalendarWindows(ZoneId zone) {
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    public Window windowOf(WindowSize size, long time) {
        Window cached = last[size.ordinal()];
        if (cached != null && cached.contains(time)) {
            return cached;
        }
        Window computed = compute(size, time);
        last[size.ordinal()] = computed;
        return computed;
    }

    private Window compute(WindowSize size, long time) {
        ZonedDateTime local = Instant.ofEpochMilli(time).atZone(zone);
        ZonedDateTime start;
        ZonedDateTime end;
        switch (size) {
            case HOUR -> {
                start = local.truncatedTo(ChronoUnit.HOURS);
                end = start.plusHours(1);
            }
            case DAY -> {
                LocalDate day = local.toLocalDate();
                start = day.atStartOfDay(zone);
                end = day.plusDays(1).atStartOfDay(zone);
            }
            case WEEK -> {
                LocalDate monday = local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                start = monday.atStartOfDay(zone);
                end = monday.plusWeeks(1).atStartOfDay(zone);
            }
            case MONTH -> {
                LocalDate first = local.toLocalDate().withDayOfMonth(1);
                start = first.atStartOfDay(zone);
                end = first.plusMonths(1).atStartOfDay(zone);
            }
            default -> throw new IllegalArgumentException("no calendar window for size " + size);
        }
        return new Window(size, start.toInstant().toEpochMilli(), end.toInstant().toEpochMilli());
    }
}
