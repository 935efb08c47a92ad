package io.servicehealth.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.servicehealth.schema.EntityRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a stub that answers with the bodies Confluent's API reference documents
 * (not against our own server), so the client is checked against the contract, not against itself.
 */
class RestSchemaRegistryClientTest {
    private static final String ENTITY_REF = EntityRef.getClassSchema().toString();
    private static final String ESCAPED = ENTITY_REF.replace("\\", "\\\\").replace("\"", "\\\"");

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private final Map<String, String> authorizations = new HashMap<>();
    private final AtomicInteger failuresBeforeSuccess = new AtomicInteger();

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String line = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(line + (body.isEmpty() ? "" : " " + body));
        authorizations.put(line, exchange.getRequestHeaders().getFirst("Authorization"));
        int status;
        String response;
        if (line.equals("GET /schemas/ids/7") && failuresBeforeSuccess.getAndDecrement() > 0) {
            status = 500;
            response = "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}";
        } else {
            switch (line) {
                case "POST /subjects/alerts-key/versions" -> { status = 200; response = "{\"id\":21}"; }
                case "POST /subjects/alerts-key" -> { status = 200; response = "{\"subject\":\"alerts-key\",\"id\":21,\"version\":3,\"schema\":\"" + ESCAPED + "\"}"; }
                case "GET /schemas/ids/7" -> { status = 200; response = "{\"schema\":\"" + ESCAPED + "\"}"; }
                case "GET /subjects/alerts-key/versions/latest" -> { status = 200; response = "{\"subject\":\"alerts-key\",\"id\":21,\"version\":3,\"schema\":\"" + ESCAPED + "\"}"; }
                case "GET /subjects/missing-value/versions/latest" -> { status = 404; response = "{\"error_code\":40401,\"message\":\"Subject 'missing-value' not found.\"}"; }
                case "GET /schemas/ids/99" -> { status = 404; response = "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}"; }
                case "POST /subjects/strict-value/versions" -> { status = 409; response = "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema for subject \\\"strict-value\\\"\"}"; }
                default -> { status = 404; response = "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"; }
            }
        }
        byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private RestSchemaRegistryClient client(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(extra);
        config.put("schema.registry.url", "http://127.0.0.1:" + server.getAddress().getPort());
        config.put("schema.registry.retry.backoff.ms", "1");
        return new RestSchemaRegistryClient(RegistrySettings.from(config));
    }

    @Test
    void shouldRegisterWithSchemaInJsonBodyAndReturnId() {
        int id = client(Map.of()).register("alerts-key", EntityRef.getClassSchema());

        assertEquals(21, id);
        assertEquals("POST /subjects/alerts-key/versions {\"schema\":\"" + ESCAPED + "\"}", requests.get(0));
    }

    @Test
    void shouldLookUpIdAndLatestVersionAndSchemaById() {
        var client = client(Map.of());
        assertEquals(21, client.idOf("alerts-key", EntityRef.getClassSchema()));
        RegisteredSchema latest = client.latest("alerts-key");
        assertEquals(new RegisteredSchema("alerts-key", 21, 3, EntityRef.getClassSchema()), latest);
        assertEquals(EntityRef.getClassSchema(), client.schemaById(7));
    }

    @Test
    void shouldCarryRegistryErrorCodes() {
        var client = client(Map.of());
        var notFound = assertThrows(SchemaRegistryException.class, () -> client.latest("missing-value"));
        assertEquals(40401, notFound.errorCode());
        assertEquals(404, notFound.httpStatus());
        assertTrue(notFound.getMessage().contains("Subject 'missing-value' not found."), notFound.getMessage());
        assertFalse(notFound.isRetriable());

        assertEquals(40403, assertThrows(SchemaRegistryException.class, () -> client.schemaById(99)).errorCode());
        var incompatible = assertThrows(SchemaRegistryException.class, () -> client.register("strict-value", EntityRef.getClassSchema()));
        assertEquals(409, incompatible.errorCode());
        assertEquals(1, requests.size() - 2, "a definite answer is not retried");
    }

    @Test
    void shouldRetryBackendErrorsThenSucceed() {
        failuresBeforeSuccess.set(2);
        assertEquals(EntityRef.getClassSchema(), client(Map.of()).schemaById(7));
        assertEquals(3, requests.size());
    }

    @Test
    void shouldGiveUpWithRetriableErrorWhenBackendKeepsFailing() {
        failuresBeforeSuccess.set(100);
        var e = assertThrows(SchemaRegistryException.class,
                () -> client(Map.of("schema.registry.max.retries", "2")).schemaById(7));
        assertEquals(50001, e.errorCode());
        assertTrue(e.isRetriable());
        assertEquals(3, requests.size());
    }

    @Test
    void shouldReportUnreachableRegistryAsRetriable() {
        server.stop(0);
        var e = assertThrows(SchemaRegistryException.class,
                () -> client(Map.of("schema.registry.max.retries", "0")).schemaById(7));
        assertEquals(SchemaRegistryException.UNREACHABLE, e.errorCode());
        assertTrue(e.isRetriable());
    }

    @Test
    void shouldSendBasicAuthFromUserInfo() {
        client(Map.of("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "ops:s3cret"))
                .schemaById(7);
        assertEquals("Basic b3BzOnMzY3JldA==", authorizations.get("GET /schemas/ids/7"));
    }

    @Test
    void shouldNameTheBadKeyInSettings() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> RegistrySettings.from(Map.of("schema.registry.url", "http://x", "schema.registry.max.retries", "many")));
        assertTrue(e.getMessage().contains("schema.registry.max.retries"), e.getMessage());
    }
}
