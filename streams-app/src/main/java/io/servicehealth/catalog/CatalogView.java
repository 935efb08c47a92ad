package io.servicehealth.catalog;

import io.servicehealth.aggregate.EntityKey;
import io.servicehealth.schema.CatalogEntry;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Versioned catalog: every version of every entity, looked up by event time. A GlobalKTable would keep
 * only the newest value and ignore event time; here the global store holds, under the entity key, all
 * of that entity's versions ordered by {@code validFrom} ({@link CatalogVersions}), so a look-up is
 * one point read. (It was one key per version and a range read: creating a RocksDB iterator per
 * uncached entity cost ~8 % of the aggregator's closes in a drain profile, and at a million entities
 * most look-ups miss the decoded cache.) Decoded versions are cached per entity and dropped when the
 * catalog updater writes that entity.
 * <p>
 * One instance per built topology, shared by the global updater thread and the stream threads.
 */
public final class CatalogView {
    /** Renamed with the layout change: a store of the old layout is never read as the new one. */
    public static final String STORE = "catalog-by-entity";
    private static final SpecificDatumReader<CatalogEntry> READER = new SpecificDatumReader<>(CatalogEntry.class);

    /**
     * Decoded entities kept at most: the cache must not grow with the catalog (a million campaigns
     * live in the RocksDB-backed store, off the heap). An entity with one version, the usual case,
     * costs one decoded entry and a small holder.
     */
    static final int MAX_CACHED = 200_000;
    private final Map<String, Versions> cache = new ConcurrentHashMap<>();
    /** Bumped by every catalog write, so that a thread's memo never outlives a change. */
    private final AtomicLong generation = new AtomicLong();
    /**
     * Each thread's last look-up. One event or one closing entity asks for the same entity several
     * times in a row (the mapper for a campaign and its parent, the aggregator once per closing window
     * size and per live size); with a million entities the shared map's entry is a cache miss each time.
     */
    private final ThreadLocal<Memo> memo = ThreadLocal.withInitial(Memo::new);

    private static final class Memo {
        String key;
        Versions versions;
        long generation = -1;
    }
    private volatile org.apache.kafka.streams.state.ReadOnlyKeyValueStore<Bytes, byte[]> reader;

    /**
     * Gives the view a store to read from. Stream tasks see the global store through a read-only
     * facade; whichever handle arrives first serves reads, since all of them see the same data.
     */
    public void attach(KeyValueStore<Bytes, byte[]> store) {
        attachReadOnly(store);
    }

    /** Attaches the global store as interactive queries see it (read-only). */
    public void attachReadOnly(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<Bytes, byte[]> readOnly) {
        if (this.reader == null) {
            this.reader = readOnly;
            generation.incrementAndGet(); // "no catalog yet" answers are not kept
        }
    }

    /** Attaches the global store as seen from a processor of a stream task. */
    public void attach(org.apache.kafka.streams.processor.api.ProcessingContext context) {
        KeyValueStore<Bytes, byte[]> global = context.getStateStore(STORE);
        attach(global);
    }

    /** The version valid at {@code time} (latest validFrom <= time), or null when the entity has none. */
    public CatalogEntry validAt(String entityKey, long time) {
        return versions(entityKey).validAt(time);
    }

    /** The version a window uses: the latest one valid within it (validFrom before its end). */
    public CatalogEntry forWindow(String entityKey, long windowEnd) {
        return validAt(entityKey, windowEnd - 1);
    }

    void put(KeyValueStore<Bytes, byte[]> writable, CatalogEntry entry) {
        String key = EntityKey.of(entry.getKind(), entry.getId());
        Bytes storeKey = storeKey(key);
        byte[] updated = CatalogVersions.with(writable.get(storeKey), entry.getValidFrom().toEpochMilli(), encode(entry));
        writable.put(storeKey, updated);
        changed(key);
    }

    void delete(KeyValueStore<Bytes, byte[]> writable, String entityKey, long validFrom) {
        Bytes storeKey = storeKey(entityKey);
        byte[] current = writable.get(storeKey);
        if (current == null) {
            return;
        }
        byte[] updated = CatalogVersions.without(current, validFrom);
        if (updated == null) {
            writable.delete(storeKey);
        } else {
            writable.put(storeKey, updated);
        }
        changed(entityKey);
    }

    /** After a store write: the generation first, so that a reader racing this write sees the change (lookUp). */
    private void changed(String entityKey) {
        generation.incrementAndGet();
        cache.remove(entityKey);
    }

    private Versions versions(String entityKey) {
        Memo last = memo.get();
        long current = generation.get();
        if (last.generation == current && entityKey.equals(last.key)) {
            return last.versions;
        }
        Versions found = lookUp(entityKey);
        last.key = entityKey;
        last.versions = found;
        last.generation = current;
        return found;
    }

    private Versions lookUp(String entityKey) {
        Versions cached = cache.get(entityKey);
        if (cached != null) {
            return cached;
        }
        org.apache.kafka.streams.state.ReadOnlyKeyValueStore<Bytes, byte[]> current = reader;
        if (current == null) {
            return Versions.NONE;
        }
        long readAt = generation.get();
        TreeMap<Long, CatalogEntry> versions = new TreeMap<>();
        byte[] stored = current.get(storeKey(entityKey));
        if (stored != null) {
            CatalogVersions.forEach(stored, (validFrom, encoded) -> versions.put(validFrom, decode(encoded)));
        }
        Versions loaded = Versions.of(versions);
        if (cache.size() >= MAX_CACHED) {
            // crude but lock-free: drop an arbitrary tenth; the store still has every version
            var it = cache.keySet().iterator();
            for (int i = 0; i < MAX_CACHED / 10 && it.hasNext(); i++) {
                it.next();
                it.remove();
            }
        }
        cache.put(entityKey, loaded);
        if (generation.get() != readAt) {
            // the catalog changed while this was read, perhaps after the writer dropped this entity from
            // the cache: take back what may be stale (the writer bumps the generation before dropping)
            cache.remove(entityKey, loaded);
        }
        return loaded;
    }

    /** An entity's decoded versions; most entities have exactly one. */
    private sealed interface Versions {
        /** Entities without a catalog entry (the bench's regions, for one) are asked for on every event: no map to probe. */
        Versions NONE = new None();

        CatalogEntry validAt(long time);

        static Versions of(TreeMap<Long, CatalogEntry> versions) {
            if (versions.isEmpty()) {
                return NONE;
            }
            if (versions.size() == 1) {
                return new One(versions.firstKey(), versions.firstEntry().getValue());
            }
            return new Many(Collections.unmodifiableNavigableMap(versions));
        }
    }

    private record None() implements Versions {
        @Override
        public CatalogEntry validAt(long time) {
            return null;
        }
    }

    private record One(long validFrom, CatalogEntry entry) implements Versions {
        @Override
        public CatalogEntry validAt(long time) {
            return time >= validFrom ? entry : null;
        }
    }

    private record Many(NavigableMap<Long, CatalogEntry> byValidFrom) implements Versions {
        @Override
        public CatalogEntry validAt(long time) {
            Map.Entry<Long, CatalogEntry> e = byValidFrom.floorEntry(time);
            return e == null ? null : e.getValue();
        }
    }

    static Bytes storeKey(String entityKey) {
        return Bytes.wrap(entityKey.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] encode(CatalogEntry entry) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            var encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<>(CatalogEntry.class).write(entry, encoder);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CatalogEntry decode(byte[] bytes) {
        try {
            return READER.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
