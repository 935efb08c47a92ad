package io.servicehealth.topology;

import io.servicehealth.aggregate.Contribution;
import io.servicehealth.aggregate.EntityWindows;
import io.servicehealth.aggregate.OpenWindow;
import io.servicehealth.catalog.CatalogView;
import io.servicehealth.config.TopologySettings;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.schema.WindowSize;
import io.servicehealth.score.HealthAssembler;
import io.servicehealth.window.CalendarWindows;
import io.servicehealth.window.Window;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Entity side of the shuffle: one store entry per entity holds all its open windows of every size,
 * so an event costs one read and one write whatever the number of window sizes. Why a processor and
 * not the DSL's windowed cogroup: the cogroup keeps one windowed store, changelog and suppression
 * buffer per window size, its windows are fixed-size and epoch-aligned (no Shanghai days, no months),
 * and its lateness is judged against the task's stream time, which depends on how upstream tasks
 * interleave. Here windows close on the low watermark over source partitions ({@link SourceProgress}),
 * which makes the final results a function of the input alone.
 * <ul>
 * <li>Final results: when the low watermark passes a window's end plus grace, exactly one record,
 *     {@code final = true}; then the window is dropped from state. Closing is driven by watermark
 *     broadcasts, so quiet entities close too, and never by the wall clock.</li>
 * <li>Live updates: entities changed since the last tick publish their newest window of each size
 *     every {@code health.update.interval.ms} of wall-clock time (coalescing bursts).</li>
 * </ul>
 */
final class HealthAggregator implements Processor<String, Contribution, String, ServiceHealth> {
    static final String WINDOWS_STORE = "entity-windows";
    static final String WATERMARK_STORE = "source-watermarks";
    private static final Logger LOG = LoggerFactory.getLogger(HealthAggregator.class);

    private final TopologySettings settings;
    private final CatalogView catalog;
    private final HealthAssembler assembler;
    private final WindowSize[] sizes;
    private final SourceProgress progress;
    /** Entities to visit, by the end of their earliest open window. Rebuilt from the store on start. */
    private final TreeMap<Long, List<String>> closeIndex = new TreeMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private CalendarWindows calendar;
    private ProcessorContext<String, ServiceHealth> context;
    private KeyValueStore<String, EntityWindows> windows;
    private KeyValueStore<Integer, Long> watermarks;
    private Sensor lateAfterClose;
    private Sensor finalResults;

    HealthAggregator(TopologySettings settings, CatalogView catalog) {
        this.settings = settings;
        this.catalog = catalog;
        this.assembler = new HealthAssembler(settings.scoreModel());
        this.sizes = settings.windowSizes().toArray(new WindowSize[0]);
        this.progress = new SourceProgress(settings.sourcePartitions());
    }

    @Override
    public void init(ProcessorContext<String, ServiceHealth> context) {
        this.context = context;
        this.calendar = new CalendarWindows(settings.zone());
        this.windows = context.getStateStore(WINDOWS_STORE);
        this.watermarks = context.getStateStore(WATERMARK_STORE);
        catalog.attach(context);
        this.lateAfterClose = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LATE_AFTER_CLOSE,
                "Entity updates that reached a window already closed (only possible from a source partition that first reported after the window closed)", Map.of());
        this.finalResults = PipelineMetrics.counter(context.metrics(), PipelineMetrics.FINAL_RESULTS,
                "Final health results emitted (one per entity and closed window)", Map.of());
        try (KeyValueIterator<Integer, Long> it = watermarks.all()) {
            while (it.hasNext()) {
                KeyValue<Integer, Long> kv = it.next();
                progress.update(kv.key, kv.value);
            }
        }
        try (KeyValueIterator<String, EntityWindows> it = windows.all()) {
            while (it.hasNext()) {
                KeyValue<String, EntityWindows> kv = it.next();
                index(kv.value.earliestEnd(), kv.key);
            }
        }
        context.schedule(Duration.ofMillis(settings.healthUpdateIntervalMs()), PunctuationType.WALL_CLOCK_TIME, now -> publishLiveUpdates());
    }

    @Override
    public void process(Record<String, Contribution> record) {
        Contribution c = record.value();
        boolean lowMoved = progress.update(c.source(), c.progress());
        if (c.isWatermark()) {
            // persisted at broadcast points only: a restart may resume from a slightly older watermark,
            // which delays closing but never changes what a window contains
            watermarks.put(c.source(), c.progress());
        } else {
            apply(record.key(), c);
        }
        if (lowMoved) {
            closeDueWindows();
        }
    }

    private void apply(String entityKey, Contribution c) {
        EntityWindows state = windows.get(entityKey);
        if (state == null) {
            state = new EntityWindows();
        }
        long earliestBefore = state.earliestEnd();
        for (WindowSize size : sizes) {
            Window window = calendar.windowOf(size, c.eventTime());
            OpenWindow open = state.find(window);
            if (open == null) {
                if (isClosed(window)) {
                    lateAfterClose.record();
                    LOG.warn("event at {} for {} reached the closed {} window starting {}: counted in {}",
                            Instant.ofEpochMilli(c.eventTime()), entityKey, size, Instant.ofEpochMilli(window.start()), PipelineMetrics.LATE_AFTER_CLOSE);
                    continue;
                }
                open = state.open(window);
            }
            open.add(c);
        }
        if (state.isEmpty()) {
            return;
        }
        windows.put(entityKey, state);
        long earliestAfter = state.earliestEnd();
        if (earliestAfter < earliestBefore) {
            index(earliestAfter, entityKey);
        }
        dirty.add(entityKey);
    }

    private boolean isClosed(Window window) {
        long low = progress.low();
        return low != Long.MIN_VALUE && window.end() + settings.graceMs() <= low;
    }

    private void index(long end, String entityKey) {
        if (end != Long.MAX_VALUE) {
            closeIndex.computeIfAbsent(end, e -> new ArrayList<>(4)).add(entityKey);
        }
    }

    private void closeDueWindows() {
        long endLimit = progress.low() - settings.graceMs();
        while (!closeIndex.isEmpty() && closeIndex.firstKey() <= endLimit) {
            List<String> due = closeIndex.pollFirstEntry().getValue();
            for (String entityKey : due) {
                EntityWindows state = windows.get(entityKey);
                if (state == null || state.earliestEnd() > endLimit) {
                    continue; // already handled through an earlier index entry
                }
                state.closeEndingBy(endLimit, open -> emitFinal(entityKey, open));
                if (state.isEmpty()) {
                    windows.delete(entityKey);
                    dirty.remove(entityKey);
                } else {
                    windows.put(entityKey, state);
                    index(state.earliestEnd(), entityKey);
                }
            }
        }
    }

    private void emitFinal(String entityKey, OpenWindow open) {
        Window w = open.window();
        ServiceHealth health = assembler.assemble(entityKey, open, catalog.forWindow(entityKey, w.end()), true);
        finalResults.record();
        context.forward(new Record<>(entityKey, health, w.end() - 1));
    }

    private void publishLiveUpdates() {
        if (dirty.isEmpty()) {
            return;
        }
        for (String entityKey : dirty) {
            EntityWindows state = windows.get(entityKey);
            if (state == null) {
                continue;
            }
            for (WindowSize size : sizes) {
                OpenWindow latest = state.latest(size);
                if (latest != null) {
                    ServiceHealth health = assembler.assemble(entityKey, latest, catalog.forWindow(entityKey, latest.window().end()), false);
                    context.forward(new Record<>(entityKey, health, Math.max(latest.lastEventTime(), latest.window().start())));
                }
            }
        }
        dirty.clear();
    }
}
