package io.warmstream.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Word + absolute position + token type embeddings, then LayerNorm and dropout (Hugging Face {@code BertEmbeddings}). */
final class BertEmbeddings extends HfBlock {

    private final BertConfig config;
    private final Parameter word;
    private final Parameter position;
    private final Parameter tokenType;
    private final Parameter lnWeight;
    private final Parameter lnBias;

    BertEmbeddings(String prefix, BertConfig c) {
        this.config = c;
        word = param(prefix + "word_embeddings.weight", Parameter.Type.WEIGHT, c.vocabSize(), c.hiddenSize());
        position = param(prefix + "position_embeddings.weight", Parameter.Type.WEIGHT, c.maxPositions(), c.hiddenSize());
        tokenType = param(prefix + "token_type_embeddings.weight", Parameter.Type.WEIGHT, c.typeVocabSize(), c.hiddenSize());
        lnWeight = param(prefix + "LayerNorm.weight", Parameter.Type.GAMMA, c.hiddenSize());
        lnBias = param(prefix + "LayerNorm.bias", Parameter.Type.BETA, c.hiddenSize());
    }

    /** Inputs: input_ids [B, T], token_type_ids [B, T] (int64). Output: [B, T, H] fp32. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray types = inputs.get(1);
        long seqLen = ids.getShape().get(1);
        if (seqLen > config.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + seqLen + " exceeds max_position_embeddings "
                    + config.maxPositions());
        }
        NDArray w = word.getArray();
        NDArray p = position.getArray();
        NDArray t = tokenType.getArray();
        NDManager m = ids.getManager();
        NDArray positions = m.arange(0, (int) seqLen, 1, DataType.INT64);
        NDArray x = Embedding.embedding(ids, w, SparseFormat.DENSE).singletonOrThrow()
                .add(Embedding.embedding(types, t, SparseFormat.DENSE).singletonOrThrow())
                .add(Embedding.embedding(positions, p, SparseFormat.DENSE).singletonOrThrow());
        x = layerNorm(x, lnWeight.getArray(), lnBias.getArray(),
                config.layerNormEps());
        return new NDList(Dropout.dropout(x, (float) config.hiddenDropout(), training).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.hiddenSize())};
    }
}
