package io.servicehealth.registry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * In-process registries by scope, for {@code mock://<scope>} URLs (Confluent's convention). This is the
 * one deliberate process-wide map in the code base: Kafka Streams instantiates serdes by class name, so
 * the serde of a stream thread and the test (or the demo's HTTP registry) can only meet by scope name.
 * Tests drop their scope when done.
 */
public final class MockRegistries {
    public static final String SCHEME = "mock://";
    private static final ConcurrentMap<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private MockRegistries() {
    }

    public static InMemorySchemaRegistry scope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    public static void drop(String scope) {
        SCOPES.remove(scope);
    }

    /** Scope name of a {@code mock://scope} URL. */
    public static String scopeOf(String url) {
        if (!url.startsWith(SCHEME)) {
            throw new IllegalArgumentException("not a mock registry URL: " + url);
        }
        String scope = url.substring(SCHEME.length());
        if (scope.isEmpty()) {
            throw new IllegalArgumentException("mock registry URL needs a scope: mock://<scope>");
        }
        return scope;
    }
}
