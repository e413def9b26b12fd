package io.warmstream.local.bench.fold;

import io.warmstream.model.weights.TensorSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The 105 tensors Hugging Face saves for BertForSequenceClassification with all-MiniLM-L6-v2's shapes (hidden 384,
 * 6 layers, intermediate 1536, vocab 30522, 512 positions, one label): 22,713,601 parameters, in save order.
 */
public final class MiniLmShapes {

    private MiniLmShapes() {
    }

    public static List<TensorSpec> specs() {
        return specs(30522, 512, 384, 6, 1536);
    }

    public static List<TensorSpec> specs(int vocab, int positions, int hidden, int layers, int intermediate) {
        List<TensorSpec> s = new ArrayList<>();
        String e = "bert.embeddings.";
        s.add(new TensorSpec(e + "word_embeddings.weight", new long[] {vocab, hidden}));
        s.add(new TensorSpec(e + "position_embeddings.weight", new long[] {positions, hidden}));
        s.add(new TensorSpec(e + "token_type_embeddings.weight", new long[] {2, hidden}));
        layerNorm(s, e + "LayerNorm", hidden);
        for (int l = 0; l < layers; l++) {
            String p = "bert.encoder.layer." + l + ".";
            for (String qkv : new String[] {"query", "key", "value"}) {
                linear(s, p + "attention.self." + qkv, hidden, hidden);
            }
            linear(s, p + "attention.output.dense", hidden, hidden);
            layerNorm(s, p + "attention.output.LayerNorm", hidden);
            linear(s, p + "intermediate.dense", intermediate, hidden);
            linear(s, p + "output.dense", hidden, intermediate);
            layerNorm(s, p + "output.LayerNorm", hidden);
        }
        linear(s, "bert.pooler.dense", hidden, hidden);
        linear(s, "classifier", 1, hidden);
        return s;
    }

    /** Linear weights are [out, in], as in PyTorch. */
    private static void linear(List<TensorSpec> s, String name, int out, int in) {
        s.add(new TensorSpec(name + ".weight", new long[] {out, in}));
        s.add(new TensorSpec(name + ".bias", new long[] {out}));
    }

    private static void layerNorm(List<TensorSpec> s, String name, int size) {
        s.add(new TensorSpec(name + ".weight", new long[] {size}));
        s.add(new TensorSpec(name + ".bias", new long[] {size}));
    }
}
