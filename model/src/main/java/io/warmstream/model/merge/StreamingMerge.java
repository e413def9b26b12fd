package io.warmstream.model.merge;

import io.warmstream.model.weights.SafetensorsReader;
import io.warmstream.model.weights.SafetensorsWriter;
import io.warmstream.model.weights.TensorInfo;
import io.warmstream.model.weights.TensorSpec;

import java.util.List;

/**
 * Runs a {@link TensorKernel} over aligned safetensors inputs and streams the result into a writer, tensor by
 * tensor and chunk by chunk. Memory: (arity + 1) chunks of {@link #CHUNK_ELEMENTS} floats, whatever the model
 * size or the number of models behind the average.
 *
 * <p>Every value that reaches the output is checked finite; a non-finite one is traced back to the input that
 * holds it and refused with {@link IncompatibleModelException} naming file, tensor and index. The output file is
 * then incomplete and must be discarded (callers write into a staging directory).
 */
public final class StreamingMerge {

    /** 1 MiB of fp32 per buffer. */
    public static final int CHUNK_ELEMENTS = 1 << 18;

    private StreamingMerge() {
    }

    /** Declared output layout: the reference's tensors in its file order, as F32. */
    public static List<TensorSpec> specsOf(SafetensorsReader reference) {
        return reference.tensors().stream().map(TensorSpec::of).toList();
    }

    /**
     * Writes every tensor the writer still expects. Inputs must hold those tensors with equal shapes
     * ({@link CompatibilityCheck#requireSameTensors}); the writer is not finished here.
     */
    public static void run(List<SafetensorsReader> inputs, TensorKernel kernel, SafetensorsWriter writer) {
        int arity = inputs.size();
        if (arity != kernel.arity()) {
            throw new IllegalArgumentException("kernel takes " + kernel.arity() + " inputs, got " + arity);
        }
        float[][] chunks = new float[arity][CHUNK_ELEMENTS];
        float[] out = new float[CHUNK_ELEMENTS];
        TensorInfo[] infos = new TensorInfo[arity];
        TensorSpec spec;
        while ((spec = writer.currentTensor()) != null) {
            for (int i = 0; i < arity; i++) {
                infos[i] = inputs.get(i).tensor(spec.name());
            }
            long count = spec.elementCount();
            kernel.beginTensor(infos[0]);
            if (kernel.needsStatistics()) {
                for (long from = 0; from < count; from += CHUNK_ELEMENTS) {
                    int n = (int) Math.min(CHUNK_ELEMENTS, count - from);
                    read(inputs, infos, chunks, from, n);
                    for (int i = 0; i < arity; i++) {
                        CompatibilityCheck.requireFinite(inputs.get(i), infos[i], chunks[i], n, from);
                    }
                    kernel.observe(chunks, n);
                }
            }
            for (long from = 0; from < count; from += CHUNK_ELEMENTS) {
                int n = (int) Math.min(CHUNK_ELEMENTS, count - from);
                read(inputs, infos, chunks, from, n);
                kernel.combine(chunks, out, n);
                if (CompatibilityCheck.firstNonFinite(out, n) >= 0) {
                    for (int i = 0; i < arity; i++) {
                        CompatibilityCheck.requireFinite(inputs.get(i), infos[i], chunks[i], n, from);
                    }
                    int at = CompatibilityCheck.firstNonFinite(out, n);
                    throw CompatibilityCheck.nonFinite("tensor " + spec.name() + ": merge produced "
                            + out[at] + " at index " + (from + at) + " from finite inputs");
                }
                writer.write(out, 0, n);
            }
            if (count == 0) {
                writer.write(out, 0, 0);
            }
        }
    }

    private static void read(List<SafetensorsReader> inputs, TensorInfo[] infos, float[][] chunks, long from, int n) {
        for (int i = 0; i < infos.length; i++) {
            inputs.get(i).readFloats(infos[i], from, chunks[i], 0, n);
        }
    }
}
