package io.servicehealth.config;

import io.servicehealth.alert.AlertRule;
import io.servicehealth.alert.AlertRules;
import io.servicehealth.schema.WindowSize;
import io.servicehealth.score.ScoreModel;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The application's configuration: every key typed, defaulted, validated and documented here (the
 * README's table is generated from {@link #CONFIG}). Prefixed families are validated by their owners:
 * {@code score.*} by {@link ScoreModel}, {@code kafka.*} passes through to the Kafka clients, and the
 * serde keys ({@code schema.registry.*}, {@code basic.auth.*}, {@code auto.register.schemas}) go to the
 * Avro serdes. Any other key stops the start with a message that names it.
 */
public final class HealthConfig extends AbstractConfig {
    public static final String TOPIC_COMPLAINTS = "topic.complaints";
    public static final String TOPIC_HOTLINE_CALLS = "topic.hotline.calls";
    public static final String TOPIC_STORE_TRANSACTIONS = "topic.store.transactions";
    public static final String TOPIC_SURVEY_RESPONSES = "topic.survey.responses";
    public static final String TOPIC_CATALOG = "topic.catalog";
    public static final String TOPIC_HEALTH_UPDATES = "topic.health.updates";
    public static final String TOPIC_HEALTH_RESULTS = "topic.health.results";
    public static final String TOPIC_LATE_EVENTS = "topic.late.events";
    public static final String TOPIC_ALERTS = "topic.alerts";
    public static final String TOPIC_ALERT_STATE = "topic.alert.state";
    public static final String TOPIC_DEAD_LETTER = "topic.dead.letter";
    public static final String TIME_ZONE = "time.zone";
    public static final String WINDOW_SIZES = "window.sizes";
    public static final String WINDOW_GRACE_MS = "window.grace.ms";
    public static final String WATERMARK_INTERVAL_MS = "watermark.interval.ms";
    public static final String EVENT_MAX_FUTURE_MS = "event.max.future.ms";
    public static final String SOURCE_PARTITIONS = "source.partitions";
    public static final String SOURCE_IDLE_TIMEOUT_MS = "source.idle.timeout.ms";
    public static final String HOTLINE_SLA_SECONDS = "channel.hotline.sla.seconds";
    public static final String STORE_WAIT_TARGET_SECONDS = "channel.store.wait.target.seconds";
    public static final String HEALTH_UPDATE_INTERVAL_MS = "health.update.interval.ms";
    public static final String HEALTH_UPDATE_WINDOW_SIZES = "health.update.window.sizes";
    public static final String EVENT_MAX_BYTES = "event.max.bytes";
    public static final String STATE_CACHE_ENTITIES = "state.cache.entities";
    public static final String STATE_CACHE_ALERT_ENTITIES = "state.cache.alert.entities";
    public static final String STATE_ROCKSDB_MEMORY_MB = "state.rocksdb.memory.mb";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
    public static final String TOPIC_EVENT_RETENTION_MS = "topic.event.retention.ms";
    public static final String TOPIC_RESTRICTED_RETENTION_MS = "topic.restricted.retention.ms";

    static final Set<String> PASS_THROUGH_PREFIXES = Set.of("score.", "kafka.", "alert.", "schema.registry.", "basic.auth.");
    static final Set<String> PASS_THROUGH_KEYS = Set.of("auto.register.schemas");

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(TOPIC_COMPLAINTS, Type.STRING, "complaints", nonBlank(), Importance.HIGH, "Input topic of complaint tickets (投诉工单).")
            .define(TOPIC_HOTLINE_CALLS, Type.STRING, "hotline-calls", nonBlank(), Importance.HIGH, "Input topic of 10086 hotline calls.")
            .define(TOPIC_STORE_TRANSACTIONS, Type.STRING, "store-transactions", nonBlank(), Importance.HIGH, "Input topic of store transactions (营业厅办理).")
            .define(TOPIC_SURVEY_RESPONSES, Type.STRING, "survey-responses", nonBlank(), Importance.HIGH, "Input topic of satisfaction-survey responses (满意度调研).")
            .define(TOPIC_CATALOG, Type.STRING, "catalog", nonBlank(), Importance.HIGH, "Compacted catalog topic: versions of products, campaigns and regions.")
            .define(TOPIC_HEALTH_UPDATES, Type.STRING, "health-updates", nonBlank(), Importance.HIGH, "Output: live health per entity and window size (compacted).")
            .define(TOPIC_HEALTH_RESULTS, Type.STRING, "health-results", nonBlank(), Importance.HIGH, "Output: exactly one final record per entity and closed window.")
            .define(TOPIC_LATE_EVENTS, Type.STRING, "late-events", nonBlank(), Importance.MEDIUM, "Output: events too late for their windows, kept whole for replay (restricted).")
            .define(TOPIC_ALERTS, Type.STRING, "health-alerts", nonBlank(), Importance.HIGH, "Output: delisting-alert transitions (下线机制).")
            .define(TOPIC_ALERT_STATE, Type.STRING, "alert-state", nonBlank(), Importance.MEDIUM, "Output: current alert state per entity (compacted).")
            .define(TOPIC_DEAD_LETTER, Type.STRING, "health-dlq", nonBlank(), Importance.HIGH, "Dead-letter topic for records that cannot be read or processed (restricted).")
            .define(TIME_ZONE, Type.STRING, "Asia/Shanghai", zoneValidator(), Importance.HIGH, "Operator's time zone: calendar days, weeks (Monday start) and months are cut in it.")
            .define(WINDOW_SIZES, Type.LIST, "HOUR,DAY,WEEK,MONTH", windowSizesValidator(false), Importance.MEDIUM, "Window sizes computed, from HOUR, DAY, WEEK, MONTH.")
            .define(WINDOW_GRACE_MS, Type.LONG, Duration.ofMinutes(10).toMillis(), ConfigDef.Range.atLeast(0), Importance.HIGH,
                    "Grace period: an event up to this much older than its source partition's progress still updates its windows; an older one goes to the late-events topic. A window's final result is emitted this long after its end.")
            .define(WATERMARK_INTERVAL_MS, Type.LONG, Duration.ofMinutes(1).toMillis(), ConfigDef.Range.atLeast(1000), Importance.LOW,
                    "Event-time interval at which each source partition broadcasts its progress to every aggregating partition, so windows close on time even for entities that went quiet.")
            .define(EVENT_MAX_FUTURE_MS, Type.LONG, Duration.ofDays(7).toMillis(), ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "An event more than this far ahead of its source partition's progress is invalid (dead-lettered), so one bad clock cannot close everybody's windows.")
            .define(SOURCE_PARTITIONS, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Number of input partitions over the four event topics; windows close only after every one has reported progress or gone idle. 0 = what the cluster has (the usual); otherwise start-up fails unless it agrees with the cluster.")
            .define(SOURCE_IDLE_TIMEOUT_MS, Type.LONG, Duration.ofSeconds(30).toMillis(), ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Wall-clock time after which a source partition that has delivered no record is left out of the low watermark, until it delivers again, so that a quiet partition does not hold back final results and alerts. 0 = never: windows wait for every partition (final results then depend on the input alone, even when a partition is quiet).")
            .define(HOTLINE_SLA_SECONDS, Type.INT, 20, ConfigDef.Range.atLeast(0), Importance.MEDIUM, "Hotline service-level target: a transferred call answered within this many seconds of queueing.")
            .define(STORE_WAIT_TARGET_SECONDS, Type.INT, 900, ConfigDef.Range.atLeast(0), Importance.MEDIUM, "Store wait target: a visit served within this many seconds.")
            .define(HEALTH_UPDATE_INTERVAL_MS, Type.LONG, 200L, ConfigDef.Range.atLeast(10), Importance.MEDIUM,
                    "Wall-clock interval at which changed entities publish a live health update (coalesces bursts).")
            .define(HEALTH_UPDATE_WINDOW_SIZES, Type.LIST, "HOUR,DAY", windowSizesValidator(true), Importance.MEDIUM,
                    "Window sizes published as live updates: the hour (the live view) and today by default; weeks and months are reports, read from the final results (add them here for live weekly or monthly tiles). "
                            + "Empty: no live updates, for replays that need only the final results and alerts (a backtest's default).")
            .define(STATE_CACHE_ENTITIES, Type.INT, 8_000, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Entities whose state the instance keeps as live objects (write-back: serialized once per commit, not per event), shared evenly by its aggregating tasks in use. "
                            + "Takes ~5 KiB of heap per entity (80,000 held 433 MB of live heap), and the parallel collector's full collections trace it: start-up warns when it would take over half the heap. "
                            + "80,000 drained a backlog over 110k entities ~15 % faster than 8,000 (medians of three alternating pairs), but its full collections took 410-650 ms instead of 140-380, the paced latency maximum rose to 1.2 s and a drain over a million entities was no faster.")
            .define(STATE_CACHE_ALERT_ENTITIES, Type.INT, 128_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Entities whose delisting-alert state the instance keeps as live objects, or remembers it has none (most have none), shared evenly by its aggregating tasks in use. "
                            + "Each of an entity's window closes reads it: past this many, a close reads RocksDB and decodes. An entry takes ~1 KiB of heap at most (an open episode and its score trends), an entity without alert state far less.")
            .define(STATE_ROCKSDB_MEMORY_MB, Type.INT, 256, ConfigDef.Range.atLeast(8), Importance.MEDIUM,
                    "Memory for all RocksDB stores of the process together (block cache, index and filter blocks, memtables: a quarter of it), in MiB. "
                            + "With 128, a drain over a million entities spent 0.58 cores in RocksDB's flushes and compactions; with 256, 0.03, and drained 1.8 x as fast.")
            .define(EVENT_MAX_BYTES, Type.INT, 64 * 1024, ConfigDef.Range.atLeast(64), Importance.LOW,
                    "An input record larger than this is not decoded but dead-lettered (events are a few hundred bytes).")
            .define(HTTP_HOST, Type.STRING, "127.0.0.1", nonBlank(), Importance.MEDIUM, "Address the HTTP API (health, metrics, queries) listens on.")
            .define(HTTP_PORT, Type.INT, 8080, ConfigDef.Range.between(0, 65535), Importance.MEDIUM, "Port of the HTTP API; 0 picks a free one.")
            .define(HTTP_ADVERTISED_HOST, Type.STRING, "", Importance.LOW, "Host name other instances use to reach this one's HTTP API (default: http.host).")
            .define(TOPIC_PARTITIONS, Type.INT, 4, ConfigDef.Range.atLeast(1), Importance.MEDIUM, "Partitions of the topics the service creates when they are missing.")
            .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1, Importance.MEDIUM, "Replication factor of created topics; -1 = the broker's default.")
            .define(TOPIC_EVENT_RETENTION_MS, Type.LONG, Duration.ofDays(7).toMillis(), ConfigDef.Range.atLeast(-1), Importance.MEDIUM,
                    "Retention of created event topics, counted from arrival (LogAppendTime), so a backfill of past events is not deleted on arrival.")
            .define(TOPIC_RESTRICTED_RETENTION_MS, Type.LONG, Duration.ofDays(30).toMillis(), ConfigDef.Range.atLeast(-1), Importance.MEDIUM,
                    "Retention of the restricted dead-letter and late-event topics (they hold raw records with pseudonymous customer ids).");

    private final ScoreModel scoreModel;
    private final List<AlertRule> alertRules;

    public HealthConfig(Map<String, ?> originals) {
        super(CONFIG, checkKeys(originals), false);
        Map<String, String> score = new HashMap<>();
        originals.forEach((k, v) -> {
            if (k.startsWith(ScoreModel.PREFIX)) {
                score.put(k, String.valueOf(v));
            }
        });
        Map<String, String> alert = new HashMap<>();
        originals.forEach((k, v) -> {
            if (k.startsWith(AlertRules.PREFIX)) {
                alert.put(k, String.valueOf(v));
            }
        });
        try {
            this.scoreModel = ScoreModel.parse(score);
            this.alertRules = AlertRules.parse(alert, windowSizes());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static Map<String, ?> checkKeys(Map<String, ?> originals) {
        for (String key : originals.keySet()) {
            boolean known = CONFIG.names().contains(key) || PASS_THROUGH_KEYS.contains(key)
                    || PASS_THROUGH_PREFIXES.stream().anyMatch(key::startsWith);
            if (!known) {
                throw new ConfigException("unknown configuration key '" + key + "' (known keys: see README's configuration table; Kafka client settings take the prefix kafka.)");
            }
        }
        return originals;
    }

    public List<AlertRule> alertRules() {
        return alertRules;
    }

    public ScoreModel scoreModel() {
        return scoreModel;
    }

    public ZoneId zone() {
        return ZoneId.of(getString(TIME_ZONE));
    }

    public Set<WindowSize> windowSizes() {
        return sizes(WINDOW_SIZES);
    }

    public Set<WindowSize> liveUpdateSizes() {
        Set<WindowSize> live = sizes(HEALTH_UPDATE_WINDOW_SIZES);
        live.retainAll(windowSizes());
        return live;
    }

    private Set<WindowSize> sizes(String key) {
        EnumSet<WindowSize> sizes = EnumSet.noneOf(WindowSize.class);
        for (String name : getList(key)) {
            sizes.add(WindowSize.valueOf(name.trim()));
        }
        return sizes;
    }

    /** Serde properties: the registry keys as given. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = new HashMap<>();
        originals().forEach((k, v) -> {
            if (k.startsWith("schema.registry.") || k.startsWith("basic.auth.") || PASS_THROUGH_KEYS.contains(k)) {
                serde.put(k, v);
            }
        });
        return serde;
    }

    /** Kafka client and Streams settings: the {@code kafka.} keys without their prefix. */
    public Map<String, Object> kafkaConfig() {
        return originalsWithPrefix("kafka.");
    }

    /**
     * The {@code kafka.} settings a plain client takes ({@code names}: e.g. {@code AdminClientConfig.configNames()}),
     * with the bootstrap servers defaulting to Streams' own default.
     */
    public Map<String, Object> clientConfig(Set<String> names) {
        Map<String, Object> client = new HashMap<>(kafkaConfig());
        client.putIfAbsent("bootstrap.servers", "localhost:9092");
        client.keySet().retainAll(names);
        return client;
    }

    private static ConfigDef.Validator nonBlank() {
        return new ConfigDef.NonEmptyString();
    }

    private static ConfigDef.Validator zoneValidator() {
        return (name, value) -> {
            try {
                ZoneId.of(String.valueOf(value));
            } catch (DateTimeException e) {
                throw new ConfigException(name, value, "not a time-zone id such as Asia/Shanghai");
            }
        };
    }

    private static ConfigDef.Validator windowSizesValidator(boolean emptyAllowed) {
        return (name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) value;
            if (names.isEmpty() && !emptyAllowed) {
                throw new ConfigException(name, value, "at least one window size is needed");
            }
            for (String n : names) {
                try {
                    WindowSize size = WindowSize.valueOf(n.trim());
                    if (size == WindowSize.UNKNOWN) {
                        throw new IllegalArgumentException();
                    }
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, "'" + n + "' is not one of HOUR, DAY, WEEK, MONTH");
                }
            }
        };
    }
}
