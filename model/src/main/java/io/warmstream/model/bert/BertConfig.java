package io.warmstream.model.bert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape and regularisation of a BERT encoder, in Hugging Face terms.
 *
 * <p>{@link #toHuggingFaceConfig()} writes the {@code config.json} that stock {@code transformers} loads as a
 * {@code BertForSequenceClassification} with one label; {@link #fromHuggingFaceConfig(Map)} reads it back and refuses
 * anything this encoder does not implement (other model types, activations or label counts).
 */
public record BertConfig(
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps,
        double hiddenDropout,
        double attentionDropout) {

    public BertConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositions);
        positive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numHeads);
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be > 0, got " + layerNormEps);
        }
        probability("hidden_dropout_prob", hiddenDropout);
        probability("attention_probs_dropout_prob", attentionDropout);
    }

    /** sentence-transformers/all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, 22.6M parameters. */
    public static BertConfig miniLmL6() {
        return new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12, 0.1, 0.1);
    }

    /** BAAI/bge-small-en-v1.5: 12 layers, hidden 384, 12 heads, 33.2M parameters. */
    public static BertConfig bgeSmall() {
        return new BertConfig(30522, 384, 12, 12, 1536, 512, 2, 1e-12, 0.1, 0.1);
    }

    /** A small encoder over the MiniLM vocabulary, for tests of the mechanics (training, saving, merging). */
    public static BertConfig tiny() {
        return tiny(32, 2, 2, 64);
    }

    public static BertConfig tiny(int hiddenSize, int numLayers, int numHeads, int intermediateSize) {
        return new BertConfig(30522, hiddenSize, numLayers, numHeads, intermediateSize, 512, 2, 1e-12, 0.1, 0.1);
    }

    public int headSize() {
        return hiddenSize / numHeads;
    }

    public BertConfig withDropout(double dropout) {
        return new BertConfig(vocabSize, hiddenSize, numLayers, numHeads, intermediateSize, maxPositions,
                typeVocabSize, layerNormEps, dropout, dropout);
    }

    /**
     * What the weight shapes depend on (dropout does not): two models may only be averaged if this matches.
     */
    public String architectureId() {
        return "bert-seqcls1:L" + numLayers + ":H" + hiddenSize + ":A" + numHeads + ":I" + intermediateSize
                + ":V" + vocabSize + ":P" + maxPositions + ":T" + typeVocabSize;
    }

    /** The {@code config.json} content for Hugging Face {@code BertForSequenceClassification} with one label. */
    public Map<String, Object> toHuggingFaceConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", "bert");
        m.put("architectures", List.of("BertForSequenceClassification"));
        m.put("num_labels", 1);
        m.put("vocab_size", vocabSize);
        m.put("hidden_size", hiddenSize);
        m.put("num_hidden_layers", numLayers);
        m.put("num_attention_heads", numHeads);
        m.put("intermediate_size", intermediateSize);
        m.put("max_position_embeddings", maxPositions);
        m.put("type_vocab_size", typeVocabSize);
        m.put("layer_norm_eps", layerNormEps);
        m.put("hidden_act", "gelu");
        m.put("hidden_dropout_prob", hiddenDropout);
        m.put("attention_probs_dropout_prob", attentionDropout);
        m.put("pad_token_id", 0);
        m.put("position_embedding_type", "absolute");
        return m;
    }

    /**
     * Reads a Hugging Face BERT config. Missing optional fields take BERT's defaults; fields this encoder cannot
     * honour are refused with a message naming the field.
     */
    public static BertConfig fromHuggingFaceConfig(Map<String, ?> m) {
        Object type = m.get("model_type");
        if (type != null && !"bert".equals(type)) {
            throw new IllegalArgumentException("config.json: model_type must be \"bert\", got \"" + type + "\"");
        }
        Object act = m.get("hidden_act");
        if (act != null && !"gelu".equals(act)) {
            throw new IllegalArgumentException("config.json: hidden_act must be \"gelu\" (exact GELU), got \"" + act + "\"");
        }
        Object pos = m.get("position_embedding_type");
        if (pos != null && !"absolute".equals(pos)) {
            throw new IllegalArgumentException("config.json: position_embedding_type must be \"absolute\", got \"" + pos + "\"");
        }
        if (m.containsKey("num_labels") && intField(m, "num_labels", 1) != 1) {
            throw new IllegalArgumentException("config.json: num_labels must be 1 for a reward model, got " + m.get("num_labels"));
        }
        return new BertConfig(
                requiredInt(m, "vocab_size"),
                requiredInt(m, "hidden_size"),
                requiredInt(m, "num_hidden_layers"),
                requiredInt(m, "num_attention_heads"),
                requiredInt(m, "intermediate_size"),
                intField(m, "max_position_embeddings", 512),
                intField(m, "type_vocab_size", 2),
                doubleField(m, "layer_norm_eps", 1e-12),
                doubleField(m, "hidden_dropout_prob", 0.1),
                doubleField(m, "attention_probs_dropout_prob", 0.1));
    }

    private static int requiredInt(Map<String, ?> m, String key) {
        if (!m.containsKey(key)) {
            throw new IllegalArgumentException("config.json: missing field \"" + key + "\"");
        }
        return intField(m, key, 0);
    }

    private static int intField(Map<String, ?> m, String key, int fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new IllegalArgumentException("config.json: field \"" + key + "\" must be an integer, got " + v);
    }

    private static double doubleField(Map<String, ?> m, String key, double fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("config.json: field \"" + key + "\" must be a number, got " + v);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    private static void probability(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
    }
}
