package io.warmstream.model;

import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.bert.BertRewardNetwork;
import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.NamedTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The shared starting point of reward models: architecture, tokenizer, lineage and a complete set of reward-network
 * tensors (encoder, pooler, classifier) with Hugging Face names. Tensors are produced on demand, so holding a
 * {@code BaseModel} costs nothing; every call to {@link #tensors()} returns fresh arrays.
 */
public final class BaseModel {

    private final String name;
    private final BertConfig config;
    private final Path tokenizerFile;
    private final Lineage lineage;
    private final Supplier<List<NamedTensor>> tensors;
    private final Map<String, Object> facts;

    BaseModel(String name, BertConfig config, Path tokenizerFile, Lineage lineage,
              Supplier<List<NamedTensor>> tensors, Map<String, Object> facts) {
        this.name = name;
        this.config = config;
        this.tokenizerFile = tokenizerFile;
        this.lineage = lineage;
        this.tensors = tensors;
        this.facts = Map.copyOf(facts);
    }

    /** "minilm-l6", "bge-small", "tiny-SEED" or the directory it was read from. */
    public String name() {
        return name;
    }

    public BertConfig config() {
        return config;
    }

    /** The Hugging Face {@code tokenizer.json} that goes with the weights. */
    public Path tokenizerFile() {
        return tokenizerFile;
    }

    /** Hash of the pretrained weights' source plus architecture: models may only be averaged within one lineage. */
    public Lineage lineage() {
        return lineage;
    }

    /** Where the base came from (and the shared head, if one was set); copied into trained models' facts. */
    public Map<String, Object> facts() {
        return facts;
    }

    /** All reward-network tensors, fresh arrays each call. */
    public List<NamedTensor> tensors() {
        return tensors.get();
    }

    /**
     * The same base with its classifier replaced by a fitted head (LP-FT): give every member of one average the
     * same head. Refuses a head fitted on another lineage or hidden size.
     */
    public BaseModel withHead(RewardHead head) {
        if (!head.lineageId().equals(lineage.id())) {
            throw new IllegalArgumentException("reward head was fitted on lineage " + head.lineageId()
                    + ", this base is " + lineage.id());
        }
        if (head.hiddenSize() != config.hiddenSize()) {
            throw new IllegalArgumentException("reward head has " + head.hiddenSize() + " weights, hidden size is "
                    + config.hiddenSize());
        }
        Supplier<List<NamedTensor>> withHead = () -> {
            List<NamedTensor> out = new ArrayList<>();
            for (NamedTensor t : tensors.get()) {
                if (!t.name().equals(BertRewardNetwork.CLASSIFIER_WEIGHT) && !t.name().equals(BertRewardNetwork.CLASSIFIER_BIAS)) {
                    out.add(t);
                }
            }
            out.addAll(head.tensors());
            return out;
        };
        Map<String, Object> f = new LinkedHashMap<>(facts);
        f.put("head", head.facts().isEmpty() ? "fitted" : head.facts());
        f.put("head_sha256", headHash(head));
        return new BaseModel(name, config, tokenizerFile, lineage, withHead, f);
    }

    /** The same base with hidden and attention dropout set to {@code dropout} (used in training only). */
    public BaseModel withDropout(double dropout) {
        return new BaseModel(name, config.withDropout(dropout), tokenizerFile, lineage, tensors, facts);
    }

    private static String headHash(RewardHead head) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * head.weight().length + 4);
        for (float w : head.weight()) {
            b.putFloat(w);
        }
        b.putFloat(head.bias());
        return Hashes.sha256(b.array());
    }

    @Override
    public String toString() {
        return "BaseModel[" + name + ", " + config.architectureId() + ", lineage " + lineage.id() + "]";
    }
}
