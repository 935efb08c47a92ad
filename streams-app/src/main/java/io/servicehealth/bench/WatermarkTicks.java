package io.servicehealth.bench;

import io.servicehealth.config.TopologySettings;
import io.servicehealth.schema.ComplaintCategory;
import io.servicehealth.schema.ComplaintEvent;
import io.servicehealth.schema.HotlineCallEvent;
import io.servicehealth.schema.StoreTransactionEvent;
import io.servicehealth.schema.SurveyResponseEvent;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;

/**
 * One bystander event (region TICK) in every partition of every event topic at a given time: moves
 * every source partition's progress so that the windows before it close. For replays, backtests,
 * the benchmark and tests that need their windows closed at the end of the input.
 */
public final class WatermarkTicks {
    private WatermarkTicks() {
    }

    public static void send(Producer<String, SpecificRecord> producer, TopologySettings.Topics topics, int partitions, Instant at) {
        for (int partition = 0; partition < partitions; partition++) {
            String id = "tick-" + partition + "-" + at.toEpochMilli();
            producer.send(new ProducerRecord<>(topics.complaints(), partition, "tick", ComplaintEvent.newBuilder().setEventId(id)
                    .setRegionId("TICK").setCategory(ComplaintCategory.OTHER).setOpenedAt(at).build()));
            producer.send(new ProducerRecord<>(topics.hotlineCalls(), partition, "tick", HotlineCallEvent.newBuilder().setEventId(id)
                    .setRegionId("TICK").setIvrSelfServed(true).setTransferredToAgent(false).setCalledAt(at).build()));
            producer.send(new ProducerRecord<>(topics.storeTransactions(), partition, "tick", StoreTransactionEvent.newBuilder().setEventId(id)
                    .setRegionId("TICK").setSuccess(true).setOccurredAt(at).build()));
            producer.send(new ProducerRecord<>(topics.surveyResponses(), partition, "tick", SurveyResponseEvent.newBuilder().setEventId(id)
                    .setRegionId("TICK").setScore(8).setRespondedAt(at).build()));
        }
        producer.flush();
    }
}
