package io.warmstream.testkit;

import io.warmstream.model.BaseModel;
import io.warmstream.model.RewardHead;

import java.util.Map;
import java.util.Random;

/**
 * Untrained reward models have a zero classifier, so every input gets the same reward; tests that compare rewards
 * give the base a random head first, so different inputs (and different versions) score differently.
 */
public final class RandomHeads {

    private RandomHeads() {
    }

    public static BaseModel withRandomHead(BaseModel base, long seed) {
        Random r = new Random(seed);
        float[] w = new float[base.config().hiddenSize()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return base.withHead(new RewardHead(base.lineage().id(), w, (float) r.nextGaussian(), Map.of("test", "random head")));
    }
}
