package io.warmstream.local.stack;

import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.ServiceAcls.Service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties the local stack gives each service: one broker, one registry, one model store and one data
 * directory for all of them, fixed ports, and stable ids so a restart resumes rather than starts over.
 * The training profile comes next and the user's {@code --set} overrides last.
 */
public final class ServiceProperties {

    private final StackSettings settings;
    private final String bootstrapServers;
    private final String registryUrl;
    private final LocalSecrets secrets;
    private final LocalKafkaLogins kafkaLogins;

    /** {@code kafkaLogins} null: a plaintext broker; else each service logs in as its own Kafka user. */
    public ServiceProperties(StackSettings settings, String bootstrapServers, String registryUrl, LocalSecrets secrets,
                             LocalKafkaLogins kafkaLogins) {
        this.settings = settings;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.secrets = secrets;
        this.kafkaLogins = kafkaLogins;
    }

    /** {@code warm.kafka.client.*} (and the extra prefixes given) carrying {@code service}'s SASL login, if any. */
    private void kafkaLogin(Map<String, Object> p, Service service) {
        if (kafkaLogins == null) {
            return;
        }
        kafkaLogins.clientConfig(service).forEach((k, v) -> p.put("warm." + KafkaSettings.CLIENT_PREFIX + k, v));
    }

    private Map<String, Object> common(int port) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("micronaut.server.port", port == 0 ? -1 : port);
        p.put("warm.kafka.bootstrap-servers", bootstrapServers);
        p.put("warm.registry.url", registryUrl);
        p.put("warm.kafka.replication-factor", 1);
        p.put("warm.store.location", settings.storeDir().toUri().toString());
        // This machine only, unless the user says otherwise (--set micronaut.server.host=0.0.0.0).
        p.put("micronaut.server.host", "127.0.0.1");
        p.put("warm.security.keys-file", secrets.credentials().keysFile().toString());
        p.put("warm.holdout.salt", secrets.holdoutSalt());
        p.put(ModelSigningKeys.SETTING, secrets.modelSigningKeyFile().toString());
        return p;
    }

    private Map<String, Object> finish(Map<String, Object> p) {
        p.putAll(settings.profile().properties());
        p.putAll(settings.overrides());
        return p;
    }

    public Map<String, Object> ingest() {
        Map<String, Object> p = common(settings.ingestPort());
        // The stack provisioned every topic and schema before any service starts.
        p.put("warm.ingest.provision-topics", false);
        p.put("warm.ingest.topology.state-dir", settings.stateDir("ingest").toString());
        kafkaLogin(p, Service.INGEST);
        return finish(p);
    }

    /** Trainer {@code index} (0-based); only the first runs the job planner, every one runs a worker. */
    public Map<String, Object> trainer(int index) {
        Map<String, Object> p = common(settings.trainerPort() == 0 ? 0 : settings.trainerPort() + index);
        String id = "local-trainer-" + (index + 1);
        p.put("warm.trainer.provision-topics", false);
        p.put("warm.trainer.planner.enabled", index == 0);
        p.put("warm.trainer.planner.state-dir", settings.stateDir("trainer-planner").toString());
        p.put("warm.trainer.planner.base-model", settings.profile().baseModel());
        // A stable id: a restarted worker aborts its predecessor's open transaction at once instead of waiting.
        p.put("warm.trainer.worker.id", id);
        p.put("warm.trainer.worker.work-dir", settings.dataDir().resolve("work").resolve(id).toString());
        // One disk tier for the local trainers: what one computed for a label, the others (and later jobs) read.
        p.put("warm.trainer.worker.feature-cache.disk-dir", settings.featuresDir("training").toString());
        p.put("warm.trainer.worker.feature-cache.disk-bytes", "2GiB");
        kafkaLogin(p, Service.TRAINER);
        return finish(p);
    }

    public Map<String, Object> merger() {
        Map<String, Object> p = common(settings.mergerPort());
        p.put("warm.merger.provision-topics", false);
        p.put("warm.merger.work-dir", settings.dataDir().resolve("work").resolve("merger").toString());
        kafkaLogin(p, Service.MERGER);
        return finish(p);
    }

    public Map<String, Object> scorer() {
        Map<String, Object> p = common(settings.scorerPort());
        p.put("warm.scorer.provision-topics", false);
        p.put("warm.scorer.stream.state-dir", settings.stateDir("scorer").toString());
        p.put("warm.scorer.export.cache-dir", settings.dataDir().resolve("work").resolve("scorer-exports").toString());
        p.put("warm.scorer.evaluation.feature-cache-dir", settings.featuresDir("evaluation").toString());
        // Drift reports every 30 s: the first "drift" line comes about 40 s after the first version serves (window,
        // 5 s grace, 5 s tick), with traffic from the simulated RL service and the feed's fresh labels.
        p.put("warm.scorer.drift.window", "30s");
        kafkaLogin(p, Service.SCORER);
        return finish(p);
    }
}
