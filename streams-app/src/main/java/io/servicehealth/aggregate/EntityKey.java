package io.servicehealth.aggregate;

import io.servicehealth.schema.EntityKind;

/**
 * The string key that crosses the repartition topic and keys the state stores: {@code P|id},
 * {@code C|id} or {@code R|id}. One short string keeps the shuffle and the stores lean; the Avro
 * keys of the output topics are built from it at the edge.
 */
public final class EntityKey {
    private EntityKey() {
    }

    public static String of(EntityKind kind, String id) {
        return prefix(kind) + id;
    }

    public static String product(String id) {
        return "P|" + id;
    }

    public static String campaign(String id) {
        return "C|" + id;
    }

    public static String region(String id) {
        return "R|" + id;
    }

    private static String prefix(EntityKind kind) {
        return switch (kind) {
            case PRODUCT -> "P|";
            case CAMPAIGN -> "C|";
            case REGION -> "R|";
            default -> throw new IllegalArgumentException("no entity key for kind " + kind);
        };
    }

    public static EntityKind kind(String key) {
        return switch (key.charAt(0)) {
            case 'P' -> EntityKind.PRODUCT;
            case 'C' -> EntityKind.CAMPAIGN;
            case 'R' -> EntityKind.REGION;
            default -> EntityKind.UNKNOWN;
        };
    }

    public static String id(String key) {
        return key.substring(2);
    }
}
