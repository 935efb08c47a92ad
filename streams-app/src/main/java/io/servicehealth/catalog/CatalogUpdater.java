package io.servicehealth.catalog;

import io.servicehealth.aggregate.EntityKey;
import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.CatalogKey;
import io.servicehealth.schema.EntityKind;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes catalog versions into the global store. Since Kafka 3.8 this processor also runs when the
 * store is restored, so the versioned key layout is rebuilt the same way on every start.
 */
public final class CatalogUpdater implements Processor<CatalogKey, CatalogEntry, Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogUpdater.class);
    private final CatalogView view;
    private KeyValueStore<Bytes, byte[]> store;

    public CatalogUpdater(CatalogView view) {
        this.view = view;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(CatalogView.STORE);
        view.attach(store);
    }

    @Override
    public void process(Record<CatalogKey, CatalogEntry> record) {
        CatalogEntry entry = record.value();
        CatalogKey key = record.key();
        if (entry == null) {
            if (key != null && key.getKind() != EntityKind.UNKNOWN) {
                view.delete(store, EntityKey.of(key.getKind(), key.getId()), key.getValidFrom().toEpochMilli());
            }
            return;
        }
        if (entry.getKind() == EntityKind.UNKNOWN || entry.getId() == null || entry.getId().isEmpty()) {
            LOG.warn("catalog entry without a known kind and id ignored: kind={} id={}", entry.getKind(), entry.getId());
            return;
        }
        view.put(store, entry);
    }
}
