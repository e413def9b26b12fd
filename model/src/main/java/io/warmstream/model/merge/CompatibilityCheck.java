package io.warmstream.model.merge;

import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.model.weights.SafetensorsReader;
import io.warmstream.model.weights.TensorInfo;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What must hold before models are averaged: same lineage (same pretrained base and architecture) and tokenizer,
 * the same tensor names (order does not matter), dtypes and shapes, and only finite values. Each check refuses
 * with {@link IncompatibleModelException} naming the first offending tensor, in the reference's file order.
 */
public final class CompatibilityCheck {

    private CompatibilityCheck() {
    }

    /** Every check, including a streaming scan of both models' values; for vetting a model before a merge. */
    public static void requireCompatible(Path referenceDir, Path otherDir) {
        requireSameLineage(ModelDirectory.readManifest(referenceDir), referenceDir,
                ModelDirectory.readManifest(otherDir), otherDir);
        try (SafetensorsReader reference = SafetensorsReader.open(ModelDirectory.weightsFile(referenceDir));
             SafetensorsReader other = SafetensorsReader.open(ModelDirectory.weightsFile(otherDir))) {
            requireSameTensors(reference, other);
            requireFinite(reference);
            requireFinite(other);
        }
    }

    public static void requireSameLineage(ModelManifest reference, Path referenceDir, ModelManifest other, Path otherDir) {
        if (!reference.lineage().id().equals(other.lineage().id())) {
            throw lineage("lineage " + other.lineage().id() + " of " + otherDir + " != "
                    + reference.lineage().id() + " of " + referenceDir + " (" + other.lineage() + " vs "
                    + reference.lineage() + "): only models fine-tuned from the same base and architecture can be merged");
        }
        String tokenizer = ModelDirectory.TOKENIZER_FILE;
        if (!Objects.equals(reference.fileSha256().get(tokenizer), other.fileSha256().get(tokenizer))) {
            throw lineage(tokenizer + " of " + otherDir + " differs from " + referenceDir);
        }
    }

    /** Names (order-insensitive), dtypes and shapes equal, and every dtype readable as floats. */
    public static void requireSameTensors(SafetensorsReader reference, SafetensorsReader other) {
        String files = " (" + other.file() + " vs " + reference.file() + ")";
        for (TensorInfo ref : reference.tensors()) {
            TensorInfo t = other.find(ref.name());
            if (t == null) {
                throw tensors("tensor " + ref.name() + ": missing in " + other.file()
                        + " (present in " + reference.file() + ")");
            }
            if (!ref.dtype().readableAsFloat()) {
                throw tensors("tensor " + ref.name() + ": dtype " + ref.dtype()
                        + " cannot be merged" + files);
            }
            if (t.dtype() != ref.dtype()) {
                throw tensors("tensor " + ref.name() + ": dtype " + t.dtype() + " != "
                        + ref.dtype() + files);
            }
            if (!t.sameShape(ref)) {
                throw tensors("tensor " + ref.name() + ": shape " + t.shapeText() + " != "
                        + ref.shapeText() + files);
            }
        }
        for (TensorInfo t : other.tensors()) {
            if (reference.find(t.name()) == null) {
                throw tensors("tensor " + t.name() + ": present in " + other.file()
                        + " but not in " + reference.file());
            }
        }
    }

    /** Streams every tensor and refuses the first NaN or infinity. */
    public static void requireFinite(SafetensorsReader reader) {
        float[] chunk = new float[StreamingMerge.CHUNK_ELEMENTS];
        for (TensorInfo t : reader.tensors()) {
            long count = t.elementCount();
            for (long from = 0; from < count; from += chunk.length) {
                int n = (int) Math.min(chunk.length, count - from);
                reader.readFloats(t, from, chunk, 0, n);
                requireFinite(reader, t, chunk, n, from);
            }
        }
    }

    static void requireFinite(SafetensorsReader reader, TensorInfo tensor, float[] chunk, int n, long from) {
        int at = firstNonFinite(chunk, n);
        if (at >= 0) {
            throw nonFinite("tensor " + tensor.name() + " contains " + chunk[at] + " at index "
                    + (from + at) + " (" + reader.file() + ")");
        }
    }

    /** Index of the first NaN or infinity in values[0, n), or -1. */
    static int firstNonFinite(float[] values, int n) {
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(values[i]) <= Float.MAX_VALUE)) {
                return i;
            }
        }
        return -1;
    }

    private static IncompatibleModelException lineage(String message) {
        return new IncompatibleModelException(IncompatibleModelException.Kind.LINEAGE, message);
    }

    private static IncompatibleModelException tensors(String message) {
        return new IncompatibleModelException(IncompatibleModelException.Kind.TENSORS, message);
    }

    static IncompatibleModelException nonFinite(String message) {
        return new IncompatibleModelException(IncompatibleModelException.Kind.NON_FINITE, message);
    }
}
