package io.warmstream.trainer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.trainer.TrainerConfig;
import io.warmstream.trainer.TrainerMetrics;
import io.warmstream.trainer.plan.CapacitySettings;
import io.warmstream.trainer.plan.PlannerSettings;
import io.warmstream.trainer.plan.TrainingJobPlanner;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

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

    private final KafkaStreams streams;
    private final TrainerConfig config;

    public PlannerStreams(TrainerConfig config, TopicSetup topics, TrainerMetrics metrics) {
        this.config = config;
        PlannerSettings settings = config.plannerSettings(metrics);
        StreamsBuilder builder = new StreamsBuilder();
        TrainingJobPlanner.build(builder, settings);
        Topology topology = builder.build();
        LOG.debug("training job planner topology:\n{}", topology.describe());
        Map<String, Object> extra = new HashMap<>();
        extra.put(StreamsConfig.STATE_DIR_CONFIG, config.plannerStateDir().toString());
        extra.putAll(config.plannerStreamsOverrides());
        Properties p = new Properties();
        p.putAll(config.kafka().streamsConfig(config.plannerApplicationId(), extra));
        streams = new KafkaStreams(topology, p);
        // A stream thread dies only on a transient failure (registry or broker unreachable): replace it and retry.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.warn("planner stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics.bindStreams(streams);
        streams.start();
        LOG.info("planner started for average '{}': {} -> {}, a job every {} labels or {} (min {}), {} data, {}",
                settings.average(), settings.labelsTopic(), settings.jobsTopic(), settings.labelsPerJob(),
                settings.interval(), settings.minLabels(), settings.dataSelection(), capacity(settings.capacity()));
    }

    private static String capacity(CapacitySettings c) {
        return !c.limited() ? "no limit on pending jobs"
                : String.format("at most %d pending job(s) per live worker (at least %d; live: a run event on %s within %s)",
                        c.maxPendingPerWorker(), c.minWorkers(), c.runsTopic(), c.workerTtl());
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @PreDestroy
    @Override
    public void close() {
        // Leave the group on close, so another planner instance takes over at once instead of after the session timeout.
        streams.close(CloseOptions.timeout(config.closeTimeout())
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
