package io.warmstream.scorer.serving;

import java.util.List;

/**
 * The prediction ensemble (ENS) of a version's members: every member scores every item, the reward is the mean and
 * the members' spread (population standard deviation) is the uncertainty WARM alone cannot give. It costs M forward
 * passes and M models in memory where WARM costs one.
 */
public final class Ensemble implements AutoCloseable {

    private final List<RewardFunction> members;

    public Ensemble(List<RewardFunction> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        this.members = List.copyOf(members);
    }

    public int size() {
        return members.size();
    }

    /** Estimated bytes of the members' weights. */
    public long weightBytes() {
        return members.stream().mapToLong(RewardFunction::weightBytes).sum();
    }

    /** Mean and standard deviation over members, per item. */
    public Scored score(List<String> prompts, List<String> responses) {
        int n = prompts.size();
        int m = members.size();
        float[][] r = new float[m][];
        for (int j = 0; j < m; j++) {
            r[j] = members.get(j).score(prompts, responses);
        }
        float[] mean = new float[n];
        float[] std = new float[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sum += r[j][i];
            }
            double mu = sum / m;
            double sq = 0;
            for (int j = 0; j < m; j++) {
                double d = r[j][i] - mu;
                sq += d * d;
            }
            mean[i] = (float) mu;
            std[i] = (float) Math.sqrt(sq / m);
        }
        return new Scored(mean, std);
    }

    /** Per-item mean and spread. */
    public record Scored(float[] mean, float[] std) {
    }

    @Override
    public void close() {
        for (RewardFunction f : members) {
            f.close();
        }
    }
}
