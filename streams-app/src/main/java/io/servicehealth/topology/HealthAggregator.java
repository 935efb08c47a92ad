package io.servicehealth.topology;

import io.servicehealth.aggregate.Contribution;
import io.servicehealth.aggregate.ContributionBatch;
import io.servicehealth.aggregate.ContributionType;
import io.servicehealth.aggregate.EntityKey;
import io.servicehealth.aggregate.HealthCounters;
import io.servicehealth.alert.AlertEngine;
import io.servicehealth.alert.WindowLookup;
import io.servicehealth.alert.WindowResult;
import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.EntityAlertState;
import io.servicehealth.schema.EntityKind;
import io.servicehealth.schema.EntityRef;
import io.servicehealth.schema.HealthResultKey;
import io.servicehealth.schema.HealthUpdateKey;
import io.servicehealth.schema.HealthAlert;
import io.servicehealth.aggregate.EntityWindows;
import io.servicehealth.aggregate.OpenWindow;
import io.servicehealth.catalog.CatalogView;
import io.servicehealth.config.TopologySettings;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.schema.WindowSize;
import io.servicehealth.score.HealthAssembler;
import io.servicehealth.state.WriteBackStore;
import io.servicehealth.window.CalendarWindows;
import io.servicehealth.window.Window;
import org.apache.kafka.common.metrics.Sensor;
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

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Entity side of the shuffle: one store entry per entity holds all its open windows of every size,
 * so an event costs one lookup whatever the number of window sizes; the entry is a live object in a
 * {@link WriteBackStore}, serialized once per commit rather than once per event. Why a processor and
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
 *     every {@code health.update.interval.ms} of wall-clock time (coalescing bursts); none, and no
 *     tracking of changed entities, when no live size is configured (replays, backtests).</li>
 * </ul>
 */
final class HealthAggregator implements Processor<String, byte[], Object, Object> {
    static final String WINDOWS_STORE = "entity-windows";
    static final String WATERMARK_STORE = "source-watermarks";
    static final String ALERT_STORE = "alert-state";
    /**
     * The sinks the aggregator forwards to by name, each record already keyed for its topic: one forward
     * per output record, where routing through a split, its branch and a key-mapping node took four
     * (~5 output records per event in a backlog drain).
     */
    static final String RESULTS_SINK = "health-results-sink";
    static final String UPDATES_SINK = "health-updates-sink";
    static final String ALERTS_SINK = "alerts-sink";
    static final String ALERT_STATE_SINK = "alert-state-sink";
    /** Key in {@link #WATERMARK_STORE} of the event time through which this task has closed windows (source ids are >= 0). */
    static final int CLOSED_THROUGH_KEY = -1;
    /** Empty windows evaluated in one step for a quiet entity in an open episode, at most (a month of hours). */
    private static final int MAX_KEEP_ALIVE_STEPS = 24 * 31;
    private static final Logger LOG = LoggerFactory.getLogger(HealthAggregator.class);

    private final TopologySettings settings;
    private final CatalogView catalog;
    private final ClosedThrough closedView;
    /**
     * Every window ending at or before this has been closed (its final result emitted, in the same
     * transaction that persisted this value). Closing does not rewrite the entity: a stored entity may
     * still hold such windows, and they are dropped, settled, when it is read back ({@link #load}).
     */
    private long closedThrough = Long.MIN_VALUE;
    private final HealthAssembler assembler;
    private final WindowSize[] sizes;
    private final WindowSize[] liveSizes;
    private SourceProgress progress;
    private final AlertEngine alertEngine;
    /** Entities to visit, by the end of their earliest open window. Rebuilt from the store on start. */
    private final TreeMap<Long, List<String>> closeIndex = new TreeMap<>();
    /** By source: the watermark interval of the progress last written to {@link #WATERMARK_STORE}. */
    private final Map<Integer, Long> persistedInterval = new HashMap<>();
    /**
     * Entities changed since the last live update, with their latest state object (the one the
     * write-back store holds, or held when it evicted it: the tick publishes that last state).
     */
    private final Map<String, EntityWindows> dirty = new LinkedHashMap<>();
    private CalendarWindows calendar;
    private ProcessorContext<Object, Object> context;
    private WriteBackStore<EntityAlertState> alertStates;
    /** A trivial alert state left over from the last evaluation, reused for the next entity without one. */
    private EntityAlertState spareAlertState;
    private WriteBackStore<EntityWindows> windows;
    private KeyValueStore<Integer, Long> watermarks;
    private Sensor lateAfterClose;
    private Sensor finalResults;
    /** By entity kind and transition: few (3 kinds x 3 transitions), created as they first occur. */
    private final Map<String, Sensor> alertTransitions = new HashMap<>();

    HealthAggregator(TopologySettings settings, CatalogView catalog, ClosedThrough closedView) {
        this.settings = settings;
        this.catalog = catalog;
        this.closedView = closedView;
        this.assembler = new HealthAssembler(settings.scoreModel());
        this.sizes = settings.windowSizes().toArray(new WindowSize[0]);
        this.liveSizes = settings.liveUpdateSizes().stream().sorted().toArray(WindowSize[]::new);
        this.progress = new SourceProgress(settings.sourcePartitions());
        this.alertEngine = new AlertEngine(settings.alertRules());
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        // a revived task (after an aborted transaction) is initialised again: in-memory views start over from the stores
        this.progress = new SourceProgress(settings.sourcePartitions());
        this.closeIndex.clear();
        this.persistedInterval.clear();
        // a pending entity is flagged on its object (EntityWindows#markLivePending) and kept in this map;
        // clearing the map clears the flags with it, so no object outlives the map still marked
        this.dirty.values().forEach(EntityWindows::clearLivePending);
        this.dirty.clear();
        this.alertTransitions.clear(); // registered through the previous context's metrics
        this.calendar = new CalendarWindows(settings.zone());
        this.windows = context.getStateStore(WINDOWS_STORE);
        this.watermarks = context.getStateStore(WATERMARK_STORE);
        this.alertStates = context.getStateStore(ALERT_STORE);
        catalog.attach(context);
        this.lateAfterClose = PipelineMetrics.counter(context.metrics(), PipelineMetrics.LATE_AFTER_CLOSE,
                "Entity updates that reached a window already closed (only possible from a source partition that first reported after the window closed)", Map.of());
        this.finalResults = PipelineMetrics.counter(context.metrics(), PipelineMetrics.FINAL_RESULTS,
                "Final health results emitted (one per entity and closed window)", Map.of());
        this.closedThrough = Long.MIN_VALUE;
        try (KeyValueIterator<Integer, Long> it = watermarks.all()) {
            while (it.hasNext()) {
                KeyValue<Integer, Long> kv = it.next();
                if (kv.key == CLOSED_THROUGH_KEY) {
                    closedThrough = kv.value;
                } else {
                    progress.update(kv.key, kv.value);
                }
            }
        }
        closedView.set(context.taskId().partition(), closedThrough);
        try (KeyValueIterator<String, EntityWindows> it = windows.all()) {
            while (it.hasNext()) {
                KeyValue<String, EntityWindows> kv = it.next();
                dropClosed(kv.value); // a local copy: the store keeps the entity until its next write
                index(kv.value.earliestEnd(), kv.key);
            }
        }
        if (liveSizes.length > 0) {
            context.schedule(Duration.ofMillis(settings.healthUpdateIntervalMs()), PunctuationType.WALL_CLOCK_TIME, now -> publishLiveUpdates());
        }
    }

    /** A batch from one source task ({@link ContributionBatch}): its entries in the order that task produced them. */
    @Override
    public void process(Record<String, byte[]> record) {
        ContributionBatch.forEach(record.value(), this::process);
    }

    private void process(String entityKey, Contribution c) {
        boolean lowMoved = c.type() == ContributionType.IDLE ? progress.markIdle(c.source(), c.progress()) : progress.update(c.source(), c.progress());
        persistProgress(c.source(), c.progress());
        if (!c.isProgressReport()) {
            apply(entityKey, c);
        }
        if (lowMoved) {
            closeDueWindows();
        }
    }

    /**
     * Keeps a source's progress in the store once per watermark interval it enters (contributions bring
     * it as often as watermarks do, and watermarks go only where contributions did not): a restart may
     * resume from a progress up to an interval old, which delays closing but never changes what a window
     * contains. Idleness is not persisted: a source task repeats it while the partition stays idle.
     */
    private void persistProgress(int source, long sourceProgress) {
        if (sourceProgress == Long.MIN_VALUE) {
            return; // an idle partition that never delivered: nothing to resume from
        }
        long interval = WatermarkRouting.intervalOf(sourceProgress, settings.watermarkIntervalMs());
        Long persisted = persistedInterval.get(source);
        if (persisted == null || interval > persisted) {
            persistedInterval.put(source, interval);
            watermarks.put(source, sourceProgress);
        }
    }

    @Override
    public void close() {
        if (context != null) {
            closedView.remove(context.taskId().partition());
        }
    }

    /** The entity's current state: as stored, less the windows closed since it was last written. */
    private EntityWindows load(String entityKey) {
        return upToDate(entityKey, windows.load(entityKey));
    }

    /**
     * As {@link #load}, for a close visit: an entity that is not cached is read without caching it. A
     * round of closes visits every entity with a window ending in it, most of them quiet since; cached,
     * each pushed out an entity that events were still changing (read back again at its next event, and
     * written first when dirty). Closing changes nothing a read-back cannot redo ({@link #dropClosed}),
     * so the uncached copy is dropped after the visit unless the close marks it (a keep-alive window).
     */
    private EntityWindows loadForClose(String entityKey) {
        return upToDate(entityKey, windows.peek(entityKey));
    }

    private EntityWindows upToDate(String entityKey, EntityWindows state) {
        if (state != null && dropClosed(state) && state.isEmpty()) {
            windows.remove(entityKey);
            return null;
        }
        return state;
    }

    /**
     * Removes windows ending at or before {@link #closedThrough}: their finals and alert evaluations
     * happened when they closed; this only brings a stored copy up to date (nothing is decoded: the
     * larger windows already hold their events). True when any was removed.
     */
    private boolean dropClosed(EntityWindows state) {
        if (state.earliestEnd() > closedThrough) {
            return false;
        }
        state.closeEndingBy(closedThrough, closed -> { });
        return true;
    }

    private void apply(String entityKey, Contribution c) {
        EntityWindows state = load(entityKey);
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
        windows.markDirty(entityKey, state);
        long earliestAfter = state.earliestEnd();
        if (earliestAfter < earliestBefore) {
            index(earliestAfter, entityKey);
        }
        if (liveSizes.length > 0 && state.markLivePending()) {
            dirty.put(entityKey, state);
        }
    }

    private boolean isClosed(Window window) {
        long low = progress.low();
        return window.end() <= closedThrough || (low != Long.MIN_VALUE && window.end() + settings.graceMs() <= low);
    }

    private void index(long end, String entityKey) {
        if (end != Long.MAX_VALUE) {
            closeIndex.computeIfAbsent(end, e -> new ArrayList<>(4)).add(entityKey);
        }
    }

    private void closeDueWindows() {
        long endLimit = progress.low() - settings.graceMs();
        if (closeIndex.isEmpty() || closeIndex.firstKey() > endLimit) {
            // nothing due: every window of this task ending by endLimit is closed already. Only the view
            // moves (what queries and a backtest's cut-off read); the stored value moves at the next close
            closedView.set(context.taskId().partition(), Math.max(closedThrough, endLimit));
            return;
        }
        // an entity can have several index entries due in one round; once closed it may leave the cache
        // (unwritten) and come back stale before closedThrough covers this round: visit it once
        Set<String> closedThisRound = new HashSet<>();
        while (!closeIndex.isEmpty() && closeIndex.firstKey() <= endLimit) {
            for (String entityKey : closeIndex.pollFirstEntry().getValue()) {
                if (closedThisRound.add(entityKey)) {
                    closeEntity(entityKey, endLimit);
                }
            }
        }
        // in the same transaction as the finals just emitted: after a crash, stored entities are
        // brought up to date against exactly what was emitted
        closedThrough = Math.max(closedThrough, endLimit);
        watermarks.put(CLOSED_THROUGH_KEY, closedThrough);
        closedView.set(context.taskId().partition(), closedThrough);
    }

    private void closeEntity(String entityKey, long endLimit) {
        EntityWindows state = loadForClose(entityKey);
        if (state == null || state.earliestEnd() > endLimit) {
            return; // already handled through an earlier index entry
        }
        List<OpenWindow> closing = new ArrayList<>(4);
        state.closeEndingBy(endLimit, closing::add);
        List<WindowResult> closed = new ArrayList<>(closing.size());
        for (OpenWindow open : closing) {
            WindowResult result = result(entityKey, open);
            closed.add(result);
            if (open.counters().get(HealthCounters.EVENTS) > 0) { // keep-alive windows of quiet entities publish nothing
                finalResults.record();
                ServiceHealth health = result.health();
                context.forward(new Record<>(new HealthResultKey(health.getKind(), health.getId(), health.getWindowSize(), health.getWindowStart()),
                        health, open.window().end() - 1), RESULTS_SINK);
            }
        }
        boolean opened = evaluateAlerts(entityKey, state, closing, closed, endLimit);
        if (state.isEmpty()) {
            windows.remove(entityKey);
            dirty.remove(entityKey);
            state.clearLivePending();
            return;
        }
        if (opened) {
            // a keep-alive window is new state that reading back could not reconstruct: written now.
            // Otherwise closing only removed windows, which load() redoes from the stored copy; the
            // entity is written with its next event, not once more per close.
            windows.markDirty(entityKey, state);
        }
        index(state.earliestEnd(), entityKey);
    }

    /** The windows a rule may look up while a group closes: those still open and those closing in this round. */
    private static List<OpenWindow> around(EntityWindows state, List<OpenWindow> closing) {
        List<OpenWindow> around = new ArrayList<>(state.windows());
        around.addAll(closing);
        return around;
    }

    private WindowResult result(String entityKey, OpenWindow open) {
        return result(entityKey, open.window(), open.counters(), open.lastEventTime());
    }

    private WindowResult result(String entityKey, Window w, HealthCounters counters, long lastEventTime) {
        ServiceHealth health = assembler.assemble(entityKey, w, counters, lastEventTime, catalog.forWindow(entityKey, w.end()), true);
        return new WindowResult(w, counters, health);
    }

    /** A window a rule may read: its counters computed when first read, its health record only if a rule reads a score. */
    private WindowResult lazyResult(String entityKey, Window w, Supplier<HealthCounters> counters) {
        return new WindowResult(w, counters, c -> assembler.assemble(entityKey, w, c, Long.MIN_VALUE, catalog.forWindow(entityKey, w.end()), true));
    }

    /** Evaluates the rules on the windows closing, oldest end first; true when a keep-alive window was opened. */
    private boolean evaluateAlerts(String entityKey, EntityWindows state, List<OpenWindow> closing, List<WindowResult> closed, long endLimit) {
        EntityKind kind = EntityKey.kind(entityKey);
        String id = EntityKey.id(entityKey);
        long lastEnd = closed.get(closed.size() - 1).window().end();
        CatalogEntry entry = catalog.forWindow(entityKey, lastEnd);
        if (!alertEngine.judges(kind, id, entry)) {
            return false;
        }
        List<OpenWindow> around = around(state, closing);
        EntityAlertState alertState = alertStates.load(entityKey);
        boolean storedAlertState = alertState != null;
        if (alertState == null) {
            alertState = AlertEngine.initialState(kind, id, spareAlertState);
            spareAlertState = null;
        }
        List<HealthAlert> transitions = new ArrayList<>();
        // one evaluation per window end, oldest first: a rule sees each larger window as settled by
        // the windows closed so far, never by events that happen to have arrived ahead of the watermark
        int from = 0;
        for (int i = 1; i <= closing.size(); i++) {
            if (i < closing.size() && closing.get(i).window().end() == closing.get(from).window().end()) {
                continue;
            }
            long groupEnd = closing.get(from).window().end();
            transitions.addAll(alertEngine.onWindowsClosed(alertState, entry, closed.subList(from, i), lookup(entityKey, around, closing, closed, groupEnd)));
            from = i;
        }
        int before = state.windows().size();
        keepAlive(entityKey, state, alertState, closed, endLimit, entry, lookup(entityKey, around, closing, closed, lastEnd), transitions);
        boolean opened = state.windows().size() > before;
        if (AlertEngine.isTrivial(alertState)) {
            if (storedAlertState) {
                alertStates.remove(entityKey);
            } else {
                spareAlertState = alertState;
            }
        } else {
            alertStates.markDirty(entityKey, alertState);
        }
        for (HealthAlert alert : transitions) {
            alertTransitionSensor(alert).record();
            long at = alert.getEventTime().toEpochMilli();
            EntityRef ref = new EntityRef(alert.getKind(), alert.getId());
            context.forward(new Record<>(ref, alert, at), ALERTS_SINK);
            context.forward(new Record<>(ref, EntityAlertState.newBuilder(alertState).build(), at), ALERT_STATE_SINK);
        }
        return opened;
    }

    private Sensor alertTransitionSensor(HealthAlert alert) {
        String kind = alert.getKind().name();
        String transition = alert.getTransition().name();
        return alertTransitions.computeIfAbsent(kind + "/" + transition, k -> PipelineMetrics.counter(context.metrics(),
                PipelineMetrics.ALERT_TRANSITIONS, "Delisting-alert transitions emitted, by entity kind and transition",
                Map.of("kind", kind, "transition", transition)));
    }

    /** Windows as a rule evaluated at {@code asOf} may see them: whole when closed by then, else as settled. */
    private WindowLookup lookup(String entityKey, List<OpenWindow> around, List<OpenWindow> closing, List<WindowResult> closed, long asOf) {
        return (size, time, settledBy) -> {
            Window window = calendar.windowOf(size, time);
            for (int i = 0; i < closing.size(); i++) {
                if (closing.get(i).window().equals(window) && window.end() <= asOf) {
                    return closed.get(i);
                }
            }
            for (OpenWindow open : around) {
                if (open.window().equals(window)) {
                    return lazyResult(entityKey, window, () -> settled(open, settledBy, around, asOf));
                }
            }
            return lazyResult(entityKey, window, HealthCounters::new);
        };
    }

    /**
     * An open window as its finer windows of size {@code finer} closed by {@code asOf} have settled it:
     * its counts less those of the finer windows inside it still open at {@code asOf} (ending after it;
     * every window of the entity ending by then is closed, in this round or an earlier one). A rule then
     * never sees events that arrived ahead of the watermark. Computed here rather than kept: a settled
     * copy per larger window was merged at every close and at every read-back of an entity whose windows
     * closed meanwhile, and written with the entity; without them a backlog drain allocated 7 % less per
     * event (bench/ab-2026-11-28i.md). Finer sizes nest in larger ones ({@code AlertRules} refuses a rule
     * whose short window does not), so the subtraction is exact, except that an event counted after its
     * finer window closed ({@code late-after-close-total}) counts as settled.
     */
    private static HealthCounters settled(OpenWindow larger, WindowSize finer, List<OpenWindow> around, long asOf) {
        Window w = larger.window();
        HealthCounters settled = null;
        for (OpenWindow open : around) {
            Window f = open.window();
            if (f.size() == finer && f.end() > asOf && f.start() >= w.start() && f.end() <= w.end()) {
                if (settled == null) {
                    settled = new HealthCounters();
                    settled.merge(larger.counters()); // a copy: the larger window's own counters stay as they are
                }
                settled.subtract(open.counters());
            }
        }
        return settled == null ? larger.counters() : settled;
    }

    /**
     * An entity in an open episode must go on being judged when it goes quiet: the opening rule's
     * trigger window is kept open (empty) so that it closes on the watermark; windows the watermark
     * has already passed are judged at once, empty.
     */
    private void keepAlive(String entityKey, EntityWindows state, EntityAlertState alertState, List<WindowResult> closed,
                           long endLimit, CatalogEntry entry, WindowLookup lookup,
                           List<HealthAlert> transitions) {
        for (int step = 0; step < MAX_KEEP_ALIVE_STEPS; step++) {
            WindowSize size = alertEngine.keepAliveSize(alertState);
            if (size == null) {
                return;
            }
            long cursor = closed.stream().filter(r -> r.window().size() == size).mapToLong(r -> r.window().end()).max().orElse(Long.MIN_VALUE);
            if (cursor == Long.MIN_VALUE) {
                return; // the trigger window is still open
            }
            Window next = calendar.windowOf(size, cursor);
            if (state.find(next) != null) {
                return;
            }
            if (next.end() > endLimit) {
                state.open(next);
                return;
            }
            WindowResult empty = lazyResult(entityKey, next, HealthCounters::new);
            closed = List.of(empty);
            transitions.addAll(alertEngine.onWindowsClosed(alertState, entry, closed, lookup));
        }
        LOG.warn("{}: more than {} empty windows to judge in one step; the rest are skipped", entityKey, MAX_KEEP_ALIVE_STEPS);
    }

    private void publishLiveUpdates() {
        if (dirty.isEmpty()) {
            return;
        }
        for (Map.Entry<String, EntityWindows> entry : dirty.entrySet()) {
            String entityKey = entry.getKey();
            EntityWindows state = entry.getValue();
            state.clearLivePending();
            for (WindowSize size : liveSizes) {
                OpenWindow latest = state.latest(size);
                if (latest != null) {
                    ServiceHealth health = assembler.assemble(entityKey, latest, catalog.forWindow(entityKey, latest.window().end()), false);
                    context.forward(new Record<>(new HealthUpdateKey(health.getKind(), health.getId(), health.getWindowSize()), health,
                            Math.max(latest.lastEventTime(), latest.window().start())), UPDATES_SINK);
                }
            }
        }
        dirty.clear();
    }
}
