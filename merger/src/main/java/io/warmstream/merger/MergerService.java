package io.warmstream.merger;

import io.warmstream.events.ModelCandidate;
import io.warmstream.merger.fold.CandidateStaging;
import io.warmstream.merger.kafka.CandidateStager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.Map;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.merger.fold.CheckpointProcessor;
import io.warmstream.merger.scale.ReferenceSet;
import io.warmstream.merger.fold.FoldSettings;
import io.warmstream.merger.fold.RollbackPlanner;
import io.warmstream.merger.gate.GateSettings;
import io.warmstream.merger.gate.HeldOutChecks;
import io.warmstream.merger.gate.QualityGate;
import io.warmstream.merger.guard.HeldOutPairs;
import io.warmstream.merger.guard.HoldoutSample;
import io.warmstream.merger.guard.LmcGuard;
import io.warmstream.merger.guard.PairRanker;
import io.warmstream.merger.kafka.CrashHook;
import io.warmstream.merger.kafka.MergerStatus;
import io.warmstream.merger.kafka.WarmMerger;
import io.warmstream.merger.scoring.HeldOutCacheSettings;
import io.warmstream.merger.scoring.FrozenBottomScorer;
import io.warmstream.merger.scoring.HeldOutPrewarmer;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.store.StoreUris;
import io.warmstream.merger.store.VersionRetention;
import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.merge.MergeSettings;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.ModelSigner;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.store.SignedCheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Wires the merger from its config and runs it for the life of the application context: provisions its topics,
 * opens the checkpoint store, resolves the init model (slerp-liti), builds the held-out checks (LMC guard and
 * quality gate, sharing one sample and one scorer) and starts {@link WarmMerger}.
 */
@Context
@Requires(property = MergerConfig.ENABLED, value = "true")
public final class MergerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MergerService.class);

    private final WarmMerger merger;
    private final HoldoutSample sample;
    private final LazyScorer scorer;
    private final HeldOutPrewarmer prewarmer;
    private final ModelSigningKeys signing;
    private final CandidateStager stager;

    public MergerService(MergerConfig config, MergerMetrics metrics, HeldOutCacheSettings featureCache) {
        KafkaSettings kafka = config.kafka();
        if (config.provisionTopics()) {
            try (Admin admin = kafka.admin("warm-merger-" + config.average() + "-admin")) {
                kafka.provision(admin, List.of(Topics.spec(Topics.CHECKPOINTS), Topics.spec(Topics.CHECKPOINTS_REJECTED),
                        Topics.spec(Topics.MODELS), Topics.spec(Topics.MODEL_CANDIDATES), Topics.spec(Topics.PREFERENCES),
                        Topics.spec(Topics.AUDIT)));
            }
        }
        signing = ModelSigningKeys.fromSetting(config.modelSigningKeyFile(), "merger");
        // Every directory the merger stores is signed, every one it fetches (checkpoints, averages, window members,
        // the served version, a rollback's target) is checked.
        CheckpointStore store = SignedCheckpointStore.of(CheckpointStore.open(config.storeLocation()), signing);
        MergeSettings merge = config.mergeSettings();
        String lineage = config.lineage();
        if (config.strategy().method().needsInitModel()) {
            Path init = InitModels.resolve(config.initModel(), store, config.workDir().resolveSibling("init"),
                    new ModelSigner(signing));
            merge = merge.withInitModel(init);
            String initLineage = ModelDirectory.readManifest(init).lineage().id();
            if (lineage != null && !lineage.equals(initLineage)) {
                throw new IllegalStateException("warm.merger.lineage " + lineage + " differs from the init model's "
                        + initLineage);
            }
            lineage = initLineage;
        }
        sample = new HoldoutSample(config.guardMaxLabels(), config.guardMaxTextChars());
        scorer = new LazyScorer(config.guardDevice(), featureCache, metrics::heldOutScored);
        LmcGuard guard = new LmcGuard(config.guardEnabled(), config.guardMargin(), config.guardMinLabels(), scorer,
                config.guardStandardErrors(), config.guardDeferNewMember());
        GateSettings gate = config.gateSettings();
        HeldOutChecks checks = new HeldOutChecks(sample, guard, new QualityGate(gate, scorer), scorer);
        VersionRetention retention = new VersionRetention(config.keepVersions(), config.retentionGrace());
        Clock clock = Clock.systemUTC();
        // Staging buys time only while held-out checks run between the fold and the publication.
        stager = config.stageCandidates() && (config.guardEnabled() || gate.enabled()) ? new CandidateStager(store, new KafkaProducer<>(
                kafka.producerConfig("warm-merger-" + config.average() + "-stager",
                        Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)),
                new StringSerializer(), kafka.serdes().valueSerializer(ModelCandidate.class)),
                config.workDir(), clock) : null;
        CheckpointProcessor processor = new CheckpointProcessor(new FoldSettings(config.average(), merge,
                config.minValidationAccuracy(), lineage, config.workDir()), store, checks, retention, clock,
                config.referenceSet().isBlank() ? null : ReferenceSet.load(Path.of(config.referenceSet()),
                        config.referenceMaxItems(), io.warmstream.model.Compute.of(config.guardDevice(), "fp32")),
                stager == null ? CandidateStaging.NONE : stager);
        boolean heldOut = config.guardEnabled() || gate.enabled(); // either needs the held-out labels
        merger = new WarmMerger(new WarmMerger.Parts(config.loopSettings(), kafka, processor,
                new RollbackPlanner(store, retention), store, retention,
                heldOut ? config.holdout() : null, sample, config.guardLookback(),
                CrashHook.parse(config.crashAt()), metrics, clock));
        merger.start();
        prewarmer = HeldOutPrewarmer.start(heldOut ? featureCache.getPrewarmInterval() : Duration.ZERO,
                featureCache.getPrewarmNice(), sample::snapshot, scorer, snapshot -> prewarm(checks, snapshot, store));
        LOG.info("merger of average {} started: strategy {}, store {}, LMC guard {}, quality gate {}",
                config.average(), config.strategy(), config.storeLocation(), config.guardEnabled() ? "on" : "off",
                gate.enabled() ? "on (" + gate.standardErrors() + " standard errors, " + gate.minLabels()
                        + " labels at least)" : "off");
    }

    /** The background's model work, on the versions and members of this merger's average if it is the owner. */
    private void prewarm(HeldOutChecks checks, HeldOutPairs snapshot, CheckpointStore store) {
        MergerStatus status = merger.status();
        if (status.role() != WarmMerger.Role.ACTIVE || status.state() == null) {
            return;
        }
        checks.prewarm(snapshot, QualityGate.ServedModel.of(status.state(), store), status.state().members(),
                m -> store.fetch(StoreUris.resolve(store, m.uri())));
    }

    public MergerStatus status() {
        return merger.status();
    }

    public String average() {
        return merger.average();
    }

    /** Whether model directories are signed and checked, for /health. */
    public String modelDirectories() {
        return signing.describe();
    }

    public int holdoutLabels() {
        return sample.size();
    }

    public void pause() {
        merger.pause();
    }

    public void resume() {
        merger.resume();
    }

    public CompletableFuture<AverageState> rollback(long version) {
        return merger.rollback(version);
    }

    @PreDestroy
    @Override
    public void close() {
        prewarmer.close();
        merger.close();
        if (stager != null) {
            stager.close();
        }
        scorer.close();
    }

    /** DJL's engine starts on the first evaluation, not with the service (most versions need none). */
    private static final class LazyScorer implements PairRanker, HeldOutPrewarmer.Target, AutoCloseable {
        private final String device;
        private final HeldOutCacheSettings featureCache;
        private final FrozenBottomScorer.Outcomes outcomes;
        private FrozenBottomScorer scorer;

        LazyScorer(String device, HeldOutCacheSettings featureCache, FrozenBottomScorer.Outcomes outcomes) {
            this.device = device;
            this.featureCache = featureCache;
            this.outcomes = outcomes;
        }

        @Override
        public synchronized boolean[] rankedRight(Path modelDir, List<PreferencePair> pairs) {
            if (scorer == null) {
                scorer = new FrozenBottomScorer(featureCache, Compute.of(device, "fp32"), outcomes);
            }
            return scorer.rankedRight(modelDir, pairs);
        }

        @Override
        public synchronized void prepare(Path modelDir) {
            if (scorer == null) {
                scorer = new FrozenBottomScorer(featureCache, Compute.of(device, "fp32"), outcomes);
            }
            scorer.prepare(modelDir);
        }

        @Override
        public long prewarm(List<PreferencePair> pairs, int chunk) {
            FrozenBottomScorer opened;
            synchronized (this) {
                if (scorer == null && featureCache.opensAtStart()) {
                    scorer = new FrozenBottomScorer(featureCache, Compute.of(device, "fp32"), outcomes);
                }
                opened = scorer;
            }
            if (opened != null) {
                opened.prepareFromSettings(); // once: later rounds find the cache open
            }
            // Outside this lock: a checkpoint's scoring must not wait for a whole prewarm, only for one chunk.
            return opened == null ? 0 : opened.prewarm(pairs, chunk);
        }

        @Override
        public synchronized void close() {
            if (scorer != null) {
                scorer.close();
            }
        }
    }
}
