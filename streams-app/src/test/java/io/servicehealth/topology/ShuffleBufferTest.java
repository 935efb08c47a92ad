package io.servicehealth.topology;

import io.servicehealth.aggregate.Contribution;
import io.servicehealth.aggregate.ContributionBatch;
import io.servicehealth.aggregate.ContributionType;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What one source task sends each aggregating partition: four aggregating partitions, watermark
 * interval one minute, source partition 7.
 */
class ShuffleBufferTest {
    private static final long MINUTE = 60_000;
    private static final int SOURCE = 7;
    private final WatermarkRouting routing = new WatermarkRouting(MINUTE);
    /** Batches sent, in order: partition, entries, record timestamp. */
    private final List<Sent> sent = new ArrayList<>();
    private final ShuffleBuffer shuffle = new ShuffleBuffer(4, routing, (partition, batch, timestamp) -> {
        List<String> entries = new ArrayList<>();
        ContributionBatch.forEach(batch, (key, c) -> entries.add(key + "@" + c.type() + "@" + c.eventTime()));
        sent.add(new Sent(partition, entries, timestamp));
    });

    private record Sent(int partition, List<String> entries, long timestamp) {
    }

    private static Contribution event(long time) {
        return new Contribution(ContributionType.COMPLAINT, time, SOURCE, time, 1, 1, 0, 0, null);
    }

    /** A key whose default partition, of four, is {@code partition}. */
    private static String keyOn(int partition) {
        for (int i = 0; ; i++) {
            String key = "P|" + i;
            if (ShuffleBuffer.partitionForKey(key.getBytes(StandardCharsets.UTF_8), 4) == partition) {
                return key;
            }
        }
    }

    /** Partition → the entries of everything flushed now. */
    private Map<Integer, List<String>> flushed() {
        sent.clear();
        shuffle.flush();
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        sent.forEach(s -> byPartition.computeIfAbsent(s.partition(), p -> new ArrayList<>()).addAll(s.entries()));
        return byPartition;
    }

    @Test
    void shouldPutEachContributionWhereTheProducersDefaultPartitionerWould() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            String key = "C|" + Long.toString(random.nextLong(), 36) + "-活动-" + i;
            int partitions = 1 + random.nextInt(64);
            byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
            assertEquals(BuiltInPartitioner.partitionForKey(utf8, partitions), ShuffleBuffer.partitionForKey(utf8, partitions), key);
        }
    }

    @Test
    void shouldSendNothingUntilFlushedThenOneBatchPerPartitionInTheOrderAdded() {
        shuffle.contribution(keyOn(2), event(5 * MINUTE));
        shuffle.contribution(keyOn(0), event(5 * MINUTE + 1));
        shuffle.contribution(keyOn(2), event(5 * MINUTE + 2));
        assertTrue(sent.isEmpty());

        shuffle.flush();

        assertEquals(2, sent.size());
        assertEquals(new Sent(0, List.of(keyOn(0) + "@COMPLAINT@300001"), 300_001L), sent.get(0));
        assertEquals(new Sent(2, List.of(keyOn(2) + "@COMPLAINT@300000", keyOn(2) + "@COMPLAINT@300002"), 300_002L), sent.get(1));
        assertTrue(shuffle.isEmpty());
        assertEquals(Map.of(), flushed(), "nothing is sent twice");
    }

    @Test
    void shouldSendABatchAsSoonAsItReachesTheSizeLimit() {
        String key = keyOn(1);
        int added = 0;
        while (sent.isEmpty()) {
            shuffle.contribution(key, event(MINUTE + added));
            added++;
        }
        // every entry here is the same size: the batch goes with the first entry that takes it to the limit
        ContributionBatch.Builder one = new ContributionBatch.Builder();
        one.add(key.getBytes(StandardCharsets.UTF_8), event(MINUTE));
        int entry = one.sizeInBytes() - 1; // after the format byte
        assertEquals((ShuffleBuffer.MAX_BATCH_BYTES - 1 + entry - 1) / entry, added);
        assertEquals(added, sent.get(0).entries().size());
        assertTrue(shuffle.isEmpty());
    }

    @Test
    void shouldDropWhatWasNotSentWhenCleared() {
        shuffle.contribution(keyOn(3), event(MINUTE));
        shuffle.clear();
        assertEquals(Map.of(), flushed());
    }

    @Test
    void shouldSendAWatermarkOnlyToPartitionsThatHaveNotHeardOfItsSourceForAWholeInterval() {
        assertTrue(routing.isNews(SOURCE, 10 * MINUTE), "before anything was routed every partition needs it");

        // minute 9: events for partitions 0 and 1; minute 10: the watermark into minute 10
        shuffle.contribution(keyOn(0), event(9 * MINUTE + 5));
        shuffle.contribution(keyOn(1), event(9 * MINUTE + 30_000));
        assertTrue(routing.isNews(SOURCE, 10 * MINUTE));
        shuffle.watermark(Contribution.watermark(SOURCE, 10 * MINUTE));
        assertEquals(Map.of(0, List.of(keyOn(0) + "@COMPLAINT@540005"), 1, List.of(keyOn(1) + "@COMPLAINT@570000"),
                2, List.of("~watermark@WATERMARK@600000"), 3, List.of("~watermark@WATERMARK@600000")), flushed());

        // minute 11: 0 and 1 last heard minute 9, 2 and 3 minute 10; an event in minute 11 for partition 0
        shuffle.contribution(keyOn(0), event(11 * MINUTE));
        assertTrue(routing.isNews(SOURCE, 11 * MINUTE + 1), "partition 1 heard minute 9 only");
        shuffle.watermark(Contribution.watermark(SOURCE, 11 * MINUTE + 1));
        assertEquals(Map.of(0, List.of(keyOn(0) + "@COMPLAINT@660000"), 1, List.of("~watermark@WATERMARK@660001")), flushed());

        // still minute 11 after that: nobody's view is more than one interval old
        assertFalse(routing.isNews(SOURCE, 11 * MINUTE + 2));
    }

    @Test
    void shouldSendAnIdleDeclarationAndTheWatermarkAfterItToEveryPartition() {
        for (int p = 0; p < 4; p++) {
            shuffle.contribution(keyOn(p), event(10 * MINUTE));
        }
        flushed();
        shuffle.idle(Contribution.idle(SOURCE, 10 * MINUTE));
        assertEquals(4, flushed().size());
        assertFalse(routing.isNews(SOURCE, 10 * MINUTE));

        routing.forget(SOURCE); // the partition delivers again
        assertTrue(routing.isNews(SOURCE, 10 * MINUTE));
        shuffle.watermark(Contribution.watermark(SOURCE, 10 * MINUTE));
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(flushed().keySet()));
    }
}
