package io.warmstream.model.merge;

import io.warmstream.model.weights.LoadedModel;
import io.warmstream.model.weights.Member;
import io.warmstream.model.weights.MergeRecord;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.model.weights.NamedTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folds through real model directories: what the merger service does. */
class AverageFolderTest {

    @TempDir
    Path tmp;

    private final List<Path> models = new ArrayList<>();
    private final List<List<NamedTensor>> weights = new ArrayList<>();

    private void trainMembers(int count) throws IOException {
        for (int m = 0; m < count; m++) {
            List<NamedTensor> t = SyntheticModels.tensors(100 + m, 0.01, 0.05);
            weights.add(t);
            models.add(SyntheticModels.write(tmp.resolve("members/job-" + m), t));
        }
    }

    /** Folds every member in order; returns the final average's directory. */
    private Path foldAll(AverageFolder folder, double[] memberWeights) {
        Path average = null;
        for (int m = 0; m < models.size(); m++) {
            Path out = tmp.resolve("averages/v" + (m + 1));
            FoldResult result = folder.fold(average, models.get(m), "job-" + m,
                    memberWeights == null ? 1 : memberWeights[m], out);
            assertEquals(out, result.directory());
            average = out;
        }
        return average;
    }

    /** Normwise relative error of a loaded model against per-element expectations computed in double. */
    private static double relativeError(LoadedModel model, List<double[]> expected) {
        double num = 0;
        double den = 0;
        for (int t = 0; t < expected.size(); t++) {
            float[] got = model.tensors().get(t).data();
            double[] want = expected.get(t);
            for (int i = 0; i < want.length; i++) {
                num += (got[i] - want[i]) * (got[i] - want[i]);
                den += want[i] * want[i];
            }
        }
        return Math.sqrt(num / den);
    }

    private List<double[]> weightedMean(double[] w, int from) {
        List<double[]> out = new ArrayList<>();
        for (int t = 0; t < SyntheticModels.NAMES.size(); t++) {
            double[] sum = new double[weights.get(0).get(t).data().length];
            double ws = 0;
            for (int m = from; m < weights.size(); m++) {
                float[] x = weights.get(m).get(t).data();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += w[m] * x[i];
                }
                ws += w[m];
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= ws;
            }
            out.add(sum);
        }
        return out;
    }

    @Test
    void foldingOneAtATimeEqualsTheBatchMean() throws IOException {
        trainMembers(7);
        Path average = foldAll(new AverageFolder(MergeSettings.of(MergeStrategy.UNIFORM)), null);
        LoadedModel avg = ModelDirectory.read(average);
        double[] ones = {1, 1, 1, 1, 1, 1, 1};
        double rel = relativeError(avg, weightedMean(ones, 0));
        assertTrue(rel <= 1e-6, "relative error " + rel);
        assertEquals(SyntheticModels.NAMES, avg.tensors().stream().map(NamedTensor::name).toList());
        assertEquals(SyntheticModels.LINEAGE, avg.lineage());
        assertEquals(SyntheticModels.CONFIG, avg.hfConfig());

        MergeRecord record = ModelDirectory.readManifest(average).merge();
        assertEquals("uniform", record.strategy());
        assertEquals(7, record.folds());
        assertEquals(7, record.members().size());
        assertEquals(new Member("job-3", ModelDirectory.readManifest(models.get(3)).weightsSha256(), 1.0),
                record.members().get(3));
        // the first average is the first member, bit for bit
        assertArrayEquals(weights.get(0).get(0).data(),
                ModelDirectory.read(tmp.resolve("averages/v1")).tensors().get(0).data());
    }

    @Test
    void accuracyWeightedFoldsEqualTheWeightedMean() throws IOException {
        trainMembers(4);
        double[] accuracy = {0.62, 0.71, 0.58, 0.66};
        Path average = foldAll(new AverageFolder(MergeSettings.of(MergeStrategy.ACCURACY_WEIGHTED)), accuracy);
        double rel = relativeError(ModelDirectory.read(average), weightedMean(accuracy, 0));
        assertTrue(rel <= 1e-6, "relative error " + rel);
        assertEquals(0.58, ModelDirectory.readManifest(average).merge().members().get(2).weight());
    }

    @Test
    void dataSizeWeightedFoldsWeighEachMemberByItsLabels() throws IOException {
        trainMembers(3);
        double[] labels = {200, 900, 2400};
        Path average = foldAll(new AverageFolder(MergeSettings.of(MergeStrategy.DATA_SIZE_WEIGHTED)), labels);
        double rel = relativeError(ModelDirectory.read(average), weightedMean(labels, 0));
        assertTrue(rel <= 1e-6, "relative error " + rel);
        MergeRecord record = ModelDirectory.readManifest(average).merge();
        assertEquals("data-size-weighted", record.strategy());
        assertEquals(3500.0, record.weightSum(), 1e-9);
    }

    @Test
    void emaFoldsFollowTheFormula() throws IOException {
        trainMembers(3);
        double mu = 0.2;
        Path average = foldAll(new AverageFolder(MergeSettings.of(MergeStrategy.EMA).withEmaMu(mu)), null);
        List<double[]> expected = new ArrayList<>();
        for (int t = 0; t < SyntheticModels.NAMES.size(); t++) {
            float[] first = weights.get(0).get(t).data();
            double[] e = new double[first.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = first[i];
                for (int m = 1; m < 3; m++) {
                    e[i] = (1 - mu) * e[i] + mu * weights.get(m).get(t).data()[i];
                }
            }
            expected.add(e);
        }
        assertTrue(relativeError(ModelDirectory.read(average), expected) <= 1e-6);
        MergeRecord record = ModelDirectory.readManifest(average).merge();
        assertEquals(Map.of("mu", mu), record.parameters());
        assertEquals(List.of(1.0, mu, mu), record.members().stream().map(Member::weight).toList());
    }

    @Test
    void slidingWindowIsTheMeanOfTheNewestMembers() throws IOException {
        trainMembers(5);
        Map<String, Path> byJob = new HashMap<>();
        for (int m = 0; m < models.size(); m++) {
            byJob.put("job-" + m, models.get(m));
        }
        MergeSettings settings = MergeSettings.of(MergeStrategy.SLIDING_WINDOW).withWindowSize(3)
                .withMemberLocator(member -> byJob.get(member.jobId()));
        Path average = foldAll(new AverageFolder(settings), null);
        double rel = relativeError(ModelDirectory.read(average), weightedMean(new double[] {0, 0, 1, 1, 1}, 2));
        assertTrue(rel <= 1e-6, "relative error " + rel);
        MergeRecord record = ModelDirectory.readManifest(average).merge();
        assertEquals(List.of("job-2", "job-3", "job-4"), record.members().stream().map(Member::jobId).toList());
        assertEquals(5, record.folds());

        // a member file replaced by other weights is refused
        byJob.put("job-3", models.get(0));
        IncompatibleModelException e = assertThrows(IncompatibleModelException.class, () ->
                new AverageFolder(settings).fold(average, SyntheticModels.write(tmp.resolve("members/job-9"),
                        SyntheticModels.tensors(9, 0, 0.05)), "job-9", tmp.resolve("averages/x")));
        assertTrue(e.getMessage().startsWith("window member job-3 at " + models.get(0) + " has sha256 "), e.getMessage());
    }

    @Test
    void slerpLitiFoldsIterativelyAndPullsTowardTheInit() throws IOException {
        trainMembers(3);
        List<NamedTensor> initTensors = SyntheticModels.tensors(1, 0.01, 0.05);
        Path init = SyntheticModels.write(tmp.resolve("init"), initTensors);
        double eta = 0.3;
        MergeSettings settings = MergeSettings.of(MergeStrategy.SLERP_LITI).withInitModel(init).withLitiEta(eta);
        Path average = foldAll(new AverageFolder(settings), null);

        // reference in memory: m1 = theta1, m_k = slerp(m_{k-1}, theta_k; l = 1/k), served = LITI(m_3)
        List<double[]> expected = new ArrayList<>();
        for (int t = 0; t < SyntheticModels.NAMES.size(); t++) {
            float[] base = initTensors.get(t).data();
            float[] merged = weights.get(0).get(t).data();
            for (int m = 1; m < 3; m++) {
                merged = TaskVectorSlerp.slerp(base, merged, weights.get(m).get(t).data(), 1.0 / (m + 1));
            }
            double[] e = new double[base.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = (1 - eta) * base[i] + eta * merged[i];
            }
            expected.add(e);
        }
        double rel = relativeError(ModelDirectory.read(average), expected);
        assertTrue(rel <= 1e-5, "relative error " + rel);
        ModelManifest manifest = ModelDirectory.readManifest(average);
        assertEquals(eta, manifest.merge().parameters().get("eta"));
        assertEquals(ModelDirectory.readManifest(init).weightsSha256(), manifest.merge().parameters().get("initSha256"));
    }

    @Test
    void refusesDuplicatesWrongStrategyAndAlteredInputs() throws IOException {
        trainMembers(3);
        AverageFolder uniform = new AverageFolder(MergeSettings.of(MergeStrategy.UNIFORM));
        Path v1 = uniform.fold(null, models.get(0), "job-0", tmp.resolve("v1")).directory();
        Path v2 = uniform.fold(v1, models.get(1), "job-1", tmp.resolve("v2")).directory();

        AlreadyMemberException dup = assertThrows(AlreadyMemberException.class,
                () -> uniform.fold(v2, models.get(1), "job-1", tmp.resolve("v3")));
        assertEquals("job job-1 is already a member of average " + v2, dup.getMessage());

        IncompatibleModelException wrong = assertThrows(IncompatibleModelException.class, () ->
                new AverageFolder(MergeSettings.of(MergeStrategy.EMA)).fold(v2, models.get(2), "job-2", tmp.resolve("v3")));
        assertEquals("average " + v2 + " was built with strategy uniform, this folder is configured for ema",
                wrong.getMessage());

        // a flipped byte in the new model's weights: refused after hashing, and nothing is left behind
        Path weightsFile = models.get(2).resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weightsFile);
        bytes[bytes.length - 5] ^= 1;
        Files.write(weightsFile, bytes);
        RuntimeException altered = assertThrows(RuntimeException.class,
                () -> uniform.fold(v2, models.get(2), "job-2", tmp.resolve("v3")));
        assertTrue(altered.getMessage().startsWith(weightsFile + ": sha256 mismatch"), altered.getMessage());
        assertEquals(List.of("members", "v1", "v2"), listing(tmp), "no output, no staging directory");
    }

    @Test
    void reHashesItsOwnAverageOnlyWhenItsFilesChanged() throws IOException {
        trainMembers(3);
        AverageFolder uniform = new AverageFolder(MergeSettings.of(MergeStrategy.UNIFORM));
        Path v1 = uniform.fold(null, models.get(0), "job-0", tmp.resolve("v1")).directory();
        Path v2 = uniform.fold(v1, models.get(1), "job-1", tmp.resolve("v2")).directory();
        // replace the average's weights the way tools do (new file, rename): other inode, so it is hashed again
        Path weightsFile = v2.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weightsFile);
        bytes[bytes.length - 5] ^= 1;
        Path replacement = tmp.resolve("replacement");
        Files.write(replacement, bytes);
        Files.move(replacement, weightsFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        RuntimeException altered = assertThrows(RuntimeException.class,
                () -> uniform.fold(v2, models.get(2), "job-2", tmp.resolve("v3")));
        assertTrue(altered.getMessage().startsWith(weightsFile + ": sha256 mismatch"), altered.getMessage());
        // a fresh folder (a restarted merger) trusts nothing either
        bytes[bytes.length - 5] ^= 1;
        Files.write(weightsFile, bytes);
        Path v3 = new AverageFolder(MergeSettings.of(MergeStrategy.UNIFORM))
                .fold(v2, models.get(2), "job-2", tmp.resolve("v3")).directory();
        assertEquals(3, ModelDirectory.readManifest(v3).merge().members().size());
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
