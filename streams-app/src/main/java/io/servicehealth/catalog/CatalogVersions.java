package io.servicehealth.catalog;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored value of one catalog entity: all its versions, ascending by {@code validFrom}, each as
 * {@code validFrom (8 bytes) · length (4 bytes) · CatalogEntry (Avro binary)}. Versions stay encoded
 * here: the updater replaces or removes one without decoding the others.
 */
final class CatalogVersions {
    private static final int HEADER = Long.BYTES + Integer.BYTES;

    private CatalogVersions() {
    }

    /** Receives one stored version. */
    @FunctionalInterface
    interface VersionConsumer {
        void accept(long validFrom, byte[] encodedEntry);
    }

    static void forEach(byte[] stored, VersionConsumer consumer) {
        ByteBuffer in = ByteBuffer.wrap(stored);
        while (in.hasRemaining()) {
            if (in.remaining() < HEADER) {
                throw new IllegalStateException("catalog versions truncated: " + in.remaining() + " bytes left of a version header");
            }
            long validFrom = in.getLong();
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalStateException("catalog version of " + length + " bytes with " + in.remaining() + " left");
            }
            byte[] entry = new byte[length];
            in.get(entry);
            consumer.accept(validFrom, entry);
        }
    }

    /** {@code stored} (null: no versions yet) with the version valid from {@code validFrom} added or replaced. */
    static byte[] with(byte[] stored, long validFrom, byte[] encodedEntry) {
        TreeMap<Long, byte[]> versions = read(stored);
        versions.put(validFrom, encodedEntry);
        return write(versions);
    }

    /** {@code stored} without the version valid from {@code validFrom}; null when none is left. */
    static byte[] without(byte[] stored, long validFrom) {
        TreeMap<Long, byte[]> versions = read(stored);
        versions.remove(validFrom);
        return versions.isEmpty() ? null : write(versions);
    }

    private static TreeMap<Long, byte[]> read(byte[] stored) {
        TreeMap<Long, byte[]> versions = new TreeMap<>();
        if (stored != null) {
            forEach(stored, versions::put);
        }
        return versions;
    }

    private static byte[] write(TreeMap<Long, byte[]> versions) {
        int size = 0;
        for (byte[] entry : versions.values()) {
            size += HEADER + entry.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (Map.Entry<Long, byte[]> e : versions.entrySet()) {
            out.putLong(e.getKey()).putInt(e.getValue().length).put(e.getValue());
        }
        return out.array();
    }
}
