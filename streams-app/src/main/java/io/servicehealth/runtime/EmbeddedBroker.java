package io.servicehealth.runtime;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) from the jars in
 * {@code broker/target/lib}, run as a child JVM on free loopback ports with its data in a working
 * directory. Not a mock: the demo, the integration tests and the benchmark talk to it over TCP.
 * Stopped by its own process handle, never by name.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Path workDir;
    private final Path libDir;
    private final int port;
    private final int controllerPort;
    private Process process;

    private EmbeddedBroker(Path workDir, Path libDir, int port, int controllerPort) {
        this.workDir = workDir;
        this.libDir = libDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats fresh storage under {@code workDir} and starts the broker; returns when it answers. */
    public static EmbeddedBroker start(Path workDir) throws IOException, InterruptedException {
        int[] ports = freePorts(2);
        EmbeddedBroker broker = new EmbeddedBroker(workDir, findLibDir(), ports[0], ports[1]);
        broker.format();
        broker.launch();
        return broker;
    }

    /** The broker's process id (for CPU accounting), or -1 when it is not running. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path workDir() {
        return workDir;
    }

    /** Locates the broker jars: {@code HEALTH_BROKER_LIB}, or broker/target/lib above the working directory. */
    public static Path findLibDir() {
        String configured = System.getenv("HEALTH_BROKER_LIB");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path lib = dir.resolve("broker/target/lib");
            if (Files.isDirectory(lib)) {
                return lib;
            }
        }
        throw new IllegalStateException("broker jars not found: build first (mvn -B -DskipTests install creates broker/target/lib) "
                + "or set HEALTH_BROKER_LIB");
    }

    private Path properties() {
        return workDir.resolve("server.properties");
    }

    private void format() throws IOException, InterruptedException {
        Files.createDirectories(workDir.resolve("data"));
        String props = String.join("\n",
                "process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "num.partitions=4", "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=8",
                "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1", "transaction.state.log.num.partitions=8",
                "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0", "auto.create.topics.enable=false",
                "log.dirs=" + workDir.resolve("data").toAbsolutePath(), "");
        Files.writeString(properties(), props);
        Process format = java("kafka.tools.StorageTool", "format", "-t", randomClusterId(), "-c", properties().toString())
                .redirectOutput(workDir.resolve("format.log").toFile()).redirectErrorStream(true).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IOException("formatting broker storage failed, see " + workDir.resolve("format.log"));
        }
    }

    /** A base64 cluster id; never one starting with '-', which the storage tool would read as an option. */
    private static String randomClusterId() {
        while (true) {
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.nio.ByteBuffer.allocate(16).putLong(UUID.randomUUID().getMostSignificantBits())
                            .putLong(UUID.randomUUID().getLeastSignificantBits()).array());
            if (Character.isLetterOrDigit(id.charAt(0))) {
                return id;
            }
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-Xms256m", "-Xmx1g", "-XX:+UseG1GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                "-cp", libDir.toAbsolutePath() + File.separator + "*", mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Starts (or restarts) the broker process on the same storage and ports. */
    public synchronized void launch() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = java("kafka.Kafka", properties().toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("broker.log").toFile()))
                .redirectErrorStream(true).start();
        awaitReady(Duration.ofSeconds(90));
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // a plain socket first: an admin client asked too early logs a warning per refused connection
        while (System.nanoTime() < deadline && process.isAlive() && !accepting()) {
            Thread.sleep(100);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("broker exited with " + process.exitValue() + ", see " + workDir.resolve("broker.log"));
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(200);
                }
            }
        }
        throw new IOException("broker not ready after " + timeout.toSeconds() + " s, see " + workDir.resolve("broker.log"));
    }

    private boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Stops the broker gracefully (SIGTERM), waiting up to 30 s before killing it. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /**
     * Distinct free loopback ports: all sockets are held open until every port is known, since the
     * kernel may hand a just-closed port out again (it once gave the listener and the controller the
     * same port, and the broker refused to start).
     */
    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
