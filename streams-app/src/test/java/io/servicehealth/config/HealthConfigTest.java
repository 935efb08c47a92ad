package io.servicehealth.config;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class HealthConfigTest {
    private static String failure(Map<String, String> config) {
        return assertThrows(ConfigException.class, () -> new HealthConfig(config)).getMessage();
    }

    @Test
    void shouldNameTheUnknownKey() {
        assertTrue(failure(Map.of("window.grace", "10")).contains("'window.grace'"));
    }

    @Test
    void shouldNameTheKeyWithABadValue() {
        assertTrue(failure(Map.of("time.zone", "Mars/Olympus")).contains("time.zone"));
        assertTrue(failure(Map.of("window.sizes", "HOUR,FORTNIGHT")).contains("FORTNIGHT"));
        assertTrue(failure(Map.of("window.grace.ms", "-1")).contains("window.grace.ms"));
        assertTrue(failure(Map.of("score.kpi.nope.target", "1")).contains("score.kpi.nope.target"));
    }

    @Test
    void shouldAllowNoLiveUpdatesButNotNoWindows() {
        assertEquals(Set.of(), new HealthConfig(Map.of("health.update.window.sizes", "")).liveUpdateSizes());
        String noWindows = failure(Map.of("window.sizes", ""));
        assertTrue(noWindows.contains("window.sizes") && noWindows.contains("at least one window size"), noWindows);
    }

    @Test
    void shouldPassKafkaAndSerdeKeysThrough() {
        HealthConfig config = new HealthConfig(Map.of("kafka.security.protocol", "SASL_SSL", "schema.registry.url", "mock://x",
                "basic.auth.user.info", "u:p"));
        assertEquals(Map.of("security.protocol", "SASL_SSL"), config.kafkaConfig());
        assertEquals(Map.of("schema.registry.url", "mock://x", "basic.auth.user.info", "u:p"), config.serdeConfig());
    }

    @Test
    void shouldKeepTheReadmeConfigurationTableInStepWithTheDefinitions() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains(ConfigDocs.markdownTable()),
                "README.md's configuration table is generated from HealthConfig.CONFIG: paste the output of ConfigDocs.main into it");
    }
}
