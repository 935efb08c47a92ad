package io.servicehealth.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicehealth.demo.Demo;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The demo starts, produces alerts within a bounded time, and an outside consumer — a plain Kafka
 * consumer that knows only the wire format and the registry's HTTP API, none of this project's
 * classes — decodes them; then the demo shuts down cleanly within a bounded time.
 */
@Tag("integration")
class DemoSmokeTest {
    @TempDir
    Path temp;

    @Test
    void shouldStartProduceAlertsThatAPlainConsumerDecodesAndShutDownCleanly() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        long started = System.nanoTime();
        Demo demo = Demo.start(new Demo.Options(temp.resolve("demo"), 0, 0, 8.0, 300, null, new PrintStream(console, true)), Map.of());
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (demo.alertsSeen() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(demo.alertsSeen() > 0, "alerts within 4 minutes; console:\n" + console);
            System.out.printf("demo: first alert %.1f s after start%n", (System.nanoTime() - started) / 1e9);

            GenericRecord alert = decodeFirstAlertWithoutProjectClasses(demo.bootstrapServers(), demo.registryUrl());
            assertTrue(Set.of("WARNING_OPENED", "DELIST_RECOMMENDED", "RESOLVED").contains(alert.get("transition").toString()), alert.toString());
            assertTrue(alert.get("episodeId").toString().matches("(PRODUCT|CAMPAIGN):.+:(HOUR|DAY|WEEK|MONTH):.+"), alert.toString());
            assertTrue(console.toString().contains("ALERT "), "the terminal shows alerts");
            // printed every 5 s of wall clock; the first alert can come sooner than the first summary
            assertTrue(awaitConsole(console, "worst campaigns today", Duration.ofSeconds(30)), "the terminal shows the worst entities");
        } finally {
            long closing = System.nanoTime();
            demo.close();
            double seconds = (System.nanoTime() - closing) / 1e9;
            System.out.printf("demo: shut down in %.1f s%n", seconds);
            assertTrue(seconds < 60, "clean shutdown within 60 s, took " + seconds);
        }
    }

    private static boolean awaitConsole(ByteArrayOutputStream console, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!console.toString().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return console.toString().contains(text);
    }

    private static GenericRecord decodeFirstAlertWithoutProjectClasses(String bootstrap, String registryUrl) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "outside-consumer", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("health-alerts"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    GenericRecord key = decode(record.key(), registryUrl);
                    assertNotNull(key.get("kind"));
                    return decode(record.value(), registryUrl);
                }
            }
        }
        throw new AssertionError("no alert record read");
    }

    /** Confluent wire format by hand: magic 0, 4-byte schema id, Avro body; the writer schema from GET /schemas/ids/{id}. */
    private static GenericRecord decode(byte[] bytes, String registryUrl) throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertEquals(0, buffer.get(), "magic byte");
        int id = buffer.getInt();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id))
                .header("Accept", "application/vnd.schemaregistry.v1+json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        Schema schema = new Schema.Parser().parse(new ObjectMapper().readTree(response.body()).path("schema").asText());
        return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
    }
}
