package io.servicehealth.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicehealth.errors.DeadLetterMetrics;
import io.servicehealth.runtime.JvmMetrics;
import io.servicehealth.topology.PipelineMetrics;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The dashboard is valid JSON and queries only metrics the service exports under the names it exports them. */
class GrafanaDashboardTest {

    @Test
    void shouldQueryOnlyMetricsTheServiceExports() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("..", "grafana", "service-health-pipeline.json").toFile());
        assertEquals("service-health-pipeline", dashboard.path("uid").asText());
        Set<String> ours = new HashSet<>();
        for (String name : new String[]{PipelineMetrics.ACCEPTED_EVENTS, PipelineMetrics.LATE_EVENTS, PipelineMetrics.LATE_AFTER_CLOSE,
                PipelineMetrics.UNKNOWN_ENTITY_EVENTS, PipelineMetrics.UNKNOWN_ENUM_EVENTS, PipelineMetrics.FINAL_RESULTS, PipelineMetrics.IDLE_SOURCES,
                PipelineMetrics.ALERT_TRANSITIONS}) {
            // Micrometer's Kafka binder: kafka_ + group + _ + name, dashes to underscores
            ours.add("kafka_" + PipelineMetrics.GROUP.replace('-', '_') + "_" + name.replace('-', '_'));
        }
        ours.add(DeadLetterMetrics.NAME + "_total");
        Set<String> kafkaAndJvm = Set.of("kafka_stream_thread_process_total", "kafka_stream_thread_commit_latency_avg",
                "kafka_stream_thread_commit_latency_max", "kafka_consumer_fetch_manager_records_lag_max", "jvm_memory_used_bytes",
                JvmMetrics.PAUSE_SECONDS, JvmMetrics.ALLOCATED_BYTES, JvmMetrics.PROMOTED_BYTES);
        Pattern metric = Pattern.compile("\\b((?:kafka|service|jvm)_[a-z_]+)\\s*[{\\[(]");
        int queried = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = metric.matcher(target.path("expr").asText());
                while (m.find()) {
                    queried++;
                    assertTrue(ours.contains(m.group(1)) || kafkaAndJvm.contains(m.group(1)),
                            "panel '" + panel.path("title").asText() + "' queries " + m.group(1) + ", which the service does not export");
                }
            }
        }
        assertTrue(queried >= 10, "the dashboard queries the pipeline's metrics");
    }
}
