package io.servicehealth.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline's default JVM options live in one file, read by the launcher and by ServiceProcess alike. */
class JvmOptionsTest {
    @Test
    void theDefaultsAreTheFilesOptionLinesWithoutItsComments() {
        assertEquals("-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC", ServiceProcess.DEFAULT_JAVA_OPTS);
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
