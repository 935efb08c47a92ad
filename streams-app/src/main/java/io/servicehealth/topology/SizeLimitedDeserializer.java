package io.servicehealth.topology;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/** Rejects an input record larger than {@code event.max.bytes} before decoding it: it goes to the dead-letter topic. */
final class SizeLimitedDeserializer<T> implements Deserializer<T> {
    private final Deserializer<T> delegate;
    private final int maxBytes;

    SizeLimitedDeserializer(Deserializer<T> delegate, int maxBytes) {
        this.delegate = delegate;
        this.maxBytes = maxBytes;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        check(topic, data);
        return delegate.deserialize(topic, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        check(topic, data);
        return delegate.deserialize(topic, headers, data);
    }

    private void check(String topic, byte[] data) {
        if (data != null && data.length > maxBytes) {
            throw new SerializationException("record on topic " + topic + " of " + data.length + " bytes exceeds event.max.bytes = " + maxBytes);
        }
    }
}
