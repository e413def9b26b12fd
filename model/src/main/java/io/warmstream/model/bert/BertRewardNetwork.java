package io.warmstream.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Hugging Face {@code BertForSequenceClassification} with one label, as a DJL block: encoder ({@code bert.*}),
 * pooler (dense + tanh on the [CLS] token, {@code bert.pooler.dense.*}), dropout, classifier
 * ({@code classifier.weight} [1, H], {@code classifier.bias} [1]). The reward is {@code logits[:, 0]}.
 */
public final class BertRewardNetwork extends HfBlock {

    public static final String ENCODER_PREFIX = "bert.";
    public static final String POOLER_WEIGHT = "bert.pooler.dense.weight";
    public static final String POOLER_BIAS = "bert.pooler.dense.bias";
    public static final String CLASSIFIER_WEIGHT = "classifier.weight";
    public static final String CLASSIFIER_BIAS = "classifier.bias";

    private final BertConfig config;
    private final BertEncoder encoder;
    private final Parameter poolerW;
    private final Parameter poolerB;
    private final Parameter classifierW;
    private final Parameter classifierB;

    public BertRewardNetwork(BertConfig config) {
        this.config = config;
        encoder = addChildBlock("bert", new BertEncoder(ENCODER_PREFIX, config));
        int h = config.hiddenSize();
        poolerW = param(POOLER_WEIGHT, Parameter.Type.WEIGHT, h, h);
        poolerB = param(POOLER_BIAS, Parameter.Type.BIAS, h);
        classifierW = param(CLASSIFIER_WEIGHT, Parameter.Type.WEIGHT, 1, h);
        classifierB = param(CLASSIFIER_BIAS, Parameter.Type.BIAS, 1);
    }

    public BertConfig config() {
        return config;
    }

    public BertEncoder encoder() {
        return encoder;
    }

    /** Inputs: input_ids, token_type_ids, attention_mask [B, T] int64. Output: rewards [B] fp32. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(reward(pooled(ps, inputs, training), training));
    }

    /**
     * The pooler output tanh(W h_[CLS] + b), [B, H] fp32: the features the classifier sees. The top layer computes
     * [CLS] alone, as {@link #pooledFrom} does after a cached bottom: the pooler reads nothing else, and the whole
     * network and the cached path then run the same arithmetic, so their rewards agree to float rounding of the
     * bottom's batch shape, not to a reassociated last layer.
     */
    public NDArray pooled(ParameterStore ps, NDList inputs, boolean training) {
        return pooledFrom(ps, encoder.bottom(ps, inputs, 0, training), inputs.get(2), 0, training);
    }

    /**
     * Rewards [B] fp32 from the hidden state [B, T, H] entering encoder layer {@code fromLayer} (see
     * {@link BertEncoder#bottom}) and the attention mask [B, T] int64: the forward pass without the layers below.
     */
    public NDArray rewardsFrom(ParameterStore ps, NDArray hidden, NDArray attentionMask, int fromLayer,
                               boolean training) {
        return reward(pooledFrom(ps, hidden, attentionMask, fromLayer, training), training);
    }

    /**
     * {@link #pooled} from the hidden state entering layer {@code fromLayer}. The top layer computes [CLS] only
     * ({@link BertEncoder#topFirstToken}): the pooler's features for much less work.
     */
    public NDArray pooledFrom(ParameterStore ps, NDArray hidden, NDArray attentionMask, int fromLayer,
                              boolean training) {
        return pool(ps, encoder.topFirstToken(ps, hidden, attentionMask, fromLayer, training), training);
    }

    private NDArray reward(NDArray pooled, boolean training) {
        NDArray dropped = Dropout.dropout(pooled, (float) config.hiddenDropout(), training).singletonOrThrow();
        NDArray logits = Linear.linear(dropped, classifierW.getArray(), classifierB.getArray()).singletonOrThrow();
        return logits.reshape(-1);
    }

    private NDArray pool(ParameterStore ps, NDArray hidden, boolean training) {
        long h = config.hiddenSize();
        NDArray cls = hidden.get(":, 0, :").reshape(-1, h);
        NDArray dense = Linear.linear(cls, value(ps, poolerW, cls, training), value(ps, poolerB, cls, training))
                .singletonOrThrow();
        NDArray pooled = dense.tanh();
        return pooled.getDataType() == DataType.FLOAT32 ? pooled : pooled.toType(DataType.FLOAT32, false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }
}
