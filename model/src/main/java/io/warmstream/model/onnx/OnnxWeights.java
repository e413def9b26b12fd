package io.warmstream.model.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.warmstream.model.weights.NamedTensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the fp32 initializers of a BERT encoder exported to ONNX, without onnxruntime, by walking the protobuf wire
 * format with {@link CodedInputStream}. The file is streamed; each tensor is decoded straight into its float array.
 *
 * <p>The exporter (PyTorch 2.0) keeps Hugging Face names for embeddings, LayerNorms and biases, but stores each
 * Linear weight as an anonymous {@code onnx::MatMul_NNN} initializer laid out [in, out]. Its consumer is a MatMul
 * node named after the module ({@code /encoder/layer.0/attention/self/query/MatMul}), which gives the Hugging Face
 * name ({@code encoder.layer.0.attention.self.query.weight}); the weight is transposed to [out, in].
 */
public final class OnnxWeights {

    // Field numbers from onnx.proto.
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_INPUT = 1;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int ONNX_FLOAT = 1;

    private OnnxWeights() {}

    /**
     * The encoder's tensors with Hugging Face {@code BertModel} names ({@code embeddings.*}, {@code encoder.layer.N.*}),
     * Linear weights as [out, in]. Non-float initializers (such as {@code embeddings.position_ids}) are skipped.
     */
    public static List<NamedTensor> readEncoder(InputStream onnxModel) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(onnxModel, 1 << 16);
            in.setSizeLimit(Integer.MAX_VALUE);
            Graph graph = null;
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    graph = readGraph(in);
                    in.popLimit(limit);
                } else {
                    in.skipField(tag);
                }
            }
            if (graph == null) {
                throw new IllegalArgumentException("not an ONNX model: no graph");
            }
            return graph.toHuggingFace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX model", e);
        }
    }

    /** Reads {@link #readEncoder(InputStream)} from a classpath resource, for example {@code all-minilm-l6-v2.onnx}. */
    public static List<NamedTensor> readEncoderResource(String resource) {
        try (InputStream in = OnnxWeights.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("classpath resource " + resource + " not found");
            }
            return readEncoder(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Graph readGraph(CodedInputStream in) throws IOException {
        Graph g = new Graph();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == GRAPH_NODE) {
                int limit = in.pushLimit(in.readRawVarint32());
                readNode(in, g);
                in.popLimit(limit);
            } else if (field == GRAPH_INITIALIZER) {
                int limit = in.pushLimit(in.readRawVarint32());
                NamedTensor t = readTensor(in);
                if (t != null) {
                    g.add(t);
                }
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        return g;
    }

    private static void readNode(CodedInputStream in, Graph g) throws IOException {
        List<String> inputs = new ArrayList<>();
        String name = "";
        String op = "";
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case NODE_INPUT -> inputs.add(in.readStringRequireUtf8());
                case NODE_NAME -> name = in.readStringRequireUtf8();
                case NODE_OP_TYPE -> op = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        if ("MatMul".equals(op) && inputs.size() == 2 && name.endsWith("/MatMul")) {
            // "/encoder/layer.0/attention/self/query/MatMul" -> "encoder.layer.0.attention.self.query.weight"
            String module = name.substring(1, name.length() - "/MatMul".length()).replace('/', '.');
            g.matMulWeightNames.put(inputs.get(1), module + ".weight");
        }
    }

    /** Returns null for tensors that are not fp32 (they are skipped); refuses external data. */
    private static NamedTensor readTensor(CodedInputStream in) throws IOException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = null;
        float[] data = null;
        int floatCount = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case TENSOR_DIMS -> {
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (!in.isAtEnd()) {
                            dims.add(in.readInt64());
                        }
                        in.popLimit(limit);
                    } else {
                        dims.add(in.readInt64());
                    }
                }
                case TENSOR_DATA_TYPE -> dataType = in.readInt32();
                case TENSOR_NAME -> name = in.readStringRequireUtf8();
                case TENSOR_RAW_DATA -> {
                    int size = in.readRawVarint32();
                    if (dataType != 0 && dataType != ONNX_FLOAT) {
                        in.skipRawBytes(size);
                    } else {
                        data = decodeLittleEndianFloats(in.readRawBytes(size));
                    }
                }
                case TENSOR_FLOAT_DATA -> {
                    // packed repeated float: rare for large weights, but legal
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        data = decodeLittleEndianFloats(in.readRawBytes(in.readRawVarint32()));
                    } else {
                        float[] grown = data == null ? new float[16] : data;
                        if (floatCount == grown.length) {
                            grown = java.util.Arrays.copyOf(grown, grown.length * 2);
                        }
                        grown[floatCount++] = in.readFloat();
                        data = grown;
                    }
                }
                case TENSOR_DATA_LOCATION -> {
                    if (in.readEnum() == 1) {
                        throw new IllegalArgumentException("ONNX tensor " + name + " uses external data, which is not supported");
                    }
                }
                default -> in.skipField(tag);
            }
        }
        if (dataType != ONNX_FLOAT || name == null) {
            return null;
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (data == null) {
            data = new float[0];
        }
        if (floatCount > 0) {
            data = java.util.Arrays.copyOf(data, floatCount);
        }
        return new NamedTensor(name, shape, data);
    }

    private static float[] decodeLittleEndianFloats(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            throw new IllegalArgumentException("raw float data of " + bytes.length + " bytes is not a multiple of 4");
        }
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static final class Graph {
        final Map<String, NamedTensor> initializers = new LinkedHashMap<>();
        final Map<String, String> matMulWeightNames = new HashMap<>();

        /**
         * Nodes precede initializers on the wire (field order), so MatMul weights are normally renamed and transposed
         * on arrival, and only one copy of the model is ever held.
         */
        void add(NamedTensor t) {
            String hfName = matMulWeightNames.get(t.name());
            initializers.put(t.name(), hfName == null ? t : transpose(hfName, t));
        }

        List<NamedTensor> toHuggingFace() {
            List<NamedTensor> out = new ArrayList<>();
            for (Map.Entry<String, NamedTensor> e : initializers.entrySet()) {
                NamedTensor t = e.getValue();
                String hfName = matMulWeightNames.get(e.getKey());
                if (hfName != null && t.name().equals(e.getKey())) {
                    t = transpose(hfName, t); // initializer came before its node
                } else if (hfName == null && t.name().startsWith("onnx::")) {
                    throw new IllegalArgumentException("anonymous ONNX initializer " + t.name()
                            + " is not the weight of a module's MatMul; cannot name it");
                }
                out.add(t);
            }
            return out;
        }

        /** [in, out] -> [out, in]; the source array is dropped as soon as it is copied. */
        private static NamedTensor transpose(String name, NamedTensor t) {
            if (t.shape().length != 2) {
                throw new IllegalArgumentException("MatMul weight " + t.name() + " for " + name + " is not 2-D");
            }
            int rows = Math.toIntExact(t.shape()[0]);
            int cols = Math.toIntExact(t.shape()[1]);
            float[] src = t.data();
            float[] dst = new float[src.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    dst[c * rows + r] = src[r * cols + c];
                }
            }
            return new NamedTensor(name, new long[] {cols, rows}, dst);
        }
    }
}
