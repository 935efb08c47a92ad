package io.servicehealth.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Serves an {@link InMemorySchemaRegistry} over the subset of Confluent's Schema Registry REST API that
 * Confluent's serializers and tools use: register, look up, fetch by id, list subjects and versions,
 * read a version (or only its schema), the schema types, and the global compatibility config. Every
 * error, a request it cannot parse included, is answered with Confluent's body and {@code error_code}.
 * Used by the demo so that outside consumers can decode its topics.
 */
public final class RegistryHttpServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpServer.class);
    private final InMemorySchemaRegistry registry;
    private final HttpServer server;

    private RegistryHttpServer(InMemorySchemaRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** Starts on {@code host:port} (port 0 picks a free one). */
    public static RegistryHttpServer start(InMemorySchemaRegistry registry, String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        RegistryHttpServer registryServer = new RegistryHttpServer(registry, server);
        server.createContext("/", registryServer::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "registry-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return registryServer;
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getRawPath().replaceAll("^/+|/+$", "").split("/");
            String method = exchange.getRequestMethod();
            try {
                Object body = route(method, parts, exchange);
                respond(exchange, 200, body);
            } catch (SchemaRegistryException e) {
                respond(exchange, e.httpStatus(), error(e.errorCode(), e.getMessage()));
            } catch (JsonProcessingException e) {
                respond(exchange, 400, error(400, "Request body is not JSON: " + e.getOriginalMessage()));
            } catch (AvroRuntimeException | IllegalArgumentException e) {
                // Avro's parser reports more than SchemaParseException: a duplicate field or a default
                // that does not match its type is an AvroRuntimeException / AvroTypeException
                respond(exchange, 422, error(SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage()));
            } catch (RuntimeException e) {
                // an exception escaping the handler makes the JDK server drop the connection unanswered
                LOG.error("registry request {} {} failed", method, exchange.getRequestURI(), e);
                respond(exchange, 500, error(500, "Internal error: " + e));
            }
        }
    }

    private Object route(String method, String[] p, HttpExchange exchange) throws IOException {
        if (p.length == 1 && p[0].isEmpty() && method.equals("GET")) {
            return Map.of(); // what Confluent's registry answers at its root, a liveness probe for some tools
        }
        if (p.length == 2 && p[0].equals("schemas") && p[1].equals("types") && method.equals("GET")) {
            return List.of("AVRO");
        }
        if (p.length == 1 && p[0].equals("subjects") && method.equals("GET")) {
            return registry.subjects();
        }
        if (p.length == 1 && p[0].equals("config") && method.equals("GET")) {
            return Map.of("compatibilityLevel", "BACKWARD");
        }
        if (p.length >= 3 && p[0].equals("schemas") && p[1].equals("ids") && method.equals("GET")) {
            int id = parseInt(p[2], SchemaRegistryException.SCHEMA_NOT_FOUND);
            Schema schema = registry.schemaById(id);
            return p.length == 4 && p[3].equals("schema") ? JSON.readTree(schema.toString()) : Map.of("schema", schema.toString());
        }
        if (p.length >= 2 && p[0].equals("subjects")) {
            String subject = URLDecoder.decode(p[1], StandardCharsets.UTF_8);
            if (p.length == 2 && method.equals("POST")) {
                int id = registry.idOf(subject, readSchema(exchange));
                RegisteredSchema found = registry.versions(subject).stream().map(v -> registry.version(subject, v))
                        .filter(r -> r.id() == id).findFirst().orElseThrow();
                return describe(found);
            }
            if (p.length == 3 && p[2].equals("versions") && method.equals("POST")) {
                return Map.of("id", registry.register(subject, readSchema(exchange)));
            }
            if (p.length == 3 && p[2].equals("versions") && method.equals("GET")) {
                return registry.versions(subject);
            }
            if ((p.length == 4 || p.length == 5 && p[4].equals("schema")) && p[2].equals("versions") && method.equals("GET")) {
                int version = p[3].equals("latest") ? -1 : parseInt(p[3], SchemaRegistryException.VERSION_NOT_FOUND);
                RegisteredSchema found = registry.version(subject, version);
                return p.length == 5 ? JSON.readTree(found.schema().toString()) : describe(found);
            }
        }
        throw new SchemaRegistryException(404, 404, "HTTP 404 Not Found: " + method + " " + exchange.getRequestURI());
    }

    private static Map<String, Object> describe(RegisteredSchema s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subject", s.subject());
        out.put("version", s.version());
        out.put("id", s.id());
        out.put("schema", s.schema().toString());
        return out;
    }

    private static Schema readSchema(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        if (body == null || !body.isObject()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Request body must be a JSON object with a \"schema\" field");
        }
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Only AVRO schemas are served here, not " + type);
        }
        if (!body.hasNonNull("schema")) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Request body needs a \"schema\" field");
        }
        return new Schema.Parser().parse(body.get("schema").asText());
    }

    private static int parseInt(String text, int notFoundCode) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(404, notFoundCode, "'" + text + "' is not a number");
        }
    }

    /** Confluent's error body, its fields in Confluent's order. */
    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code);
        body.put("message", message);
        return body;
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
