package io.warmstream.platform;

import io.warmstream.schemas.TopicSpec;
import io.warmstream.schemas.Topics;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(EmbeddedInfraExtension.class)
class TopicProvisionerTest {

    @Test
    void createsEveryCatalogueTopicAsSpecifiedAndIsIdempotent(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            TopicProvisioner.provision(admin, Topics.all(), (short) 1);
            assertEquals(List.of(), TopicProvisioner.createMissing(admin, Topics.all(), (short) 1), "second run creates nothing");

            Set<String> names = Topics.all().stream().map(TopicSpec::name).collect(Collectors.toSet());
            assertTrue(admin.listTopics().names().get().containsAll(names));
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get();
            for (TopicSpec spec : Topics.all()) {
                assertEquals(spec.partitions(), described.get(spec.name()).partitions().size(), spec.name());
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
                assertEquals(spec.cleanupPolicy(), config.get("cleanup.policy").value(), spec.name());
                spec.configs().forEach((k, v) -> assertEquals(v, config.get(k).value(), spec.name() + " " + k));
            }
            Config models = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.MODELS));
            assertEquals("compact", models.get("cleanup.policy").value());
            Config preferences = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.PREFERENCES));
            assertEquals("-1", preferences.get("retention.ms").value());
        }
    }

    @Test
    void existingTopicWithOtherPartitionCountIsLeftAlone(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic("provisioner.existing", 1, (short) 1))).all().get();
            TopicSpec wanted = new TopicSpec("provisioner.existing", 2, Map.of(), null);
            assertEquals(List.of(), TopicProvisioner.createMissing(admin, List.of(wanted), (short) 1));
            assertEquals(1, partitionsOnceVisible(admin, "provisioner.existing"));
        }
    }

    /** Topic metadata reaches the broker's cache a moment after creation; wait (bounded) until it is visible. */
    private static int partitionsOnceVisible(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void returnsWhatItCreated(EmbeddedKafka kafka) {
        try (Admin admin = admin(kafka)) {
            TopicSpec fresh = new TopicSpec("provisioner.fresh", 2, Map.of("cleanup.policy", "compact"), null);
            assertEquals(List.of("provisioner.fresh"), TopicProvisioner.createMissing(admin, List.of(fresh), (short) 1));
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
