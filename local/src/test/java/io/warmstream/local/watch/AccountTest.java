package io.warmstream.local.watch;

import io.warmstream.events.Hyperparameters;
import io.warmstream.events.Member;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.local.feed.SimulatorFeed;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));

    private List<String> lines() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test
    void progressPrintsTheFirstStepThenOncePerTenthOfARun() {
        Account account = new Account(out, clock, clock.millis(), Duration.ofSeconds(10), null);
        for (int step = 1; step <= 200; step++) {
            account.run(progress("job-a", step, 200));
        }
        List<String> lines = lines();
        // The first event (the run is under way, at this speed), then one per tenth.
        assertEquals(11, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("[....................] 1/200 steps"), lines.get(0));
        assertTrue(lines.get(1).contains("[##..................] 20/200 steps"), lines.get(1));
        assertTrue(lines.get(10).contains("[####################] 200/200 steps"), lines.get(10));
        assertTrue(lines.get(10).contains("loss 0.500") && lines.get(10).contains("4.0 pairs/s"), lines.get(10));
    }

    @Test
    void aJudgedVersionIsPairedAgainstTheVersionJudgedBeforeIt() {
        Account account = new Account(out, clock, clock.millis(), Duration.ofSeconds(10), null);
        // 10 pairs: v1 gets pairs 0-5 right, v2 pairs 0-7; v2 wins on 2 pairs and loses none.
        account.evaluation(judged(1, 6));
        clock.advance(Duration.ofSeconds(2));
        account.tick();
        account.evaluation(judged(2, 8));
        clock.advance(Duration.ofSeconds(2));
        account.tick();
        List<String> lines = lines();
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).endsWith("test   default v1: gold-id 0.600 ± 0.155 (10 pairs each; trained on up to 100 labels)"),
                lines.get(0));
        // Paired differences d = 1 on 2 of 10 pairs: mean 0.2, sd sqrt((2 - 10 * 0.04) / 9), se sd / sqrt(10).
        double se = Math.sqrt((2 - 10 * 0.04) / 9) / Math.sqrt(10);
        assertTrue(lines.get(1).contains(String.format(java.util.Locale.ROOT,
                "default v2: gold-id 0.800 ± 0.126 (+0.200 ± %.3f vs v1, paired)", se)), lines.get(1));
    }

    private static io.warmstream.events.ModelEvaluation judged(long version, int rightPairs) {
        boolean[] right = new boolean[10];
        for (int i = 0; i < rightPairs; i++) {
            right[i] = true;
        }
        io.warmstream.scorer.evaluation.TestSetOutcomes o = new io.warmstream.scorer.evaluation.TestSetOutcomes(
                "gold-id", right, 5);
        double p = rightPairs / 10.0;
        return io.warmstream.events.ModelEvaluation.newBuilder().setAverage("default").setVersion(version)
                .setSubject(io.warmstream.events.EvaluationSubject.VERSION).setTestSet("gold-id").setPairs(10)
                .setAccuracy(p).setStandardError(Math.sqrt(p * (1 - p) / 10)).setTrainLabels(100).setGeneration(0)
                .setEvaluatedAt(Instant.ofEpochSecond(version)).setDurationMs(5)
                .setOutcomes(java.nio.ByteBuffer.wrap(o.packed())).build();
    }

    @Test
    void firstVersionSaysHowLongItTook() {
        Account account = new Account(out, clock, clock.millis(), Duration.ofSeconds(10), null);
        account.history(0, 0, 0, 0, null);
        clock.advance(Duration.ofSeconds(263));
        account.model(model(1, 1));
        clock.advance(Duration.ofSeconds(60));
        account.model(model(2, 2));
        List<String> lines = lines();
        assertTrue(lines.get(0).contains("empty data directory"), lines.get(0));
        assertTrue(lines.get(1).contains("default v1 published: 1 member, UNIFORM, validation accuracy 0.710"), lines.get(1));
        assertTrue(lines.get(1).contains("first WARM version, 4m23s after start"), lines.get(1));
        assertTrue(lines.get(2).contains("members: job-1 0.700"), lines.get(2));
        assertTrue(lines.get(3).contains("v2 published: 2 members") && !lines.get(3).contains("first WARM"), lines.get(3));
    }

    @Test
    void longAveragesShowTheirNewestMembers() {
        Account account = new Account(out, clock, clock.millis(), Duration.ofSeconds(10), null);
        account.model(model(9, 9));
        String members = lines().get(1);
        assertTrue(members.contains("members (newest 6 of 9): job-4 0.700, job-5"), members);
        assertTrue(members.endsWith("job-9 0.700"), members);
    }

    @Test
    void resumedAccountDoesNotCallALaterVersionTheFirst() {
        Account account = new Account(out, clock, clock.millis(), Duration.ofSeconds(10), null);
        account.history(1200, 3, 4, 4, model(3, 3));
        account.model(model(4, 4));
        List<String> lines = lines();
        assertTrue(lines.get(0).contains("1,200 labels validated, 3 dead-lettered, 4 training jobs, 4 checkpoints, newest WARM default v3 with 3 members"),
                lines.get(0));
        assertTrue(!lines.get(1).contains("first WARM"), lines.get(1));
    }

    @Test
    void labelSummaryEveryIntervalOnlyWhenSomethingChanged() {
        AtomicReference<SimulatorFeed.Stats> feed = new AtomicReference<>(new SimulatorFeed.Stats(0, 0, 0, 0, Map.of(), null));
        Account account = new Account(out, clock, clock.millis(), Duration.ofSeconds(10), feed::get);
        account.history(0, 0, 0, 0, null);
        feed.set(new SimulatorFeed.Stats(40, 40, 39, 1, Map.of("blank", 1L), null));
        account.labelsValidated(39);
        account.tick();
        assertEquals(1, lines().size(), "nothing before the interval has passed");
        clock.advance(Duration.ofSeconds(10));
        account.tick();
        account.deadLettered("too_long");
        clock.advance(Duration.ofSeconds(10));
        account.tick();
        clock.advance(Duration.ofSeconds(10));
        account.tick(); // nothing new: no line
        List<String> lines = lines();
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).contains("sent 40 (+40), accepted 39, rejected 1 {blank=1}; validated 39 (+39), dead-lettered 0"), lines.get(1));
        assertTrue(lines.get(2).contains("dead-lettered 1 {too_long=1}"), lines.get(2));
    }

    @Test
    void jobLineNamesItsDiversity() {
        Account account = new Account(out, clock, clock.millis(), Duration.ofSeconds(10), null);
        Hyperparameters h = Hyperparameters.newBuilder().setLearningRate(4e-5).setDropout(0.1).setBatchSize(8)
                .setMaxSteps(60).setMaxSequenceLength(128).setTrainableLayers(2).build();
        account.job(TrainingJob.newBuilder().setJobId("default-000012-8aeea876bc37").setCreatedAt(clock.instant()).setRanges(List.of())
                .setLabelCount(256).setValidationFraction(0.1).setBaseModel("minilm-l6").setSeed(7).setHyperparameters(h).build());
        String line = lines().get(0);
        assertTrue(line.contains("job    default-000012 queued: 256 labels, lr 4e-05, dropout 0.10, batch 8, 60 steps, seed 7"), line);
    }

    @Test
    void skippedJobsNameTheJobThatCoversThemAndLeftOutLabelsAreShown() {
        Account account = new Account(out, clock, clock.millis(), Duration.ofSeconds(10), null);
        account.run(TrainingRunEvent.newBuilder().setJobId("default-000003-8aeea876bc37").setWorker("local-trainer-1")
                .setType("SKIPPED").setTime(clock.instant())
                .setReason("superseded by default-000005-0123456789ab, a newer job of 'default' whose ranges hold all 480 labels of this one")
                .build());
        Hyperparameters h = Hyperparameters.newBuilder().setLearningRate(4e-5).setDropout(0.1).setBatchSize(8)
                .setMaxSteps(60).setMaxSequenceLength(128).setTrainableLayers(2).build();
        account.job(TrainingJob.newBuilder().setJobId("default-000006-8aeea876bc37").setCreatedAt(clock.instant()).setRanges(List.of())
                .setLabelCount(960).setValidationFraction(0.1).setBaseModel("minilm-l6").setSeed(7).setHyperparameters(h)
                .setDataSelection("NEWEST_WINDOW").setLeftOutCount(240).build());
        List<String> lines = lines();
        assertTrue(lines.get(0).contains("default-000003 skipped by local-trainer-1: superseded by default-000005, which covers its labels"),
                lines.get(0));
        assertTrue(lines.get(1).endsWith("seed 7; 240 labels slid out of the window in no job (trainers busy)"), lines.get(1));
    }

    @Test
    void aWithheldVersionSaysSoWithItsFiguresAndWhichVersionStaysServed() {
        Account account = new Account(out, clock, clock.millis(), Duration.ofSeconds(10), null);
        account.model(model(1, 1));
        WarmModelPublished better = model(2, 2);
        better.setAccuracyStandardError(0.021);
        better.setComparedWithVersion(1L);
        better.setPairedDifference(0.04);
        better.setPairedStandardError(0.012);
        account.model(better);
        WarmModelPublished worse = model(3, 3);
        worse.setWithheld(true);
        worse.setServedVersion(2L);
        worse.setComparedWithVersion(2L);
        worse.setPairedDifference(-0.09);
        worse.setPairedStandardError(0.02);
        account.model(worse);
        List<String> lines = lines();
        String served = lines.stream().filter(l -> l.contains("v2 ")).findFirst().orElseThrow();
        assertTrue(served.contains("v2 published: 2 members, UNIFORM, validation accuracy 0.710 ± 0.021, vs v1 +0.040 ± 0.012"), served);
        String withheld = lines.stream().filter(l -> l.contains("v3 ")).findFirst().orElseThrow();
        assertTrue(withheld.contains("v3 WITHHELD by the quality gate (v2 stays served): 3 members"), withheld);
        assertTrue(withheld.contains("vs v2 -0.090 ± 0.020"), withheld);
    }

    private TrainingRunEvent progress(String job, int step, int total) {
        return TrainingRunEvent.newBuilder().setJobId(job).setWorker("w").setType("PROGRESS").setTime(clock.instant())
                .setStep(step).setTotalSteps(total).setLoss(0.5).setPairsPerSecond(4.0).build();
    }

    private WarmModelPublished model(long version, int members) {
        List<Member> list = new java.util.ArrayList<>();
        for (int i = 1; i <= members; i++) {
            list.add(Member.newBuilder().setJobId("job-" + i).setUri("file:/m" + i).setSha256("00").setValidationAccuracy(0.7)
                    .setWeight(1.0 / members).build());
        }
        return WarmModelPublished.newBuilder().setAverage("default").setVersion(version).setUri("file:/avg").setSha256("00")
                .setLineage("l").setStrategy("UNIFORM").setMembers(list).setMemberCount(members).setValidationAccuracy(0.71)
                .setPublishedAt(clock.instant()).build();
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
