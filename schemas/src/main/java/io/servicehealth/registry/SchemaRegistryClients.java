package io.servicehealth.registry;

import java.util.Map;

/** Builds the registry client that serde properties ask for. */
public final class SchemaRegistryClients {
    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient fromConfig(Map<String, ?> configs) {
        RegistrySettings settings = RegistrySettings.from(configs);
        String first = settings.urls().get(0);
        if (first.startsWith(MockRegistries.SCHEME)) {
            return MockRegistries.scope(MockRegistries.scopeOf(first));
        }
        for (String url : settings.urls()) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException(RegistrySettings.URL + " entry '" + url + "' must start with http://, https:// or mock://");
            }
        }
        return new CachingSchemaRegistryClient(new RestSchemaRegistryClient(settings));
    }
}
