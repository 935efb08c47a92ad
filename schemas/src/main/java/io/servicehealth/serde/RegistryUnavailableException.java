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
}
