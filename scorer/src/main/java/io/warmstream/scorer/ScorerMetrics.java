package io.warmstream.scorer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.warmstream.platform.DependencyOutages;
import io.warmstream.platform.KafkaClientMeters;
import io.warmstream.scorer.batching.BatchObserver;
import io.warmstream.scorer.batching.DynamicBatcher;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.LoadFailure;
import io.warmstream.scorer.serving.ModelSwap;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.ServingListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The scorer's Prometheus metrics ({@code /prometheus}): batch sizes, forward and queue-wait times, queue depth,
 * requests refused because the queue was full, swaps, load failures, the serving version, and bad model events.
 * HTTP latency per endpoint comes from Micronaut's {@code http.server.requests}.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class ScorerMetrics implements BatchObserver, ServingListener {

    private final MeterRegistry registry;
    private final Map<ScoreMode, DistributionSummary> batchItems = new EnumMap<>(ScoreMode.class);
    private final Map<ScoreMode, Timer> forward = new EnumMap<>(ScoreMode.class);
    private final Map<ScoreMode, Counter> failedBatches = new EnumMap<>(ScoreMode.class);
    private final DistributionSummary batchRequests;
    private final Timer queueWait;
    private final Counter queueFull;
    private final Counter swaps;
    private final Counter badEvents;
    private final KafkaClientMeters clientMeters;

    public ScorerMetrics(MeterRegistry registry, HotSwappedModel hot) {
        this.registry = registry;
        this.clientMeters = new KafkaClientMeters(registry);
        for (ScoreMode m : ScoreMode.values()) {
            batchItems.put(m, DistributionSummary.builder("warm.scorer.batch.items").tag("mode", m.code())
                    .description("Items per forward batch").publishPercentileHistogram().register(registry));
            forward.put(m, Timer.builder("warm.scorer.batch.forward").tag("mode", m.code())
                    .description("Forward time per batch, tokenization included").publishPercentileHistogram().register(registry));
            failedBatches.put(m, Counter.builder("warm.scorer.batch.failed").tag("mode", m.code())
                    .description("Forward batches that threw").register(registry));
        }
        this.batchRequests = DistributionSummary.builder("warm.scorer.batch.requests")
                .description("Requests sharing a forward batch").register(registry);
        this.queueWait = Timer.builder("warm.scorer.queue.wait").description("Time items wait before their forward pass")
                .publishPercentileHistogram().register(registry);
        this.queueFull = Counter.builder("warm.scorer.queue.rejected").description("Items refused with 429 because the token budget was full")
                .register(registry);
        for (String reason : List.of("client_gone", "deadline")) { // shown at 0 before the first one
            requestEnded(reason, 0);
            itemsDropped(reason, 0);
        }
        this.swaps = Counter.builder("warm.scorer.swaps").description("Model versions installed").register(registry);
        this.badEvents = Counter.builder("warm.scorer.models.bad.events").description("warm.models records that could not be read")
                .register(registry);
        Gauge.builder("warm.scorer.model.version", hot, h -> h.currentVersion().orElse(-1))
                .description("Version being served (-1: none)").register(registry);
        Gauge.builder("warm.scorer.listener.dropped", hot, h -> h.events().droppedBatches())
                .description("Scored batches not delivered to listeners because they fell behind").register(registry);
    }

    /** {@code warm.scorer.dependency.up} (1 up, 0 down) and {@code warm.scorer.dependency.retries}, per dependency. */
    public void bindOutages(DependencyOutages outages) {
        for (DependencyOutages.Dependency d : DependencyOutages.Dependency.values()) {
            Gauge.builder("warm.scorer.dependency.up", outages, o -> o.isDown(d) ? 0 : 1).tag("dependency", d.label())
                    .description("Whether new versions can be fetched and read (0 while an outage is waited out; "
                            + "the serving version stays)").register(registry);
            FunctionCounter.builder("warm.scorer.dependency.retries", outages, o -> o.retries(d))
                    .tag("dependency", d.label()).description("Retries because the dependency was unreachable")
                    .register(registry);
        }
    }

    /** {@code warm.scorer.candidates.loaded.ahead}: staged candidates loaded before their publication. */
    public void bindPreloads(io.warmstream.scorer.serving.ModelUpdater updater) {
        FunctionCounter.builder("warm.scorer.candidates.loaded.ahead", updater, u -> u.candidatesLoadedAhead())
                .description("Candidates the merger announced that this scorer loaded before their publication "
                        + "(served at once if published with the same files)").register(registry);
    }

    /** Load failures by stage (fetch, verify, load, ensemble). */
    @Override
    public void onLoadFailed(LoadFailure failure) {
        Counter.builder("warm.scorer.load.failures").tag("stage", failure.stage())
                .description("Versions (or ENS members) that could not be loaded").register(registry).increment();
    }

    @Override
    public void onSwap(ModelSwap swap) {
        swaps.increment();
    }

    @Override
    public void batchScored(ScoreMode mode, int items, int requests, long nanos) {
        batchItems.get(mode).record(items);
        batchRequests.record(requests);
        forward.get(mode).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void queueWait(long nanos) {
        queueWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejectedQueueFull(int items) {
        queueFull.increment(items);
    }

    @Override
    public void rejectedTooExpensive(int items) {
        Counter.builder("warm.scorer.queue.too.expensive").description("Items of requests costing more than the whole token budget (413)")
                .register(registry).increment(items);
    }

    @Override
    public void requestEnded(String reason) {
        requestEnded(reason, 1);
    }

    private void requestEnded(String reason, int n) {
        Counter.builder("warm.scorer.cancelled.requests").tag("reason", reason)
                .description("Requests ended before their answer: client_gone, deadline, failed, stopping").register(registry).increment(n);
    }

    @Override
    public void itemsDropped(String reason, int items) {
        Counter.builder("warm.scorer.cancelled.items").tag("reason", reason)
                .description("Items of ended requests dropped before any forward pass computed them").register(registry).increment(items);
    }

    @Override
    public void batchFailed(ScoreMode mode, Throwable error) {
        failedBatches.get(mode).increment();
    }

    public void badModelEvent() {
        badEvents.increment();
    }

    void bindQueue(DynamicBatcher batcher) {
        Gauge.builder("warm.scorer.queue.items", batcher, DynamicBatcher::queuedItems)
                .description("Items admitted and not yet handed to a model thread").register(registry);
        Gauge.builder("warm.scorer.queue.tokens", batcher, DynamicBatcher::pendingTokens)
                .description("Padded tokens admitted and not yet scored").register(registry);
        Gauge.builder("warm.scorer.queue.token.budget", batcher, b -> b.settings().tokenBudget())
                .description("Padded tokens admitted at most").register(registry);
    }

    public void bindStreams(KafkaStreams streams) {
        clientMeters.bindStreams(streams);
    }

    @PreDestroy
    public void close() throws Exception {
        clientMeters.close();
    }
}
