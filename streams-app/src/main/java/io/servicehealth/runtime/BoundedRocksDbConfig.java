package io.servicehealth.runtime;

import io.servicehealth.config.HealthConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * Puts every RocksDB store of the process under one memory budget ({@value HealthConfig#STATE_ROCKSDB_MEMORY_MB}):
 * block cache, index and filter blocks and memtables all count against one shared cache. Without it each
 * store instance (four kinds per task, several tasks) sizes its own cache and write buffers, and resident
 * memory grows with the number of tasks — bounded by luck, not configuration.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {
    /** The budget in bytes, put into the Streams configuration by {@link StreamsProperties}. */
    public static final String MEMORY_BYTES = "service.health.rocksdb.memory.bytes";
    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    private static synchronized void initShared(long bytes) {
        if (cache == null) {
            cache = new LRUCache(bytes, -1, false, 0.1);
            writeBuffers = new WriteBufferManager(bytes / 4, cache); // memtables charged to the same cache
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object budget = configs.get(MEMORY_BYTES);
        initShared(budget == null ? 64L << 20 : Long.parseLong(budget.toString()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by every store of the process: never closed here
    }
}
