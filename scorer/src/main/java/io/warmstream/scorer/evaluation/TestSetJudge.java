package io.warmstream.scorer.evaluation;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.events.EvaluationSubject;
import io.warmstream.model.BaseModels;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelSwap;
import io.warmstream.scorer.serving.ModelVersion;
import io.warmstream.scorer.serving.ServingListener;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * Judges every version this scorer serves, and each of its members, on fixed test sets whose better responses are
 * known, and publishes the figures on {@code warm.evaluations}: the one measure of whether version N+1 is better than
 * version N that does not depend on the noisy labels it was trained on.
 *
 * <p>Runs on its own thread, after the swap (serving never waits for it); before each model it waits while a newer
 * version loads ({@link LoadsFirst}), so a load does not share the CPU with judging that can wait. Models are
 * fetched from the store and checked against the hashes their event promised, like the ones served. Run it on one scorer per average: every
 * instance that runs it publishes its own figures.
 */
@Context
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = EvaluationSettings.TEST_SETS)
public final class TestSetJudge implements ServingListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestSetJudge.class);

    private final EvaluationSettings settings;
    private final CheckpointStore store;
    private final EvaluationBoard board;
    private final EvaluationPublisher publisher;
    private final TestSetScorer scorer;
    private final LinkedBlockingDeque<ModelVersion> waiting;
    private final LoadsFirst loadsFirst;
    private final Thread worker;
    private volatile boolean running = true;
    /** Training-label counts of members already fetched (judge thread only), so later versions need not fetch them. */
    private final Map<String, Long> memberLabels = new java.util.LinkedHashMap<>();
    private static final int MEMBERS_REMEMBERED = 1024;

    public TestSetJudge(ScorerConfig config, EvaluationSettings settings, CheckpointStore store, EvaluationBoard board,
                        EvaluationPublisher publisher, HotSwappedModel hot) {
        this.loadsFirst = new LoadsFirst(() -> hot.loading().isPresent(), java.time.Duration.ofMillis(20));
        this.settings = settings;
        this.store = store;
        this.board = board;
        this.publisher = publisher;
        List<TestSet> sets = settings.load();
        if (sets.isEmpty()) {
            throw new IllegalStateException(EvaluationSettings.TEST_SETS + " names no test set");
        }
        this.scorer = new TestSetScorer(sets, config.compute(), settings.getMaxLength(), settings.getCachedLayers(),
                settings.featureCacheDirectory(), settings.getFeatureCacheDiskBytes());
        this.waiting = new LinkedBlockingDeque<>(settings.getQueueLength());
        LOG.info("test-set judge: {}", String.join(", ", sets.stream().map(s -> s.name() + " (" + s.size() + " pairs)").toList()));
        this.worker = new Thread(this::run, "warm-scorer-judge");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void onSwap(ModelSwap swap) {
        ModelVersion v = swap.installed().version();
        while (!waiting.offerLast(v)) {
            ModelVersion dropped = waiting.pollFirst();
            if (dropped != null) {
                LOG.warn("test-set judge is behind: v{} is not judged (warm.scorer.evaluation.queue-length {})",
                        dropped.version(), settings.getQueueLength());
            }
        }
    }

    private void run() {
        io.warmstream.model.CpuPriority.lowerCurrentThread(settings.getNice());
        warmUp();
        while (running) {
            ModelVersion v;
            try {
                v = waiting.pollFirst(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (v == null) {
                continue;
            }
            try {
                judge(v);
            } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("test-set judge: v{} not judged: {}", v.version(), e.toString());
            }
        }
    }

    /** The bottom layers of every test sequence, computed from the configured base while no version is there yet. */
    private void warmUp() {
        if (settings.getBaseModel().isEmpty() || settings.getCachedLayers() == 0) {
            return;
        }
        long started = System.nanoTime();
        try {
            long computed = scorer.warmUp(BaseModels.byName(settings.getBaseModel()));
            LOG.info("test-set judge: bottom layers of every test sequence ready from {} in {} s ({} computed, the "
                    + "rest read from the cache)", settings.getBaseModel(),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9), computed);
        } catch (java.util.concurrent.CancellationException e) {
            LOG.info("test-set judge: stopped while preparing from base {}", settings.getBaseModel());
        } catch (RuntimeException e) {
            LOG.warn("test-set judge: could not prepare from base {} ({}); the first version will", settings.getBaseModel(),
                    e.toString());
        }
    }

    /**
     * The version first (what is served, and what users wait for), then those of its members not judged before. The
     * version's training-label count is its newest member's, read from the members' manifests before any scoring.
     */
    private void judge(ModelVersion v) throws InterruptedException {
        long trainLabels = 0;
        Map<String, PendingMember> toJudge = new java.util.LinkedHashMap<>();
        for (ModelVersion.MemberInfo m : v.members()) {
            if (!running) {
                return;
            }
            boolean judge = settings.isMembers() && !board.hasMember(m.jobId());
            Long known = memberLabels.get(m.jobId());
            if (known != null && !judge) {
                trainLabels = Math.max(trainLabels, known);
                continue; // seen in an earlier version: no need to fetch it again
            }
            Path dir = verified(m.uri(), m.sha256());
            long count = trainCount(dir);
            remember(m.jobId(), count);
            trainLabels = Math.max(trainLabels, count);
            if (judge) {
                toJudge.put(m.jobId(), new PendingMember(dir, count, m.sha256()));
            }
        }
        loadsFirst.awaitNoLoad(() -> running);
        List<TestSetOutcomes> version = scorer.outcomes(verified(v.uri(), v.sha256()));
        board.version(v.version(), version);
        publisher.publish(v, EvaluationSubject.VERSION, null, trainLabels, version);
        LOG.info("test sets, v{} ({} members, {} training labels): {}", v.version(), v.members().size(), trainLabels,
                String.join(", ", accuracies(version).stream().map(TestSetJudge::text).toList()));
        for (Map.Entry<String, PendingMember> m : toJudge.entrySet()) {
            if (!running) {
                return;
            }
            List<TestSetOutcomes> member;
            if (m.getValue().sha256().equals(v.sha256())) {
                // The same weights as the version (a one-member average is its member): the same figures, no scoring
                // time. On a CPU shared with training, that is a minute of the trainer's time per such version.
                member = version.stream().map(o -> new TestSetOutcomes(o.testSet(), o.right(), 0)).toList();
            } else {
                loadsFirst.awaitNoLoad(() -> running);
                member = scorer.outcomes(m.getValue().dir());
            }
            board.member(m.getKey(), accuracies(member));
            publisher.publish(v, EvaluationSubject.MEMBER, m.getKey(), m.getValue().trainLabels(), member);
        }
    }

    private static List<TestSetAccuracy> accuracies(List<TestSetOutcomes> outcomes) {
        return outcomes.stream().map(TestSetOutcomes::accuracy).toList();
    }

    private record PendingMember(Path dir, long trainLabels, String sha256) {
    }

    private void remember(String jobId, long count) {
        memberLabels.put(jobId, count);
        if (memberLabels.size() > MEMBERS_REMEMBERED) {
            memberLabels.remove(memberLabels.keySet().iterator().next());
        }
    }

    private Path verified(URI uri, String sha256) {
        Path dir = store.fetch(uri);
        String recorded = ModelDirectory.readManifest(dir).weightsSha256();
        if (!recorded.equals(sha256)) {
            throw new IllegalStateException(uri + " records weights " + recorded + ", its event promised " + sha256);
        }
        return dir;
    }

    /** The member's training-label count from its facts ({@code job.train_count}); 0 when unknown. */
    static long trainCount(Path memberDir) {
        ModelManifest manifest = ModelDirectory.readManifest(memberDir);
        if (manifest.facts().get("job") instanceof Map<?, ?> job && job.get("train_count") instanceof Number n) {
            return n.longValue();
        }
        return 0;
    }

    static String text(TestSetAccuracy a) {
        return String.format(Locale.ROOT, "%s %.3f ± %.3f", a.testSet(), a.accuracy(), a.standardError());
    }

    @PreDestroy
    @Override
    public void close() {
        running = false;
        scorer.cancel();
        worker.interrupt();
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            // Closing the models under a thread still in native code crashes the JVM: leave them to the process's exit.
            LOG.warn("test-set judge still scoring after 30 s; its models are left open");
            return;
        }
        scorer.close();
    }
}
