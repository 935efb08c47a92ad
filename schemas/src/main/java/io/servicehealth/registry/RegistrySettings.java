package io.servicehealth.registry;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Registry client settings, read from serde properties with Confluent's key names so that the same
 * properties file configures Confluent's clients and ours.
 */
public record RegistrySettings(List<String> urls, String basicAuthUserInfo, Duration requestTimeout,
                               int maxRetries, Duration initialBackoff) {
    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";

    public RegistrySettings {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URL + " must name at least one registry URL");
        }
        urls = List.copyOf(urls);
    }

    public static RegistrySettings from(Map<String, ?> configs) {
        Object url = configs.get(URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("missing required serde property " + URL
                    + " (an http(s):// registry URL, or mock://<scope> for an in-process registry)");
        }
        List<String> urls = Arrays.stream(url.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        String source = string(configs, BASIC_AUTH_SOURCE, "USER_INFO");
        String userInfo = string(configs, BASIC_AUTH_USER_INFO, null);
        if (userInfo != null && !"USER_INFO".equals(source)) {
            throw new IllegalArgumentException(BASIC_AUTH_SOURCE + "=" + source + " is not supported; use USER_INFO");
        }
        return new RegistrySettings(urls, userInfo,
                Duration.ofMillis(longValue(configs, REQUEST_TIMEOUT_MS, 10_000)),
                (int) longValue(configs, MAX_RETRIES, 5),
                Duration.ofMillis(longValue(configs, RETRY_BACKOFF_MS, 200)));
    }

    private static String string(Map<String, ?> configs, String key, String fallback) {
        Object value = configs.get(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString();
    }

    private static long longValue(Map<String, ?> configs, String key, long fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.toString().trim());
            if (parsed < 0) {
                throw new NumberFormatException("negative");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("serde property " + key + " must be a non-negative integer, got '" + value + "'");
        }
    }
}
