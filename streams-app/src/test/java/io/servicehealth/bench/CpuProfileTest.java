package io.servicehealth.bench;

import io.servicehealth.bench.CpuProfile.Activity;
import io.servicehealth.bench.CpuProfile.ThreadGroup;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a profiled drain's time went: stacks sorted into the job's activities. */
class CpuProfileTest {
    @Test
    void aRocksDbReadUnderAnEntityLoadCountsAsRocksDbNotAsTheAggregation() {
        List<String> stack = List.of("org.rocksdb.RocksDB.get", "org.apache.kafka.streams.state.internals.RocksDBStore.get",
                "io.servicehealth.state.WriteBackStore.load", "io.servicehealth.topology.HealthAggregator.apply",
                "org.apache.kafka.streams.processor.internals.ProcessorNode.process");

        assertEquals(Activity.ROCKSDB, Activity.of(stack));
    }

    @Test
    void decodingAnEntityCountsAsStateDecodingWhereverItsLoopIs() {
        List<String> stack = List.of("io.servicehealth.aggregate.ByteSource.readVarlong", "io.servicehealth.aggregate.EntityWindowsSerde.readCounters",
                "io.servicehealth.aggregate.EntityWindowsSerde.read", "io.servicehealth.state.WriteBackStore.load");

        assertEquals(Activity.STATE_DECODE, Activity.of(stack));
    }

    @Test
    void avroEncodingInsideASendFromTheAggregatorCountsAsEncoding() {
        List<String> stack = List.of("org.apache.avro.io.BinaryData.encodeLong", "io.servicehealth.serde.CompiledDatumWriter$Compiler.lambda$record$13",
                "io.servicehealth.serde.AvroWireSerializer.serialize", "org.apache.kafka.streams.processor.internals.RecordCollectorImpl.send",
                "io.servicehealth.topology.HealthAggregator.publishLiveUpdates");

        assertEquals(Activity.OUTPUT_ENCODING, Activity.of(stack));
    }

    @Test
    void theAggregationOfABatchsEntriesCountsAsAggregationAndOnlyReadingThemAsRepartitionDecoding() {
        List<String> below = List.of("io.servicehealth.aggregate.ContributionBatch.forEach", "io.servicehealth.topology.HealthAggregator.process",
                "org.apache.kafka.streams.processor.internals.ProcessorNode.process");
        List<String> applying = new java.util.ArrayList<>(List.of("java.util.HashMap.get", "io.servicehealth.topology.HealthAggregator.apply",
                "io.servicehealth.topology.HealthAggregator.process"));
        applying.addAll(below);
        List<String> reading = new java.util.ArrayList<>(List.of("io.servicehealth.aggregate.ByteSource.readVarlong",
                "io.servicehealth.aggregate.ContributionBatch.read"));
        reading.addAll(below);

        assertEquals(Activity.AGGREGATION, Activity.of(applying));
        assertEquals(Activity.CONTRIBUTION_SERDE, Activity.of(reading));
    }

    @Test
    void aSensorRecordedByTheSourceSideCountsAsMetrics() {
        assertEquals(Activity.METRICS, Activity.of(List.of("org.apache.kafka.common.metrics.Sensor.record",
                "io.servicehealth.topology.ContributionMapper.process")));
    }

    @Test
    void jdkCodeCountsForTheCallerThatIsOurs() {
        assertEquals(Activity.AGGREGATION, Activity.of(List.of("java.util.HashMap.put", "io.servicehealth.topology.HealthAggregator.apply")));
        assertEquals(Activity.SOURCE_SIDE, Activity.of(List.of("java.util.HashMap.get", "io.servicehealth.topology.ContributionMapper.forward")));
        assertEquals(Activity.STREAMS, Activity.of(List.of("java.util.ArrayDeque.poll", "org.apache.kafka.streams.processor.internals.RecordQueue.poll")));
        assertEquals(Activity.OTHER, Activity.of(List.of("java.lang.Thread.run")));
    }

    @Test
    void forwardingBetweenProcessorsIsStreamsWorkAndWhatAProcessorDoesItselfIsTheProcessors() {
        assertEquals(Activity.STREAMS, Activity.of(List.of("org.apache.kafka.streams.processor.internals.ProcessorContextImpl.forward",
                "io.servicehealth.topology.HealthAggregator.publishLiveUpdates", "org.apache.kafka.streams.processor.internals.StreamTask.punctuate")));
        assertEquals(Activity.AGGREGATION, Activity.of(List.of("java.util.LinkedHashMap.get", "io.servicehealth.state.WriteBackStore.load",
                "io.servicehealth.topology.HealthAggregator.apply", "org.apache.kafka.streams.processor.internals.ProcessorNode.process")));
    }

    @Test
    void streamThreadsAndTheirProducersIoThreadsAreToldApartByName() {
        assertEquals(ThreadGroup.STREAM, ThreadGroup.of("bench-drain-eos-0-8c1f-StreamThread-2"));
        assertEquals(ThreadGroup.PRODUCER_IO, ThreadGroup.of("kafka-producer-network-thread | bench-drain-eos-0-8c1f-StreamThread-2-producer"));
        assertEquals(ThreadGroup.OTHER, ThreadGroup.of("http-api"));
        assertEquals(ThreadGroup.OTHER, ThreadGroup.of(null));
    }

    @Test
    void sharesAreOfTheStreamThreadsSamplesLargestFirst() {
        // 200 stream samples: 90 aggregation, 60 producer, 50 RocksDB; 40 samples on other threads do not count
        CpuProfile.Result r = new CpuProfile.Result(Map.of(ThreadGroup.STREAM, 200L, ThreadGroup.OTHER, 40L),
                Map.of(Activity.ROCKSDB, 50L, Activity.AGGREGATION, 90L, Activity.PRODUCER, 60L), 3, Duration.ofMillis(1500), Duration.ofSeconds(60));

        assertEquals(List.of(Activity.AGGREGATION, Activity.PRODUCER, Activity.ROCKSDB), r.ranked());
        assertEquals(0.45, r.share(Activity.AGGREGATION), 1e-9);
        assertEquals(0.0, r.share(Activity.CATALOG), 1e-9);
        Map<String, Object> report = r.toReport();
        assertEquals(List.of(45.0, 30.0, 25.0), List.copyOf(((Map<?, ?>) report.get("streamThreadSharePercent")).values()));
        assertEquals(1.5, report.get("gcPauseSeconds"));
    }

    @Test
    void aRealRecordingIsReadBackWithItsThreadsAndItsWindow(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.jfr");
        Instant from;
        Instant to;
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.start();
            from = Instant.now();
            Thread stream = new Thread(() -> spin(Duration.ofMillis(800)), "test-client-StreamThread-1");
            Thread other = new Thread(() -> spin(Duration.ofMillis(800)), "http-api");
            stream.start();
            other.start();
            stream.join();
            other.join();
            to = Instant.now();
            recording.stop();
            recording.dump(file);
        }

        CpuProfile.Result r = CpuProfile.read(file, from, to);

        assertTrue(r.streamSamples() > 5, "stream-thread samples: " + r.samplesByGroup());
        assertTrue(r.samplesByGroup().getOrDefault(ThreadGroup.OTHER, 0L) > 5, "other samples: " + r.samplesByGroup());
        // this test's own code is none of the job's activities
        assertEquals(Map.of(Activity.OTHER, r.streamSamples()), r.streamActivities());
        // nothing recorded before the window counts
        assertEquals(0, CpuProfile.read(file, from.minusSeconds(3600), from.minusSeconds(3000)).streamSamples());
    }

    private static volatile long sink;

    private static void spin(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }
}
