package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.WorldConfig;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.RewardModel;
import io.warmstream.model.weights.LoadedModel;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WARM and interpolation on real (tiny) model directories, scored by the real scorer. */
class WeightSpaceTest {

    private static final int MAX_LENGTH = 48;
    private static final PreferenceWorld WORLD = PreferenceWorld.create(WorldConfig.defaults());
    private static final PairSet PAIRS = PairSet.of("v", WORLD.labels(Split.VALIDATION_ID, 12).toList());
    private static final CandidatePool POOL = CandidatePool.draw(WORLD, Split.VALIDATION_ID, 2, 4, 1);

    @TempDir
    static Path dir;
    static Path a;
    static Path b;
    static Path c;

    @BeforeAll
    static void models() {
        a = dir.resolve("a");
        try (RewardModel m = RewardModel.create(BaseModels.tiny(5), Compute.cpu(), MAX_LENGTH)) {
            m.save(a, Map.of());
        }
        // b = a + delta and c = a + 2 delta: same lineage, known geometry.
        LoadedModel base = ModelDirectory.read(a);
        Random r = new Random(1);
        List<NamedTensor> bt = new ArrayList<>();
        List<NamedTensor> ct = new ArrayList<>();
        for (NamedTensor t : base.tensors()) {
            float[] x = new float[t.data().length];
            float[] y = new float[t.data().length];
            for (int i = 0; i < x.length; i++) {
                float d = (float) (r.nextGaussian() * 0.01);
                x[i] = t.data()[i] + d;
                y[i] = t.data()[i] + 2 * d;
            }
            bt.add(new NamedTensor(t.name(), t.shape(), x));
            ct.add(new NamedTensor(t.name(), t.shape(), y));
        }
        b = dir.resolve("b");
        c = dir.resolve("c");
        ModelDirectory.write(b, bt, base.hfConfig(), a.resolve(ModelDirectory.TOKENIZER_FILE), base.lineage(),
                Map.of());
        ModelDirectory.write(c, ct, base.hfConfig(), a.resolve(ModelDirectory.TOKENIZER_FILE), base.lineage(),
                Map.of());
    }

    private static ModelScores score(Path model) {
        return new ModelScorer(Compute.cpu(), MAX_LENGTH, null).score(model.getFileName().toString(), model, PAIRS,
                PAIRS, PAIRS, POOL);
    }

    private static void assertSameRewards(ModelScores x, ModelScores y) {
        assertArrayEquals(x.validation().chosen(), y.validation().chosen());
        assertArrayEquals(x.validation().rejected(), y.validation().rejected());
        for (int t = 0; t < x.bestOfN().length; t++) {
            assertArrayEquals(x.bestOfN()[t], y.bestOfN()[t]);
        }
    }

    @Test
    void warmOfOneModelIsThatModel() {
        List<Path> warm = WeightSpace.warmAverages(List.of(b), dir.resolve("warm-one"));
        assertTrue(WeightSpace.sameWeights(warm.get(0), b));
        assertSameRewards(score(b), score(warm.get(0)));
    }

    @Test
    void averagingIdenticalMembersIsTheIdentity() {
        List<Path> warm = WeightSpace.warmAverages(List.of(b, b, b), dir.resolve("warm-same"));
        for (Path p : warm) {
            assertTrue(WeightSpace.sameWeights(p, b), p.toString());
            assertEquals(0.0, WeightSpace.maxAbsDifference(p, b));
        }
        assertTrue(WeightSpace.maxAbsDifference(a, c) > 0);
    }

    @Test
    void warmOfTwoIsTheirMean() {
        List<Path> warm = WeightSpace.warmAverages(List.of(a, c), dir.resolve("warm-two"));
        LoadedModel mean = ModelDirectory.read(warm.get(1));
        LoadedModel mid = ModelDirectory.read(b);
        for (NamedTensor t : mean.tensors()) {
            assertArrayEquals(mid.tensor(t.name()).data(), t.data(), 1e-6f, t.name());
        }
        assertFalse(WeightSpace.sameWeights(warm.get(1), a));
    }

    @Test
    void interpolationEndsAtItsEndpoints() {
        Path zero = WeightSpace.interpolate(a, c, 0.0, dir.resolve("l0"));
        Path one = WeightSpace.interpolate(a, c, 1.0, dir.resolve("l1"));
        Path half = WeightSpace.interpolate(a, c, 0.5, dir.resolve("l05"));
        assertTensorsEqual(a, zero);
        assertTensorsEqual(c, one);
        assertSameRewards(score(a), score(zero));
        assertSameRewards(score(c), score(one));
        LoadedModel h = ModelDirectory.read(half);
        LoadedModel mid = ModelDirectory.read(b);
        for (NamedTensor t : h.tensors()) {
            assertArrayEquals(mid.tensor(t.name()).data(), t.data(), 1e-6f, t.name());
        }
    }

    @Test
    void scalingTheTaskVectorMovesAlongTheLineFromTheInitialisation() {
        // b = a + delta, c = a + 2 delta: scaling b's task vector by 2 gives c, by 0.5 halfway to a.
        Path doubled = WeightSpace.scaleTaskVector(a, b, 2.0, dir.resolve("scaled2"));
        LoadedModel d = ModelDirectory.read(doubled);
        LoadedModel expected = ModelDirectory.read(c);
        for (NamedTensor t : d.tensors()) {
            assertArrayEquals(expected.tensor(t.name()).data(), t.data(), 1e-6f, t.name());
        }
        double[][] g = WeightSpace.taskVectorGram(a, List.of(b, c));
        // WARM of {b, c} is a + 1.5 delta; member c's norm is 2 delta: the factor is 0.75.
        assertEquals(0.75, ControlModels.shrinkFactor(g, 1), 1e-4);
        assertTrue(WeightSpace.maxAbsDifference(WeightSpace.scaleTaskVector(a, c, 1.0, dir.resolve("scaled1")), c) == 0);
    }

    @Test
    void averageOfASubsetIsTheirMeanAndLeavesNoFolds() {
        Path avg = WeightSpace.average(List.of(a, c), dir.resolve("subset-avg"));
        LoadedModel mean = ModelDirectory.read(avg);
        LoadedModel mid = ModelDirectory.read(b);
        for (NamedTensor t : mean.tensors()) {
            assertArrayEquals(mid.tensor(t.name()).data(), t.data(), 1e-6f, t.name());
        }
        assertFalse(java.nio.file.Files.exists(dir.resolve("subset-avg-folds")));
    }

    @Test
    void gramMatrixOfTaskVectors() {
        double[][] g = WeightSpace.taskVectorGram(a, List.of(a, b, c));
        double d2 = g[1][1];
        assertTrue(d2 > 0);
        assertEquals(0.0, g[0][0]);
        assertEquals(0.0, g[0][2]);
        assertEquals(2 * d2, g[1][2], 1e-4 * d2);
        assertEquals(4 * d2, g[2][2], 1e-4 * d2);
        assertEquals(g[1][2], g[2][1]);
        assertArrayEquals(new int[] {0, 2}, NoiseExperiment.furthestPair(g));
    }

    private static void assertTensorsEqual(Path x, Path y) {
        LoadedModel mx = ModelDirectory.read(x);
        LoadedModel my = ModelDirectory.read(y);
        assertEquals(mx.tensors().size(), my.tensors().size());
        for (NamedTensor t : mx.tensors()) {
            assertTrue(t.sameContent(my.tensor(t.name())), t.name());
        }
    }
}
