package io.servicehealth.serde;

import java.util.Map;

/** Serde properties beyond the registry connection (Confluent's key names). */
record AvroSerdeConfig(boolean autoRegister) {
    static final String AUTO_REGISTER = "auto.register.schemas";

    static AvroSerdeConfig from(Map<String, ?> configs) {
        Object value = configs.get(AUTO_REGISTER);
        if (value == null) {
            return new AvroSerdeConfig(true);
        }
        String text = value.toString().trim();
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("serde property " + AUTO_REGISTER + " must be true or false, got '" + value + "'");
        }
        return new AvroSerdeConfig(Boolean.parseBoolean(text));
    }
}
