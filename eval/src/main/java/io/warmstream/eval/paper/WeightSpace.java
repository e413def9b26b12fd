package io.warmstream.eval.paper;

import io.warmstream.model.merge.AverageFolder;
import io.warmstream.model.merge.MergeSettings;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.model.weights.LoadedModel;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import io.warmstream.model.weights.SafetensorsReader;
import io.warmstream.model.weights.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Operations on model directories in weight space: WARM averages, interpolation, distances between members. */
public final class WeightSpace {

    private static final int CHUNK = 1 << 18;

    private WeightSpace() {
    }

    /**
     * WARM for M = 1..members.size(), built the way the merger service builds it: members folded one by one into a
     * running uniform average ({@link AverageFolder}, strategy uniform). Returns the average after each fold.
     */
    public static List<Path> warmAverages(List<Path> members, Path outDir) {
        AverageFolder folder = new AverageFolder(MergeSettings.of(MergeStrategy.UNIFORM));
        List<Path> out = new ArrayList<>();
        Path current = null;
        for (int i = 0; i < members.size(); i++) {
            Path next = outDir.resolve("warm-" + (i + 1));
            current = folder.fold(current, members.get(i), "member-" + (i + 1), next).directory();
            out.add(current);
        }
        return out;
    }

    /** Writes (1 - lambda) * a + lambda * b, tensor by tensor (lambda 0 and 1 reproduce a and b exactly). */
    public static Path interpolate(Path a, Path b, double lambda, Path out) {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be in [0, 1], got " + lambda);
        }
        return mix(a, b, lambda, out);
    }

    /**
     * Writes init + factor * (member - init): the member's task vector scaled (factor < 1 shrinks it toward the
     * initialisation, > 1 extrapolates). The control for "WARM helps because it shrinks": a single member brought to
     * WARM's distance from the initialisation.
     */
    public static Path scaleTaskVector(Path init, Path member, double factor, Path out) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be finite and >= 0, got " + factor);
        }
        return mix(init, member, factor, out);
    }

    /** The uniform weight average of the given members, built by the merger's folder; intermediates removed. */
    public static Path average(List<Path> members, Path out) {
        Path scratch = out.resolveSibling(out.getFileName() + "-folds");
        List<Path> folds = warmAverages(members, scratch);
        try {
            Path last = folds.get(folds.size() - 1);
            io.warmstream.model.store.DirectoryTree.delete(out);
            java.nio.file.Files.createDirectories(out.getParent());
            java.nio.file.Files.move(last, out);
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot move the average to " + out, e);
        } finally {
            io.warmstream.model.store.DirectoryTree.delete(scratch);
        }
    }

    private static Path mix(Path a, Path b, double lambda, Path out) {
        LoadedModel first = ModelDirectory.read(a);
        LoadedModel second = ModelDirectory.read(b);
        if (!first.lineage().equals(second.lineage())) {
            throw new IllegalArgumentException(a + " and " + b + " do not share an initialisation");
        }
        List<NamedTensor> mixed = new ArrayList<>();
        for (NamedTensor x : first.tensors()) {
            NamedTensor y = second.tensor(x.name());
            if (y == null || y.data().length != x.data().length) {
                throw new IllegalArgumentException("tensor " + x.name() + " missing or reshaped in " + b);
            }
            float[] data = new float[x.data().length];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) ((1 - lambda) * x.data()[i] + lambda * y.data()[i]);
            }
            mixed.add(new NamedTensor(x.name(), x.shape(), data));
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("interpolation", Map.of("a", a.toString(), "b", b.toString(), "lambda", lambda));
        ModelDirectory.write(out, mixed, first.hfConfig(), a.resolve(ModelDirectory.TOKENIZER_FILE),
                first.lineage(), facts);
        return out;
    }

    /** True when two model directories hold bit-identical weights. */
    public static boolean sameWeights(Path a, Path b) {
        return ModelDirectory.readManifest(a).weightsSha256().equals(ModelDirectory.readManifest(b).weightsSha256());
    }

    /**
     * Largest |a - b| over every weight of two model directories with the same tensors (0 when numerically equal;
     * unlike {@link #sameWeights}, -0.0 and +0.0 count as equal).
     */
    public static double maxAbsDifference(Path a, Path b) {
        double max = 0;
        try (SafetensorsReader x = SafetensorsReader.open(ModelDirectory.weightsFile(a));
             SafetensorsReader y = SafetensorsReader.open(ModelDirectory.weightsFile(b))) {
            float[] u = new float[CHUNK];
            float[] v = new float[CHUNK];
            for (TensorInfo info : x.tensors()) {
                TensorInfo other = y.tensor(info.name());
                long count = info.elementCount();
                if (other.elementCount() != count) {
                    throw new IllegalArgumentException("tensor " + info.name() + " differs in size");
                }
                for (long from = 0; from < count; from += CHUNK) {
                    int n = (int) Math.min(CHUNK, count - from);
                    x.readFloats(info, from, u, 0, n);
                    y.readFloats(other, from, v, 0, n);
                    for (int k = 0; k < n; k++) {
                        max = Math.max(max, Math.abs((double) u[k] - v[k]));
                    }
                }
            }
        }
        return max;
    }

    /**
     * Gram matrix of the members' task vectors d_i = theta_i - theta_init, in double: G[i][j] = d_i . d_j. Distances
     * (|theta_i - theta_j|^2 = G_ii + G_jj - 2 G_ij), cosines and the average's distance from the init follow.
     */
    public static double[][] taskVectorGram(Path init, List<Path> members) {
        int m = members.size();
        double[][] g = new double[m][m];
        List<SafetensorsReader> readers = new ArrayList<>();
        try (SafetensorsReader base = SafetensorsReader.open(ModelDirectory.weightsFile(init))) {
            for (Path p : members) {
                readers.add(SafetensorsReader.open(ModelDirectory.weightsFile(p)));
            }
            float[] baseChunk = new float[CHUNK];
            float[][] chunks = new float[m][CHUNK];
            for (TensorInfo info : base.tensors()) {
                long count = info.elementCount();
                TensorInfo[] infos = new TensorInfo[m];
                for (int i = 0; i < m; i++) {
                    infos[i] = readers.get(i).tensor(info.name());
                    if (infos[i].elementCount() != count) {
                        throw new IllegalArgumentException("tensor " + info.name() + " differs in size");
                    }
                }
                for (long from = 0; from < count; from += CHUNK) {
                    int n = (int) Math.min(CHUNK, count - from);
                    base.readFloats(info, from, baseChunk, 0, n);
                    for (int i = 0; i < m; i++) {
                        readers.get(i).readFloats(infos[i], from, chunks[i], 0, n);
                        for (int k = 0; k < n; k++) {
                            chunks[i][k] -= baseChunk[k];
                        }
                    }
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j <= i; j++) {
                            double s = 0;
                            float[] x = chunks[i];
                            float[] y = chunks[j];
                            for (int k = 0; k < n; k++) {
                                s += (double) x[k] * y[k];
                            }
                            g[i][j] += s;
                        }
                    }
                }
            }
        } finally {
            readers.forEach(SafetensorsReader::close);
        }
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                g[i][j] = g[j][i];
            }
        }
        return g;
    }
}
