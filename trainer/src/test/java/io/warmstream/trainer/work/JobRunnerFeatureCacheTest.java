package io.warmstream.trainer.work;

import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.Hyperparameters;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;
import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardHead;
import io.warmstream.model.RewardModel;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.trainer.Jobs;
import io.warmstream.trainer.TrainerTestKit;
import io.warmstream.testkit.ToyLabels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker's job path with the frozen-bottom cache: the same job trained with the cache and without gives the
 * same rewards (dropout 0: the bottom's dropout is the only thing the cache changes), later jobs reuse the cached
 * labels, and full fine-tuning or an init checkpoint with another bottom run the whole network.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobRunnerFeatureCacheTest {

    private static final List<PreferencePair> PROBE = ToyLabels.pairs(40, 99);

    private TrainerTestKit kit;
    private List<OffsetRange> ranges;
    private JobDataReader reader;
    private CheckpointStore cachedStore;
    private CheckpointStore wholeStore;
    private JobRunner cached;
    private JobRunner whole;

    @BeforeAll
    void start(EmbeddedKafka broker, EmbeddedRegistry registry) throws Exception {
        kit = new TrainerTestKit("cache", broker, registry);
        ranges = kit.produceLabels(ToyLabels.labels("cache-" + kit.run + "-", 96, 17));
        reader = new JobDataReader(kit.kafka, "cache-reader-" + kit.run, Duration.ofSeconds(20));
        cachedStore = CheckpointStore.open(Files.createTempDirectory("cache-on").toString());
        wholeStore = CheckpointStore.open(Files.createTempDirectory("cache-off").toString());
        FeatureCacheSettings on = new FeatureCacheSettings(true, 64L << 20, Files.createTempDirectory("features"),
                64L << 20);
        cached = runner("cached", cachedStore, on);
        whole = runner("whole", wholeStore, FeatureCacheSettings.disabled());
    }

    private JobRunner runner(String id, CheckpointStore store, FeatureCacheSettings settings) throws Exception {
        return new JobRunner(id, Compute.cpu(), store, reader, Files.createTempDirectory("work-" + id), 100,
                e -> { }, new WorkerStatus(), settings,
                new io.warmstream.platform.Backoff(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1)));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {cached, whole, reader, kit}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private TrainingJob.Builder job(String id, int trainableLayers) {
        return Jobs.tiny(id, ranges, 10).setHyperparameters(Hyperparameters.newBuilder()
                .setLearningRate(2e-3).setDropout(0.0).setWeightDecay(0.01).setBatchSize(16).setEpochs(50)
                .setMaxSteps(10).setMaxSequenceLength(32).setTrainableLayers(trainableLayers).setRewardCentering(0)
                .setExtra(Map.of()).build());
    }

    private static JobResult.Finished finished(JobResult result) {
        return assertInstanceOf(JobResult.Finished.class, result, () -> "job did not finish: " + result);
    }

    private static Map<String, Object> cacheFacts(CheckpointStore store, JobResult.Finished f) {
        Map<String, Object> facts = ModelDirectory.readManifest(store.fetch(URI.create(f.checkpoint().getUri())))
                .facts();
        @SuppressWarnings("unchecked")
        Map<String, Object> cache = (Map<String, Object>) facts.get("feature_cache");
        return cache;
    }

    @SuppressWarnings("unchecked")
    private static long lookups(Map<String, Object> cacheFacts, String counter) {
        return ((Number) ((Map<String, Object>) cacheFacts.get("lookups")).get(counter)).longValue();
    }

    /** Reward of the chosen minus reward of the rejected response of each probe pair. */
    private static double[] margins(CheckpointStore store, JobResult.Finished f) {
        try (RewardModel m = RewardModel.load(store.fetch(URI.create(f.checkpoint().getUri())), Compute.cpu())) {
            List<String> prompts = PROBE.stream().map(PreferencePair::prompt).toList();
            float[] chosen = m.score(prompts, PROBE.stream().map(PreferencePair::chosen).toList());
            float[] rejected = m.score(prompts, PROBE.stream().map(PreferencePair::rejected).toList());
            double[] out = new double[chosen.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (double) chosen[i] - rejected[i];
            }
            return out;
        }
    }

    @Test
    void theSameJobGivesTheSameRewardsWithTheCacheAndWithoutAndLaterJobsReuseIt() throws Exception {
        Path features = Files.createTempDirectory("features-parity");
        CheckpointStore cachedStore = CheckpointStore.open(Files.createTempDirectory("cache-parity").toString());
        TrainingJob job = job("cache-parity", 1).setSharedHead("heads/default/cache-test").setGeneration(1).build();
        JobResult.Finished on;
        try (JobRunner cached = runner("parity", cachedStore, new FeatureCacheSettings(true, 64L << 20, features,
                64L << 20))) {
            on = finished(cached.run(job, new CancelToken()));
            // Another job over the same labels: every hidden state is already there.
            JobResult.Finished again = finished(cached.run(job("cache-again", 1).build(), new CancelToken()));
            Map<String, Object> second = cacheFacts(cachedStore, again);
            assertEquals(0, lookups(second, "misses"), second.toString());
            assertTrue(lookups(second, "memory_hits") >= 10 * 16 * 2, second.toString());
        }
        // Another worker on the machine (its own memory) over the same directory: it computes nothing either.
        try (JobRunner neighbour = runner("neighbour", cachedStore, new FeatureCacheSettings(true, 64L << 20,
                features, 64L << 20))) {
            Map<String, Object> third = cacheFacts(cachedStore,
                    finished(neighbour.run(job("cache-neighbour", 1).build(), new CancelToken())));
            assertEquals(0, lookups(third, "misses"), third.toString());
            assertTrue(lookups(third, "disk_hits") > 0, third.toString());
        }
        JobResult.Finished off = finished(whole.run(job, new CancelToken()));

        // Compared by margin (chosen - rejected), what preferences and accuracy read. The Bradley-Terry loss does not
        // depend on the classifier's bias (nor the attention's key biases), so their gradients are float noise that
        // AdamW turns into steps of about the learning rate, cache or not: those weights, and the rewards' common
        // offset, differ between any two float orders by up to about 1e-3 here.
        double[] a = margins(cachedStore, on);
        double[] b = margins(wholeStore, off);
        double max = 0;
        double spread = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
            spread = Math.max(spread, Math.abs(a[i] - a[0]));
        }
        System.out.printf("max |margin with cache - without| = %.3g (margins spread %.3g)%n", max, spread);
        assertTrue(spread > 1e-2, "the trained model must not score everything alike: " + spread);
        assertTrue(max < 1e-4, "max |margin with cache - without| = " + max);
        assertEquals(off.checkpoint().getValidationAccuracy(), on.checkpoint().getValidationAccuracy(), 1e-9);
        assertEquals(off.checkpoint().getValidationLoss(), on.checkpoint().getValidationLoss(), 1e-4);
        RewardHead headOn = RewardHead.load(cachedStore.fetch(cachedStore.uriOf("heads/default/cache-test"))
                .resolve(SharedHeads.HEAD_FILE));
        RewardHead headOff = RewardHead.load(wholeStore.fetch(wholeStore.uriOf("heads/default/cache-test"))
                .resolve(SharedHeads.HEAD_FILE));
        for (int i = 0; i < headOn.weight().length; i++) {
            assertEquals(headOff.weight()[i], headOn.weight()[i], 1e-4, "head weight " + i);
        }
        // The head's L2 is cross-validated on its pairs, and the same choice is made from cached features.
        assertEquals("cross-validation", headOn.facts().get("l2_source"), headOn.facts().toString());
        assertEquals(headOff.facts().get("l2"), headOn.facts().get("l2"));
        assertEquals(1, on.checkpoint().getGeneration(), "a checkpoint carries its job's generation");

        Map<String, Object> first = cacheFacts(cachedStore, on);
        assertEquals(Boolean.TRUE, first.get("used"));
        assertEquals(1, ((Number) first.get("frozen_layers")).intValue());
        assertTrue(lookups(first, "misses") > 0, "the first job computes the bottom: " + first);
        Map<String, Object> none = cacheFacts(wholeStore, off);
        assertEquals(Boolean.FALSE, none.get("used"));
        assertTrue(String.valueOf(none.get("reason")).contains("disabled"), none.toString());
    }

    @Test
    void fullFineTuningAndACheckpointWithAnotherBottomRunTheWholeNetwork() {
        JobResult.Finished full = finished(cached.run(job("cache-full", -1).build(), new CancelToken()));
        Map<String, Object> fullFacts = cacheFacts(cachedStore, full);
        assertEquals(Boolean.FALSE, fullFacts.get("used"));
        assertTrue(String.valueOf(fullFacts.get("reason")).contains("nothing frozen"), fullFacts.toString());

        // Started from the fully fine-tuned model: its bottom is not the base's, so no cache applies.
        JobResult.Finished fromFull = finished(cached.run(job("cache-from-full", 1)
                .setInitCheckpoint(full.checkpoint().getUri()).build(), new CancelToken()));
        Map<String, Object> fromFullFacts = cacheFacts(cachedStore, fromFull);
        assertEquals(Boolean.FALSE, fromFullFacts.get("used"));
        assertTrue(String.valueOf(fromFullFacts.get("reason")).contains("differ"), fromFullFacts.toString());

        // Started from a top-layer model (Baklava): same bottom as the base, so the base's cache serves it.
        JobResult.Finished top = finished(cached.run(job("cache-top", 1).build(), new CancelToken()));
        JobResult.Finished fromTop = finished(cached.run(job("cache-from-top", 1)
                .setInitCheckpoint(top.checkpoint().getUri()).build(), new CancelToken()));
        Map<String, Object> fromTopFacts = cacheFacts(cachedStore, fromTop);
        assertEquals(Boolean.TRUE, fromTopFacts.get("used"), fromTopFacts.toString());
        assertEquals(0, lookups(fromTopFacts, "misses"), fromTopFacts.toString());
        assertEquals(cacheFacts(cachedStore, top).get("fingerprint"), fromTopFacts.get("fingerprint"));
    }
}
