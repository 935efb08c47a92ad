package io.servicehealth.topology;

import io.servicehealth.aggregate.Contribution;
import io.servicehealth.aggregate.ContributionType;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Where contributions, watermarks and idle declarations go on the repartition topic: four aggregating
 * partitions, watermark interval one minute, source partition 7.
 */
class ContributionPartitionerTest {
    private static final long MINUTE = 60_000;
    private static final int SOURCE = 7;
    private final WatermarkRouting routing = new WatermarkRouting(MINUTE);
    private final HealthTopology.ContributionPartitioner partitioner = new HealthTopology.ContributionPartitioner(routing);

    private static Contribution event(long progress) {
        return new Contribution(ContributionType.COMPLAINT, progress, SOURCE, progress, 1, 1, 0, 0, null);
    }

    private Optional<Set<Integer>> route(String key, Contribution c) {
        return partitioner.partitions("entity-contributions", key, c, 4);
    }

    /** A key whose default partition, of four, is {@code partition}. */
    private static String keyOn(int partition) {
        for (int i = 0; ; i++) {
            String key = "P|" + i;
            if (HealthTopology.ContributionPartitioner.partitionForKey(key, 4) == partition) {
                return key;
            }
        }
    }

    @Test
    void shouldPutEachContributionWhereTheProducersDefaultPartitionerWould() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            String key = "C|" + Long.toString(random.nextLong(), 36) + "-活动-" + i;
            int partitions = 1 + random.nextInt(64);
            int expected = BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
            assertEquals(Optional.of(Set.of(expected)), partitioner.partitions("t", key, event(0), partitions), key);
        }
    }

    @Test
    void shouldSendAWatermarkOnlyToPartitionsThatHaveNotHeardOfItsSourceForAWholeInterval() {
        assertTrue(routing.isNews(SOURCE, 10 * MINUTE), "before anything was routed every partition needs it");

        // minute 9: events for partitions 0 and 1; minute 10: the watermark into minute 10
        route(keyOn(0), event(9 * MINUTE + 5));
        route(keyOn(1), event(9 * MINUTE + 30_000));
        assertTrue(routing.isNews(SOURCE, 10 * MINUTE));
        assertEquals(Optional.of(Set.of(2, 3)), route("~watermark", Contribution.watermark(SOURCE, 10 * MINUTE)));

        // minute 11: 0 and 1 last heard minute 9, 2 and 3 minute 10; an event in minute 11 for partition 0
        route(keyOn(0), event(11 * MINUTE));
        assertTrue(routing.isNews(SOURCE, 11 * MINUTE + 1), "partition 1 heard minute 9 only");
        assertEquals(Optional.of(Set.of(1)), route("~watermark", Contribution.watermark(SOURCE, 11 * MINUTE + 1)));

        // still minute 11 after that: nobody's view is more than one interval old
        assertFalse(routing.isNews(SOURCE, 11 * MINUTE + 2));
    }

    @Test
    void shouldSendAnIdleDeclarationAndTheWatermarkAfterItToEveryPartition() {
        for (int p = 0; p < 4; p++) {
            route(keyOn(p), event(10 * MINUTE));
        }
        assertEquals(Optional.of(Set.of(0, 1, 2, 3)), route("~watermark", Contribution.idle(SOURCE, 10 * MINUTE)));
        assertFalse(routing.isNews(SOURCE, 10 * MINUTE));

        routing.forget(SOURCE); // the partition delivers again
        assertTrue(routing.isNews(SOURCE, 10 * MINUTE));
        assertEquals(Optional.of(Set.of(0, 1, 2, 3)), route("~watermark", Contribution.watermark(SOURCE, 10 * MINUTE)));
    }
}
