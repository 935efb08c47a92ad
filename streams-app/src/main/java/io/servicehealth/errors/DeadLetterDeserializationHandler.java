package io.servicehealth.errors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * A record that cannot be decoded goes to the dead-letter topic and the pipeline goes on (Kafka
 * Streams counts it in {@code dropped-records-total}). A registry outage is not bad input: the
 * handler fails, the thread stops loudly, and processing resumes from the same offset once the
 * registry is back.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfig(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (ErrorReasons.isOutage(exception)) {
            LOG.error("schema registry unavailable while reading {}-{}@{}: stopping, nothing skipped", context.topic(), context.partition(), context.offset(), exception);
            return Response.fail();
        }
        String reason = ErrorReasons.deserialization(exception);
        LOG.warn("dead-lettering undecodable record {}-{}@{} ({}): {}", context.topic(), context.partition(), context.offset(), reason, exception.getMessage());
        return Response.resume(List.of(deadLetters.build(context, record.key(), record.value(), reason, exception)));
    }
}
