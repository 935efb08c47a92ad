package io.servicehealth.runtime;

import io.servicehealth.config.HealthConfig;
import io.servicehealth.config.TopologySettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Creates the topics the service reads and writes when they are missing: event topics with
 * retention counted from arrival (a backfill of old events is not deleted on arrival), compacted
 * catalog, health-update and alert-state topics, restricted dead-letter and late-event topics with
 * their own retention. Existing topics are left as they are.
 */
public final class TopicProvisioner {
    private TopicProvisioner() {
    }

    public static void ensure(Admin admin, HealthConfig config) throws ExecutionException, InterruptedException {
        TopologySettings.Topics t = TopologySettings.Topics.of(config);
        int partitions = config.getInt(HealthConfig.TOPIC_PARTITIONS);
        Optional<Short> replication = config.getShort(HealthConfig.TOPIC_REPLICATION_FACTOR) < 1
                ? Optional.empty() : Optional.of(config.getShort(HealthConfig.TOPIC_REPLICATION_FACTOR));
        String eventRetention = String.valueOf(config.getLong(HealthConfig.TOPIC_EVENT_RETENTION_MS));
        String restrictedRetention = String.valueOf(config.getLong(HealthConfig.TOPIC_RESTRICTED_RETENTION_MS));
        Map<String, String> events = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime", TopicConfig.RETENTION_MS_CONFIG, eventRetention);
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        Map<String, String> restricted = Map.of(TopicConfig.RETENTION_MS_CONFIG, restrictedRetention);
        Map<String, String> results = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");

        Map<String, Map<String, String>> wanted = new HashMap<>();
        for (String input : t.inputs()) {
            wanted.put(input, events);
        }
        wanted.put(t.catalog(), compacted);
        wanted.put(t.healthUpdates(), compacted);
        wanted.put(t.alertState(), compacted);
        wanted.put(t.healthResults(), results);
        wanted.put(t.alerts(), results);
        wanted.put(t.lateEvents(), restricted);
        wanted.put(t.deadLetter(), restricted);

        var existing = admin.listTopics().names().get();
        List<NewTopic> create = new ArrayList<>();
        wanted.forEach((name, configs) -> {
            if (!existing.contains(name)) {
                create.add(new NewTopic(name, Optional.of(partitions), replication).configs(configs));
            }
        });
        if (create.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(create).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Partitions of each event topic, in {@link TopologySettings.Topics#inputs()} order: the source partitions windows wait for. */
    public static List<Integer> inputPartitions(Admin admin, HealthConfig config) throws ExecutionException, InterruptedException {
        List<String> inputs = TopologySettings.Topics.of(config).inputs();
        Map<String, TopicDescription> described = admin.describeTopics(inputs).allTopicNames().get();
        return inputs.stream().map(topic -> described.get(topic).partitions().size()).toList();
    }
}
