package io.servicehealth.backtest;

import io.servicehealth.schema.HealthAlert;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Two runs' alert transitions side by side. A transition is identified as downstream consumers identify
 * it (docs/alerts.md): the episode id and the transition; the episode id is derived from the entity and
 * the window that opened it, so the same input under the same rules gives the same identities.
 */
public record AlertComparison(Map<String, Long> candidateCounts, Map<String, Long> referenceCounts,
                              List<String> onlyInCandidate, List<String> onlyInReference, long inBoth) {

    /** "CAMPAIGN:C0005:DAY:2026-03-02T16:00:00Z WARNING_OPENED": what identifies a transition. */
    public static String identity(HealthAlert alert) {
        return alert.getEpisodeId() + " " + alert.getTransition();
    }

    public static AlertComparison of(Collection<HealthAlert> candidate, Collection<HealthAlert> reference) {
        Set<String> a = identities(candidate);
        Set<String> b = identities(reference);
        List<String> onlyA = new ArrayList<>();
        long both = 0;
        for (String id : a) {
            if (b.contains(id)) {
                both++;
            } else {
                onlyA.add(id);
            }
        }
        List<String> onlyB = b.stream().filter(id -> !a.contains(id)).toList();
        return new AlertComparison(counts(candidate), counts(reference), List.copyOf(onlyA), onlyB, both);
    }

    private static Set<String> identities(Collection<HealthAlert> alerts) {
        Set<String> ids = new LinkedHashSet<>();
        alerts.forEach(alert -> ids.add(identity(alert)));
        return ids;
    }

    /** Transitions by "TRANSITION KIND", e.g. "WARNING_OPENED CAMPAIGN". */
    private static Map<String, Long> counts(Collection<HealthAlert> alerts) {
        Map<String, Long> counts = new TreeMap<>();
        alerts.forEach(alert -> counts.merge(alert.getTransition() + " " + alert.getKind(), 1L, Long::sum));
        return counts;
    }
}
