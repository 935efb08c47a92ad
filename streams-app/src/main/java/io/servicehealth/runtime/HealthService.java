package io.servicehealth.runtime;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicehealth.config.HealthConfig;
import io.servicehealth.config.TopologySettings;
import io.servicehealth.errors.DeadLetterMetrics;
import io.servicehealth.http.HttpApi;
import io.servicehealth.http.QueryService;
import io.servicehealth.topology.HealthSerdes;
import io.servicehealth.topology.ClosedThrough;
import io.servicehealth.topology.HealthTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Process wiring of one instance: topics, the topology, Kafka Streams, metrics and the HTTP API.
 * Everything that computes lives in the topology; this class only connects it to the world.
 */
public final class HealthService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);
    private final KafkaStreams streams;
    private final HttpApi http;
    private final PrometheusMeterRegistry registry;
    private final KafkaStreamsMetrics streamsMetrics;
    private final JvmMetrics jvmMetrics;
    private final String httpAddress;
    private final TopologySettings settings;
    private final ClosedThrough closedThrough;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Throwable fatal;

    private HealthService(KafkaStreams streams, HttpApi http, PrometheusMeterRegistry registry, KafkaStreamsMetrics streamsMetrics,
                          JvmMetrics jvmMetrics, String httpAddress, TopologySettings settings, ClosedThrough closedThrough) {
        this.streams = streams;
        this.http = http;
        this.registry = registry;
        this.streamsMetrics = streamsMetrics;
        this.jvmMetrics = jvmMetrics;
        this.httpAddress = httpAddress;
        this.settings = settings;
        this.closedThrough = closedThrough;
    }

    public static HealthService start(HealthConfig config) throws Exception {
        List<Integer> inputPartitions;
        try (Admin admin = Admin.create(config.clientConfig(AdminClientConfig.configNames()))) {
            TopicProvisioner.ensure(admin, config);
            inputPartitions = TopicProvisioner.inputPartitions(admin, config);
        }
        TopologySettings settings = TopologySettings.from(config, inputPartitions);
        HeapFit.check(settings.stateCacheEntities(), settings.stateCacheAlertEntities(), Runtime.getRuntime().maxMemory()).ifPresent(LOG::warn);
        HealthSerdes serdes = HealthSerdes.fromConfig(config.serdeConfig());

        HttpServer server = HttpApi.bind(config.getString(HealthConfig.HTTP_HOST), config.getInt(HealthConfig.HTTP_PORT));
        String advertised = config.getString(HealthConfig.HTTP_ADVERTISED_HOST).isBlank()
                ? config.getString(HealthConfig.HTTP_HOST) : config.getString(HealthConfig.HTTP_ADVERTISED_HOST);
        HostInfo self = new HostInfo(advertised, server.getAddress().getPort());
        Properties props = StreamsProperties.build(config, self.host() + ":" + self.port());

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        props.put(DeadLetterMetrics.CONFIG, new DeadLetterMetrics(registry));
        ClosedThrough closedThrough = new ClosedThrough();
        KafkaStreams streams = new KafkaStreams(HealthTopology.build(settings, serdes, closedThrough), props);
        JvmMetrics jvmMetrics = JvmMetrics.bindTo(registry);
        // tasks create their sensors after start; Micrometer looks for new Kafka metrics every 60 s by
        // default, which left the pipeline's own counters out of /metrics for the first minute
        java.util.concurrent.ScheduledExecutorService metricsScanner = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-metrics-scanner");
            t.setDaemon(true);
            return t;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams, java.util.List.of(), metricsScanner, Duration.ofSeconds(5));
        streamsMetrics.bindTo(registry);
        HttpApi http = HttpApi.start(server, streams, new QueryService(streams, self, settings, closedThrough), registry);
        HealthService service = new HealthService(streams, http, registry, streamsMetrics, jvmMetrics, "http://" + self.host() + ":" + self.port(), settings,
                closedThrough);
        streams.setUncaughtExceptionHandler(e -> {
            if (io.servicehealth.serde.RegistryUnavailableException.isCauseOf(e)) {
                // an outage is not bad input: stop loudly rather than skip data; a restart resumes from the committed offsets
                LOG.error("schema registry unavailable after retries: stopping the instance, nothing skipped", e);
                service.fatal = e;
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            // anything else (a broker that went away, a timeout): a fresh thread resumes from the last commit
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("pipeline state {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                service.stopped.countDown();
            }
        });
        streams.start();
        LOG.info("service-health running: http {} (application.id {})", service.httpAddress, props.get(StreamsConfig.APPLICATION_ID_CONFIG));
        return service;
    }

    public String httpAddress() {
        return httpAddress;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Event time through which this instance's aggregating tasks have all closed their windows (every
     * final result and alert up to it sent, committed with the tasks' next commit), or
     * {@code Long.MIN_VALUE} before the low watermark first moves.
     */
    public long closedThrough() {
        return closedThrough.low();
    }

    public TopologySettings settings() {
        return settings;
    }

    public PrometheusMeterRegistry metrics() {
        return registry;
    }

    /** Blocks until the pipeline stops; returns the failure that stopped it, or null after a clean stop. */
    public Throwable awaitStop() throws InterruptedException {
        stopped.await();
        return fatal;
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        http.close();
        streamsMetrics.close();
        jvmMetrics.close();
        registry.close();
        stopped.countDown();
    }
}
