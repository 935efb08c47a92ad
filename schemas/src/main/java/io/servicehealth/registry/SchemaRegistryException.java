package io.servicehealth.registry;

/**
 * An answer of the registry that is not a success, with Confluent's error code
 * (e.g. 40401 subject not found, 40403 schema not found, 409 incompatible schema, 42201 invalid schema).
 * {@link #isRetriable()} tells an outage (5xx, I/O) from a definite "no".
 */
public class SchemaRegistryException extends RuntimeException {
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int BACKEND_ERROR = 50001;
    /** Not a registry code: the registry could not be reached at all. */
    public static final int UNREACHABLE = -1;

    private final int errorCode;
    private final int httpStatus;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        this(httpStatus, errorCode, message, null);
    }

    public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super("schema registry error " + errorCode + " (HTTP " + httpStatus + "): " + message, cause);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** True for outages (unreachable, 5xx): retrying later may succeed; false for a definite answer. */
    public boolean isRetriable() {
        return errorCode == UNREACHABLE || httpStatus >= 500;
    }
}
