package io.servicehealth.serde;

import org.apache.kafka.common.KafkaException;

/**
 * The registry could not be reached (after retries). Not bad input: the record is fine and must not
 * be skipped or dead-lettered; the pipeline stops loudly and resumes from the same offset once the
 * registry is back.
 */
public class RegistryUnavailableException extends KafkaException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when a registry outage is anywhere in the cause chain of {@code failure}. */
    public static boolean isCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
