package io.servicehealth.runtime;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.IndexedRecord;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Avro records as plain maps for JSON responses: timestamps as ISO-8601, enums by name. */
public final class AvroJson {
    private AvroJson() {
    }

    public static Object toPlain(Object value) {
        if (value instanceof IndexedRecord record) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                out.put(field.name(), toPlain(record.get(field.pos())));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), toPlain(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(toPlain(v)));
            return out;
        }
        if (value instanceof Instant || value instanceof LocalDate || value instanceof Enum<?> || value instanceof CharSequence
                || value instanceof GenericContainer) {
            return value.toString();
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            return null;
        }
        return value;
    }
}
