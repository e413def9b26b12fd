package io.warmstream.trainer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import java.time.Duration;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.positive;

/** How many jobs may wait for the live workers ({@code warm.trainer.planner.capacity.*}). */
@ConfigurationProperties(CapacityProperties.PREFIX)
public class CapacityProperties {

    public static final String PREFIX = "warm.trainer.planner.capacity";

    private Integer maxPendingPerWorker;
    private Integer minWorkers;
    private Duration workerTtl;
    private Duration jobTimeout;

    @PostConstruct
    void check() {
        atLeast(PREFIX + ".max-pending-per-worker", maxPendingPerWorker, 0);
        atLeast(PREFIX + ".min-workers", minWorkers, 1);
        positive(PREFIX + ".worker-ttl", workerTtl);
        positive(PREFIX + ".job-timeout", jobTimeout);
    }

    /** Jobs planned and not ended per live worker; 0: no limit. */
    public Integer getMaxPendingPerWorker() { return maxPendingPerWorker; }
    public void setMaxPendingPerWorker(Integer maxPendingPerWorker) { this.maxPendingPerWorker = maxPendingPerWorker; }
    public Integer getMinWorkers() { return minWorkers; }
    public void setMinWorkers(Integer minWorkers) { this.minWorkers = minWorkers; }
    public Duration getWorkerTtl() { return workerTtl; }
    public void setWorkerTtl(Duration workerTtl) { this.workerTtl = workerTtl; }
    public Duration getJobTimeout() { return jobTimeout; }
    public void setJobTimeout(Duration jobTimeout) { this.jobTimeout = jobTimeout; }
}
