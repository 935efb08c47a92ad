package io.servicehealth.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second demo on the same machine: it refuses to start, says why and what to pass instead, and
 * leaves the first one's work directory as it was (the demo wipes it at start) — no broker started.
 */
class DemoStartTest {
    @TempDir
    Path temp;

    @Test
    void shouldRefuseAWorkDirectoryAnotherDemoHoldsWithoutWipingIt() throws Exception {
        Path workDir = temp.resolve("demo");
        Path firstDemosData = Files.createDirectories(workDir.resolve("broker")).resolve("meta.properties");
        Files.writeString(firstDemosData, "the first demo's broker");

        try (WorkDirLock first = WorkDirLock.acquire(workDir)) {
            Demo.Refused refused = assertThrows(Demo.Refused.class, () -> Demo.start(options(workDir, 0, 0), Map.of()));
            assertTrue(refused.getMessage().contains("another demo is running with work directory " + workDir), refused.getMessage());
            assertTrue(refused.getMessage().contains("--work-dir"), refused.getMessage());
            assertTrue(Files.exists(firstDemosData), "the first demo's data must survive");
            assertThrows(Demo.Refused.class, () -> WorkDirLock.acquire(workDir), "the refusal left the first demo's lock in place");
        }
        try (WorkDirLock again = WorkDirLock.acquire(workDir)) {
            assertTrue(Files.exists(firstDemosData), "released: the directory can be taken again");
        }
    }

    @Test
    void shouldRefuseATakenRegistryPortBeforeWipingOrStartingAnything() throws Exception {
        assertRefusedForATakenPort(port -> options(temp.resolve("demo"), 0, port), "schema registry", "--registry-port");
    }

    @Test
    void shouldRefuseATakenHttpPortBeforeWipingOrStartingAnything() throws Exception {
        assertRefusedForATakenPort(port -> options(temp.resolve("demo"), port, 0), "query API and metrics", "--http-port");
    }

    private void assertRefusedForATakenPort(IntFunction<Demo.Options> withPort, String what, String option) throws Exception {
        Path workDir = temp.resolve("demo");
        Path firstDemosData = Files.createDirectories(workDir).resolve("marker");
        Files.writeString(firstDemosData, "x");
        try (ServerSocket taken = bound()) {
            Demo.Refused refused = assertThrows(Demo.Refused.class, () -> Demo.start(withPort.apply(taken.getLocalPort()), Map.of()));
            assertTrue(refused.getMessage().startsWith("port " + taken.getLocalPort() + " for the " + what + " is in use"), refused.getMessage());
            assertTrue(refused.getMessage().contains(option), refused.getMessage());
        }
        assertTrue(Files.exists(firstDemosData), "nothing wiped");
        try (WorkDirLock lock = WorkDirLock.acquire(workDir)) {
            assertTrue(Files.exists(firstDemosData), "the refused start released the work directory");
        }
    }

    private static ServerSocket bound() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        return socket;
    }

    private static Demo.Options options(Path workDir, int httpPort, int registryPort) {
        return new Demo.Options(workDir, httpPort, registryPort, 4.0, 600, null, new PrintStream(new ByteArrayOutputStream(), true));
    }
}
