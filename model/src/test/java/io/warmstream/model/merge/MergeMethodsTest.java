package io.warmstream.model.merge;

import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.Member;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each merge method's own checks and weights, and the kind every fold refusal carries. */
class MergeMethodsTest {

    @TempDir
    Path tmp;

    private static final MemberFigures UNKNOWN = new MemberFigures(Double.NaN, 0, 40);
    private static final MemberFigures ZERO = new MemberFigures(0.0, 8, 40);
    private static final MemberFigures NO_LABELS = new MemberFigures(0.7, 8, 0);
    private static final MemberFigures GOOD = new MemberFigures(0.7, 8, 40);

    @Test
    void accuracyWeightedNeedsAKnownPositiveAccuracy() {
        MergeMethod m = MergeStrategy.ACCURACY_WEIGHTED.method();
        assertEquals(IncompatibleModelException.Kind.UNWEIGHABLE,
                assertThrows(IncompatibleModelException.class, () -> m.requireWeighable(UNKNOWN)).kind());
        assertEquals(IncompatibleModelException.Kind.UNWEIGHABLE,
                assertThrows(IncompatibleModelException.class, () -> m.requireWeighable(ZERO)).kind());
        m.requireWeighable(NO_LABELS);
        assertEquals(0.7, m.weightOf(GOOD));
    }

    @Test
    void dataSizeWeightedNeedsTrainingLabels() {
        MergeMethod m = MergeStrategy.DATA_SIZE_WEIGHTED.method();
        IncompatibleModelException e = assertThrows(IncompatibleModelException.class,
                () -> m.requireWeighable(NO_LABELS));
        assertEquals(IncompatibleModelException.Kind.UNWEIGHABLE, e.kind());
        assertTrue(e.getMessage().startsWith("trainCount 0: "), e.getMessage());
        m.requireWeighable(UNKNOWN);
        assertEquals(40.0, m.weightOf(GOOD));
    }

    @Test
    void unweightedMethodsTakeEveryMemberAtWeightOne() {
        for (MergeStrategy s : List.of(MergeStrategy.UNIFORM, MergeStrategy.EMA, MergeStrategy.SLIDING_WINDOW,
                MergeStrategy.SLERP_LITI)) {
            s.method().requireWeighable(UNKNOWN);
            s.method().requireWeighable(NO_LABELS);
            assertEquals(1.0, s.method().weightOf(GOOD), s.name());
        }
    }

    @Test
    void onlySlerpLitiNeedsTheInitModelAndOnlyTheWindowAMemberLocator() {
        for (MergeStrategy s : MergeStrategy.values()) {
            assertEquals(s == MergeStrategy.SLERP_LITI, s.method().needsInitModel(), s.name());
        }
        IllegalArgumentException slerp = assertThrows(IllegalArgumentException.class,
                () -> new AverageFolder(MergeSettings.of(MergeStrategy.SLERP_LITI)));
        assertEquals("strategy slerp-liti needs initModel (the shared initialisation)", slerp.getMessage());
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> new AverageFolder(MergeSettings.of(MergeStrategy.SLIDING_WINDOW)));
        assertEquals("strategy sliding-window needs a memberLocator to find member files", window.getMessage());
    }

    @Test
    void aPlanNamesItsInputsAndMemberWeights() throws IOException {
        Path avgDir = SyntheticModels.write(tmp.resolve("m0"), SyntheticModels.tensors(1, 0, 0.05));
        AverageFolder ema = new AverageFolder(MergeSettings.of(MergeStrategy.EMA).withEmaMu(0.25));
        Path avg = ema.fold(null, avgDir, "job-0", tmp.resolve("avg")).directory();
        Path next = SyntheticModels.write(tmp.resolve("m1"), SyntheticModels.tensors(2, 0, 0.05));
        FoldRequest request = new FoldRequest(avg, ModelDirectory.readManifest(avg).merge(), next,
                ModelDirectory.readManifest(next), "job-1", 1.0, ema.settings());
        MergePlan plan = MergeStrategy.EMA.method().plan(request);
        assertEquals(List.of(avg, next), plan.inputs());
        assertEquals(List.of(1.0, 0.25), plan.record().members().stream().map(Member::weight).toList());
        assertEquals(2, plan.record().folds());
        assertEquals(0.25, plan.record().parameters().get("mu"));
    }

    @Test
    void foldRefusalsCarryTheirKind() throws IOException {
        AverageFolder uniform = new AverageFolder(MergeSettings.of(MergeStrategy.UNIFORM));
        Path m0 = SyntheticModels.write(tmp.resolve("m0"), SyntheticModels.tensors(1, 0, 0.05));
        Path avg = uniform.fold(null, m0, "job-0", tmp.resolve("avg")).directory();

        Path otherLineage = SyntheticModels.write(tmp.resolve("lineage"), SyntheticModels.tensors(2, 0, 0.05),
                new Lineage("sha256:pretrained-other", "BertForSequenceClassification/L6-H384"));
        assertEquals(IncompatibleModelException.Kind.LINEAGE, kindOf(uniform, avg, otherLineage));

        List<NamedTensor> shorter = new ArrayList<>(SyntheticModels.tensors(2, 0, 0.05));
        shorter.remove(3);
        assertEquals(IncompatibleModelException.Kind.TENSORS,
                kindOf(uniform, avg, SyntheticModels.write(tmp.resolve("shape"), shorter)));

        List<NamedTensor> nan = SyntheticModels.tensors(2, 0, 0.05);
        nan.get(2).data()[1] = Float.NaN;
        assertEquals(IncompatibleModelException.Kind.NON_FINITE,
                kindOf(uniform, avg, SyntheticModels.write(tmp.resolve("nan"), nan)));

        Path good = SyntheticModels.write(tmp.resolve("good"), SyntheticModels.tensors(3, 0, 0.05));
        assertEquals(IncompatibleModelException.Kind.NOT_AN_AVERAGE,
                kindOf(new AverageFolder(MergeSettings.of(MergeStrategy.EMA)), avg, good));
        assertEquals(IncompatibleModelException.Kind.ALREADY_MEMBER,
                assertThrows(IncompatibleModelException.class,
                        () -> uniform.fold(avg, good, "job-0", tmp.resolve("dup"))).kind());
        assertFalse(java.nio.file.Files.exists(tmp.resolve("dup")));
    }

    @Test
    void aWindowThatDoesNotReadTheAverageStillChecksTheNewModelAgainstIt() throws IOException {
        Path m0 = SyntheticModels.write(tmp.resolve("m0"), SyntheticModels.tensors(1, 0, 0.05));
        AverageFolder window = new AverageFolder(MergeSettings.of(MergeStrategy.SLIDING_WINDOW).withWindowSize(1)
                .withMemberLocator(member -> m0));
        Path avg = window.fold(null, m0, "job-0", tmp.resolve("avg")).directory();
        List<NamedTensor> shorter = new ArrayList<>(SyntheticModels.tensors(2, 0, 0.05));
        shorter.remove(3);
        assertEquals(IncompatibleModelException.Kind.TENSORS,
                kindOf(window, avg, SyntheticModels.write(tmp.resolve("shape"), shorter)));
    }

    private IncompatibleModelException.Kind kindOf(AverageFolder folder, Path avg, Path model) {
        Path out = tmp.resolve("out-" + model.getFileName());
        IncompatibleModelException e = assertThrows(IncompatibleModelException.class,
                () -> folder.fold(avg, model, "job-x", out));
        assertFalse(java.nio.file.Files.exists(out), "nothing left behind");
        return e.kind();
    }
}
