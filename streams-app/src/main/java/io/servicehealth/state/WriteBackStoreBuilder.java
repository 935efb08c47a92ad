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
    private final int capacity;

    public WriteBackStoreBuilder(String name, Serde<V> valueSerde, int capacity) {
        this.inner = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde).withCachingDisabled();
        this.capacity = capacity;
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
        return new WriteBackStore<>(inner.build(), capacity);
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
