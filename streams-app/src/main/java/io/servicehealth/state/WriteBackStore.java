package io.servicehealth.state;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A write-back cache of live objects in front of a logged persistent store. The owning processor
 * {@link #load loads} an object, mutates it in place and {@link #markDirty marks} it; nothing is
 * serialized until Kafka Streams flushes the store's cache before it commits (or the cache overflows
 * and evicts a dirty entry), and then each dirty entity is serialized once however many events
 * changed it since the last commit.
 * <p>
 * Why not Streams' own caching layer: it caches bytes, so every {@code get} deserializes and every
 * {@code put} serializes the whole value; for an entity that holds every window size that was most of
 * the per-event cost. The flush hook is Streams' {@link CachedStateStore#flushCache()}, called before
 * the changelog records and offsets of a commit are sent (inside the transaction under exactly-once),
 * the same hook its byte cache uses; the fault-tolerance tests (SIGKILL mid-stream, exact totals) hold
 * it to that. After an aborted transaction the task is closed dirty: {@link #close()} drops the objects
 * without writing them and the task restarts from the changelog.
 * <p>
 * The cache is bounded by entry count (configuration, not luck): each store in use gets an even share
 * of its process's {@link CacheBudget}, and past its share the least recently used entry leaves, written
 * first if dirty. The read-only view ({@link #get}, {@link #all}, used by
 * interactive queries from other threads) reads the underlying store, so it shows state as of the last
 * flush, at most one commit interval old; only the stream thread touches the objects.
 */
public final class WriteBackStore<V> implements StateStore, ReadOnlyKeyValueStore<String, V>, CachedStateStore<String, V> {
    private final KeyValueStore<String, V> inner;
    private final CacheBudget budget;
    /**
     * Whether this store counts in {@link #budget}'s share: from the first entry it caches until its cache
     * is cleared (an entry in the cache implies membership, so a cache hit has nothing to check).
     */
    private boolean member;
    /**
     * Access-ordered: the eldest entry is the least recently used. A null value is a pending delete when
     * dirty, and a remembered absence when clean ({@link #remembersAbsence}).
     */
    private final LinkedHashMap<String, Entry<V>> cache = new LinkedHashMap<>(1024, 0.75f, true);
    /** Entries marked dirty since the last flush, so a flush costs the dirty entries, not the whole cache. */
    private final ArrayList<Entry<V>> dirty = new ArrayList<>();
    private long misses;
    /**
     * Whether a key read as absent stays cached as absent (a clean entry with a null value), so that
     * reading it again costs no read of the underlying store. For a store most keys of which are
     * absent and read again and again (an entity's alert state, read at each of its window closes).
     */
    private final boolean remembersAbsence;
    /**
     * The entry {@link #load} returned last. The owner marks what it loaded dirty right after, and the
     * second look-up in a map of tens of thousands of entries was a cache miss per event.
     */
    private Entry<V> lastLoaded;

    private static final class Entry<V> {
        final String key;
        V value;
        boolean dirty;
        /** False once the entry left {@link #cache}: a stale {@link #lastLoaded} must not be marked. */
        boolean cached = true;

        Entry(String key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    /** A store with a budget of its own: {@code capacity} entries. */
    public WriteBackStore(KeyValueStore<String, V> inner, int capacity) {
        this(inner, new CacheBudget(capacity));
    }

    public WriteBackStore(KeyValueStore<String, V> inner, CacheBudget budget) {
        this(inner, budget, false);
    }

    public WriteBackStore(KeyValueStore<String, V> inner, CacheBudget budget, boolean remembersAbsence) {
        this.inner = inner;
        this.budget = budget;
        this.remembersAbsence = remembersAbsence;
    }

    private void joinBudget() {
        if (!member) {
            member = true;
            budget.join();
        }
    }

    private void leaveBudget() {
        if (member) {
            member = false;
            budget.leave();
        }
    }

    // ---- the owning stream thread's API

    /** The live object for {@code key} (mutate it, then {@link #markDirty}), or null when absent. */
    public V load(String key) {
        Entry<V> hit = hit(key);
        if (hit != null) {
            return hit.value;
        }
        misses++;
        V value = inner.get(key);
        if (value != null || remembersAbsence) {
            Entry<V> e = new Entry<>(key, value);
            joinBudget();
            cache.put(key, e);
            lastLoaded = e;
            evictOverflow();
        }
        return value;
    }

    /**
     * The live object for {@code key} when cached; otherwise a copy read from the underlying store that
     * is not cached (null when absent). For a visit that usually leaves the entry as it is (a window
     * close): caching what it read would evict entries that events are about to change. A copy the
     * owner does change must be {@link #markDirty marked}, which caches it.
     */
    public V peek(String key) {
        Entry<V> hit = hit(key);
        if (hit != null) {
            return hit.value;
        }
        misses++;
        return inner.get(key);
    }

    /** The cached entry for {@code key}, remembered as the one loaded last; null when not cached. */
    private Entry<V> hit(String key) {
        Entry<V> e = cache.get(key);
        if (e != null) {
            lastLoaded = e;
        }
        return e;
    }

    /** Records that {@code value} (new, or the loaded object changed in place) is the state of {@code key}. */
    public void markDirty(String key, V value) {
        set(key, value);
    }

    public void remove(String key) {
        set(key, null);
    }

    private void set(String key, V value) {
        Entry<V> last = lastLoaded;
        Entry<V> e = last != null && last.cached && last.key.equals(key) ? last : cache.get(key);
        boolean added = e == null;
        if (added) {
            e = new Entry<>(key, value);
            joinBudget();
            cache.put(key, e);
        }
        e.value = value;
        if (!e.dirty) {
            e.dirty = true;
            dirty.add(e);
        }
        if (added) {
            evictOverflow();
        }
    }

    public long misses() {
        return misses;
    }

    public int cachedEntries() {
        return cache.size();
    }

    /** Entries this store may keep now: its share of the budget, which shrinks as other stores join. */
    int capacity() {
        return budget.share();
    }

    private void evictOverflow() {
        int capacity = capacity();
        if (cache.size() <= capacity) {
            return;
        }
        Iterator<Entry<V>> it = cache.values().iterator();
        while (cache.size() > capacity && it.hasNext()) {
            Entry<V> evicted = it.next();
            write(evicted); // an evicted entry stays in the dirty list, clean: the flush skips it
            evicted.cached = false;
            evicted.value = null; // written: the list must not keep the object alive until the next flush
            it.remove();
        }
        // every dirty entry is cached, so past twice the capacity the list is mostly evicted, clean
        // entries: under at-least-once (30 s between flushes) with a small cache it held millions of
        // them, and their objects, until the heap ran out
        if (dirty.size() > 2 * capacity + 64) {
            dirty.removeIf(e -> !e.dirty);
        }
    }

    /** Entries the next flush will look at (dirty ones and evicted ones since the last flush); for tests. */
    int pendingFlushEntries() {
        return dirty.size();
    }

    private void write(Entry<V> e) {
        if (!e.dirty) {
            return;
        }
        if (e.value == null) {
            inner.delete(e.key);
        } else {
            inner.put(e.key, e.value);
        }
        e.dirty = false;
    }

    // ---- Streams' cache hooks

    @Override
    public void flushCache() {
        for (Entry<V> e : dirty) {
            if (e.dirty) {
                write(e);
                if (e.value == null && !remembersAbsence && cache.remove(e.key, e)) {
                    e.cached = false;
                }
            }
        }
        dirty.clear();
        evictOverflow(); // everything is clean now: a store whose share shrank gives entries back for free
    }

    @Override
    public void clearCache() {
        lastLoaded = null;
        cache.clear();
        dirty.clear();
        leaveBudget();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return false; // nothing downstream listens to this store's flushes
    }

    // ---- the read-only view for queries: the underlying store as of the last flush

    @Override
    public V get(String key) {
        return inner.get(key);
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return inner.all();
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    // ---- StateStore: the underlying store is registered with this store as its root, so Streams'
    // flushes and commits come here first

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        clearCache();
        inner.init(context, root);
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public void close() {
        clearCache(); // unflushed objects belong to an uncommitted (or aborted) transaction: dropped
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return inner.approximateNumUncommittedBytes();
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }
}
