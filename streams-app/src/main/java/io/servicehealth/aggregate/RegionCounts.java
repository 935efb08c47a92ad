package io.servicehealth.aggregate;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Complaints by region within one window, in the order the regions first appeared: parallel arrays of
 * a few names and counts. Not a {@code LinkedHashMap<String, Long>}: every entity read back from the
 * store rebuilt one per window with complaints (entries, boxed counts, a table), ~11 % of what a drain's
 * stream threads allocated; here it is two small arrays.
 */
final class RegionCounts {
    private String[] names;
    private long[] counts;
    private int size;

    RegionCounts(int capacity) {
        this.names = new String[Math.max(1, capacity)];
        this.counts = new long[names.length];
    }

    int size() {
        return size;
    }

    String name(int i) {
        return names[i];
    }

    long count(int i) {
        return counts[i];
    }

    /** Adds {@code n} complaints of {@code region}, appending the region when it is new. */
    void add(String region, long n) {
        int i = indexOf(region);
        if (i < 0) {
            i = append(region); // before indexing counts: appending may replace the array
        }
        counts[i] += n;
    }

    /**
     * Adds one complaint of {@code region}; a region not yet named once {@code maxNamed} are counts as
     * {@code other} instead (one look-up of the name, not a membership test and then an add).
     */
    void addOne(String region, int maxNamed, String other) {
        int i = indexOf(region);
        if (i >= 0) {
            counts[i]++;
        } else if (size < maxNamed) {
            i = append(region);
            counts[i]++;
        } else {
            add(other, 1);
        }
    }

    private int append(String region) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        names[size] = region;
        return size++;
    }

    void addAll(RegionCounts other) {
        for (int i = 0; i < other.size; i++) {
            add(other.names[i], other.counts[i]);
        }
    }

    /**
     * Takes away the counts of a window inside this one; a region this window does not name was counted
     * under {@code other} here. Never below zero: past the named limit the two windows may have put a
     * region in different buckets.
     */
    void subtract(RegionCounts inner, String other) {
        for (int i = 0; i < inner.size; i++) {
            int j = indexOf(inner.names[i]);
            if (j < 0) {
                j = indexOf(other);
            }
            if (j >= 0) {
                counts[j] = Math.max(0, counts[j] - inner.counts[i]);
            }
        }
    }

    private int indexOf(String region) {
        for (int i = 0; i < size; i++) {
            // names decoded from the store are shared instances (NameCache): identity first
            if (names[i] == region || names[i].equals(region)) {
                return i;
            }
        }
        return -1;
    }

    /** A read-only map in first-seen order, for the published record and for equality. */
    Map<String, Long> toMap() {
        Map<String, Long> map = new LinkedHashMap<>(Math.max(4, size * 2));
        for (int i = 0; i < size; i++) {
            map.put(names[i], counts[i]);
        }
        return Collections.unmodifiableMap(map);
    }
}
