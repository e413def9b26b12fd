package io.warmstream.scorer.onnx;

import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.bert.BertRewardNetwork;
import io.warmstream.model.weights.NamedTensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a reward model (Hugging Face {@code BertForSequenceClassification} names and shapes, one label) as an ONNX
 * graph (opset 17) computing exactly what {@code io.warmstream.model.RewardModel#score} computes: embeddings,
 * post-LayerNorm layers with exact GELU and a {@code -FLT_MAX} padding bias, tanh pooler on [CLS], linear head. The
 * last layer is computed for the [CLS] row only (see {@link #layer}).
 *
 * <p>Inputs {@code input_ids}, {@code token_type_ids}, {@code attention_mask}: int64 [batch, seq]. Output
 * {@code reward}: fp32 [batch]. The op patterns are the ones Hugging Face's exporter emits (LayerNormalization,
 * erf-GELU, MatMul + Add), which onnxruntime's graph optimizer fuses.
 *
 * <p>Longer than most classes because it writes one graph: the BERT blocks (layer, attention, LayerNorm) are small
 * methods over one shared state (the node list, the initializers taken so far, fresh names), which a split would
 * have to pass between classes.
 */
public final class RewardNetworkOnnx {

    // onnx.proto field numbers and enum values.
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER = 2;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET = 8;
    private static final int OPSET_VERSION = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_INTS_TYPE = 7;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW = 9;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int DATA_LOCATION_EXTERNAL = 1;
    /** Float initializers at least this large go outside the graph ({@link Graph}); smaller ones stay inside. */
    private static final int EXTERNAL_MIN_VALUES = 1024;
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    public static final String INPUT_IDS = "input_ids";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String REWARD = "reward";

    /**
     * A {@code ModelProto} whose large weights are not in its bytes: each is an initializer marked as external data,
     * and {@code weights} holds its values (and {@code shapes} its dims) to hand to onnxruntime with the session
     * options ({@code addExternalInitializers}). Why: serialising ~90 MB of weights into protobuf, and onnxruntime
     * parsing them back, took as long as the rest of loading a version; this way the values are copied once.
     */
    public record Graph(byte[] model, Map<String, float[]> weights, Map<String, long[]> shapes) {
    }

    private final OnnxMessage graph;
    private final Map<String, NamedTensor> tensors = new HashMap<>();
    private final Map<String, float[]> externalWeights = new java.util.LinkedHashMap<>();
    private final Map<String, long[]> externalShapes = new java.util.LinkedHashMap<>();
    private long externalOffset;
    private int nodes;

    private RewardNetworkOnnx(List<NamedTensor> tensors) {
        this.graph = new OnnxMessage(1 << 20);
        for (NamedTensor t : tensors) {
            this.tensors.put(t.name(), t);
        }
    }

    /**
     * The reward network with its large weights outside the serialized graph ({@link Graph}); {@code tensors} are
     * the reward network's, as a model directory holds them.
     */
    public static Graph writeGraph(BertConfig config, List<NamedTensor> tensors) {
        RewardNetworkOnnx w = new RewardNetworkOnnx(tensors);
        byte[] model = w.model(config);
        return new Graph(model, w.externalWeights, w.externalShapes);
    }

    private byte[] model(BertConfig config) {
        build(config);
        OnnxMessage model = new OnnxMessage(2 << 20);
        model.int64(MODEL_IR_VERSION, 8);
        model.string(MODEL_PRODUCER, "warmstream-scorer");
        model.message(MODEL_OPSET, new OnnxMessage().string(1, "").int64(OPSET_VERSION, 17));
        model.message(MODEL_GRAPH, graph);
        return model.toByteArray();
    }

    private void build(BertConfig c) {
        graph.string(GRAPH_NAME, "warmstream_reward_model");
        input(INPUT_IDS, INT64, "batch", "seq");
        input(TOKEN_TYPE_IDS, INT64, "batch", "seq");
        input(ATTENTION_MASK, INT64, "batch", "seq");
        int h = c.hiddenSize();
        int heads = c.numHeads();
        int headSize = c.headSize();
        float eps = (float) c.layerNormEps();
        scalar("one", 1f);
        scalar("half", 0.5f);
        scalar("sqrt2", (float) Math.sqrt(2.0));
        scalar("masked", -Float.MAX_VALUE);
        scalar("scale", (float) Math.sqrt(headSize));
        ints("zero_1d", 0);
        ints("heads_shape", 0, 0, heads, headSize);
        ints("hidden_shape", 0, 0, h);
        ints("flat", -1);
        ints("mask_axes", 1, 2);
        longScalar("cls_index", 0);
        ints("cls_index_1d", 0);

        // Embeddings: word + position (first seq rows) + token type, then LayerNorm.
        String p = BertRewardNetwork.ENCODER_PREFIX + "embeddings.";
        node("Shape", List.of(INPUT_IDS), "seq_len", Map.of("start", 1L, "end", 2L));
        node("Slice", List.of(weight(p + "position_embeddings.weight"), "zero_1d", "seq_len", "zero_1d"), "pos_emb", Map.of());
        node("Gather", List.of(weight(p + "word_embeddings.weight"), INPUT_IDS), "word_emb", Map.of());
        node("Gather", List.of(weight(p + "token_type_embeddings.weight"), TOKEN_TYPE_IDS), "type_emb", Map.of());
        String x = add(add("word_emb", "pos_emb"), "type_emb");
        x = layerNorm(x, p + "LayerNorm", eps);

        // Padding bias [B, 1, 1, T]: 0 for tokens, -FLT_MAX for padding, as the DJL network adds.
        node("Cast", List.of(ATTENTION_MASK), "mask_f", Map.of("to", (long) FLOAT));
        String bias = op("Mul", op("Sub", "one", "mask_f"), "masked");
        node("Unsqueeze", List.of(bias, "mask_axes"), "mask_bias", Map.of());

        for (int i = 0; i < c.numLayers(); i++) {
            String prefix = BertRewardNetwork.ENCODER_PREFIX + "encoder.layer." + i + ".";
            x = i < c.numLayers() - 1 ? layer(x, x, prefix, eps) : layer(x, cls(x), prefix, eps);
        }

        node("Gather", List.of(x, "cls_index"), "cls", Map.of("axis", 1L));
        String pooled = op("Tanh", linear("cls", BertRewardNetwork.POOLER_WEIGHT, BertRewardNetwork.POOLER_BIAS));
        String logits = linear(pooled, BertRewardNetwork.CLASSIFIER_WEIGHT, BertRewardNetwork.CLASSIFIER_BIAS);
        node("Reshape", List.of(logits, "flat"), REWARD, Map.of());
        graph.message(GRAPH_OUTPUT, valueInfo(REWARD, FLOAT, "batch"));
        if (!tensors.isEmpty()) {
            throw new IllegalArgumentException("tensors the reward network does not use: " + tensors.keySet());
        }
    }

    /** [B, T, H] -> [B, 1, H]: the [CLS] row, still three-dimensional. */
    private String cls(String x) {
        String row = fresh("cls_row");
        node("Gather", List.of(x, "cls_index_1d"), row, Map.of("axis", 1L));
        return row;
    }

    /**
     * One layer. {@code queries} is {@code x} for every layer but the last; there it is the [CLS] row alone: the
     * reward reads only [CLS] of the last layer, and in a post-LayerNorm layer each output row depends on the other
     * tokens only through keys and values, so the last layer's query, attention output and feed-forward run on one
     * row instead of T (about a seventh of MiniLM's FLOPs at 128 tokens), with identical results.
     */
    private String layer(String x, String queries, String p, float eps) {
        String self = p + "attention.self.";
        String q = op("Transpose", reshape(linear(queries, self + "query.weight", self + "query.bias"), "heads_shape"), perm(0, 2, 1, 3));
        String k = op("Transpose", reshape(linear(x, self + "key.weight", self + "key.bias"), "heads_shape"), perm(0, 2, 3, 1));
        String v = op("Transpose", reshape(linear(x, self + "value.weight", self + "value.bias"), "heads_shape"), perm(0, 2, 1, 3));
        String scores = op("Add", op("Div", op("MatMul", q, k), "scale"), "mask_bias");
        String probs = fresh("probs");
        node("Softmax", List.of(scores), probs, Map.of("axis", -1L));
        String context = reshape(op("Transpose", op("MatMul", probs, v), perm(0, 2, 1, 3)), "hidden_shape");
        String attn = linear(context, p + "attention.output.dense.weight", p + "attention.output.dense.bias");
        String h1 = layerNorm(add(attn, queries), p + "attention.output.LayerNorm", eps);
        String inter = linear(h1, p + "intermediate.dense.weight", p + "intermediate.dense.bias");
        // Exact GELU in the order Hugging Face's exporter writes it: x * 0.5 * (1 + erf(x / sqrt 2)).
        String gelu = op("Mul", op("Mul", inter, op("Add", op("Erf", op("Div", inter, "sqrt2")), "one")), "half");
        String out = linear(gelu, p + "output.dense.weight", p + "output.dense.bias");
        return layerNorm(add(out, h1), p + "output.LayerNorm", eps);
    }

    /** x W^T + b with W stored [out, in] (Hugging Face): the initializer is written transposed, [in, out]. */
    private String linear(String x, String weightName, String biasName) {
        NamedTensor w = take(weightName);
        int out = (int) w.shape()[0];
        int in = (int) w.shape()[1];
        float[] t = new float[w.data().length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = w.data()[o * in + i];
            }
        }
        String wt = weightName + ".T";
        initializer(wt, new long[] {in, out}, t);
        return add(op("MatMul", x, wt), weight(biasName));
    }

    private String layerNorm(String x, String prefix, float eps) {
        String y = fresh("ln");
        node("LayerNormalization", List.of(x, weight(prefix + ".weight"), weight(prefix + ".bias")), y,
                Map.of("axis", -1L, "epsilon", eps));
        return y;
    }

    private String reshape(String x, String shape) {
        return op("Reshape", x, shape);
    }

    private String add(String a, String b) {
        return op("Add", a, b);
    }

    private String op(String type, String... inputs) {
        String out = fresh(type.toLowerCase());
        node(type, List.of(inputs), out, Map.of());
        return out;
    }

    private String op(String type, String input, Map<String, Object> attributes) {
        String out = fresh(type.toLowerCase());
        node(type, List.of(input), out, attributes);
        return out;
    }

    private static Map<String, Object> perm(long... axes) {
        return Map.of("perm", axes);
    }

    private void node(String type, List<String> inputs, String output, Map<String, Object> attributes) {
        OnnxMessage n = new OnnxMessage();
        for (String in : inputs) {
            n.string(NODE_INPUT, in);
        }
        n.string(NODE_OUTPUT, output);
        n.string(NODE_NAME, type + "_" + (nodes++));
        n.string(NODE_OP, type);
        attributes.forEach((name, value) -> n.message(NODE_ATTRIBUTE, attribute(name, value)));
        graph.message(GRAPH_NODE, n);
    }

    private static OnnxMessage attribute(String name, Object value) {
        OnnxMessage a = new OnnxMessage().string(ATTR_NAME, name);
        if (value instanceof Float f) {
            a.float32(ATTR_F, f).int64(ATTR_TYPE, ATTR_FLOAT);
        } else if (value instanceof Long l) {
            a.int64(ATTR_I, l).int64(ATTR_TYPE, ATTR_INT);
        } else if (value instanceof long[] ls) {
            for (long l : ls) {
                a.int64(ATTR_INTS, l);
            }
            a.int64(ATTR_TYPE, ATTR_INTS_TYPE);
        } else {
            throw new IllegalArgumentException("unsupported attribute " + name + "=" + value);
        }
        return a;
    }

    /** A model tensor as an initializer under its own name. */
    private String weight(String name) {
        NamedTensor t = take(name);
        initializer(name, t.shape(), t.data());
        return name;
    }

    private NamedTensor take(String name) {
        NamedTensor t = tensors.remove(name);
        if (t == null) {
            throw new IllegalArgumentException("missing tensor " + name);
        }
        return t;
    }

    private void initializer(String name, long[] dims, float[] data) {
        boolean outside = data.length >= EXTERNAL_MIN_VALUES;
        OnnxMessage t = new OnnxMessage(outside ? 256 : data.length * 4 + 256);
        for (long d : dims) {
            t.int64(TENSOR_DIMS, d);
        }
        t.int64(TENSOR_TYPE, FLOAT).string(TENSOR_NAME, name);
        if (outside) {
            // onnxruntime replaces only initializers that reference external data; the location is never opened.
            long length = 4L * data.length;
            t.message(TENSOR_EXTERNAL_DATA, entry("location", "warmstream-weights"));
            t.message(TENSOR_EXTERNAL_DATA, entry("offset", Long.toString(externalOffset)));
            t.message(TENSOR_EXTERNAL_DATA, entry("length", Long.toString(length)));
            t.int64(TENSOR_DATA_LOCATION, DATA_LOCATION_EXTERNAL);
            externalOffset += length;
            externalWeights.put(name, data);
            externalShapes.put(name, dims.clone());
        } else {
            t.bytes(TENSOR_RAW, OnnxMessage.littleEndian(data));
        }
        graph.message(GRAPH_INITIALIZER, t);
    }

    private static OnnxMessage entry(String key, String value) {
        return new OnnxMessage().string(1, key).string(2, value);
    }

    private void scalar(String name, float value) {
        initializer(name, new long[0], new float[] {value});
    }

    private void longScalar(String name, long value) {
        OnnxMessage t = new OnnxMessage().int64(TENSOR_TYPE, INT64).string(TENSOR_NAME, name)
                .bytes(TENSOR_RAW, OnnxMessage.littleEndian(new long[] {value}));
        graph.message(GRAPH_INITIALIZER, t);
    }

    private void ints(String name, long... values) {
        OnnxMessage t = new OnnxMessage().int64(TENSOR_DIMS, values.length).int64(TENSOR_TYPE, INT64).string(TENSOR_NAME, name)
                .bytes(TENSOR_RAW, OnnxMessage.littleEndian(values));
        graph.message(GRAPH_INITIALIZER, t);
    }

    private void input(String name, int type, String... dims) {
        graph.message(GRAPH_INPUT, valueInfo(name, type, dims));
    }

    private static OnnxMessage valueInfo(String name, int elemType, String... dims) {
        OnnxMessage shape = new OnnxMessage();
        for (String d : dims) {
            shape.message(1, new OnnxMessage().string(2, d));
        }
        OnnxMessage tensorType = new OnnxMessage().int64(1, elemType).message(2, shape);
        return new OnnxMessage().string(1, name).message(2, new OnnxMessage().message(1, tensorType));
    }

    private String fresh(String prefix) {
        return prefix + "_" + (nodes++);
    }
}
