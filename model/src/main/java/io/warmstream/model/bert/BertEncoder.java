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

    /**
     * Inputs: input_ids, token_type_ids, attention_mask, each [B, T] int64. Output: last hidden state [B, T, H]
     * in the compute dtype.
     */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray types = inputs.get(1);
        NDArray mask = inputs.get(2);
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        NDArray maskBias = mask.toType(DataType.FLOAT32, false).neg().add(1f).mul(MASKED).reshape(b, 1, 1, t);
        NDArray x = embeddings.forward(ps, new NDList(ids, types), training).singletonOrThrow();
        if (computeType != DataType.FLOAT32) {
            x = x.toType(computeType, false);
        }
        for (BertLayer layer : layers) {
            x = layer.forward(ps, new NDList(x, maskBias), training).singletonOrThrow();
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.hiddenSize())};
    }
}
