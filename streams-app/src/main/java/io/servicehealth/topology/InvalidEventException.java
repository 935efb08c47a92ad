package io.servicehealth.topology;

/**
 * A record that decoded fine but cannot be counted (out-of-range value, no entity to count it for,
 * implausible time). Thrown inside the topology so that the processing-exception handler puts the
 * original bytes and this reason in the dead-letter topic and the pipeline goes on.
 */
public class InvalidEventException extends RuntimeException {
    private final String reason;

    public InvalidEventException(String reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    /** Short machine-readable reason, used as a metric tag. */
    public String reason() {
        return reason;
    }
}
