package io.servicehealth.topology;

import io.servicehealth.schema.*;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.servicehealth.topology.Events.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Property: whatever arrives — valid events, out-of-range values, implausible times, missing ids,
 * random bytes, valid records with bytes flipped or cut — no exception escapes the topology and every
 * input is accounted for exactly once: accepted (and counted in final results), late, or dead-lettered.
 * Each repetition uses its own seed; a failure names it.
 */
class RandomInputPropertyTest {
    private static final int INPUTS = 1500;

    @RepeatedTest(4)
    void shouldAccountForEveryInputExactlyOnce(RepetitionInfo repetition) {
        long seed = 1000L + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        try (PipelineDriver p = new PipelineDriver(PipelineDriver.testSettings(Map.of()), random.nextBoolean())) {
            TestInputTopic<byte[], byte[]> raw = p.driver.createInputTopic(p.settings.topics().hotlineCalls(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            Instant base = Instant.parse("2026-04-10T00:00:00Z");
            long validProductEvents = 0;
            for (int i = 0; i < INPUTS; i++) {
                Instant at = base.plusSeconds(i * 20L + random.nextInt(1200) - 900); // mostly ordered, some late
                int kind = random.nextInt(10);
                if (kind < 7) {
                    validProductEvents += sendRandomEvent(p, random, at, i) ? 1 : 0;
                } else if (kind < 8) {
                    byte[] garbage = new byte[random.nextInt(40)];
                    random.nextBytes(garbage);
                    raw.pipeInput(new TestRecord<>("k".getBytes(), garbage, at));
                } else {
                    byte[] valid = p.serdes.hotlineCall().serializer().serialize(p.settings.topics().hotlineCalls(),
                            call(at.toString()).setProductId("F" + random.nextInt(5)).build());
                    byte[] mutated = mutate(valid, random);
                    raw.pipeInput(new TestRecord<>("k".getBytes(), mutated, at));
                }
            }
            p.advanceAllSourcesTo(base.plusSeconds(INPUTS * 20L + 86_400 * 2).toString());
            int bystanders = 4;

            double accepted = p.metric(PipelineMetrics.ACCEPTED_EVENTS);
            double late = p.metric(PipelineMetrics.LATE_EVENTS);
            long dead = p.deadLetters.readRecordsToList().size();
            assertEquals(INPUTS + bystanders, accepted + late + dead, "seed " + seed + ": accepted " + accepted + ", late " + late + ", dead " + dead);
            assertEquals((long) late, p.late.readRecordsToList().size(), "seed " + seed);
            assertEquals(0.0, p.metric(PipelineMetrics.LATE_AFTER_CLOSE), "seed " + seed);
            // every accepted event with a product reaches exactly one final HOUR result of that product
            long hourEvents = p.finalResults().stream().filter(h -> h.getKind() == EntityKind.PRODUCT && h.getWindowSize() == WindowSize.HOUR)
                    .mapToLong(ServiceHealth::getEvents).sum();
            assertTrue(hourEvents >= validProductEvents - (long) late, "seed " + seed);
        }
    }

    /** Sends a random event (sometimes invalid); returns whether it is valid and names a product. */
    private boolean sendRandomEvent(PipelineDriver p, Random r, Instant at, int i) {
        String product = r.nextInt(20) == 0 ? null : "F" + r.nextInt(5);
        String time = r.nextInt(50) == 0 ? "1999-06-01T00:00:00Z" : at.toString();
        boolean valid = product != null && !time.startsWith("1999");
        switch (r.nextInt(4)) {
            case 0 -> p.send(complaint(time).setProductId(product).setCategory(ComplaintCategory.values()[r.nextInt(5)]));
            case 1 -> {
                int queue = r.nextInt(30) == 0 ? -1 : r.nextInt(300);
                valid &= queue >= 0;
                p.send(call(time).setProductId(product).setTransferredToAgent(true).setQueueSeconds(queue));
            }
            case 2 -> {
                int wait = r.nextInt(30) == 0 ? -10 : r.nextInt(2000);
                valid &= wait >= 0;
                p.send(store(time).setProductId(product).setWaitSeconds(wait));
            }
            default -> {
                int score = r.nextInt(13);
                valid &= score >= 1 && score <= 10;
                p.send(survey(time, score).setProductId(product));
            }
        }
        return valid;
    }

    private static byte[] mutate(byte[] valid, Random r) {
        byte[] copy = valid.clone();
        switch (r.nextInt(3)) {
            case 0 -> copy[r.nextInt(copy.length)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> copy = java.util.Arrays.copyOf(copy, r.nextInt(copy.length));
            default -> {
                for (int k = 0; k < 3; k++) {
                    copy[5 + r.nextInt(copy.length - 5)] = (byte) r.nextInt(256);
                }
            }
        }
        return copy;
    }
}
