package io.servicehealth.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicehealth.schema.EntityRef;
import io.servicehealth.schema.HealthAlert;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            assertEquals(HealthAlert.getClassSchema(), new org.apache.avro.Schema.Parser().parse(get(server, "/subjects/alerts-value/versions/1/schema").body()));
            assertEquals("[\"AVRO\"]", get(server, "/schemas/types").body());
            assertEquals("{}", get(server, "/").body());
        }
    }

    /**
     * What a client that is not ours sends by mistake: every bad request gets an answer with Confluent's
     * error body, never a connection closed without one (what a duplicate field and a body that is not
     * JSON used to get).
     */
    @Test
    void shouldAnswerEveryBadRegistrationWithAnErrorBody() throws Exception {
        try (RegistryHttpServer server = RegistryHttpServer.start(new InMemorySchemaRegistry(), "127.0.0.1", 0)) {
            String duplicateField = register("{'type':'record','name':'R','fields':[{'name':'a','type':'int'},{'name':'a','type':'int'}]}");
            String badDefault = register("{'type':'record','name':'R','fields':[{'name':'a','type':'int','default':'x'}]}");

            assertError(post(server, "/subjects/t-value/versions", duplicateField), 422, 42201, "Duplicate field a");
            assertError(post(server, "/subjects/t-value/versions", badDefault), 422, 42201, "Invalid default");
            assertError(post(server, "/subjects/t-value/versions", "garbage"), 400, 400, "not JSON");
            assertError(post(server, "/subjects/t-value/versions", "[1]"), 422, 42201, "JSON object");
            assertError(post(server, "/subjects/t-value/versions", ""), 422, 42201, "JSON object");
            assertError(post(server, "/subjects/t-value/versions", "{\"schemaType\":\"PROTOBUF\",\"schema\":\"x\"}"), 422, 42201, "Only AVRO");
            assertError(post(server, "/subjects/t-value", duplicateField), 422, 42201, "Duplicate field a");
            assertError(post(server, "/nothing/here", "{}"), 404, 404, "Not Found");
        }
    }

    /** A registration body for {@code schema}, written with single quotes for legibility. */
    private static String register(String schema) throws Exception {
        return new ObjectMapper().writeValueAsString(Map.of("schema", schema.replace('\'', '"')));
    }

    private static HttpResponse<String> get(RegistryHttpServer server, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    private static HttpResponse<String> post(RegistryHttpServer server, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, int errorCode, String messagePart) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("{") && response.body().contains("\"error_code\":" + errorCode + ","), response.body());
        assertTrue(response.body().contains(messagePart), response.body());
    }
}
