package io.servicehealth.microbench;

import io.servicehealth.aggregate.Contribution;
import io.servicehealth.aggregate.ContributionBatch;
import io.servicehealth.aggregate.Contributions;
import io.servicehealth.aggregate.EntityWindows;
import io.servicehealth.aggregate.EntityWindowsSerde;
import io.servicehealth.aggregate.OpenWindow;
import io.servicehealth.config.HealthConfig;
import io.servicehealth.schema.*;
import io.servicehealth.score.HealthAssembler;
import io.servicehealth.serde.AvroSerde;
import io.servicehealth.window.CalendarWindows;
import io.servicehealth.window.Window;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The per-event hot paths, one benchmark each, on a realistic entity: a campaign with open HOUR, DAY,
 * WEEK and MONTH windows, built by the same code the aggregator runs. Targets (issue #7): serde and the
 * per-event aggregate update under 2 µs each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmarks {
    private static final WindowSize[] SIZES = {WindowSize.HOUR, WindowSize.DAY, WindowSize.WEEK, WindowSize.MONTH};
    private final CalendarWindows calendar = new CalendarWindows(ZoneId.of("Asia/Shanghai"));
    private final Contributions contributions = new Contributions(20, 900);
    private final ContributionBatch.Builder batch = new ContributionBatch.Builder();
    private static final String[] ENTITY_KEYS = java.util.stream.IntStream.range(0, 16).mapToObj(i -> "C|C" + (1000 + 37 * i)).toArray(String[]::new);
    private final EntityWindowsSerde stateSerde = new EntityWindowsSerde();
    private final HealthAssembler assembler = new HealthAssembler(new HealthConfig(Map.of()).scoreModel());
    private Serializer<ServiceHealth> healthSerializer;
    private Deserializer<ComplaintEvent> eventDeserializer;
    private byte[] eventBytes;
    private Contribution[] events;
    private EntityWindows state;
    private byte[] stateBytes;
    private OpenWindow day;
    private CatalogEntry campaign;
    private ServiceHealth health;
    private int next;

    @Setup
    public void setUp() {
        long t0 = Instant.parse("2026-03-10T09:00:00+08:00").toEpochMilli();
        events = new Contribution[64];
        for (int i = 0; i < events.length; i++) {
            long t = t0 + i * 60_000L; // all in the same hour: steady state, windows found not opened
            events[i] = switch (i % 4) {
                case 0 -> contributions.complaint(ComplaintEvent.newBuilder().setEventId("c" + i).setCampaignId("C1").setRegionId("GZ")
                        .setCategory(ComplaintCategory.INTERNET).setCause(ComplaintCause.WEAK_COVERAGE).setRepeatComplaint(i % 8 == 0)
                        .setFirstContactResolved(true).setOpenedAt(Instant.ofEpochMilli(t)).build(), t, 1, t);
                case 1 -> contributions.hotline(HotlineCallEvent.newBuilder().setEventId("h" + i).setCampaignId("C1").setIvrSelfServed(false)
                        .setTransferredToAgent(true).setQueueSeconds(15 + i).setHangupRating(HangupRating.SATISFIED)
                        .setCalledAt(Instant.ofEpochMilli(t)).build(), t, 1, t);
                case 2 -> contributions.store(StoreTransactionEvent.newBuilder().setEventId("s" + i).setCampaignId("C1").setSuccess(i % 10 != 2)
                        .setWaitSeconds(300 + i).setOccurredAt(Instant.ofEpochMilli(t)).build(), t, 1, t);
                default -> contributions.survey(SurveyResponseEvent.newBuilder().setEventId("v" + i).setCampaignId("C1").setScore(1 + i % 10)
                        .setRespondedAt(Instant.ofEpochMilli(t)).build(), t, 1, t);
            };
        }
        // the entity as the aggregator leaves it: three earlier hours closed (their events stay in the larger windows)
        state = new EntityWindows();
        for (int h = -3; h <= 0; h++) {
            for (Contribution c : events) {
                Contribution shifted = new Contribution(c.type(), c.eventTime() + h * 3_600_000L, c.source(), c.progress(), c.a(), c.b(), c.c(), c.flags(), c.regionId());
                update(state, shifted);
            }
            if (h < 0) {
                long end = calendar.windowOf(WindowSize.HOUR, events[0].eventTime() + h * 3_600_000L).end();
                state.closeEndingBy(end, closed -> { });
            }
        }
        stateBytes = stateSerde.serializer().serialize("t", state);
        day = state.latest(WindowSize.DAY);
        campaign = CatalogEntry.newBuilder().setKind(EntityKind.CAMPAIGN).setId("C1").setName("5G upgrade")
                .setCampaignCategory(CampaignCategory.values()[1]).setSubscriberBase(50_000L).setValidFrom(Instant.EPOCH).build();
        health = assembler.assemble("C|C1", day, campaign, false);
        healthSerializer = AvroSerde.of(ServiceHealth.class, Map.of("schema.registry.url", "mock://microbench"), false).serializer();
        // an input record as producers write it: every field the pipeline reads set, Confluent's wire format
        AvroSerde<ComplaintEvent> complaints = AvroSerde.of(ComplaintEvent.class, Map.of("schema.registry.url", "mock://microbench"), false);
        eventBytes = complaints.serializer().serialize("complaints", ComplaintEvent.newBuilder().setEventId("c-20260310-000042")
                .setCustomerId("sub-4711").setProductId("P1042").setCampaignId("C1").setRegionId("GZ").setCategory(ComplaintCategory.INTERNET)
                .setCause(ComplaintCause.WEAK_COVERAGE).setBusinessType(ComplaintBusinessType.MARKETING).setRepeatComplaint(false)
                .setFirstContactResolved(true).setOpenedAt(Instant.ofEpochMilli(t0)).build());
        eventDeserializer = complaints.deserializer();
    }

    private void update(EntityWindows s, Contribution c) {
        for (WindowSize size : SIZES) {
            Window w = calendar.windowOf(size, c.eventTime());
            OpenWindow open = s.find(w);
            if (open == null) {
                open = s.open(w);
            }
            open.add(c);
        }
    }

    /** One event's update of one entity: find (or open) its window of every size and add the event. */
    @Benchmark
    public EntityWindows aggregateUpdate() {
        update(state, events[next++ & 63]);
        return state;
    }

    /**
     * The entity written after an event: the event changed its window of every size, so each is
     * encoded again (an unchanged window would be copied from its last encoding). Includes the
     * update itself ({@link #aggregateUpdate}).
     */
    @Benchmark
    public byte[] entityStateSerialize() {
        update(state, events[next++ & 63]);
        return stateSerde.serializer().serialize("t", state);
    }

    /** The entity written again with no window changed: every window copied from its last encoding. */
    @Benchmark
    public byte[] entityStateSerializeUnchanged() {
        return stateSerde.serializer().serialize("t", state);
    }

    /** An entity read back, every window's counters decoded (a window read back is decoded when first used: this is the most it costs). */
    @Benchmark
    public EntityWindows entityStateDeserialize() {
        EntityWindows back = stateSerde.deserializer().deserialize("t", stateBytes);
        for (OpenWindow open : back.windows()) {
            open.counters();
        }
        return back;
    }

    /** An input event read: Confluent's wire format, the writer's schema from the registry (cached), Avro decoding. */
    @Benchmark
    public ComplaintEvent eventDeserialize() {
        return eventDeserializer.deserialize("complaints", eventBytes);
    }

    /**
     * The repartition hop, per contribution: 64 contributions with their entity keys added to a batch,
     * the batch drained and read back (a batch holds what a source task sends a partition between commits).
     */
    @Benchmark
    @OperationsPerInvocation(64)
    public void contributionRoundTrip(Blackhole sink) {
        for (int i = 0; i < 64; i++) {
            batch.add(ENTITY_KEYS[i & 15].getBytes(StandardCharsets.UTF_8), events[i]); // the shuffle encodes each key once, as here
        }
        ContributionBatch.forEach(batch.drain(), (key, c) -> sink.consume(c));
    }

    /** KPIs, dimension scores, overall score and grade of one window. */
    @Benchmark
    public ServiceHealth scoreWindow() {
        return assembler.assemble("C|C1", day, campaign, false);
    }

    /** An output record in Confluent's wire format. */
    @Benchmark
    public byte[] outputSerialize() {
        return healthSerializer.serialize("health-updates", health);
    }
}
