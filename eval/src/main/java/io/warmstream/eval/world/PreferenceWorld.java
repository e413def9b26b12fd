package io.warmstream.eval.world;

import io.warmstream.eval.world.TopicCatalog.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A simulated world of summarisation preferences with a known gold reward: posts with concrete facts
 * ({@link Task}), candidate summaries of controlled quality ({@link Candidate}, scored by {@link GoldReward}), and
 * an AI labeller turning candidate pairs into preference labels ({@link LabelledPair}), some of them flipped.
 *
 * <p>Everything is a pure function of the {@link WorldConfig} and the requested split and index, so labels can be
 * generated in any order, in parallel, and reproduced exactly.
 */
public final class PreferenceWorld {
    private static final int PAIR_ATTEMPTS = 1000;

    private final WorldConfig config;
    private final List<Topic> inDistribution;
    private final List<Topic> outOfDistribution;
    private final TaskWriter taskWriter;
    private final SummaryWriter summaryWriter;
    private final AiLabeller labeller;
    private final CandidatePolicy inDistributionPolicy;
    private final CandidatePolicy shiftedPolicy;

    private PreferenceWorld(WorldConfig config, TopicCatalog catalog) {
        this.config = config;
        this.inDistribution = catalog.topics(false);
        this.outOfDistribution = catalog.topics(true);
        this.taskWriter = new TaskWriter(catalog);
        this.summaryWriter = new SummaryWriter(catalog, config.gold());
        this.labeller = new AiLabeller(config.labellerId(), config.temperature());
        this.inDistributionPolicy = new CandidatePolicy(0.0);
        this.shiftedPolicy = new CandidatePolicy(config.oodShift());
    }

    public static PreferenceWorld create(WorldConfig config) {
        return new PreferenceWorld(config, TopicCatalog.standard());
    }

    public WorldConfig config() {
        return config;
    }

    public AiLabeller labeller() {
        return labeller;
    }

    /** Topic names a split draws from; TRAIN and VALIDATION_ID share theirs, OOD's are disjoint from them. */
    public List<String> topics(Split split) {
        return topicsOf(split).stream().map(Topic::name).toList();
    }

    /** Candidate-policy shift used for a split's candidates: 0 in distribution, {@code oodShift} for OOD. */
    public double shift(Split split) {
        return split == Split.OOD ? config.oodShift() : 0.0;
    }

    public Task task(Split split, long index) {
        SplittableRandom rng = Seeds.derive(config.seed(), Seeds.TASK, split.ordinal(), index);
        List<Topic> topics = topicsOf(split);
        Topic topic = topics.get(rng.nextInt(topics.size()));
        int facts = config.minFacts() + rng.nextInt(config.maxFacts() - config.minFacts() + 1);
        String id = "pw-" + config.seed() + "-" + split.slug() + "-t" + index;
        return taskWriter.write(id, split, index, topic, facts, config.contextSentences(), rng);
    }

    /**
     * {@code n} candidates for best-of-N from the task's split's policy. Candidate i depends only on (task, seed, i),
     * so the first n of a larger draw are exactly {@code candidates(task, n, seed)}: best-of-N is nested in N.
     */
    public List<Candidate> candidates(Task task, int n, long seed) {
        return candidates(task, n, seed, shift(task.split()));
    }

    /** As {@link #candidates(Task, int, long)} with an explicit policy shift in [0, 1]. */
    public List<Candidate> candidates(Task task, int n, long seed, double shift) {
        CandidatePolicy policy = shift == shift(task.split()) ? policyFor(task.split()) : new CandidatePolicy(shift);
        List<Candidate> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = Seeds.derive(config.seed(), Seeds.CANDIDATES, task.split().ordinal(),
                    task.index(), seed, i);
            out.add(summaryWriter.write(task, policy.sample(task, rng), rng));
        }
        return out;
    }

    /** Writes the candidate a hand-made plan describes (its wording is drawn from {@code seed}). */
    public Candidate write(Task task, SummaryPlan plan, long seed) {
        SplittableRandom rng = Seeds.derive(config.seed(), Seeds.WRITE, task.split().ordinal(), task.index(), seed);
        return summaryWriter.write(task, plan, rng);
    }

    /** Label {@code index} of a split. Flips are only injected into {@link Split#TRAIN}. */
    public LabelledPair label(Split split, long index) {
        return label(split, index, policyFor(split));
    }

    /**
     * Label {@code index} of a split's topics with both responses from a policy of the given shift in [0, 1]: topic
     * shift (the split) and policy shift (the candidates) separately, e.g. in-distribution topics answered by the
     * shifted policy. With the split's own shift it is {@link #label(Split, long)}.
     */
    public LabelledPair label(Split split, long index, double policyShift) {
        return label(split, index, policyShift == shift(split) ? policyFor(split) : new CandidatePolicy(policyShift));
    }

    private LabelledPair label(Split split, long index, CandidatePolicy policy) {
        Task task = task(split, index / config.labelsPerTask());
        SplittableRandom rng = Seeds.derive(config.seed(), Seeds.PAIR, split.ordinal(), index);
        Candidate a = summaryWriter.write(task, policy.sample(task, rng), rng);
        Candidate b = null;
        double margin = Math.max(config.minGoldMargin(), 1e-9);
        for (int attempt = 0; attempt < PAIR_ATTEMPTS && b == null; attempt++) {
            Candidate other = summaryWriter.write(task, policy.sample(task, rng), rng);
            if (Math.abs(other.goldReward() - a.goldReward()) >= margin) {
                b = other;
            }
        }
        if (b == null) {
            throw new IllegalStateException("no candidate pair " + margin + " apart for " + task.id()
                    + "; lower minGoldMargin");
        }
        boolean flip = split == Split.TRAIN
                && Seeds.uniform(config.seed(), Seeds.FLIP, split.ordinal(), index) < config.flipFraction();
        AiLabeller.Judgement judgement = labeller.judge(a, b, flip,
                Seeds.derive(config.seed(), Seeds.LABELLER, split.ordinal(), index));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(LabelledPair.FLIPPED, Boolean.toString(judgement.flipped()));
        metadata.put(LabelledPair.GOLD_CHOSEN, Double.toString(judgement.chosen().goldReward()));
        metadata.put(LabelledPair.GOLD_REJECTED, Double.toString(judgement.rejected().goldReward()));
        metadata.put(LabelledPair.GOLD_MARGIN,
                Double.toString(judgement.chosen().goldReward() - judgement.rejected().goldReward()));
        metadata.put(LabelledPair.SPLIT, split.slug());
        metadata.put(LabelledPair.TOPIC, task.topic());
        metadata.put(LabelledPair.TASK_ID, task.id());
        return new LabelledPair("pw-" + config.seed() + "-" + split.slug() + "-" + index, task.prompt(),
                judgement.chosen().text(), judgement.rejected().text(), labeller.id(), config.source(),
                judgement.confidence(), config.startEpochMillis() + index * config.intervalMillis(),
                metadata);
    }

    /** Labels 0 to count - 1 of a split, in order. */
    public Stream<LabelledPair> labels(Split split, long count) {
        return labels(split, 0, count);
    }

    /** Labels from to from + count - 1 of a split, in order (a stream can be made parallel: labels are independent). */
    public Stream<LabelledPair> labels(Split split, long from, long count) {
        return LongStream.range(from, from + count).mapToObj(i -> label(split, i));
    }

    private List<Topic> topicsOf(Split split) {
        return split == Split.OOD ? outOfDistribution : inDistribution;
    }

    private CandidatePolicy policyFor(Split split) {
        return split == Split.OOD ? shiftedPolicy : inDistributionPolicy;
    }
}
