package io.servicehealth.aggregate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few names the state format repeats in every window (complaint regions): each decoded once per
 * thread and shared, and its UTF-8 bytes kept for encoding, instead of a new String (and its array) per
 * name per entity read back, and a new byte array per name per entity written. Two small hash tables
 * (by the bytes' hash for decoding, by the String's cached hash for encoding), one slot per hash: a
 * look-up is one comparison, and a name whose slot another took is simply decoded or encoded anew, so a
 * long tail of names costs what it did before. One per thread; not thread-safe.
 */
final class NameCache {
    static final int SLOTS = 256; // a power of two
    private static final ThreadLocal<NameCache> PER_THREAD = ThreadLocal.withInitial(NameCache::new);

    private final String[] decodedNames = new String[SLOTS];
    private final byte[][] decodedBytes = new byte[SLOTS][];
    private final String[] encodedNames = new String[SLOTS];
    private final byte[][] encodedBytes = new byte[SLOTS][];

    static NameCache get() {
        return PER_THREAD.get();
    }

    /** The name whose UTF-8 encoding is {@code buf[from, from + length)}. */
    String decode(byte[] buf, int from, int length) {
        int h = 1;
        for (int i = from; i < from + length; i++) {
            h = 31 * h + buf[i];
        }
        int slot = spread(h);
        byte[] b = decodedBytes[slot];
        if (b != null && b.length == length && Arrays.equals(b, 0, length, buf, from, from + length)) {
            return decodedNames[slot];
        }
        String name = new String(buf, from, length, StandardCharsets.UTF_8);
        decodedNames[slot] = name;
        decodedBytes[slot] = Arrays.copyOfRange(buf, from, from + length);
        return name;
    }

    /** The UTF-8 bytes of {@code name}; the caller must not change them. */
    byte[] encode(String name) {
        int slot = spread(name.hashCode());
        String known = encodedNames[slot];
        if (known == name || name.equals(known)) {
            return encodedBytes[slot];
        }
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        encodedNames[slot] = name;
        encodedBytes[slot] = b;
        return b;
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
