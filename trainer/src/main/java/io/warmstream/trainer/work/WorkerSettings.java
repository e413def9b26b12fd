package io.warmstream.trainer.work;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a trainer worker runs.
 *
 * @param jobsTopic the jobs topic the worker group shares
 * @param deadLetterTopic where undecodable or invalid job records go
 * @param runsTopic STARTED / PROGRESS / FINISHED / FAILED events
 * @param checkpointsTopic finished reward models
 * @param groupId the worker group: more members, more models trained in parallel (up to the jobs topic's partitions)
 * @param workerId this worker's name in events and its transactional id; keep it stable across restarts of one
 *        instance to have its predecessor's unfinished transaction aborted at once
 * @param device "auto" | "cpu" | "gpu" | "gpu:N"
 * @param precision "fp32" | "fp16" (fp16 applies on a GPU only; a CPU trains in fp32)
 * @param progressEvery a PROGRESS event and a log line every this many steps
 * @param supersede skip a job that a newer job of its average covers ({@link Supersession}) instead of training it
 * @param workDir where model directories are assembled before they go to the store
 * @param dataTimeout how long reading a job's labels back may take before the job fails
 * @param closeTimeout how long closing waits for the training thread and the Kafka clients
 * @param consumerOverrides raw consumer settings, applied over ours
 * @param producerOverrides raw producer settings, applied over ours
 * @param featureCache the frozen-bottom feature cache of jobs that train only top layers
 * @param storeRetry pauses between attempts to put a trained model into a store that cannot be reached
 * @param nice the training thread's Linux nice value, 0..19 ({@link io.warmstream.model.CpuPriority}); 0: the JVM's priority
 */
public record WorkerSettings(String jobsTopic, String deadLetterTopic, String runsTopic,
                             String checkpointsTopic, String groupId, String workerId, String device,
                             String precision, int progressEvery, boolean supersede, Path workDir,
                             Duration dataTimeout,
                             Duration closeTimeout, Map<String, Object> consumerOverrides,
                             Map<String, Object> producerOverrides, FeatureCacheSettings featureCache,
                             io.warmstream.platform.Backoff storeRetry, int nice) {

    public WorkerSettings {
        Objects.requireNonNull(jobsTopic, "jobsTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(runsTopic, "runsTopic");
        Objects.requireNonNull(checkpointsTopic, "checkpointsTopic");
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("worker group id must be set");
        }
        if (workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("worker id must be set");
        }
        if (progressEvery < 1) {
            throw new IllegalArgumentException("progress-every must be >= 1, got " + progressEvery);
        }
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(dataTimeout, "dataTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        consumerOverrides = Map.copyOf(consumerOverrides == null ? Map.of() : consumerOverrides);
        producerOverrides = Map.copyOf(producerOverrides == null ? Map.of() : producerOverrides);
        Objects.requireNonNull(featureCache, "featureCache");
        Objects.requireNonNull(storeRetry, "storeRetry");
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("warm.trainer.worker.nice must be in 0..19, got " + nice);
        }
    }
}
