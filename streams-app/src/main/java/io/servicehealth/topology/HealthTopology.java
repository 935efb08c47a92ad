package io.servicehealth.topology;

import io.servicehealth.aggregate.EntityWindowsSerde;
import io.servicehealth.catalog.CatalogUpdater;
import io.servicehealth.catalog.CatalogView;
import io.servicehealth.config.TopologySettings;
import io.servicehealth.schema.EntityAlertState;
import io.servicehealth.serde.RawAvroSerde;
import io.servicehealth.state.CommitHookStore;
import io.servicehealth.state.WriteBackStoreBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one entry point that builds the service-health graph: the demo, the service, replays, backtests
 * and tests all run this identical topology. A pure function of its arguments.
 * <pre>
 * complaints ─┐
 * hotline ────┤ merge ─ contribution-mapper ─┬─ late-events
 * store ──────┤   (validate, lateness per     └─ entity-contribution-batches (repartition: one batch per aggregating
 * surveys ────┘    source partition)              partition and commit; entries by entity, watermarks where
 *                                                 they are news, idle declarations to all)
 *                                                    └─ health-aggregator ─┬─ health-updates (live)
 * catalog ─ catalog-by-entity (global, versioned)                          └─ health-results (final)
 * </pre>
 */
public final class HealthTopology {
    public static final String REPARTITION = "entity-contribution-batches";
    /** Queryable stores: every entity's open windows, and its alert state. */
    public static final String STORE_ENTITY_WINDOWS = HealthAggregator.WINDOWS_STORE;
    public static final String STORE_ALERT_STATE = HealthAggregator.ALERT_STORE;
    public static final String STORE_CATALOG = CatalogView.STORE;

    private HealthTopology() {
    }

    public static Topology build(TopologySettings settings, HealthSerdes serdes) {
        return build(settings, serdes, new ClosedThrough());
    }

    /** @param closedThrough filled by the aggregating tasks, read by interactive queries of the same process */
    public static Topology build(TopologySettings settings, HealthSerdes serdes, ClosedThrough closedThrough) {
        StreamsBuilder builder = new StreamsBuilder();
        TopologySettings.Topics topics = settings.topics();
        CatalogView catalog = new CatalogView();

        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CatalogView.STORE), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(),
                topics.catalog(),
                Consumed.with(serdes.catalogKey(), serdes.catalogEntry()).withName("catalog-source"),
                () -> new CatalogUpdater(catalog));

        // progress moves with almost every event and watermarks arrive from every source partition: the
        // record cache keeps the latest value of each of these few keys until the commit, instead of a
        // RocksDB write and a changelog record per event (a changelog record per event was what the
        // progress store cost uncached)
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ContributionMapper.PROGRESS_STORE),
                Serdes.Integer(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(CommitHookStore.builder(ContributionMapper.SHUFFLE_HOOK_STORE));
        builder.addStateStore(new WriteBackStoreBuilder<>(HealthAggregator.WINDOWS_STORE, new EntityWindowsSerde(), settings.stateCacheEntities()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HealthAggregator.WATERMARK_STORE),
                Serdes.Integer(), Serdes.Long()).withCachingEnabled());
        // read at every close of every entity a rule judges, and most entities have no alert state: the
        // write-back cache remembers that too, so a close reads neither RocksDB nor Avro, and a state that
        // changed at several closes between commits is written once (the plain, uncached store it replaced
        // read RocksDB at every close and wrote RocksDB and the changelog at every change): in five
        // alternating pairs of drains 1-11 % less CPU and allocation per event and a quarter fewer
        // alert-state changelog records (bench/ab-2026-11-28j.md)
        builder.addStateStore(new WriteBackStoreBuilder<>(HealthAggregator.ALERT_STORE, new RawAvroSerde<>(EntityAlertState.class),
                settings.stateCacheAlertEntities(), true));

        KStream<Bytes, SpecificRecord> events = source(builder, topics.complaints(), "complaints", serdes.inputKey(), serdes.complaint(), settings.maxEventBytes())
                .merge(source(builder, topics.hotlineCalls(), "hotline-calls", serdes.inputKey(), serdes.hotlineCall(), settings.maxEventBytes()), Named.as("merge-hotline-calls"))
                .merge(source(builder, topics.storeTransactions(), "store-transactions", serdes.inputKey(), serdes.storeTransaction(), settings.maxEventBytes()), Named.as("merge-store-transactions"))
                .merge(source(builder, topics.surveyResponses(), "survey-responses", serdes.inputKey(), serdes.surveyResponse(), settings.maxEventBytes()), Named.as("merge-survey-responses"));

        KStream<String, SourceOutput> mapped = events.process(() -> new ContributionMapper(settings, catalog),
                Named.as("contribution-mapper"), ContributionMapper.PROGRESS_STORE, ContributionMapper.SHUFFLE_HOOK_STORE);

        Map<String, KStream<String, SourceOutput>> routes = mapped.split(Named.as("route-"))
                .branch((k, v) -> v.isLate(), Branched.as("late"))
                .defaultBranch(Branched.as("contributions"));

        routes.get("route-late")
                .mapValues(SourceOutput::late, Named.as("late-event-value"))
                .to(topics.lateEvents(), Produced.with(Serdes.String(), serdes.lateEvent()).withName("late-events-sink"));

        KStream<Object, Object> aggregated = routes.get("route-contributions")
                .mapValues(SourceOutput::batch, Named.as("contribution-batch"))
                .repartition(Repartitioned.<String, byte[]>as(REPARTITION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray())
                        .withNumberOfPartitions(settings.aggregatingPartitions())
                        .withStreamPartitioner(new BatchPartitioner()))
                .process(() -> new HealthAggregator(settings, catalog, closedThrough), Named.as("health-aggregator"),
                        HealthAggregator.WINDOWS_STORE, HealthAggregator.WATERMARK_STORE, HealthAggregator.ALERT_STORE);

        // the aggregator forwards each record, keyed for its topic, to one of these sinks by name
        sink(aggregated, topics.healthResults(), serdes.healthResultKey(), serdes.serviceHealth(), HealthAggregator.RESULTS_SINK);
        sink(aggregated, topics.healthUpdates(), serdes.healthUpdateKey(), serdes.serviceHealth(), HealthAggregator.UPDATES_SINK);
        sink(aggregated, topics.alerts(), serdes.entityRef(), serdes.healthAlert(), HealthAggregator.ALERTS_SINK);
        sink(aggregated, topics.alertState(), serdes.entityRef(), serdes.alertState(), HealthAggregator.ALERT_STATE_SINK);

        return builder.build();
    }

    /** A sink under the aggregator, typed by the records the aggregator forwards to it by {@code name}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <K, V> void sink(KStream<Object, Object> aggregated, String topic, Serde<K> keySerde, Serde<V> valueSerde, String name) {
        ((KStream<K, V>) (KStream) aggregated).to(topic, Produced.with(keySerde, valueSerde).withName(name));
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> KStream<Bytes, SpecificRecord> source(StreamsBuilder builder, String topic, String name,
                                                                                   Serde<Bytes> keySerde, Serde<V> valueSerde, int maxBytes) {
        Serde<V> limited = Serdes.serdeFrom(valueSerde.serializer(), new SizeLimitedDeserializer<>(valueSerde.deserializer(), maxBytes));
        return (KStream<Bytes, SpecificRecord>) (KStream<Bytes, ?>) builder.stream(topic,
                Consumed.with(keySerde, limited).withName(name + "-source"));
    }

    /** A batch goes to the aggregating partition its key names ({@link ShuffleBuffer} chose it per entry). */
    static final class BatchPartitioner implements StreamPartitioner<String, byte[]> {
        private final Map<String, Optional<Set<Integer>>> byKey = new ConcurrentHashMap<>();

        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, byte[] value, int numPartitions) {
            Optional<Set<Integer>> target = byKey.computeIfAbsent(key, k -> Optional.of(Set.of(Integer.parseInt(k))));
            int partition = target.get().iterator().next();
            if (partition >= numPartitions) {
                throw new IllegalStateException(topic + " has " + numPartitions + " partitions, fewer than the aggregating partitions"
                        + " the source side batched for (" + (partition + 1) + " or more)");
            }
            return target;
        }
    }
}
