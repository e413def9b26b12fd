package io.warmstream.eval.paper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * How one member is fine-tuned: its seed (data order and dropout masks), learning rate and dropout.
 *
 * @param index 1-based position: WARM and ENS with M members use members 1..M
 */
public record MemberRecipe(int index, long seed, double learningRate, double dropout) {

    /**
     * The paper draws each member's hyperparameters from the grid. With M = 6 and a 3 x 2 grid, independent draws
     * would often give several members the same pair, so the draw here is a seeded shuffle of the full grid (each
     * combination once per round, a new shuffle each round): random order, but balanced diversity. The same recipes
     * serve every noise level, so label noise is the only thing that differs between the experiments.
     */
    public static List<MemberRecipe> draw(EvalSettings settings) {
        return draw(settings, 0);
    }

    /**
     * The recipes of training seed {@code trainingSeed} (0-based; 0 is {@link #draw(EvalSettings)}). Another training
     * seed gives every member another seed (data order, dropout masks) and reshuffles which member gets which grid
     * point, on the same data: what differs between two runs of the same experiment.
     */
    public static List<MemberRecipe> draw(EvalSettings settings, int trainingSeed) {
        if (trainingSeed < 0 || trainingSeed > 99) {
            throw new IllegalArgumentException("training seed must be in [0, 99], got " + trainingSeed);
        }
        List<double[]> grid = new ArrayList<>();
        for (double lr : settings.learningRates()) {
            for (double dropout : settings.dropouts()) {
                grid.add(new double[] {lr, dropout});
            }
        }
        Random random = new Random(settings.seed() * 0x9E3779B97F4A7C15L + 0x5EED + trainingSeed);
        List<MemberRecipe> out = new ArrayList<>();
        List<double[]> round = new ArrayList<>();
        for (int i = 1; i <= settings.members(); i++) {
            if (round.isEmpty()) {
                round.addAll(grid);
                Collections.shuffle(round, random);
            }
            double[] pick = round.remove(0);
            out.add(new MemberRecipe(i, settings.seed() * 1000 + trainingSeed * 100L + i, pick[0], pick[1]));
        }
        return List.copyOf(out);
    }
}
