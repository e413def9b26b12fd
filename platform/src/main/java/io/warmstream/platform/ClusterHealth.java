package io.warmstream.platform;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What every service's health check says about Kafka: whether the cluster answers (its id and broker count, or the
 * error) and whether the service's Streams apps are running. Services wrap it in their Micronaut health indicator.
 *
 * @param up      false when the cluster did not answer or a Streams app is neither created, running nor rebalancing
 * @param details in insertion order: {@code clusterId}, {@code brokers} or {@code error}, then one entry per app
 */
public record ClusterHealth(boolean up, Map<String, Object> details) {

    public ClusterHealth {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Asks the cluster to describe itself, waiting at most {@code timeout}. */
    public static ClusterHealth of(Admin admin, Duration timeout) {
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            DescribeClusterResult r = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            details.put("clusterId", r.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            details.put("brokers", r.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size());
            return new ClusterHealth(true, details);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            details.put("error", "interrupted while asking the cluster");
        } catch (Exception e) {
            details.put("error", "cluster did not answer within " + timeout.toSeconds() + " s: " + e);
        }
        return new ClusterHealth(false, details);
    }

    /** Adds a Streams app's state under {@code name}; an app that is not created, running or rebalancing is down. */
    public ClusterHealth withStreams(String name, KafkaStreams.State state) {
        Map<String, Object> more = new LinkedHashMap<>(details);
        more.put(name, state.name());
        boolean appUp = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
                || state == KafkaStreams.State.CREATED;
        return new ClusterHealth(up && appUp, more);
    }

    /** Adds any other detail (a worker's state, say), with its own verdict. */
    public ClusterHealth with(String name, Object detail, boolean detailUp) {
        Map<String, Object> more = new LinkedHashMap<>(details);
        more.put(name, detail);
        return new ClusterHealth(up && detailUp, more);
    }
}
