package io.servicehealth.topology;

import io.servicehealth.schema.*;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.servicehealth.topology.Events.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Customer identifiers are pseudonymous at the source and never leave it: not in scores, alerts,
 * alert state, metrics, nor any output schema (the query API serves the same records).
 */
class PrivacyTest {
    private static final String SECRET = "CUSTOMER-4711-SECRET";

    @Test
    void shouldKeepCustomerIdsOutOfEveryOutput() {
        try (PipelineDriver p = new PipelineDriver(PipelineDriver.testSettings(Map.of("alert.rules", "warn",
                "alert.rule.warn.metric", "complaints.per.10k.30d", "alert.rule.warn.direction", "above", "alert.rule.warn.threshold", "1",
                "alert.rule.warn.recovery", "0.5", "alert.rule.warn.window", "DAY", "alert.rule.warn.confidence.z", "0",
                "alert.rule.warn.severity", "WARNING")), true)) {
            p.add(campaign("C1", CampaignCategory.HANDSET, 10_000, "2026-01-01T00:00:00Z").build());
            for (int i = 0; i < 5; i++) {
                p.send(complaint("2026-04-10T02:00:00Z").setCampaignId("C1").setCustomerId(SECRET));
                p.send(call("2026-04-10T02:00:00Z").setCampaignId("C1").setCustomerId(SECRET));
                p.send(survey("2026-04-10T02:00:00Z", 3).setCampaignId("C1").setCustomerId(SECRET));
            }
            p.tickWallClock();
            p.advanceAllSourcesTo("2026-04-11T00:00:00Z");

            List<byte[]> outputs = new java.util.ArrayList<>();
            p.results.readRecordsToList().forEach(r -> outputs.add(p.serdes.serviceHealth().serializer().serialize("out-health", r.value())));
            p.updates.readRecordsToList().forEach(r -> outputs.add(p.serdes.serviceHealth().serializer().serialize("out-health", r.value())));
            List<HealthAlert> alerts = p.alerts.readValuesToList();
            assertFalse(alerts.isEmpty(), "the scenario raises an alert");
            alerts.forEach(a -> outputs.add(p.serdes.healthAlert().serializer().serialize("out-alerts", a)));
            p.alertStates.readValuesToList().forEach(s -> outputs.add(p.serdes.alertState().serializer().serialize("out-state", s)));
            assertEquals(6, outputs.size(), "final hour and day, live hour and day, one alert and its state");
            for (byte[] bytes : outputs) {
                assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains(SECRET));
            }
            p.driver.metrics().forEach((name, metric) -> {
                assertFalse(name.toString().contains(SECRET));
                assertFalse(String.valueOf(metric.metricValue()).contains(SECRET));
            });
        }
        for (Schema schema : List.of(ServiceHealth.getClassSchema(), HealthAlert.getClassSchema(), EntityAlertState.getClassSchema(),
                HealthUpdateKey.getClassSchema(), HealthResultKey.getClassSchema(), EntityRef.getClassSchema())) {
            assertFalse(schema.toString().contains("customerId"), schema.getName() + " carries no customer id");
        }
    }
}
