package io.warmstream.platform;

import io.warmstream.schemas.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the catalogue's topics that do not exist yet. Idempotent and safe to run from several services
 * at once: topics that exist are left as they are, with a warning if their partition count or a catalogue
 * config (e.g. {@code cleanup.policy}) differs, since changing either under running services would move keys
 * between partitions or lose records.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 60;

    private TopicProvisioner() {
    }

    /** Creates every missing topic of {@code specs} with the given replication factor. */
    public static void provision(Admin admin, Collection<TopicSpec> specs, short replicationFactor) {
        createMissing(admin, specs, replicationFactor);
    }

    /** As {@link #provision}, returning the names of the topics this call created. */
    public static List<String> createMissing(Admin admin, Collection<TopicSpec> specs, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (existing.contains(spec.name())) {
                    present.add(spec.name());
                } else {
                    missing.add(new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.configs()));
                }
            }
            List<String> created = create(admin, missing);
            warnOnDifferences(admin, specs, present);
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("topic provisioning failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic provisioning timed out after " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        }
    }

    private static List<String> create(Admin admin, List<NewTopic> topics) throws InterruptedException, TimeoutException, ExecutionException {
        List<String> created = new ArrayList<>();
        if (topics.isEmpty()) {
            return created;
        }
        CreateTopicsResult result = admin.createTopics(topics);
        for (Map.Entry<String, ? extends org.apache.kafka.common.KafkaFuture<Void>> e : result.values().entrySet()) {
            try {
                e.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.add(e.getKey());
                LOG.info("Created topic {}", e.getKey());
            } catch (ExecutionException ex) {
                // Another service created it between our listing and our request: that is success.
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw ex;
                }
            }
        }
        return created;
    }

    private static void warnOnDifferences(Admin admin, Collection<TopicSpec> specs, List<String> present)
            throws InterruptedException, TimeoutException, ExecutionException {
        if (present.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> described = admin.describeTopics(present).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<ConfigResource, Config> configs = admin.describeConfigs(present.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (TopicSpec spec : specs) {
            TopicDescription d = described.get(spec.name());
            if (d != null && d.partitions().size() != spec.partitions()) {
                LOG.warn("Topic {} has {} partitions, the catalogue says {}; leaving it as it is",
                        spec.name(), d.partitions().size(), spec.partitions());
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            if (config == null) {
                continue;
            }
            spec.configs().forEach((key, wanted) -> {
                ConfigEntry actual = config.get(key);
                if (actual == null || !wanted.equals(actual.value())) {
                    LOG.warn("Topic {} has {}={}, the catalogue says {}; leaving it as it is",
                            spec.name(), key, actual == null ? null : actual.value(), wanted);
                }
            });
        }
    }
}
