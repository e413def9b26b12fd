package io.warmstream.trainer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.model.Compute;
import io.warmstream.model.Precision;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.store.SignedCheckpointStore;
import io.warmstream.trainer.TrainerConfig;
import io.warmstream.trainer.TrainerMetrics;
import io.warmstream.trainer.work.TrainerWorker;
import io.warmstream.trainer.work.WorkerSettings;
import io.warmstream.trainer.work.WorkerStatus;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link TrainerWorker} for the life of the context; {@code warm.trainer.worker.enabled=false} makes a
 * planner-only instance.
 */
@Context
@Requires(property = TrainerConfig.ENABLED, value = "true")
@Requires(property = TrainerConfig.WORKER_ENABLED, notEquals = "false")
public final class WorkerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);

    private final TrainerWorker worker;
    private final ModelSigningKeys signing;

    public WorkerService(TrainerConfig config, TopicSetup topics, TrainerMetrics metrics) {
        WorkerSettings settings = config.workerSettings();
        Compute compute = compute(settings.device(), settings.precision());
        signing = ModelSigningKeys.fromSetting(config.modelSigningKeyFile(), "trainer worker " + config.workerId());
        // Checkpoints are signed when stored; an init checkpoint fetched to train from has its signature checked.
        CheckpointStore store = SignedCheckpointStore.of(CheckpointStore.open(config.store()), signing);
        WorkerStatus status = new WorkerStatus();
        metrics.bindWorker(status);
        worker = new TrainerWorker(settings, config.kafka(), store, compute, status).start();
    }

    /** Half precision pays off on GPUs only: on a CPU the worker trains in fp32 whatever was asked. */
    static Compute compute(String device, String precision) {
        Compute asked = Compute.of(device, "fp32");
        Precision p = Precision.parse(precision);
        if (p != Precision.FP32 && !asked.device().isGpu()) {
            LOG.info("precision {} applies on a GPU only; training on {} in fp32", precision, asked.deviceName());
            return asked;
        }
        return new Compute(asked.device(), p);
    }

    public TrainerWorker worker() {
        return worker;
    }

    /** Whether model directories are signed and checked, for /health. */
    public String modelDirectories() {
        return signing.describe();
    }

    @PreDestroy
    @Override
    public void close() {
        worker.close();
    }
}
