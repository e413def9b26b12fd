package io.warmstream.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One post-LayerNorm transformer layer exactly as Hugging Face {@code BertLayer}: self-attention with additive
 * padding mask, output projection + residual + LayerNorm, then an exact-GELU feed-forward + residual + LayerNorm.
 */
final class BertLayer extends HfBlock {

    private final BertConfig config;
    private final Parameter qW, qB, kW, kB, vW, vB;
    private final Parameter attnOutW, attnOutB, attnLnW, attnLnB;
    private final Parameter interW, interB, outW, outB, outLnW, outLnB;

    BertLayer(String prefix, BertConfig c) {
        this.config = c;
        int h = c.hiddenSize();
        int i = c.intermediateSize();
        String self = prefix + "attention.self.";
        qW = param(self + "query.weight", Parameter.Type.WEIGHT, h, h);
        qB = param(self + "query.bias", Parameter.Type.BIAS, h);
        kW = param(self + "key.weight", Parameter.Type.WEIGHT, h, h);
        kB = param(self + "key.bias", Parameter.Type.BIAS, h);
        vW = param(self + "value.weight", Parameter.Type.WEIGHT, h, h);
        vB = param(self + "value.bias", Parameter.Type.BIAS, h);
        String attnOut = prefix + "attention.output.";
        attnOutW = param(attnOut + "dense.weight", Parameter.Type.WEIGHT, h, h);
        attnOutB = param(attnOut + "dense.bias", Parameter.Type.BIAS, h);
        attnLnW = param(attnOut + "LayerNorm.weight", Parameter.Type.GAMMA, h);
        attnLnB = param(attnOut + "LayerNorm.bias", Parameter.Type.BETA, h);
        interW = param(prefix + "intermediate.dense.weight", Parameter.Type.WEIGHT, i, h);
        interB = param(prefix + "intermediate.dense.bias", Parameter.Type.BIAS, i);
        outW = param(prefix + "output.dense.weight", Parameter.Type.WEIGHT, h, i);
        outB = param(prefix + "output.dense.bias", Parameter.Type.BIAS, h);
        outLnW = param(prefix + "output.LayerNorm.weight", Parameter.Type.GAMMA, h);
        outLnB = param(prefix + "output.LayerNorm.bias", Parameter.Type.BETA, h);
    }

    /**
     * Inputs: hidden [B, T, H] in the compute dtype, mask bias [B, 1, 1, T] fp32 (0 for tokens, a large negative
     * number for padding). Output: hidden [B, T, H].
     */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(compute(ps, inputs.get(0), inputs.get(0), inputs.get(1), training));
    }

    /**
     * The layer's output for the first token only, [B, 1, H]: what the pooler reads from the top layer. Keys and
     * values still come from every token; queries, attention output and feed-forward run for [CLS] alone (about a
     * sixth of the layer's work), with the same result as {@link #forward} at position 0.
     */
    NDArray forwardFirstToken(ParameterStore ps, NDArray x, NDArray maskBias, boolean training) {
        return compute(ps, x.get(":, 0:1, :"), x, maskBias, training);
    }

    /** Queries (and the residual stream) from {@code xq} [B, Tq, H], keys and values from {@code x} [B, T, H]. */
    private NDArray compute(ParameterStore ps, NDArray xq, NDArray x, NDArray maskBias, boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        long tq = xq.getShape().get(1);
        int heads = config.numHeads();
        int headSize = config.headSize();

        NDArray q = heads(linear(ps, xq, qW, qB, training), b, tq, heads, headSize);
        NDArray k = heads(linear(ps, x, kW, kB, training), b, t, heads, headSize);
        NDArray v = heads(linear(ps, x, vW, vB, training), b, t, heads, headSize);
        // Scores, mask and softmax in fp32 (autocast keeps softmax in fp32 too); scale after the matmul as HF does.
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).toType(DataType.FLOAT32, false)
                .div(Math.sqrt(headSize)).add(maskBias);
        NDArray probs = scores.softmax(-1).toType(x.getDataType(), false);
        probs = Dropout.dropout(probs, (float) config.attentionDropout(), training).singletonOrThrow();
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, tq, config.hiddenSize());

        NDArray attn = dropout(linear(ps, context, attnOutW, attnOutB, training), training);
        NDArray h1 = layerNorm(attn.add(xq), attnLnW.getArray(),
                attnLnB.getArray(), config.layerNormEps());

        NDArray inter = Activation.gelu(linear(ps, h1, interW, interB, training));
        NDArray out = dropout(linear(ps, inter, outW, outB, training), training);
        NDArray h2 = layerNorm(out.add(h1), outLnW.getArray(),
                outLnB.getArray(), config.layerNormEps());
        return h2;
    }

    private NDArray linear(ParameterStore ps, NDArray x, Parameter w, Parameter bias, boolean training) {
        return Linear.linear(x, value(ps, w, x, training), value(ps, bias, x, training)).singletonOrThrow();
    }

    private NDArray dropout(NDArray x, boolean training) {
        return Dropout.dropout(x, (float) config.hiddenDropout(), training).singletonOrThrow();
    }

    /** [B, T, H] -> [B, heads, T, headSize]. */
    private static NDArray heads(NDArray x, long b, long t, int heads, int headSize) {
        return x.reshape(b, t, heads, headSize).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
