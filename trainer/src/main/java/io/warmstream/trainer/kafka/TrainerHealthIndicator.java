package io.warmstream.trainer.kafka;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.warmstream.platform.ClusterHealth;
import io.warmstream.trainer.TrainerConfig;
import io.warmstream.trainer.work.WorkerStatus;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;

/**
 * {@code trainer} entry of {@code /health}: the cluster answers, the planner (if it runs here) is running or
 * rebalancing, and the worker (if it runs here) is polling and reaches the checkpoint store; DOWN otherwise, with
 * details (an unreachable store is named under the worker's {@code dependencies}). While a job trains the
 * details show its id, phase, step and loss.
 */
@Singleton
@Readiness
@Requires(property = TrainerConfig.ENABLED, value = "true")
public final class TrainerHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final TopicSetup admin;
    private final BeanProvider<PlannerStreams> planner;
    private final BeanProvider<WorkerService> worker;

    public TrainerHealthIndicator(TopicSetup admin, BeanProvider<PlannerStreams> planner,
                                  BeanProvider<WorkerService> worker) {
        this.admin = admin;
        this.planner = planner;
        this.worker = worker;
    }

    @Override
    protected String getName() {
        return "trainer";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        ClusterHealth health = admin.clusterHealth(TIMEOUT);
        if (planner.isPresent()) {
            health = planner.get().health(health);
        }
        if (worker.isPresent()) {
            WorkerStatus ws = worker.get().worker().status();
            Map<String, Object> w = ws.describe();
            w.put("id", worker.get().worker().workerId());
            w.put("device", worker.get().worker().device());
            w.put("precision", worker.get().worker().precision());
            w.put("modelDirectories", worker.get().modelDirectories());
            health = health.with("worker", w,
                    ws.state() != WorkerStatus.State.FAILED && ws.state() != WorkerStatus.State.STOPPED
                            && !ws.outages().anyDown());
        }
        this.healthStatus = health.up() ? HealthStatus.UP : HealthStatus.DOWN;
        return health.details();
    }
}
