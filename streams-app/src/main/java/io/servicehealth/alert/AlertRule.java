package io.servicehealth.alert;

import io.servicehealth.schema.CampaignCategory;
import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.EntityKind;
import io.servicehealth.schema.Severity;
import io.servicehealth.schema.WindowSize;

import java.util.Set;

/**
 * One delisting rule (下线机制): compare a metric in a window size against a threshold, with enough
 * samples and credible evidence, for N consecutive windows, optionally only while a shorter window
 * breaches too (the multi-window pattern of burn-rate alerts). A PROJECTED rule (early warning, 预警)
 * extrapolates the open window from its pace so far.
 */
public record AlertRule(String id, AlertMetric metric, Type type, boolean above, double threshold, double recovery,
                        WindowSize window, WindowSize shortWindow, int consecutive, long minSamples, long minEvents,
                        double confidenceZ, Severity severity, double minElapsed, int recoveryWindows,
                        Set<EntityKind> kinds, Set<CampaignCategory> categories, Set<Integer> productClasses, Set<String> ids) {

    public enum Type { CLOSED, PROJECTED }

    public AlertRule {
        kinds = Set.copyOf(kinds);
        categories = Set.copyOf(categories);
        productClasses = Set.copyOf(productClasses);
        ids = Set.copyOf(ids);
    }

    /** The window size whose closing triggers an evaluation. */
    public WindowSize trigger() {
        if (type == Type.PROJECTED) {
            return WindowSize.HOUR;
        }
        return shortWindow != null ? shortWindow : window;
    }

    public boolean appliesTo(EntityKind kind, String id, CatalogEntry entry) {
        if (!kinds.isEmpty() && !kinds.contains(kind)) {
            return false;
        }
        if (!ids.isEmpty() && !ids.contains(id)) {
            return false;
        }
        if (!categories.isEmpty() && (entry == null || !categories.contains(entry.getCampaignCategory()))) {
            return false;
        }
        return productClasses.isEmpty() || (entry != null && productClasses.contains(entry.getProductClass()));
    }

    /** Past the trigger threshold, with enough samples and, for rates, credibly so. */
    public boolean breaches(Observation o) {
        if (o.value() == null || o.samples() < minSamples || o.events() < minEvents) {
            return false;
        }
        if (!(above ? o.value() > threshold : o.value() < threshold)) {
            return false;
        }
        if (o.isRate() && confidenceZ > 0) {
            double bound = o.credibleBound(above, confidenceZ);
            return above ? bound > threshold : bound < threshold;
        }
        return true;
    }

    /**
     * On the healthy side of the recovery threshold. A window without a value (a quiet entity) counts
     * as healthy: no evidence of harm, so an entity that stops generating complaints recovers.
     */
    public boolean recovered(Observation o) {
        if (o.value() == null) {
            return true;
        }
        return above ? o.value() <= recovery : o.value() >= recovery;
    }
}
