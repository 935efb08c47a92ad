package io.servicehealth.state;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.util.Map;

/**
 * A store that holds nothing: it gives the processor it is connected to a call just before its task
 * commits, the moment Streams flushes its record caches ({@link CachedStateStore#flushCache()}: before
 * the task's records are flushed and its offsets committed, inside the transaction under exactly-once).
 * A processor that holds output back between commits sends it there, so the commit never covers input
 * whose output is still in memory. The hook runs on the task's stream thread; a processor that
 * forwards from it must do so the way Streams' caching stores do when they flush (see
 * {@code CommitTimeForwarding}).
 */
public final class CommitHookStore implements StateStore, CachedStateStore<Object, Object> {
    private final String name;
    private Runnable beforeCommit;
    private boolean open;

    public CommitHookStore(String name) {
        this.name = name;
    }

    /** Runs {@code hook} before each commit of the task, replacing any earlier hook. */
    public void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    @Override
    public void flushCache() {
        Runnable hook = beforeCommit;
        if (hook != null) {
            hook.run();
        }
    }

    @Override
    public void clearCache() {
        // nothing held here: the processor drops its own pending output when its task is closed dirty
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // registered so that the task's state manager calls flushCache; nothing to restore
        context.register(root, (key, value) -> { });
        open = true;
    }

    @Override
    public void close() {
        beforeCommit = null;
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public org.apache.kafka.streams.query.Position getPosition() {
        return org.apache.kafka.streams.query.Position.emptyPosition();
    }

    /** Builds the store; it is never logged (there is nothing to log). */
    public static StoreBuilder<CommitHookStore> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<CommitHookStore> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHookStore> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHookStore> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("the commit hook store holds nothing to log");
            }

            @Override
            public StoreBuilder<CommitHookStore> withLoggingDisabled() {
                return this;
            }

            @Override
            public CommitHookStore build() {
                return new CommitHookStore(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
