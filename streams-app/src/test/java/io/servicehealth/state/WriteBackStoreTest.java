package io.servicehealth.state;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The write-back store's contract: changes reach the underlying store only on a flush (or when an
 * entry is evicted), each dirty entry is written once per flush however often it changed, and
 * closing without a flush drops the unflushed changes (an aborted transaction's state).
 */
class WriteBackStoreTest {
    @org.junit.jupiter.api.io.TempDir
    java.io.File stateDir;
    private MockProcessorContext<Object, Object> context;
    private final AtomicInteger serialized = new AtomicInteger();
    private KeyValueStore<String, long[]> inner;
    private WriteBackStore<long[]> store;

    @BeforeEach
    void open() {
        Properties config = new Properties();
        config.put("application.id", "write-back-test");
        config.put("bootstrap.servers", "unused:9092");
        context = new MockProcessorContext<>(config, new org.apache.kafka.streams.processor.TaskId(0, 0), stateDir);
        inner = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("s"), Serdes.String(),
                Serdes.serdeFrom((topic, v) -> {
                    serialized.incrementAndGet();
                    return Serdes.Long().serializer().serialize(topic, v[0]);
                }, (topic, b) -> new long[]{Serdes.Long().deserializer().deserialize(topic, b)}))
                .withLoggingDisabled().withCachingDisabled().build();
        store = new WriteBackStore<>(inner, 2);
        store.init(context.getStateStoreContext(), store);
    }

    @Test
    void changesReachTheUnderlyingStoreOnFlushOnceEach() {
        long[] a = new long[1];
        for (int i = 0; i < 5; i++) {
            a[0]++;
            store.markDirty("a", a);
        }
        assertNull(store.get("a"), "queries see the last flush");
        assertEquals(0, serialized.get());
        store.flushCache();
        assertEquals(5L, store.get("a")[0]);
        assertEquals(1, serialized.get(), "five changes, one write");
        store.flushCache();
        assertEquals(1, serialized.get(), "clean entries are not written again");
        assertSame(a, store.load("a"), "the live object stays cached");
    }

    @Test
    void evictingADirtyEntryWritesItFirst() {
        store.markDirty("a", new long[]{1});
        store.markDirty("b", new long[]{2});
        store.load("a"); // b is now the least recently used
        store.markDirty("c", new long[]{3});
        assertEquals(2L, store.get("b")[0], "b was evicted and written");
        assertNull(store.get("a"));
        assertEquals(2, store.cachedEntries());
        assertEquals(2L, store.load("b")[0], "read back from the underlying store");
        assertEquals(1, store.misses());
    }

    @Test
    void aPeekAtAnEntryThatIsNotCachedReadsTheStoreAndEvictsNothing() {
        store.markDirty("a", new long[]{1});
        store.markDirty("b", new long[]{2});
        store.markDirty("c", new long[]{3}); // a, the least recently used, is written and evicted
        assertEquals(1L, store.get("a")[0]);

        long[] a = store.peek("a");

        assertEquals(1L, a[0], "read from the underlying store");
        assertEquals(1, store.misses());
        assertEquals(2, store.cachedEntries(), "not cached: b and c stay");
        assertEquals(2L, store.load("b")[0]);
        assertEquals(3L, store.load("c")[0]);
        assertEquals(1, store.misses(), "b and c were hits");
        a[0] = 10;
        store.markDirty("a", a); // a peeked copy that changed is cached when marked (b, the least recently used, leaves)
        assertSame(a, store.peek("a"), "a cached entry is peeked as the live object");
        store.flushCache();
        assertEquals(10L, store.get("a")[0]);
    }

    @Test
    void anEntryEvictedAfterItsLoadIsCachedAgainWhenMarked() {
        store.markDirty("a", new long[]{1});
        store.flushCache();
        long[] a = store.load("a");
        store.markDirty("b", new long[]{2});
        store.markDirty("c", new long[]{3}); // a, loaded last, is evicted
        assertEquals(2, store.cachedEntries());
        a[0] = 10;
        store.markDirty("a", a);
        assertSame(a, store.load("a"), "the marked object is the cached one, not a stale read of the store");
        store.flushCache();
        assertEquals(10L, store.get("a")[0]);
    }

    @Test
    void manyEvictionsBetweenFlushesKeepTheHeldEntriesBounded() {
        for (int i = 0; i < 10_000; i++) {
            store.markDirty("k" + i, new long[]{i});
        }
        assertTrue(store.pendingFlushEntries() <= 2 * 2 + 64 + 1, "held for the flush: " + store.pendingFlushEntries());
        assertNull(store.get("k9998"), "the two newest are still only cached");
        assertEquals(42L, store.get("k42")[0], "every evicted entry was written");
        store.flushCache();
        assertEquals(9_999L, store.get("k9999")[0]);
        assertEquals(10_000, serialized.get(), "each entry written once");
    }

    @Test
    void removalIsWrittenAsADelete() {
        store.markDirty("a", new long[]{1});
        store.flushCache();
        store.remove("a");
        assertNull(store.load("a"));
        assertEquals(1L, store.get("a")[0]);
        store.flushCache();
        assertNull(store.get("a"));
        assertNull(store.load("a"));
    }

    @Test
    void aStoreThatRemembersAbsenceReadsAnAbsentKeyFromTheUnderlyingStoreOnce() {
        assertNull(store.load("x"));
        assertNull(store.load("x"));
        assertEquals(2, store.misses(), "by default an absent key is read each time");

        WriteBackStore<long[]> remembering = new WriteBackStore<>(inner, new CacheBudget(2), true);
        assertNull(remembering.load("a"));
        assertNull(remembering.load("a"));
        assertEquals(1, remembering.misses(), "the second read found the absence cached");
        remembering.markDirty("a", new long[]{1});
        remembering.flushCache();
        assertEquals(1L, remembering.get("a")[0]);
        remembering.remove("a");
        remembering.flushCache();
        assertNull(remembering.get("a"), "deleted underneath");
        assertNull(remembering.load("a"));
        assertEquals(1, remembering.misses(), "and remembered as absent once deleted");

        assertNull(remembering.load("b"));
        assertNull(remembering.load("c")); // absences count in the budget: a, the least recently used, leaves
        assertEquals(2, remembering.cachedEntries());
        assertEquals(3, remembering.misses());
        assertNull(remembering.load("a"));
        assertEquals(4, remembering.misses(), "a left the cache, so it is read again");
    }

    @Test
    void closingWithoutAFlushDropsUnflushedChanges() {
        store.markDirty("a", new long[]{1});
        store.flushCache();
        store.load("a")[0] = 99;
        store.markDirty("a", store.load("a"));
        store.markDirty("b", new long[]{2});
        store.close();
        store = new WriteBackStore<>(inner, 2);
        store.init(context.getStateStoreContext(), store);
        assertEquals(1L, store.load("a")[0]);
        assertNull(store.load("b"));
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        store.close();
    }

    @Test
    void storesInUseShareTheirInstancesBudgetEvenly() {
        CacheBudget budget = new CacheBudget(4);
        WriteBackStore<long[]> first = budgetStore("first", budget);
        WriteBackStore<long[]> standby = budgetStore("standby", budget); // opened, never read or written
        for (int i = 0; i < 6; i++) {
            first.markDirty("k" + i, new long[]{i});
        }
        assertEquals(4, first.cachedEntries(), "alone in use, the first store has the whole budget");
        assertEquals(1L, first.get("k1")[0], "the two eldest were evicted and written");
        assertNull(first.get("k2"));

        WriteBackStore<long[]> second = budgetStore("second", budget);
        second.markDirty("x", new long[]{7});
        assertEquals(4, first.cachedEntries(), "a store gives entries back at its own flush, not from another thread");
        first.flushCache();
        assertEquals(2, first.cachedEntries(), "two stores in use: two entries each");
        assertEquals(5L, first.load("k5")[0], "the newest stayed cached");
        assertEquals(0, first.misses());
        assertEquals(4L, first.load("k4")[0]);
        assertEquals(0, first.misses());
        assertEquals(2L, first.load("k2")[0], "trimmed at the flush: read back from the underlying store");
        assertEquals(1, first.misses());

        second.close();
        for (int i = 10; i < 14; i++) {
            first.markDirty("k" + i, new long[]{i});
        }
        assertEquals(4, first.cachedEntries(), "the closed store's share came back");
        standby.close();
        first.close();
        assertEquals(0, budget.members());
    }

    private WriteBackStore<long[]> budgetStore(String name, CacheBudget budget) {
        KeyValueStore<String, long[]> underlying = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                        Serdes.serdeFrom((topic, v) -> Serdes.Long().serializer().serialize(topic, v[0]),
                                (topic, b) -> new long[]{Serdes.Long().deserializer().deserialize(topic, b)}))
                .withLoggingDisabled().withCachingDisabled().build();
        WriteBackStore<long[]> s = new WriteBackStore<>(underlying, budget);
        s.init(context.getStateStoreContext(), s);
        return s;
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new WriteBackStore<>(inner, 0));
    }
}
