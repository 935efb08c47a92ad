package io.servicehealth.errors;

import io.servicehealth.serde.RegistryUnavailableException;
import io.servicehealth.topology.InvalidEventException;

/** Short reasons for the dead-letter header and metrics. */
final class ErrorReasons {
    private ErrorReasons() {
    }

    static boolean isOutage(Throwable e) {
        return RegistryUnavailableException.isCauseOf(e);
    }

    static String deserialization(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("magic byte")) return "wrong-magic-byte";
        if (message.contains("unknown schema id")) return "unknown-schema-id";
        if (message.contains("shorter than")) return "too-short";
        if (message.contains("truncated")) return "truncated";
        if (message.contains("exceeds event.max.bytes")) return "too-large";
        if (message.contains("trailing bytes")) return "trailing-bytes";
        return "undecodable";
    }

    static String processing(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidEventException invalid) {
                return invalid.reason();
            }
        }
        return "processing-error";
    }
}
