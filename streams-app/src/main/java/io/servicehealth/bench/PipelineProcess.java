package io.servicehealth.bench;

import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline as the operator runs it ({@code service-health run}) in a process of its own, so that its
 * resident memory is its own and nothing of the benchmark harness; read through its HTTP API
 * (readiness, Prometheus metrics) like any deployment.
 */
final class PipelineProcess implements AutoCloseable {
    /** The launcher's default heap ({@code service-health}: HEALTH_JAVA_OPTS unset). */
    static final String DEFAULT_JAVA_OPTS = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private PipelineProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static PipelineProcess start(Path dir, String name, Map<String, String> config) throws IOException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Properties props = new Properties();
        props.putAll(config);
        props.put("http.port", String.valueOf(port));
        Path file = dir.resolve(name + ".properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            props.store(w, "benchmark run " + name);
        }
        String opts = System.getenv().getOrDefault("HEALTH_JAVA_OPTS", DEFAULT_JAVA_OPTS);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(opts.trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.servicehealth.cli.Main", "run", "--config", file.toString()));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PipelineProcess(p, port, log);
    }

    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pipeline process exited " + process.exitValue() + ", see " + log);
            }
            try {
                if (get("/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("pipeline not ready after " + timeout + ", see " + log);
    }

    /** Prometheus metrics summed by name (over all tags). */
    Map<String, Double> metrics() throws Exception {
        Map<String, Double> sums = new HashMap<>();
        for (String line : get("/metrics").body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, brace > 0 ? brace : line.indexOf(' '));
            try {
                sums.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
            } catch (NumberFormatException ignored) {
                // NaN and the like
            }
        }
        return sums;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Current resident set size in bytes (Linux /proc), or -1. */
    long rssBytes() {
        return procStatus("VmRSS:");
    }

    /** Peak resident set size in bytes (Linux /proc), or -1. */
    long peakRssBytes() {
        return procStatus("VmHWM:");
    }

    private long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the service shuts down cleanly
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
