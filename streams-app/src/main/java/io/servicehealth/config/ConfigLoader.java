package io.servicehealth.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the configuration: a properties file, then environment variables on top. A variable
 * {@code SERVICE_HEALTH_KAFKA_BOOTSTRAP_SERVERS} sets {@code kafka.bootstrap.servers}: the prefix is
 * dropped, the rest lower-cased and underscores become dots.
 */
public final class ConfigLoader {
    public static final String ENV_PREFIX = "SERVICE_HEALTH_";

    private ConfigLoader() {
    }

    public static Map<String, String> load(Path file, Map<String, String> environment) throws IOException {
        Map<String, String> config = new TreeMap<>();
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            }
            props.stringPropertyNames().forEach(k -> config.put(k.trim(), props.getProperty(k).trim()));
        }
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                config.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return config;
    }
}
