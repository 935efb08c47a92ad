package io.servicehealth.errors;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * A record that decoded but failed validation or processing goes to the dead-letter topic with its
 * original source bytes (KIP-1034) and the reason; the pipeline goes on.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfig(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (ErrorReasons.isOutage(exception)) {
            return Response.fail();
        }
        String reason = ErrorReasons.processing(exception);
        LOG.warn("dead-lettering record {}-{}@{} at {} ({}): {}", context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), reason, exception.getMessage());
        return Response.resume(List.of(deadLetters.build(context, context.sourceRawKey(), context.sourceRawValue(), reason, exception)));
    }
}
