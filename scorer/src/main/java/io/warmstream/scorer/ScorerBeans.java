package io.warmstream.scorer;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.warmstream.model.Compute;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.store.SignedCheckpointStore;
import io.warmstream.scorer.batching.DynamicBatcher;
import io.warmstream.scorer.export.ModelExports;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelUpdater;
import io.warmstream.scorer.serving.RetainedVersions;
import io.warmstream.scorer.serving.ServingEvents;
import io.warmstream.scorer.serving.ScoringBackend;
import io.warmstream.scorer.serving.ServingListener;
import io.warmstream.scorer.serving.StoreModelLoader;
import jakarta.inject.Singleton;
import io.warmstream.platform.DependencyOutages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * The serving objects as beans. {@link HotSwappedModel} is the one other components (drift monitoring) use to score
 * with the serving version and to register {@link ServingListener}s; any bean implementing {@link ServingListener}
 * is registered automatically on the first serving event.
 */
@Factory
@Requires(property = ScorerConfig.ENABLED, value = "true")
public class ScorerBeans {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerBeans.class);

    @Singleton
    Compute compute(ScorerConfig config) {
        Compute compute = config.compute();
        Engine engine = Engine.getInstance();
        if (config.torchThreads() > 0 && "PyTorch".equals(engine.getEngineName())) {
            // Process-wide: in a JVM shared with the trainer this also bounds its threads.
            JniUtils.setNumThreads(config.torchThreads());
        }
        LOG.info("scoring on {} with {} {}", compute, engine.getEngineName(), engine.getVersion());
        return compute;
    }

    @Singleton
    ScoringBackend scoringBackend(ScorerConfig config, Compute compute) {
        ScoringBackend backend = ScoringBackend.of(config.runtime(), compute, config.onnxSettings(config.batchSettings(compute)));
        LOG.info("models run on {}", backend.name());
        return backend;
    }

    @Singleton
    ModelSigningKeys modelSigningKeys(ScorerConfig config) {
        return ModelSigningKeys.fromSetting(config.modelSigningKeyFile(), "scorer");
    }

    /** Every directory fetched (served, pinned and ENS versions, exports, evaluations) has its signature checked. */
    @Singleton
    CheckpointStore checkpointStore(ScorerConfig config, ModelSigningKeys signing) {
        return SignedCheckpointStore.of(CheckpointStore.open(config.storeLocation()), signing);
    }

    @Singleton
    @Bean(preDestroy = "close")
    ServingEvents servingEvents(BeanContext context) {
        return new ServingEvents(() -> List.copyOf(context.getBeansOfType(ServingListener.class)), 1024);
    }

    @Singleton
    @Bean(preDestroy = "close")
    HotSwappedModel hotSwappedModel(ScorerConfig config, ServingEvents events) {
        return new HotSwappedModel(config.average(), events, Clock.systemUTC(),
                new RetainedVersions(config.keepVersions(), config.versionsMaxMemory()));
    }

    /** Inactive until the follower has read warm.models to its end, so a restart loads only the newest version. */
    @Singleton
    @Bean(preDestroy = "close")
    ModelUpdater modelUpdater(ScorerConfig config, HotSwappedModel hot, CheckpointStore store, ScoringBackend backend,
                              ScorerMetrics metrics) {
        ModelUpdater.Retry retry = new ModelUpdater.Retry(config.loadRetry(), new DependencyOutages());
        metrics.bindOutages(retry.outages());
        ModelUpdater updater = new ModelUpdater(hot, new StoreModelLoader(store, backend), config.ensemble(),
                Clock.systemUTC(), false, retry);
        metrics.bindPreloads(updater);
        return updater;
    }

    @Singleton
    @Bean(preDestroy = "close")
    DynamicBatcher dynamicBatcher(ScorerConfig config, HotSwappedModel hot, Compute compute, ScorerMetrics metrics) {
        DynamicBatcher batcher = new DynamicBatcher(config.batchSettings(compute), hot, metrics);
        metrics.bindQueue(batcher);
        return batcher;
    }

    @Singleton
    ModelExports modelExports(ScorerConfig config, CheckpointStore store) {
        return new ModelExports(store, config.exportCacheDir(), config.exportKeep());
    }
}
