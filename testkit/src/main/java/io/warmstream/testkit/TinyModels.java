package io.warmstream.testkit;

import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tiny reward-model directories for tests (BertConfig.tiny: 2 layers, hidden 32, ~1.1M parameters, ~4 MB): members
 * are the tiny base plus seeded noise, so their mean is known exactly, plus the broken kinds a merger must refuse.
 * {@link TinyModelStore} puts whole random-headed models into a checkpoint store instead.
 */
public final class TinyModels {

    public static final BaseModel BASE = BaseModels.tiny(7);
    private static final List<NamedTensor> BASE_TENSORS = BASE.tensors();

    private TinyModels() {
    }

    public static Lineage lineage() {
        return BASE.lineage();
    }

    /** The base plus N(0, 0.02) noise from {@code seed}. */
    public static List<NamedTensor> memberTensors(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<NamedTensor> out = new ArrayList<>();
        for (NamedTensor t : BASE_TENSORS) {
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (gaussian(r) * 0.02);
            }
            out.add(new NamedTensor(t.name(), t.shape().clone(), d));
        }
        return out;
    }

    public static void write(Path dir, List<NamedTensor> tensors, Lineage lineage) {
        ModelDirectory.write(dir, tensors, BASE.config().toHuggingFaceConfig(), BASE.tokenizerFile(), lineage,
                Map.of("test", "merger"));
    }

    public static void member(Path dir, long seed) {
        write(dir, memberTensors(seed), lineage());
    }

    /** A member with one NaN in a middle layer. */
    public static void withNaN(Path dir, long seed, String tensor) {
        List<NamedTensor> t = memberTensors(seed);
        for (NamedTensor n : t) {
            if (n.name().equals(tensor)) {
                n.data()[3] = Float.NaN;
            }
        }
        write(dir, t, lineage());
    }

    /** Same lineage claimed, but hidden size 48: every tensor has another shape. */
    public static void otherShape(Path dir) {
        BertConfig config = BertConfig.tiny(48, 2, 2, 64);
        BaseModel other = BaseModels.tiny(config, 7);
        ModelDirectory.write(dir, other.tensors(), config.toHuggingFaceConfig(), other.tokenizerFile(), lineage(),
                Map.of("test", "other-shape"));
    }

    /** A member of another lineage (another init seed). */
    public static void otherLineage(Path dir, long seed) {
        write(dir, memberTensors(seed), BaseModels.tiny(8).lineage());
    }

    /** Flips bytes in the middle of model.safetensors after it was written: the recorded SHA-256 no longer holds. */
    public static void corrupt(Path dir) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(ModelDirectory.weightsFile(dir).toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5A);
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
