package io.warmstream.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block whose parameters carry their full Hugging Face names ({@code bert.encoder.layer.0.attention.self.query.weight}),
 * so that weights move between DJL, ONNX and safetensors by name alone.
 *
 * <p>Parameters are never initialised by DJL initialisers: every array is set from named tensors
 * ({@link NetworkWeights}), which keeps one code path for pretrained, random and reloaded weights.
 */
public abstract class HfBlock extends AbstractBlock {

    private final Map<String, Shape> shapes = new LinkedHashMap<>();

    protected final Parameter param(String hfName, Parameter.Type type, long... shape) {
        shapes.put(hfName, new Shape(shape));
        return addParameter(Parameter.builder().setName(hfName).setType(type).build());
    }

    /**
     * The parameter's value in the dtype of {@code like}: parameters stay fp32 (master weights) and are cast for a
     * half-precision forward, which is what autocast does for matmuls.
     */
    protected static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        // The model lives on one device, so the ParameterStore's multi-device copies are not used.
        NDArray v = p.getArray();
        return v.getDataType() == like.getDataType() ? v : v.toType(like.getDataType(), false);
    }

    /** Initialised means every parameter holds an array; DJL's initialisers are never used (see class comment). */
    @Override
    public boolean isInitialized() {
        return parametersByName().values().stream().allMatch(Parameter::isInitialized);
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        throw new IllegalStateException(getClass().getSimpleName() + " is initialised from named tensors, not by DJL");
    }

    /** Parameters of this block and its children, by Hugging Face name, in Hugging Face state-dict order. */
    public final Map<String, Parameter> parametersByName() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(this, out);
        return out;
    }

    /** Expected shapes of {@link #parametersByName()}. */
    public final Map<String, Shape> parameterShapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        collectShapes(this, out);
        return out;
    }

    // Children before a block's own parameters: the reward network's pooler and classifier follow the encoder.
    private static void collect(Block block, Map<String, Parameter> out) {
        for (Block child : block.getChildren().values()) {
            collect(child, out);
        }
        for (Parameter p : block.getDirectParameters().values()) {
            out.put(p.getName(), p);
        }
    }

    private static void collectShapes(Block block, Map<String, Shape> out) {
        for (Block child : block.getChildren().values()) {
            collectShapes(child, out);
        }
        if (block instanceof HfBlock hf) {
            out.putAll(hf.shapes);
        }
    }

    /** LayerNorm in fp32 whatever the compute dtype, as mixed-precision autocast does. */
    protected static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
        DataType dt = x.getDataType();
        NDArray x32 = dt == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray y = ai.djl.nn.norm.LayerNorm.layerNorm(x32, new Shape(x.getShape().get(x.getShape().dimension() - 1)),
                gamma, beta, (float) eps).singletonOrThrow();
        return dt == DataType.FLOAT32 ? y : y.toType(dt, false);
    }
}
