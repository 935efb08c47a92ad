package io.servicehealth.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline's default JVM options live in one file, read by the launcher and by ServiceProcess alike. */
class JvmOptionsTest {
    @Test
    void theDefaultsAreTheFilesOptionLinesWithoutItsComments() {
        assertEquals("-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC -XX:+IgnoreUnrecognizedVMOptions -XX:+UseCompactObjectHeaders"
                        + " --enable-native-access=ALL-UNNAMED",
                ServiceProcess.DEFAULT_JAVA_OPTS);
    }

    /**
     * One file serves every JDK from 17: a JDK older than 25 does not know compact object headers and
     * must skip the option rather than refuse to start; JDK 25 and later must turn them on. Neither may
     * warn about an option at start (a JDK that stopped accepting one says so on the console).
     */
    @Test
    void theDefaultsStartTheRunningJdkWithCompactHeadersWhereItHasThem() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(ServiceProcess.DEFAULT_JAVA_OPTS.split(" ")));
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertFalse(out.contains("WARNING"), out);
        boolean compact = out.lines().anyMatch(l -> l.matches("\\s*bool UseCompactObjectHeaders\\s+= true.*"));
        assertEquals(Runtime.version().feature() >= 25, compact, "compact object headers on JDK " + Runtime.version());
    }

    @Test
    void theLauncherReadsTheSameFile() throws IOException {
        // tests run in streams-app/; the launcher is at the repository's root
        String launcher = Files.readString(Path.of("..", "service-health"));
        Matcher m = Pattern.compile("JVM_OPTIONS=\"\\$HERE/([^\"]+)\"").matcher(launcher);
        assertTrue(m.find(), "the launcher names its options file in JVM_OPTIONS");
        Path file = Path.of("..", m.group(1));
        assertEquals(Path.of("src/main/resources/io/servicehealth/runtime/jvm.options").toAbsolutePath().normalize(),
                file.toAbsolutePath().normalize());
        assertTrue(launcher.contains("${HEALTH_JAVA_OPTS:-$DEFAULT_JAVA_OPTS}"), "HEALTH_JAVA_OPTS still overrides the defaults");
    }
}
