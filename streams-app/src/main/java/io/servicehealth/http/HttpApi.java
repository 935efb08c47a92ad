package io.servicehealth.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicehealth.schema.CampaignCategory;
import io.servicehealth.schema.EntityKind;
import io.servicehealth.schema.WindowSize;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The HTTP side of an instance: liveness, readiness, Prometheus metrics and the query API.
 * <pre>
 * GET /health/live                 200 while the pipeline is not in ERROR
 * GET /health/ready                200 when RUNNING, else 503 with the state
 * GET /metrics                     Prometheus text format
 * GET /entities/{kind}/{id}        current health for each window size (routed to the owner)
 * GET /entities/{kind}/{id}/alert  current alert state
 * GET /worst?n=&amp;kind=&amp;category=&amp;region=&amp;window=   worst entities by score, over all instances
 * </pre>
 * JSON everywhere; 404 for an unknown entity, 400 with a message for a bad parameter.
 */
public final class HttpApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final KafkaStreams streams;
    private final QueryService queries;
    private final PrometheusMeterRegistry metrics;

    private HttpApi(HttpServer server, KafkaStreams streams, QueryService queries, PrometheusMeterRegistry metrics) {
        this.server = server;
        this.streams = streams;
        this.queries = queries;
        this.metrics = metrics;
    }

    public static HttpServer bind(String host, int port) throws IOException {
        return HttpServer.create(new InetSocketAddress(host, port), 0);
    }

    public static HttpApi start(HttpServer server, KafkaStreams streams, QueryService queries, PrometheusMeterRegistry metrics) {
        HttpApi api = new HttpApi(server, streams, queries, metrics);
        server.createContext("/", api::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return api;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            QueryService.Answer answer;
            try {
                answer = route(exchange);
            } catch (BadRequest e) {
                answer = new QueryService.Answer(400, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                answer = new QueryService.Answer(500, Map.of("error", String.valueOf(e.getMessage())));
            }
            if (answer.body() instanceof String text) {
                send(exchange, answer.status(), "text/plain; version=0.0.4; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, answer.status(), "application/json", JSON.writeValueAsBytes(answer.body()));
            }
        }
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private QueryService.Answer route(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equals("GET")) {
            return new QueryService.Answer(405, Map.of("error", "only GET is served"));
        }
        String path = exchange.getRequestURI().getRawPath();
        Map<String, String> params = params(exchange.getRequestURI().getRawQuery());
        boolean local = "true".equals(params.get("local"));
        KafkaStreams.State state = streams.state();
        switch (path) {
            case "/health/live" -> {
                boolean live = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
                return new QueryService.Answer(live ? 200 : 503, Map.of("status", live ? "UP" : "DOWN", "state", state.name()));
            }
            case "/health/ready" -> {
                boolean ready = state == KafkaStreams.State.RUNNING;
                return new QueryService.Answer(ready ? 200 : 503, Map.of("status", ready ? "READY" : "NOT_READY", "state", state.name()));
            }
            case "/metrics" -> {
                return new QueryService.Answer(200, metrics.scrape());
            }
            case "/worst" -> {
                return queries.worst(worstQuery(params), false);
            }
            case "/internal/worst" -> {
                return queries.worst(worstQuery(params), true);
            }
            default -> {
            }
        }
        String[] parts = path.replaceAll("^/+", "").split("/");
        if (parts.length >= 3 && parts[0].equals("entities")) {
            EntityKind kind = kind(parts[1]);
            String id = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
            if (parts.length == 3) {
                return queries.entity(kind, id, local);
            }
            if (parts.length == 4 && parts[3].equals("alert")) {
                return queries.alert(kind, id, local);
            }
        }
        return new QueryService.Answer(404, Map.of("error", "no such resource: " + path
                + " (try /entities/{product|campaign|region}/{id}, /entities/{kind}/{id}/alert, /worst, /health/ready, /metrics)"));
    }

    private static QueryService.WorstQuery worstQuery(Map<String, String> p) {
        int n;
        try {
            n = Integer.parseInt(p.getOrDefault("n", "10"));
        } catch (NumberFormatException e) {
            throw new BadRequest("parameter n must be a whole number from 1 to 1000, got '" + p.get("n") + "'");
        }
        if (n < 1 || n > 1000) {
            throw new BadRequest("parameter n must be from 1 to 1000, got " + n);
        }
        EntityKind kind = p.containsKey("kind") ? kind(p.get("kind")) : null;
        CampaignCategory category = null;
        if (p.containsKey("category")) {
            try {
                category = CampaignCategory.valueOf(p.get("category").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("parameter category must be one of BASE_PLAN, VOICE_ADDON, PREPAY_REWARD, HANDSET, DATA_ENTERPRISE, MOBILE_FIXED_BUNDLE; got '" + p.get("category") + "'");
            }
        }
        WindowSize window;
        try {
            window = WindowSize.valueOf(p.getOrDefault("window", "DAY").toUpperCase(Locale.ROOT));
            if (window == WindowSize.UNKNOWN) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new BadRequest("parameter window must be HOUR, DAY, WEEK or MONTH; got '" + p.get("window") + "'");
        }
        return new QueryService.WorstQuery(n, kind, category, p.get("region"), window);
    }

    private static EntityKind kind(String text) {
        try {
            EntityKind kind = EntityKind.valueOf(text.toUpperCase(Locale.ROOT));
            if (kind == EntityKind.UNKNOWN) throw new IllegalArgumentException();
            return kind;
        } catch (IllegalArgumentException e) {
            throw new BadRequest("entity kind must be product, campaign or region; got '" + text + "'");
        }
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
