package io.servicehealth.state;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One process's bound on the entries its {@link WriteBackStore}s keep as live objects, shared evenly
 * by the stores that are in use. A per-task bound made the heap a multiple of however many tasks an
 * instance happened to run; this one fixes the total (as Streams' {@code statestore.cache.max.bytes}
 * does for its byte cache), so a bigger share per task is safe when there are few tasks.
 * <p>
 * A store joins when it first caches an entry and leaves when its cache is cleared or it closes, so
 * standby tasks and tasks still restoring, which never touch the cache, do not shrink the others'
 * share. Stores on different stream threads read the member count and nothing else; a store whose
 * share shrank gives entries back at its next insert or flush, never from another thread.
 */
public final class CacheBudget {
    private final int totalEntries;
    private final AtomicInteger members = new AtomicInteger();

    public CacheBudget(int totalEntries) {
        if (totalEntries < 1) {
            throw new IllegalArgumentException("the cache budget must be at least 1 entry, was " + totalEntries);
        }
        this.totalEntries = totalEntries;
    }

    void join() {
        members.incrementAndGet();
    }

    void leave() {
        members.decrementAndGet();
    }

    /** Entries each member may keep: an even share of the total, at least one. */
    int share() {
        return Math.max(1, totalEntries / Math.max(1, members.get()));
    }

    int members() {
        return members.get();
    }
}
