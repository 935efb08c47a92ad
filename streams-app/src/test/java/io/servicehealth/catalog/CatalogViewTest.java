package io.servicehealth.catalog;

import io.servicehealth.aggregate.EntityKey;
import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.EntityKind;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Versions by event time, as the catalog updater writes them and the aggregator reads them. */
class CatalogViewTest {
    private static final String P1 = EntityKey.of(EntityKind.PRODUCT, "P1");
    private final CatalogView view = new CatalogView();
    private KeyValueStore<Bytes, byte[]> store;

    @BeforeEach
    void attach() {
        store = Stores.inMemoryKeyValueStore("catalog").get();
        view.attach(store);
    }

    private static CatalogEntry product(String id, long subscribers, String validFrom) {
        return CatalogEntry.newBuilder().setKind(EntityKind.PRODUCT).setId(id).setSubscriberBase(subscribers)
                .setValidFrom(Instant.parse(validFrom)).build();
    }

    private Long subscribersAt(String entityKey, String time) {
        CatalogEntry entry = view.validAt(entityKey, Instant.parse(time).toEpochMilli());
        return entry == null ? null : entry.getSubscriberBase();
    }

    @Test
    void shouldAnswerWithTheLatestVersionValidAtTheTimeAsked() {
        view.put(store, product("P1", 2_000, "2026-03-01T00:00:00Z")); // written out of order
        view.put(store, product("P1", 1_000, "2026-01-01T00:00:00Z"));
        view.put(store, product("P1", 3_000, "2026-06-01T00:00:00Z"));

        assertNull(subscribersAt(P1, "2025-12-31T23:59:59.999Z"));
        assertEquals(1_000L, subscribersAt(P1, "2026-01-01T00:00:00Z"));
        assertEquals(1_000L, subscribersAt(P1, "2026-02-28T23:59:59.999Z"));
        assertEquals(2_000L, subscribersAt(P1, "2026-03-01T00:00:00Z"));
        assertEquals(3_000L, subscribersAt(P1, "2027-01-01T00:00:00Z"));
    }

    @Test
    void shouldReplaceAVersionRepublishedWithTheSameValidFrom() {
        view.put(store, product("P1", 1_000, "2026-01-01T00:00:00Z"));
        assertEquals(1_000L, subscribersAt(P1, "2026-02-01T00:00:00Z")); // now cached: the write must drop it

        view.put(store, product("P1", 1_500, "2026-01-01T00:00:00Z"));

        assertEquals(1_500L, subscribersAt(P1, "2026-02-01T00:00:00Z"));
    }

    @Test
    void shouldForgetOnlyTheVersionATombstoneNames() {
        view.put(store, product("P1", 1_000, "2026-01-01T00:00:00Z"));
        view.put(store, product("P1", 2_000, "2026-03-01T00:00:00Z"));
        assertEquals(2_000L, subscribersAt(P1, "2026-04-01T00:00:00Z"));

        view.delete(store, P1, Instant.parse("2026-03-01T00:00:00Z").toEpochMilli());
        assertEquals(1_000L, subscribersAt(P1, "2026-04-01T00:00:00Z"));

        view.delete(store, P1, Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        assertNull(subscribersAt(P1, "2026-04-01T00:00:00Z"));
        assertNull(store.get(CatalogView.storeKey(P1)), "an entity without versions leaves no key behind");
    }

    @Test
    void shouldKeepEntitiesWhoseIdsShareAPrefixApart() {
        view.put(store, product("P1", 1_000, "2026-01-01T00:00:00Z"));
        view.put(store, product("P10", 10_000, "2026-01-01T00:00:00Z"));
        view.put(store, product("P1", 1_001, "2026-02-01T00:00:00Z"));

        assertEquals(1_001L, subscribersAt(P1, "2026-02-02T00:00:00Z"));
        assertEquals(10_000L, subscribersAt(EntityKey.of(EntityKind.PRODUCT, "P10"), "2026-02-02T00:00:00Z"));
        assertNull(subscribersAt(EntityKey.of(EntityKind.PRODUCT, "P"), "2026-02-02T00:00:00Z"));
    }

    @Test
    void shouldIgnoreATombstoneForAVersionNeverStored() {
        view.put(store, product("P1", 1_000, "2026-01-01T00:00:00Z"));

        view.delete(store, P1, Instant.parse("2026-05-01T00:00:00Z").toEpochMilli());
        view.delete(store, EntityKey.of(EntityKind.PRODUCT, "NEVER"), 0L);

        assertEquals(1_000L, subscribersAt(P1, "2026-06-01T00:00:00Z"));
    }
}
