package io.servicehealth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Speaks Confluent's Schema Registry REST API (v1 content type) over {@link HttpClient}. No caching here:
 * wrap it in {@link CachingSchemaRegistryClient}. Outages (I/O errors, HTTP 5xx) are retried with
 * exponential backoff and then raised as a retriable {@link SchemaRegistryException}; definite answers
 * (4xx) are raised at once with the registry's error code.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUris;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final String authorization;
    private final int maxRetries;
    private final Duration initialBackoff;

    public RestSchemaRegistryClient(RegistrySettings settings) {
        this.baseUris = settings.urls().stream().map(u -> URI.create(u.endsWith("/") ? u : u + "/")).toList();
        this.requestTimeout = settings.requestTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        this.authorization = settings.basicAuthUserInfo() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(settings.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
        this.maxRetries = settings.maxRetries();
        this.initialBackoff = settings.initialBackoff();
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode body = send("POST", "subjects/" + encode(subject) + "/versions", schemaBody(schema));
        return body.path("id").asInt();
    }

    @Override
    public int idOf(String subject, Schema schema) {
        JsonNode body = send("POST", "subjects/" + encode(subject), schemaBody(schema));
        return body.path("id").asInt();
    }

    @Override
    public Schema schemaById(int id) {
        JsonNode body = send("GET", "schemas/ids/" + id, null);
        return parse(body.path("schema").asText());
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode body = send("GET", "subjects/" + encode(subject) + "/versions/latest", null);
        return new RegisteredSchema(body.path("subject").asText(subject), body.path("id").asInt(),
                body.path("version").asInt(), parse(body.path("schema").asText()));
    }

    private static String schemaBody(Schema schema) {
        try {
            return JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Schema parse(String text) {
        return new Schema.Parser().parse(text);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body) {
        SchemaRegistryException last = null;
        Duration backoff = initialBackoff;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0) {
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
            for (URI base : baseUris) {
                try {
                    return sendOnce(base, method, path, body);
                } catch (SchemaRegistryException e) {
                    if (!e.isRetriable()) {
                        throw e;
                    }
                    last = e;
                }
            }
        }
        throw last;
    }

    private JsonNode sendOnce(URI base, String method, String path, String body) {
        URI uri = base.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(0, SchemaRegistryException.UNREACHABLE,
                    "cannot reach schema registry at " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(0, SchemaRegistryException.UNREACHABLE, "interrupted calling " + uri, e);
        }
        JsonNode json = readJson(response.body());
        if (response.statusCode() / 100 == 2) {
            return json;
        }
        int code = json.path("error_code").asInt(response.statusCode());
        String message = json.path("message").asText(response.body());
        throw new SchemaRegistryException(response.statusCode(), code, method + " " + uri + ": " + message);
    }

    private static JsonNode readJson(String text) {
        try {
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(0, SchemaRegistryException.UNREACHABLE, "interrupted while backing off", e);
        }
    }
}
