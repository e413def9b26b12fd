package io.warmstream.local.stream;

import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.local.session.StackSession;
import io.warmstream.local.feed.SimulatorFeed;
import io.warmstream.local.stack.StackSettings;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.ModelDirectory;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of the stream experiment with one merge strategy: the whole system as {@code warm demo} runs it (embedded
 * broker and registry, ingest, a trainer, the merger, the scorer with its test-set judge) on a fresh data
 * directory, fed the label budget through ingest, until the served model has seen (nearly) every label, nothing new
 * has been judged for a while after the feed ended, or the time limit.
 */
final class StreamRun {

    /** What one member's manifest says about its training: optimizer steps, the mean loss of its last steps, its rate. */
    record MemberTraining(int steps, Double finalLoss, Double learningRate) {
        static final MemberTraining UNKNOWN = new MemberTraining(0, null, null);
    }

    /**
     * What a run produced. {@code members}: each checkpoint's training facts, by job id; {@code trainingFeatures} and
     * {@code evaluationFeatures}: the disk caches its trainers and test-set judge filled, for the yardsticks to reuse.
     */
    record Result(String strategy, Map<Long, WarmModelPublished> versions, List<ModelEvaluation> evaluations,
                  List<RewardModelCheckpoint> checkpoints, Map<String, MemberTraining> members, long labelsAccepted,
                  long wallMillis, String stopReason, List<Map<String, Object>> served, Map<String, Integer> queuePeaks,
                  Path storeDir, List<Map<String, Object>> rejected, Path trainingFeatures, Path evaluationFeatures) {
    }

    private StreamRun() {
    }

    static Result run(StreamExperimentSettings s, String strategy, Path dataDir, PrintStream out) {
        Map<String, Object> overrides = new LinkedHashMap<>(s.overrides());
        overrides.put("warm.merger.strategy", strategy);
        StackSettings stack = new StackSettings(dataDir, 0, 0, 0, 0, 0, 0, 1, s.profile(), overrides);
        // The services' own log lines (each version's merger stages, the scorer's load times) go where the stack's
        // banner says, as in the demo; the console keeps the account.
        io.warmstream.local.stack.LogFile.redirectTo(stack.logFile());
        double holdout = ((Number) s.property("warm.trainer.planner.validation-fraction")).doubleValue();
        long started = System.currentTimeMillis();
        String reason;
        long accepted;
        StreamRecorder recorder;
        List<Map<String, Object>> served;
        try (StackSession session = StackSession.start(stack, new StackSession.FeedOptions(s.seed(), s.flipFraction(),
                0.0, s.rate(), s.labels(), Duration.ZERO), out, Clock.systemUTC(), Duration.ofSeconds(30))) {
            recorder = new StreamRecorder(session.stack().kafkaSettings());
            recorder.start();
            FreshnessPoller poller = new FreshnessPoller(session.stack().service("scorer").orElseThrow().url(),
                    session.stack().secrets().key(io.warmstream.security.Roles.READER));
            poller.start();
            SimulatorFeed feed = session.feed().orElseThrow();
            while (true) {
                sleep(2_000);
                SimulatorFeed.Stats stats = feed.stats();
                long trainLabels = (long) (stats.accepted() * (1 - holdout));
                long now = System.currentTimeMillis();
                if (now - started > s.timeLimit().toMillis()) {
                    reason = "time limit " + s.timeLimit().toMinutes() + " min";
                    break;
                }
                if (feed.finished() && recorder.newestJudgedTrainLabels() >= 0.97 * trainLabels
                        && recorder.membersOfJudgedVersionsJudged()) {
                    reason = "the served model was trained on at least 97% of the training labels, and it and its"
                            + " members were judged";
                    break;
                }
                if (feed.finished() && now - recorder.lastActivityAt() > s.quiet().toMillis()) {
                    reason = "nothing planned, trained, folded or judged for " + s.quiet().toSeconds()
                            + " s after the feed ended";
                    break;
                }
            }
            accepted = feed.stats().accepted();
            out.printf(Locale.ROOT, "stream run (%s) stops: %s%n", strategy, reason);
            poller.close();
            served = poller.served();
            recorder.close();
        }
        Map<String, MemberTraining> members = memberTraining(stack.storeDir(), recorder.checkpoints());
        return new Result(strategy, recorder.versions(), recorder.evaluations(), recorder.checkpoints(), members,
                accepted, System.currentTimeMillis() - started, reason, served, recorder.queuePeaks(), stack.storeDir(),
                recorder.rejected(), stack.featuresDir("training"), stack.featuresDir("evaluation"));
    }

    private static Map<String, MemberTraining> memberTraining(Path storeDir, List<RewardModelCheckpoint> checkpoints) {
        Map<String, MemberTraining> members = new LinkedHashMap<>();
        CheckpointStore store = CheckpointStore.open(storeDir.toString());
        for (RewardModelCheckpoint c : checkpoints) {
            try {
                Map<String, Object> facts = ModelDirectory.readManifest(store.fetch(URI.create(c.getUri()))).facts();
                Object training = facts.get("training");
                Object rate = training instanceof Map<?, ?> t ? t.get("learning_rate") : null;
                members.put(c.getJobId(), new MemberTraining(facts.get("steps") instanceof Number n ? n.intValue() : 0,
                        number(facts.get("final_loss")), number(rate)));
            } catch (RuntimeException e) {
                // a member whose checkpoint is gone still has its evaluations; only its training facts are unknown
                members.put(c.getJobId(), MemberTraining.UNKNOWN);
            }
        }
        return members;
    }

    private static Double number(Object v) {
        return v instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
