package io.servicehealth.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicehealth.aggregate.EntityKey;
import io.servicehealth.aggregate.EntityWindows;
import io.servicehealth.aggregate.OpenWindow;
import io.servicehealth.catalog.CatalogView;
import io.servicehealth.config.TopologySettings;
import io.servicehealth.runtime.AvroJson;
import io.servicehealth.schema.CampaignCategory;
import io.servicehealth.schema.CatalogEntry;
import io.servicehealth.schema.EntityAlertState;
import io.servicehealth.schema.EntityKind;
import io.servicehealth.schema.ServiceHealth;
import io.servicehealth.schema.WindowSize;
import io.servicehealth.score.HealthAssembler;
import io.servicehealth.topology.ClosedThrough;
import io.servicehealth.topology.HealthTopology;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interactive queries over the state stores. Any instance answers for all: a single entity is routed to
 * the instance that owns its key (Kafka Streams metadata), worst-N fans out to every instance and
 * merges. When the owner is unavailable (rebalance), a local standby copy answers and the response
 * says {@code "stale": true}.
 */
public final class QueryService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaStreams streams;
    private final HostInfo self;
    private final HealthAssembler assembler;
    private final TopologySettings settings;
    private final CatalogView catalog = new CatalogView();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ClosedThrough closedThrough;

    /** @param closedThrough the local aggregating tasks' progress, to hide windows that are final already */
    public QueryService(KafkaStreams streams, HostInfo self, TopologySettings settings, ClosedThrough closedThrough) {
        this.streams = streams;
        this.closedThrough = closedThrough;
        this.self = self;
        this.settings = settings;
        this.assembler = new HealthAssembler(settings.scoreModel());
    }

    /** An answer: HTTP status and JSON body. */
    public record Answer(int status, Object body) {
        static Answer ok(Object body) {
            return new Answer(200, body);
        }

        static Answer error(int status, String message) {
            return new Answer(status, Map.of("error", message));
        }
    }

    public Answer entity(EntityKind kind, String id, boolean local) {
        return routed(kind, id, local, "", () -> localEntity(kind, id));
    }

    public Answer alert(EntityKind kind, String id, boolean local) {
        return routed(kind, id, local, "/alert", () -> localAlert(kind, id));
    }

    private interface LocalRead {
        Answer read(boolean stale);
    }

    private Answer routed(EntityKind kind, String id, boolean local, String suffix, java.util.function.Supplier<LocalRead> reader) {
        String key = EntityKey.of(kind, id);
        KeyQueryMetadata meta = streams.queryMetadataForKey(HealthTopology.STORE_ENTITY_WINDOWS, key, Serdes.String().serializer());
        boolean available = meta != null && meta != KeyQueryMetadata.NOT_AVAILABLE;
        if (local || !available || meta.activeHost().equals(self)) {
            boolean stale = !available || !meta.activeHost().equals(self);
            try {
                return reader.get().read(stale);
            } catch (InvalidStateStoreException e) {
                return Answer.error(503, "state for " + key + " is not available here right now (" + e.getMessage() + "); retry shortly");
            }
        }
        Answer owner = proxy(meta.activeHost(), "/entities/" + kind.name().toLowerCase() + "/" + encode(id) + suffix + "?local=true");
        if (owner.status() == 503 && meta.standbyHosts().contains(self)) {
            try {
                return reader.get().read(true); // the owner is gone and the rebalance has not noticed yet: answer from the standby
            } catch (InvalidStateStoreException e) {
                return owner;
            }
        }
        return owner;
    }

    private LocalRead localEntity(EntityKind kind, String id) {
        return stale -> {
            String key = EntityKey.of(kind, id);
            EntityWindows state = openOnly(this.<EntityWindows>store(HealthTopology.STORE_ENTITY_WINDOWS, true).get(key));
            if (state == null || state.isEmpty()) {
                return Answer.error(404, "no open window for " + kind + " " + id + " (unknown entity, or no event since its last window closed)");
            }
            List<Object> windows = new ArrayList<>();
            for (WindowSize size : settings.windowSizes()) {
                OpenWindow latest = state.latest(size);
                if (latest != null) {
                    windows.add(AvroJson.toPlain(health(key, latest)));
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("kind", kind.name());
            body.put("id", id);
            body.put("servedBy", self.host() + ":" + self.port());
            body.put("stale", stale);
            body.put("windows", windows);
            return Answer.ok(body);
        };
    }

    private LocalRead localAlert(EntityKind kind, String id) {
        return stale -> {
            String key = EntityKey.of(kind, id);
            EntityAlertState state = this.<EntityAlertState>store(HealthTopology.STORE_ALERT_STATE, true).get(key);
            if (state == null) {
                EntityWindows windows = openOnly(this.<EntityWindows>store(HealthTopology.STORE_ENTITY_WINDOWS, true).get(key));
                if (windows == null || windows.isEmpty()) {
                    return Answer.error(404, "no alert state and no open window for " + kind + " " + id);
                }
                Map<String, Object> ok = new LinkedHashMap<>();
                ok.put("kind", kind.name());
                ok.put("id", id);
                ok.put("state", "OK");
                ok.put("stale", stale);
                return Answer.ok(ok);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) AvroJson.toPlain(state);
            body.remove("breachStreaks");
            body.put("stale", stale);
            return Answer.ok(body);
        };
    }

    /**
     * The stored copy less the windows already final: the aggregator does not rewrite an entity when a
     * window closes, only with its next event. The copy is this query's own; the store is not touched.
     */
    private EntityWindows openOnly(EntityWindows stored) {
        if (stored != null) {
            stored.closeEndingBy(closedThrough.low(), closed -> { });
        }
        return stored;
    }

    private ServiceHealth health(String key, OpenWindow window) {
        ensureCatalog();
        CatalogEntry entry = catalog.forWindow(key, window.window().end());
        return assembler.assemble(key, window, entry, false);
    }

    private void ensureCatalog() {
        ReadOnlyKeyValueStore<Bytes, byte[]> global = streams.store(StoreQueryParameters.fromNameAndType(HealthTopology.STORE_CATALOG,
                QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
        catalog.attachReadOnly(global);
    }

    /** Filters of a worst-N query. */
    public record WorstQuery(int n, EntityKind kind, CampaignCategory category, String region, WindowSize window) {
    }

    public Answer worst(WorstQuery q, boolean local) {
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean partial = false;
        try {
            rows.addAll(localWorst(q));
        } catch (InvalidStateStoreException e) {
            if (local) {
                return Answer.error(503, "local state is not queryable right now (" + e.getMessage() + "); retry shortly");
            }
            partial = true; // this instance's share is migrating: answer with the others' and say so
        }
        if (!local) {
            for (StreamsMetadata instance : streams.streamsMetadataForStore(HealthTopology.STORE_ENTITY_WINDOWS)) {
                if (instance.hostInfo().equals(self)) {
                    continue;
                }
                Answer remote = proxy(instance.hostInfo(), "/internal/worst?" + queryString(q));
                if (remote.status() == 200 && remote.body() instanceof Map<?, ?> m && m.get("entities") instanceof List<?> list) {
                    for (Object row : list) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> r = (Map<String, Object>) row;
                        rows.add(r);
                    }
                } else {
                    partial = true;
                }
            }
        }
        Map<String, Map<String, Object>> byEntity = new HashMap<>();
        for (Map<String, Object> row : rows) {
            String key = row.get("kind") + "|" + row.get("id");
            Map<String, Object> known = byEntity.get(key);
            if (known == null || Boolean.TRUE.equals(known.get("stale"))) {
                byEntity.put(key, row);
            }
        }
        List<Map<String, Object>> merged = byEntity.values().stream()
                .sorted(Comparator.comparingDouble((Map<String, Object> r) -> ((Number) r.get("score")).doubleValue())
                        .thenComparing(r -> r.get("kind") + "|" + r.get("id")))
                .limit(q.n()).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("window", q.window().name());
        body.put("partial", partial);
        body.put("entities", merged);
        return Answer.ok(body);
    }

    private List<Map<String, Object>> localWorst(WorstQuery q) {
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean stale = false;
        ReadOnlyKeyValueStore<String, EntityWindows> store;
        try {
            store = store(HealthTopology.STORE_ENTITY_WINDOWS, false);
        } catch (InvalidStateStoreException e) {
            store = store(HealthTopology.STORE_ENTITY_WINDOWS, true);
            stale = true;
        }
        ensureCatalog();
        try (KeyValueIterator<String, EntityWindows> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, EntityWindows> kv = it.next();
                EntityKind kind = EntityKey.kind(kv.key);
                if (q.kind() != null && kind != q.kind()) {
                    continue;
                }
                OpenWindow latest = openOnly(kv.value).latest(q.window());
                if (latest == null) {
                    continue;
                }
                CatalogEntry entry = catalog.forWindow(kv.key, latest.window().end());
                if (q.category() != null && (entry == null || entry.getCampaignCategory() != q.category())) {
                    continue;
                }
                if (q.region() != null && (entry == null || !q.region().equals(entry.getRegionId()))) {
                    continue;
                }
                ServiceHealth h = assembler.assemble(kv.key, latest, entry, false);
                if (h.getScore() == null) {
                    continue;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("kind", kind.name());
                row.put("id", EntityKey.id(kv.key));
                row.put("name", h.getName());
                row.put("score", h.getScore());
                row.put("grade", h.getGrade().name());
                row.put("windowStart", h.getWindowStart().toString());
                row.put("events", h.getEvents());
                row.put("complaintsPer10k", h.getComplaints().getPer10k());
                row.put("stale", stale);
                rows.add(row);
            }
        }
        rows.sort(Comparator.comparingDouble(r -> ((Number) r.get("score")).doubleValue()));
        return rows.size() > q.n() ? new ArrayList<>(rows.subList(0, q.n())) : rows;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, boolean allowStale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> params =
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore());
        return streams.store(allowStale ? params.enableStaleStores() : params);
    }

    private Answer proxy(HostInfo host, String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readValue(response.body(), Object.class));
        } catch (IOException e) {
            return Answer.error(503, "instance " + host.host() + ":" + host.port() + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "interrupted");
        }
    }

    private static String queryString(WorstQuery q) {
        StringBuilder s = new StringBuilder("n=" + q.n() + "&window=" + q.window().name());
        if (q.kind() != null) s.append("&kind=").append(q.kind().name());
        if (q.category() != null) s.append("&category=").append(q.category().name());
        if (q.region() != null) s.append("&region=").append(encode(q.region()));
        return s.toString();
    }

    static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
