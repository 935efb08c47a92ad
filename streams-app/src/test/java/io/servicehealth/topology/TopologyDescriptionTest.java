package io.servicehealth.topology;

import io.servicehealth.config.TopologySettings;
import io.servicehealth.registry.MockRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Pins the graph: every processor, store and internal topic is named, so a change that would rename a
 * changelog or repartition topic (and orphan its state on upgrade) fails here first. After an intended
 * change, regenerate src/test/resources/topology.txt from the "actual" side of the failure.
 */
class TopologyDescriptionTest {
    private static final String SCOPE = "topology-description";

    @AfterEach
    void drop() {
        MockRegistries.drop(SCOPE);
    }

    @Test
    void shouldKeepEveryNodeStoreAndInternalTopicNameStable() throws Exception {
        String description = HealthTopology.build(TopologySettings.defaults(1),
                HealthSerdes.fromConfig(Map.of("schema.registry.url", "mock://" + SCOPE))).describe().toString();

        assertFalse(description.contains("KSTREAM-") || description.contains("KTABLE-"), "no generated names:\n" + description);
        String expected = Files.readString(Path.of("src/test/resources/topology.txt"), StandardCharsets.UTF_8);
        assertEquals(expected.strip(), description.strip());
    }
}
