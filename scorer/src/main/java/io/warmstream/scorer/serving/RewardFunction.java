package io.warmstream.scorer.serving;

import io.warmstream.model.RewardModel;
import io.warmstream.scorer.onnx.OnnxRewardFunction;

import java.util.List;

/**
 * What serving needs from a model: rewards for (prompt, response) pairs, callable from several threads at once, and
 * a close. {@link RewardModel} is the real one; tests use plain functions to exercise batching and swaps quickly.
 */
public interface RewardFunction extends AutoCloseable {

    float[] score(List<String> prompts, List<String> responses);

    /** Tokens per (prompt, response) sequence at most: longer pairs are truncated. Unbounded unless a model says. */
    default int maxSequenceTokens() {
        return Integer.MAX_VALUE;
    }

    /** Estimated bytes of the weights in memory (0: unknown), for the bound on versions kept loaded. */
    default long weightBytes() {
        return 0;
    }

    @Override
    void close();

    static RewardFunction of(OnnxRewardFunction onnx) {
        return new RewardFunction() {
            @Override
            public float[] score(List<String> prompts, List<String> responses) {
                return onnx.score(prompts, responses);
            }

            @Override
            public int maxSequenceTokens() {
                return onnx.maxSequenceTokens();
            }

            @Override
            public void close() {
                onnx.close();
            }
        };
    }

    static RewardFunction of(RewardModel model) {
        return new RewardFunction() {
            @Override
            public float[] score(List<String> prompts, List<String> responses) {
                return model.score(prompts, responses);
            }

            @Override
            public int maxSequenceTokens() {
                return model.maxLength();
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }
}
