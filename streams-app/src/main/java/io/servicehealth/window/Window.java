package io.servicehealth.window;

import io.servicehealth.schema.WindowSize;

/** One calendar window: [start, end) in epoch millis. */
public record Window(WindowSize size, long start, long end) {
    public boolean contains(long time) {
        return time >= start && time < end;
    }

    public long durationMs() {
        return end - start;
    }
}
