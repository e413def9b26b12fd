package io.warmstream.trainer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.platform.ClusterHealth;
import io.warmstream.platform.StreamsApp;
import io.warmstream.trainer.TrainerConfig;
import io.warmstream.trainer.TrainerMetrics;
import io.warmstream.trainer.plan.CapacitySettings;
import io.warmstream.trainer.plan.PlannerSettings;
import io.warmstream.trainer.plan.TrainingJobPlanner;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@link TrainingJobPlanner} as an exactly-once Kafka Streams application for the life of the context.
 * Run it on one or more instances (they share the work through the application id); turn it off with
 * {@code warm.trainer.planner.enabled=false} for worker-only instances.
 */
@Context
@Requires(property = TrainerConfig.ENABLED, value = "true")
@Requires(property = TrainerConfig.PLANNER_ENABLED, notEquals = "false")
public final class PlannerStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlannerStreams.class);

    private final StreamsApp app;

    public PlannerStreams(TrainerConfig config, TopicSetup topics, TrainerMetrics metrics) {
        PlannerSettings settings = config.plannerSettings(metrics);
        StreamsBuilder builder = new StreamsBuilder();
        TrainingJobPlanner.build(builder, settings);
        Topology topology = builder.build();
        LOG.debug("training job planner topology:\n{}", topology.describe());
        Map<String, Object> extra = new HashMap<>();
        extra.put(StreamsConfig.STATE_DIR_CONFIG, config.plannerStateDir().toString());
        extra.putAll(config.plannerStreamsOverrides());
        // A stream thread dies only on a transient failure (registry or broker unreachable): the app replaces it.
        // Leaving the group on close lets another planner instance take over at once, not after the session timeout.
        app = new StreamsApp("planner", topology, config.kafka().streamsConfig(config.plannerApplicationId(), extra),
                config.closeTimeout(), true);
        metrics.bindStreams(app.streams());
        app.start();
        LOG.info("planner started for average '{}': {} -> {}, a job every {} labels or {} (min {}), {} data, {}",
                settings.average(), settings.labelsTopic(), settings.jobsTopic(), settings.labelsPerJob(),
                settings.interval(), settings.minLabels(), settings.dataSelection(), capacity(settings.capacity()));
    }

    private static String capacity(CapacitySettings c) {
        return !c.limited() ? "no limit on pending jobs"
                : String.format("at most %d pending job(s) per live worker (at least %d; live: a run event on %s within %s)",
                        c.maxPendingPerWorker(), c.minWorkers(), c.runsTopic(), c.workerTtl());
    }

    /** {@code cluster} with the planner's state under {@code planner}. */
    public ClusterHealth health(ClusterHealth cluster) {
        return app.health(cluster);
    }

    @PreDestroy
    @Override
    public void close() {
        app.close();
    }
}
