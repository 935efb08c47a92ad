package io.servicehealth.topology;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;

/**
 * Lets a processor forward from its {@link io.servicehealth.state.CommitHookStore commit hook}, outside
 * {@code process} and punctuation, where Streams has no current node or record. It sets both as
 * Streams' own caching stores do when a commit flushes them (TimestampedCacheFlushListener: the
 * processor's node, captured at init) and as a punctuation does (a record context of no offset, no
 * topic, no headers), and restores them after. The cost of this choice: Streams' internal context API,
 * which an upgrade may change; the topology specifications and the fault tests exercise it on every
 * commit.
 */
final class CommitTimeForwarding {
    private final InternalProcessorContext<?, ?> context;
    private final ProcessorNode<?, ?, ?, ?> node;

    /** Call from the processor's {@code init}, while its node is the current one. */
    CommitTimeForwarding(ProcessorContext<?, ?> context) {
        if (!(context instanceof InternalProcessorContext<?, ?> internal) || internal.currentNode() == null) {
            throw new IllegalStateException("commit-time forwarding needs Streams' own processor context, during init; got "
                    + context.getClass().getName());
        }
        this.context = internal;
        this.node = internal.currentNode();
    }

    void run(Runnable forwarding) {
        ProcessorNode<?, ?, ?, ?> previousNode = context.currentNode();
        ProcessorRecordContext previousRecord = context.recordContext();
        context.setCurrentNode(node);
        context.setRecordContext(new ProcessorRecordContext(0L, -1L, -1, null, new RecordHeaders()));
        try {
            forwarding.run();
        } finally {
            context.setRecordContext(previousRecord);
            context.setCurrentNode(previousNode);
        }
    }
}
