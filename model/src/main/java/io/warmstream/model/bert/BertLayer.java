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
        return new NDList(compute(ps, inputs.get(0), inputs.get(1), training));
    }

    /**
     * The layer's output for the first token only, [B, 1, H]: what the pooler reads from the top layer, with the same
     * result as {@link #forward} at position 0 up to float reassociation.
     *
     * <p>With a single query per head the key and value projections fold into it, so keys and values are never
     * formed for every token: q.(W_k x_t + b_k) = (q W_k).x_t + q.b_k, and sum_t p_t (W_v x_t + b_v) =
     * W_v (sum_t p_t x_t) + (sum_t p_t) b_v. That turns two [T, H] x [H, H] products into four per-head
     * products of about H x T, and leaves the layer a few percent of its full cost (training too: the backward
     * pass follows the same folded products).
     */
    NDArray forwardFirstToken(ParameterStore ps, NDArray x, NDArray maskBias, boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int heads = config.numHeads();
        int headSize = config.headSize();
        int h = config.hiddenSize();
        NDArray xq = x.get(":, 0:1, :");
        // [heads, B, headSize]: one batch of matrix products per head below.
        NDArray q = linear(ps, xq, qW, qB, training).reshape(b, heads, headSize).transpose(1, 0, 2);
        NDArray wk = value(ps, kW, x, training).reshape(heads, headSize, h);
        NDArray bk = value(ps, kB, x, training).reshape(heads, 1, headSize);
        NDArray qk = q.matMul(wk).transpose(1, 0, 2); // [B, heads, H]
        NDArray keyBias = q.mul(bk).sum(new int[] {2}, true).transpose(1, 0, 2); // [B, heads, 1]
        NDArray scores = qk.matMul(x.transpose(0, 2, 1)).add(keyBias).toType(DataType.FLOAT32, false)
                .div(Math.sqrt(headSize)).add(maskBias.reshape(b, 1, t));
        NDArray probs = scores.softmax(-1).toType(x.getDataType(), false);
        probs = Dropout.dropout(probs, (float) config.attentionDropout(), training).singletonOrThrow();
        NDArray mixed = probs.matMul(x).transpose(1, 0, 2); // [heads, B, H]: sum_t p_t x_t
        NDArray wv = value(ps, vW, x, training).reshape(heads, headSize, h).transpose(0, 2, 1);
        NDArray bv = value(ps, vB, x, training).reshape(1, heads, headSize);
        NDArray context = mixed.matMul(wv).transpose(1, 0, 2) // [B, heads, headSize]
                .add(probs.sum(new int[] {2}, true).mul(bv)).reshape(b, 1, h);
        return feedForward(ps, context, xq, training);
    }

    /** Every token attends to every token of {@code x} [B, T, H]. */
    private NDArray compute(ParameterStore ps, NDArray x, NDArray maskBias, boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int heads = config.numHeads();
        int headSize = config.headSize();

        NDArray q = heads(linear(ps, x, qW, qB, training), b, t, heads, headSize);
        NDArray k = heads(linear(ps, x, kW, kB, training), b, t, heads, headSize);
        NDArray v = heads(linear(ps, x, vW, vB, training), b, t, heads, headSize);
        // Scores, mask and softmax in fp32 (autocast keeps softmax in fp32 too); scale after the matmul as HF does.
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).toType(DataType.FLOAT32, false)
                .div(Math.sqrt(headSize)).add(maskBias);
        NDArray probs = scores.softmax(-1).toType(x.getDataType(), false);
        probs = Dropout.dropout(probs, (float) config.attentionDropout(), training).singletonOrThrow();
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, config.hiddenSize());
        return feedForward(ps, context, x, training);
    }

    /**
     * Attention output projection, residual ({@code xq}, the query tokens' input) and LayerNorm, then the
     * feed-forward block with its own.
     */
    private NDArray feedForward(ParameterStore ps, NDArray context, NDArray xq, boolean training) {
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
