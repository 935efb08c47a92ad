package io.servicehealth.alert;

import io.servicehealth.schema.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delisting lifecycle of one entity: OK → WARNING (预警) → DELIST_RECOMMENDED (下线建议) → RESOLVED,
 * evaluated only when windows close on the low watermark (never on the wall clock), so a replay
 * gives the same transitions with the same episode ids. Pure logic: the aggregator hands it the
 * windows that closed and a way to look up other windows, and stores the state it returns.
 * <ul>
 * <li>A rule is evaluated when its trigger window closes (its short window for multi-window rules,
 *     each closing hour for early-warning projections); its breach streak counts consecutive breaches.</li>
 * <li>One transition per change of state, so flapping input cannot cause an alert storm: while an
 *     episode is open, further breaches only keep it open; it resolves after the opening rule sat on
 *     the healthy side of its recovery threshold (hysteresis) for {@code recovery.windows} evaluations
 *     in a row with no rule firing.</li>
 * <li>The episode id is derived from the entity and the window that opened it.</li>
 * </ul>
 */
public final class AlertEngine {
    private static final int TREND_LENGTH = 6;
    private final List<AlertRule> rules;
    private final Map<String, AlertRule> byId = new HashMap<>();

    public AlertEngine(List<AlertRule> rules) {
        this.rules = List.copyOf(rules);
        rules.forEach(r -> byId.put(r.id(), r));
    }

    public List<AlertRule> rules() {
        return rules;
    }

    /** Whether any rule judges this entity (a loop: this runs at every close of every entity). */
    public boolean judges(EntityKind kind, String id, CatalogEntry entry) {
        for (AlertRule rule : rules) {
            if (rule.appliesTo(kind, id, entry)) {
                return true;
            }
        }
        return false;
    }

    /** The window size an entity in an open episode must keep closing (so that a quiet entity resolves). */
    public WindowSize keepAliveSize(EntityAlertState state) {
        if (state == null || state.getState() == AlertState.OK || state.getOpeningRuleId() == null) {
            return null;
        }
        AlertRule rule = byId.get(state.getOpeningRuleId());
        return rule == null ? null : judgesRecoveryOnWholeWindows(rule) ? rule.window() : rule.trigger();
    }

    /**
     * True when the state says nothing worth keeping: no open episode, no rule part-way to firing, no
     * past episode. Such states are not stored, so the common case costs no state write.
     */
    public static boolean isTrivial(EntityAlertState state) {
        return (state.getState() == AlertState.OK || state.getState() == AlertState.UNKNOWN)
                && state.getBreachStreaks().isEmpty() && state.getEpisodeId() == null;
    }

    /**
     * The initial state, made from {@code reuse} when it is not null: a state {@link #isTrivial trivial}
     * after its evaluation, which is not stored and so may serve the next entity (most closing entities
     * have no state, and each would otherwise build two maps to drop them).
     */
    public static EntityAlertState initialState(EntityKind kind, String id, EntityAlertState reuse) {
        if (reuse == null) {
            return initialState(kind, id);
        }
        reuse.setKind(kind);
        reuse.setId(id);
        reuse.setState(AlertState.OK);
        reuse.setSeverity(Severity.NONE);
        reuse.setEpisodeId(null);
        reuse.setOpeningRuleId(null);
        reuse.setOpenedAt(null);
        reuse.setLastTransition(null);
        reuse.setLastTransitionAt(null);
        reuse.setHealthyStreak(0);
        reuse.getBreachStreaks().clear();
        reuse.getScoreTrends().clear();
        return reuse;
    }

    public static EntityAlertState initialState(EntityKind kind, String id) {
        // the all-args constructor: the builder deep-copies every schema default on each build, and
        // this runs for every alerting entity whose window closes
        return new EntityAlertState(kind, id, AlertState.OK, Severity.NONE, null, null, null, null, null, 0,
                new HashMap<>(), new HashMap<>());
    }

    /**
     * @param closed  windows of the entity that closed at this watermark step, oldest end first
     * @param lookup  the entity's other windows: closed in this step, or open as settled by the trigger size
     * @return the transitions to publish (usually none); {@code state} is updated in place
     */
    public List<HealthAlert> onWindowsClosed(EntityAlertState state, CatalogEntry entry, List<WindowResult> closed,
                                             WindowLookup lookup) {
        EntityKind kind = state.getKind();
        String id = state.getId();
        Long base = entry == null ? null : entry.getSubscriberBase();
        List<Fired> fired = new ArrayList<>();
        Observation openingObservation = null;
        WindowResult openingWindow = null;
        AlertRule openingRule = state.getOpeningRuleId() == null ? null : byId.get(state.getOpeningRuleId());
        for (WindowResult window : closed) {
            appendTrend(state, window);
            if (openingRule != null && judgesRecoveryOnWholeWindows(openingRule) && window.window().size() == openingRule.window()) {
                openingObservation = window.observe(openingRule.metric(), base);
                openingWindow = window;
            }
            for (AlertRule rule : rules) {
                if (rule.trigger() != window.window().size() || !rule.appliesTo(kind, id, entry)) {
                    continue;
                }
                Evaluation e = evaluate(rule, window, lookup, base);
                if (e == null) {
                    continue;
                }
                int streak = rule.breaches(e.observation) && (e.shortBreach) ? state.getBreachStreaks().getOrDefault(rule.id(), 0) + 1 : 0;
                if (streak == 0) {
                    state.getBreachStreaks().remove(rule.id());
                } else {
                    state.getBreachStreaks().put(rule.id(), streak);
                }
                if (streak >= rule.consecutive()) {
                    fired.add(new Fired(rule, e));
                }
                if (rule.id().equals(state.getOpeningRuleId()) && !judgesRecoveryOnWholeWindows(rule)) {
                    openingObservation = e.observation;
                    openingWindow = e.window;
                }
            }
        }
        return transition(state, fired, openingObservation, openingWindow, closed);
    }

    /**
     * A multi-window or projected rule fires on a partial window, but recovery is judged on whole
     * windows of its size: a day that has just begun is not evidence of recovery.
     */
    private static boolean judgesRecoveryOnWholeWindows(AlertRule rule) {
        return rule.shortWindow() != null || rule.type() == AlertRule.Type.PROJECTED;
    }

    private record Evaluation(Observation observation, WindowResult window, boolean shortBreach) {
    }

    private record Fired(AlertRule rule, Evaluation evaluation) {
    }

    private Evaluation evaluate(AlertRule rule, WindowResult trigger, WindowLookup lookup, Long base) {
        long at = trigger.window().end() - 1;
        if (rule.type() == AlertRule.Type.PROJECTED) {
            WindowResult open = lookup.find(rule.window(), at, WindowSize.HOUR);
            double elapsed = trigger.window().end() - open.window().start();
            double fraction = elapsed / open.window().durationMs();
            if (fraction < rule.minElapsed() || fraction >= 1.0) {
                return null; // too early to project, or the window is complete and judged by closed rules
            }
            return new Evaluation(open.observe(rule.metric(), base).projected(1.0 / fraction), open, true);
        }
        if (rule.shortWindow() == null) {
            return new Evaluation(trigger.observe(rule.metric(), base), trigger, true);
        }
        Observation shortObservation = trigger.observe(rule.metric(), base);
        if (!rule.breaches(shortObservation)) {
            // a multi-window rule breaches only when both windows do, and judges recovery on whole long
            // windows: without a short breach the long window changes nothing, so it is not looked up
            return new Evaluation(shortObservation, trigger, false);
        }
        WindowResult longWindow = lookup.find(rule.window(), at, rule.shortWindow());
        return new Evaluation(longWindow.observe(rule.metric(), base), longWindow, true);
    }

    private List<HealthAlert> transition(EntityAlertState state, List<Fired> fired, Observation openingObservation,
                                         WindowResult openingWindow, List<WindowResult> closed) {
        Fired worst = fired.stream().max(Comparator.comparing((Fired f) -> f.rule.severity().ordinal())
                .thenComparing(f -> -f.evaluation.window.window().start())).orElse(null);
        AlertState current = state.getState();
        if (current == AlertState.OK || current == AlertState.UNKNOWN) {
            if (worst == null) {
                return List.of();
            }
            WindowResult w = worst.evaluation.window;
            state.setEpisodeId(state.getKind() + ":" + state.getId() + ":" + worst.rule.trigger() + ":" + Instant.ofEpochMilli(triggerStart(worst, closed)));
            state.setOpeningRuleId(worst.rule.id());
            state.setOpenedAt(Instant.ofEpochMilli(triggerEnd(worst, closed)));
            state.setHealthyStreak(0);
            boolean delist = worst.rule.severity() == Severity.DELIST;
            return List.of(emit(state, delist ? AlertTransition.DELIST_RECOMMENDED : AlertTransition.WARNING_OPENED,
                    delist ? AlertState.DELIST_RECOMMENDED : AlertState.WARNING, worst.rule.severity(), fired, w, triggerEnd(worst, closed)));
        }
        if (!fired.isEmpty()) {
            state.setHealthyStreak(0);
            if (current == AlertState.WARNING && worst.rule.severity() == Severity.DELIST) {
                return List.of(emit(state, AlertTransition.DELIST_RECOMMENDED, AlertState.DELIST_RECOMMENDED, Severity.DELIST,
                        fired, worst.evaluation.window, triggerEnd(worst, closed)));
            }
            return List.of();
        }
        AlertRule opening = byId.get(state.getOpeningRuleId());
        if (opening == null) {
            // the rule was removed from the configuration: nothing can judge recovery, so resolve
            return List.of(emit(state, AlertTransition.RESOLVED, AlertState.OK, Severity.NONE, List.of(), closed.get(closed.size() - 1),
                    closed.get(closed.size() - 1).window().end()));
        }
        if (openingObservation == null) {
            return List.of();
        }
        state.setHealthyStreak(opening.recovered(openingObservation) ? state.getHealthyStreak() + 1 : 0);
        if (state.getHealthyStreak() >= opening.recoveryWindows()) {
            state.setHealthyStreak(0);
            return List.of(emit(state, AlertTransition.RESOLVED, AlertState.OK, Severity.NONE, List.of(), openingWindow,
                    openingWindow.window().end()));
        }
        return List.of();
    }

    private static long triggerStart(Fired f, List<WindowResult> closed) {
        return closed.stream().filter(w -> w.window().size() == f.rule.trigger()).mapToLong(w -> w.window().start()).max().orElseThrow();
    }

    private static long triggerEnd(Fired f, List<WindowResult> closed) {
        return closedEndOf(f.rule, closed);
    }

    private static long closedEndOf(AlertRule rule, List<WindowResult> closed) {
        return closed.stream().filter(w -> w.window().size() == rule.trigger()).mapToLong(w -> w.window().end()).max().orElseThrow();
    }

    private HealthAlert emit(EntityAlertState state, AlertTransition transition, AlertState next, Severity severity,
                             List<Fired> fired, WindowResult evidence, long at) {
        state.setState(next);
        state.setSeverity(severity);
        state.setLastTransition(transition);
        state.setLastTransitionAt(Instant.ofEpochMilli(at));
        List<RuleBreach> breaches = new ArrayList<>();
        for (Fired f : fired) {
            Observation o = f.evaluation.observation;
            breaches.add(new RuleBreach(f.rule.id(), f.rule.metric().configName(), f.rule.severity(), f.evaluation.window.window().size(),
                    Instant.ofEpochMilli(f.evaluation.window.window().start()), o.value(), f.rule.threshold(),
                    o.isRate() && f.rule.confidenceZ() > 0 ? o.credibleBound(f.rule.above(), f.rule.confidenceZ()) : null,
                    o.samples(), f.rule.type() == AlertRule.Type.PROJECTED));
        }
        ServiceHealth h = evidence.health();
        ComplaintKpis c = h.getComplaints();
        Map<String, Long> categories = new LinkedHashMap<>();
        categories.put("VOICE", c.getVoice());
        categories.put("INTERNET", c.getInternet());
        categories.put("MESSAGING", c.getMessaging());
        categories.put("OTHER", c.getOther());
        AlertRule opening = byId.get(state.getOpeningRuleId());
        WindowSize trendSize = opening == null ? evidence.window().size() : opening.trigger();
        return HealthAlert.newBuilder()
                .setEpisodeId(state.getEpisodeId()).setTransition(transition).setState(next).setSeverity(severity)
                .setKind(state.getKind()).setId(state.getId()).setName(h.getName()).setCampaignCategory(h.getCampaignCategory())
                .setEventTime(Instant.ofEpochMilli(at)).setOpenedAt(state.getOpenedAt()).setBreaches(breaches)
                .setScore(h.getScore()).setGrade(h.getGrade())
                .setTopComplaintCategories(top(categories, 4)).setTopCauses(top(c.getByCause(), 3)).setTopRegions(top(c.getByRegion(), 3))
                .setScoreTrend(new ArrayList<>(state.getScoreTrends().getOrDefault(trendSize.name(), List.of())))
                .build();
    }

    private static Map<String, Long> top(Map<String, Long> counts, int n) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static void appendTrend(EntityAlertState state, WindowResult window) {
        List<Double> trend = new ArrayList<>(state.getScoreTrends().getOrDefault(window.window().size().name(), List.of()));
        trend.add(window.health().getScore());
        while (trend.size() > TREND_LENGTH) {
            trend.remove(0);
        }
        state.getScoreTrends().put(window.window().size().name(), trend);
    }
}
