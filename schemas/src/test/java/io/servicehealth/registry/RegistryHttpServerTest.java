package io.servicehealth.registry;

import io.servicehealth.schema.EntityRef;
import io.servicehealth.schema.HealthAlert;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Our HTTP registry, driven by our REST client: what an outside Confluent client would see. */
class RegistryHttpServerTest {

    @Test
    void shouldServeRegisterLookupFetchAndErrorsOverHttp() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        try (RegistryHttpServer server = RegistryHttpServer.start(registry, "127.0.0.1", 0)) {
            var client = new RestSchemaRegistryClient(RegistrySettings.from(Map.of("schema.registry.url", server.url())));

            int keyId = client.register("alerts-key", EntityRef.getClassSchema());
            int valueId = client.register("alerts-value", HealthAlert.getClassSchema());

            assertEquals(1, keyId);
            assertEquals(2, valueId);
            assertEquals(keyId, client.register("alerts-key", EntityRef.getClassSchema()), "re-registering is idempotent");
            assertEquals(valueId, client.idOf("alerts-value", HealthAlert.getClassSchema()));
            assertEquals(HealthAlert.getClassSchema(), client.schemaById(valueId));
            assertEquals(new RegisteredSchema("alerts-value", 2, 1, HealthAlert.getClassSchema()), client.latest("alerts-value"));
            assertEquals(40401, assertThrows(SchemaRegistryException.class, () -> client.latest("nope-value")).errorCode());
            assertEquals(40403, assertThrows(SchemaRegistryException.class, () -> client.schemaById(77)).errorCode());
        }
    }
}
