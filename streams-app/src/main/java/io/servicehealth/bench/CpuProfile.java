package io.servicehealth.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a profiled drain's CPU went, from a Java Flight Recorder file: the stream threads' execution
 * samples sorted into the activities of the job (the answer the report gives for a missed throughput
 * target), the producers' I/O threads' share, and the garbage collector's pauses.
 * <p>
 * A sample belongs to the first narrow {@link Activity} whose code is anywhere on its stack, in the
 * enum's order (decoding an entity, a catalog look-up, the producer), so a RocksDB read under a state
 * load counts as RocksDB and the Avro encoding under a send as encoding; otherwise to the broad activity
 * nearest its leaf (the aggregation, the source side, Kafka Streams), so the JDK code a processor calls
 * is the processor's and Streams' forwarding between processors is Streams'. A stream thread inside
 * RocksDB's native code is sampled by the recorder's native sampler at half the rate
 * ({@value #NATIVE_WEIGHT} units each); other native samples are threads waiting on sockets, not CPU,
 * and are left out. The recording must be taken with
 * {@code -XX:+DebugNonSafepoints}: without it the JIT's debug information only places samples at
 * safepoint polls, and loops (varint decoding, iterating catalog versions) collect samples that belong
 * to the code around them. A profile of the same drain without it put ~10 % of the samples in catalog
 * look-ups, which cost nothing measurable when taken away.
 */
final class CpuProfile {
    /** The JVM options that record a profile into {@code file}, written when the process exits. */
    static String jvmOptions(Path file) {
        return "-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                + file.toAbsolutePath();
    }

    /** The "profile" settings sample Java code every 10 ms and native code every 20 ms: a native sample is two units. */
    static final int NATIVE_WEIGHT = 2;

    enum Activity {
        STATE_DECODE("entity state: decoding what RocksDB returns", "io.servicehealth.aggregate.EntityWindowsSerde.read",
                "io.servicehealth.aggregate.EntityWindowsSerde.decodeCounters"),
        STATE_ENCODE("entity state: encoding for RocksDB and the changelog", "io.servicehealth.aggregate.EntityWindowsSerde.write"),
        ROCKSDB("RocksDB (reads and writes through JNI)", "org.rocksdb."),
        CATALOG("catalog look-ups (versioned global store)", "io.servicehealth.catalog."),
        OUTPUT_ENCODING("health records: Avro encoding", "io.servicehealth.serde.AvroWireSerializer", "io.servicehealth.serde.CompiledDatumWriter"),
        INPUT_DECODING("events: Avro decoding", "io.servicehealth.serde.AvroWireDeserializer", "io.servicehealth.topology.SizeLimitedDeserializer"),
        // not ContributionBatch.forEach: every entry's aggregation runs inside it
        CONTRIBUTION_SERDE("repartition records: encoding and decoding", "io.servicehealth.aggregate.ContributionBatch.read",
                "io.servicehealth.aggregate.ContributionBatch.write", "io.servicehealth.aggregate.ContributionBatch$Builder",
                "io.servicehealth.aggregate.ByteSource.utf8"),
        SCORING("health records: KPIs, scores, grades", "io.servicehealth.score."),
        ALERTS("alert rules", "io.servicehealth.alert."),
        PRODUCER("Kafka producer: send, batching, completions", "org.apache.kafka.clients.producer."),
        CONSUMER("Kafka consumer: fetch and parse", "org.apache.kafka.clients.consumer."),
        METRICS("Kafka metrics sensors", "org.apache.kafka.common.metrics."),
        AGGREGATION(true, "aggregation: apply, close, live updates, write-back cache", "io.servicehealth.topology.HealthAggregator",
                "io.servicehealth.aggregate.", "io.servicehealth.state.", "io.servicehealth.window."),
        SOURCE_SIDE(true, "source side: validation, lateness, contributions, routing", "io.servicehealth.topology."),
        STREAMS(true, "Kafka Streams: polling, forwarding, tasks, commits", "org.apache.kafka.streams."),
        OTHER("other (JDK or Kafka code outside these)");

        private final boolean broad;
        private final String label;
        private final String[] prefixes;

        Activity(String label, String... prefixes) {
            this(false, label, prefixes);
        }

        Activity(boolean broad, String label, String... prefixes) {
            this.broad = broad;
            this.label = label;
            this.prefixes = prefixes;
        }

        String label() {
            return label;
        }

        private boolean matches(String frame) {
            for (String p : prefixes) {
                if (frame.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }

        /** @param frames a sample's stack as {@code package.Class.method}, leaf first */
        static Activity of(List<String> frames) {
            for (Activity a : values()) {
                if (a.broad || a == OTHER) {
                    continue;
                }
                for (String f : frames) {
                    if (a.matches(f)) {
                        return a;
                    }
                }
            }
            for (String f : frames) {
                for (Activity a : values()) {
                    if (a.broad && a.matches(f)) {
                        return a;
                    }
                }
            }
            return OTHER;
        }
    }

    enum ThreadGroup {
        STREAM, PRODUCER_IO, OTHER;

        /** Kafka Streams names its threads {@code <client>-StreamThread-<n>}, their producers' I/O threads after them. */
        static ThreadGroup of(String name) {
            if (name == null) {
                return OTHER;
            }
            if (name.startsWith("kafka-producer-network-thread")) {
                return PRODUCER_IO;
            }
            return name.contains("-StreamThread-") ? STREAM : OTHER;
        }
    }

    /**
     * @param samplesByGroup   Java execution samples per thread group
     * @param streamActivities the stream threads' samples per activity, in 10 ms units (RocksDB's native samples count {@value #NATIVE_WEIGHT})
     * @param gcPauses         garbage collections and their summed pause time
     */
    record Result(Map<ThreadGroup, Long> samplesByGroup, Map<Activity, Long> streamActivities, long gcCount, Duration gcPauses, Duration recorded) {
        long streamSamples() {
            return samplesByGroup.getOrDefault(ThreadGroup.STREAM, 0L);
        }

        long streamUnits() {
            return streamActivities.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Share of the stream threads' time, 0..1. */
        double share(Activity a) {
            long n = streamUnits();
            return n == 0 ? Double.NaN : streamActivities.getOrDefault(a, 0L) / (double) n;
        }

        /** Activities by their share, largest first. */
        List<Activity> ranked() {
            List<Activity> ranked = new ArrayList<>(streamActivities.keySet());
            ranked.sort((x, y) -> Long.compare(streamActivities.get(y), streamActivities.get(x)));
            return ranked;
        }

        Map<String, Object> toReport() {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> groups = new LinkedHashMap<>();
            samplesByGroup.forEach((g, n) -> groups.put(g.name(), n));
            m.put("samplesByThreadGroup", groups);
            Map<String, Object> activities = new LinkedHashMap<>();
            for (Activity a : ranked()) {
                activities.put(a.label(), Math.round(1000 * share(a)) / 10.0);
            }
            m.put("streamThreadSharePercent", activities);
            m.put("gcCount", gcCount);
            m.put("gcPauseSeconds", gcPauses.toMillis() / 1000.0);
            m.put("recordedSeconds", recorded.toMillis() / 1000.0);
            return m;
        }
    }

    private CpuProfile() {
    }

    /** Reads the samples and collections recorded between {@code from} and {@code to}. */
    static Result read(Path jfr, Instant from, Instant to) throws IOException {
        Map<ThreadGroup, Long> groups = new EnumMap<>(ThreadGroup.class);
        Map<Activity, Long> activities = new EnumMap<>(Activity.class);
        long gcCount = 0;
        Duration pauses = Duration.ZERO;
        List<String> frames = new ArrayList<>(64);
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                String type = e.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    gcCount++;
                    pauses = pauses.plus(e.getDuration("sumOfPauses"));
                } else if (type.equals("jdk.ExecutionSample") || type.equals("jdk.NativeMethodSample")) {
                    boolean nativeCode = type.equals("jdk.NativeMethodSample");
                    RecordedThread thread = e.getThread("sampledThread");
                    ThreadGroup group = ThreadGroup.of(thread == null ? null : thread.getJavaName());
                    if (!nativeCode) {
                        groups.merge(group, 1L, Long::sum);
                    }
                    RecordedStackTrace stack = e.getStackTrace();
                    if (group == ThreadGroup.STREAM && stack != null) {
                        frames.clear();
                        for (RecordedFrame f : stack.getFrames()) {
                            frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
                        }
                        Activity activity = Activity.of(frames);
                        if (!nativeCode) {
                            activities.merge(activity, 1L, Long::sum);
                        } else if (activity == Activity.ROCKSDB) {
                            activities.merge(activity, (long) NATIVE_WEIGHT, Long::sum);
                        }
                    }
                }
            }
        }
        return new Result(groups, activities, gcCount, pauses, Duration.between(from, to));
    }
}
