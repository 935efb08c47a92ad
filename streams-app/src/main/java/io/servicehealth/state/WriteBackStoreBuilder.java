package io.servicehealth.state;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * Builds a {@link WriteBackStore} over a logged RocksDB store. Streams' byte cache is always off
 * underneath: the write-back cache of objects replaces it, and caching twice would copy every value.
 */
public final class WriteBackStoreBuilder<V> implements StoreBuilder<WriteBackStore<V>> {
    private final StoreBuilder<KeyValueStore<String, V>> inner;
    /** Shared by every store this builder builds: one per task of the topology, so one budget per instance. */
    private final CacheBudget budget;
    private final boolean remembersAbsence;

    /** @param totalEntries the bound on cached entries over all the stores built (all tasks of an instance) */
    public WriteBackStoreBuilder(String name, Serde<V> valueSerde, int totalEntries) {
        this(name, valueSerde, totalEntries, false);
    }

    /** @param remembersAbsence whether keys read as absent stay cached as absent (see {@link WriteBackStore}) */
    public WriteBackStoreBuilder(String name, Serde<V> valueSerde, int totalEntries, boolean remembersAbsence) {
        this.inner = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde).withCachingDisabled();
        this.budget = new CacheBudget(totalEntries);
        this.remembersAbsence = remembersAbsence;
    }

    @Override
    public StoreBuilder<WriteBackStore<V>> withCachingEnabled() {
        return this; // always caches (objects)
    }

    @Override
    public StoreBuilder<WriteBackStore<V>> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<WriteBackStore<V>> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<WriteBackStore<V>> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public WriteBackStore<V> build() {
        return new WriteBackStore<>(inner.build(), budget, remembersAbsence);
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
