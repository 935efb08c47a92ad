package io.servicehealth.config;

import org.apache.kafka.common.config.ConfigDef;

/** Generates the README's configuration table from {@link HealthConfig#CONFIG}, so docs never drift. */
public final class ConfigDocs {
    private ConfigDocs() {
    }

    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : HealthConfig.CONFIG.configKeys().values()) {
            Object def = key.defaultValue;
            String shown = def instanceof java.util.List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(def);
            out.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase())
                    .append(" | `").append(shown).append("` | ").append(key.documentation.replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    public static void main(String[] args) {
        System.out.print(markdownTable());
    }
}
