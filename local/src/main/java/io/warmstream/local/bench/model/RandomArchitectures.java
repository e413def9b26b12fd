package io.warmstream.local.bench.model;

import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.bert.BertConfig;

import java.util.Locale;

/**
 * Named encoder shapes with randomly initialised weights (fixed seed) and the MiniLM tokenizer, so the benchmarks
 * can run where the pretrained weights are not installed. Speed depends on the shapes, not on the values.
 */
public final class RandomArchitectures {

    public static final String MINILM_L6 = "minilm-l6";
    public static final String BERT_BASE = "bert-base";
    /** Fixed so that two benchmark runs (and merges of their models) see the same weights. */
    public static final long SEED = 20_261_202L;

    private RandomArchitectures() {
    }

    /** MiniLM-L6: 6 layers, hidden 384, 12 heads, 1536 feed-forward. BERT-base: 12, 768, 12, 3072. */
    public static BertConfig config(String architecture) {
        return switch (architecture.trim().toLowerCase(Locale.ROOT)) {
            case MINILM_L6 -> BertConfig.tiny(384, 6, 12, 1536);
            case BERT_BASE -> BertConfig.tiny(768, 12, 12, 3072);
            default -> throw new IllegalArgumentException("unknown architecture \"" + architecture
                    + "\": expected " + MINILM_L6 + " or " + BERT_BASE);
        };
    }

    public static BaseModel randomlyInitialised(String architecture) {
        return BaseModels.tiny(config(architecture), SEED);
    }

    /**
     * The base model a benchmark should use: {@code warm.bench.architecture} (default minilm-l6) with
     * {@code warm.bench.randomWeights=true} gives random weights of that shape; otherwise the pretrained model of
     * that name ({@link BaseModels#byName}).
     */
    public static BaseModel fromSystemProperties(String fallbackName) {
        String architecture = System.getProperty("warm.bench.architecture", fallbackName);
        if (Boolean.getBoolean("warm.bench.randomWeights")) {
            return randomlyInitialised(architecture);
        }
        return BaseModels.byName(architecture);
    }

    /** Whether the benchmarks run on random weights (the pretrained yardsticks, e.g. an ONNX file, do not apply). */
    public static boolean randomWeights() {
        return Boolean.getBoolean("warm.bench.randomWeights");
    }
}
