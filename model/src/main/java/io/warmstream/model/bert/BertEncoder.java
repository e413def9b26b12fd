package io.warmstream.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Hugging Face {@code BertModel} without the pooler: embeddings followed by {@code numLayers} transformer layers.
 * Parameter names are {@code <prefix>embeddings.*} and {@code <prefix>encoder.layer.N.*}.
 */
public final class BertEncoder extends HfBlock {

    /** Added to attention scores of padding tokens, as Hugging Face does ({@code torch.finfo(float32).min}). */
    private static final float MASKED = -Float.MAX_VALUE;

    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers = new ArrayList<>();
    private volatile DataType computeType = DataType.FLOAT32;

    public BertEncoder(String prefix, BertConfig config) {
        this.config = config;
        embeddings = addChildBlock("embeddings", new BertEmbeddings(prefix + "embeddings.", config));
        for (int i = 0; i < config.numLayers(); i++) {
            layers.add(addChildBlock("layer" + i, new BertLayer(prefix + "encoder.layer." + i + ".", config)));
        }
    }

    public BertConfig config() {
        return config;
    }

    /** FLOAT32, or FLOAT16 to run matmuls in half precision (LayerNorm and softmax stay fp32). */
    public void setComputeType(DataType type) {
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16) {
            throw new IllegalArgumentException("unsupported compute type " + type);
        }
        computeType = type;
    }

    public DataType computeType() {
        return computeType;
    }

    /** Layer names' prefixes, bottom first: used to freeze the lower layers. */
    public List<String> layerPrefixes() {
        List<String> out = new ArrayList<>();
        for (BertLayer l : layers) {
            String anyName = l.getDirectParameters().keys().get(0);
            out.add(anyName.substring(0, anyName.indexOf("attention.")));
        }
        return Collections.unmodifiableList(out);
    }

    public int numLayers() {
        return layers.size();
    }

    /**
     * Inputs: input_ids, token_type_ids, attention_mask, each [B, T] int64. Output: last hidden state [B, T, H]
     * in the compute dtype.
     */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(top(ps, bottom(ps, inputs, 0, training), inputs.get(2), 0, training));
    }

    /**
     * Embeddings and the bottom {@code count} layers (0 = embeddings only): the hidden state [B, T, H] in the
     * compute dtype that layer {@code count} receives. With {@link #top} it splits {@link #forward} at a layer, so
     * that the output of a frozen bottom can be computed once and reused ({@code FrozenPrefixCache}).
     */
    public NDArray bottom(ParameterStore ps, NDList inputs, int count, boolean training) {
        checkLayer(count);
        NDArray x = embeddings.forward(ps, new NDList(inputs.get(0), inputs.get(1)), training).singletonOrThrow();
        if (computeType != DataType.FLOAT32) {
            x = x.toType(computeType, false);
        }
        NDArray maskBias = count == 0 ? null : maskBias(inputs.get(2));
        for (int i = 0; i < count; i++) {
            x = layers.get(i).forward(ps, new NDList(x, maskBias), training).singletonOrThrow();
        }
        return x;
    }

    /**
     * Layers {@code from} to the top on {@code hidden} [B, T, H] (any float dtype; cast to the compute dtype), with
     * the attention mask [B, T] int64. Output: last hidden state [B, T, H] in the compute dtype.
     */
    public NDArray top(ParameterStore ps, NDArray hidden, NDArray attentionMask, int from, boolean training) {
        checkLayer(from);
        NDArray x = hidden.getDataType() == computeType ? hidden : hidden.toType(computeType, false);
        NDArray maskBias = maskBias(attentionMask);
        for (int i = from; i < layers.size(); i++) {
            x = layers.get(i).forward(ps, new NDList(x, maskBias), training).singletonOrThrow();
        }
        return x;
    }

    /**
     * As {@link #top}, but only the first token's final hidden state, [B, 1, H]: the top layer computes [CLS] alone
     * (attending to every token). Enough for a pooler that reads [CLS]; much cheaper than the whole top.
     */
    public NDArray topFirstToken(ParameterStore ps, NDArray hidden, NDArray attentionMask, int from,
                                 boolean training) {
        checkLayer(from);
        NDArray x = hidden.getDataType() == computeType ? hidden : hidden.toType(computeType, false);
        if (from == layers.size()) {
            return x.get(":, 0:1, :");
        }
        NDArray maskBias = maskBias(attentionMask);
        for (int i = from; i < layers.size() - 1; i++) {
            x = layers.get(i).forward(ps, new NDList(x, maskBias), training).singletonOrThrow();
        }
        return layers.get(layers.size() - 1).forwardFirstToken(ps, x, maskBias, training);
    }

    private void checkLayer(int index) {
        if (index < 0 || index > layers.size()) {
            throw new IllegalArgumentException("layer index " + index + " outside 0.." + layers.size());
        }
    }

    /** Attention mask [B, T] -> additive bias [B, 1, 1, T] fp32: 0 for tokens, a large negative number for padding. */
    private static NDArray maskBias(NDArray mask) {
        long b = mask.getShape().get(0);
        long t = mask.getShape().get(1);
        return mask.toType(DataType.FLOAT32, false).neg().add(1f).mul(MASKED).reshape(b, 1, 1, t);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.hiddenSize())};
    }
}
