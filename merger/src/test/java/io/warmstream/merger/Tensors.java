package io.warmstream.merger;

import io.warmstream.model.weights.LoadedModel;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compares a stored average with the double-precision mean of its members' tensors. */
final class Tensors {

    private Tensors() {
    }

    static LoadedModel load(String uri) {
        return ModelDirectory.read(Path.of(URI.create(uri)));
    }

    /**
     * How far the average is from the double-precision mean of the members: {@code [0]} the whole model's normwise
     * relative error ||avg - mean|| / ||mean||, {@code [1]} the worst tensor's max |avg - mean| relative to the
     * largest |value| among its members (a per-tensor norm would blow up on tensors whose mean cancels to ~0, such as
     * the one-element classifier bias of zero-centred members).
     */
    static double[] errors(LoadedModel average, List<List<NamedTensor>> members) {
        double[] uniform = new double[members.size()];
        java.util.Arrays.fill(uniform, 1.0);
        return errors(average, members, uniform);
    }

    /** As {@link #errors(LoadedModel, List)} against the weighted mean sum(w_i theta_i) / sum(w_i). */
    static double[] errors(LoadedModel average, List<List<NamedTensor>> members, double[] weights) {
        double weightSum = 0;
        for (double w : weights) {
            weightSum += w;
        }
        double diff = 0;
        double norm = 0;
        double worstTensor = 0;
        for (NamedTensor t : average.tensors()) {
            double maxAbsDiff = 0;
            double scale = 0;
            for (int i = 0; i < t.data().length; i++) {
                double mean = 0;
                for (int k = 0; k < members.size(); k++) {
                    float v = find(members.get(k), t.name()).data()[i];
                    mean += weights[k] * v;
                    scale = Math.max(scale, Math.abs(v));
                }
                mean /= weightSum;
                double d = t.data()[i] - mean;
                diff += d * d;
                norm += mean * mean;
                maxAbsDiff = Math.max(maxAbsDiff, Math.abs(d));
            }
            worstTensor = Math.max(worstTensor, maxAbsDiff / Math.max(scale, 1e-30));
        }
        return new double[] {Math.sqrt(diff / norm), worstTensor};
    }

    static void assertBatchMean(String uri, List<List<NamedTensor>> members) {
        double[] uniform = new double[members.size()];
        java.util.Arrays.fill(uniform, 1.0);
        assertWeightedMean(uri, members, uniform);
    }

    static void assertWeightedMean(String uri, List<List<NamedTensor>> members, double[] weights) {
        LoadedModel average = load(uri);
        assertEquals(members.get(0).size(), average.tensors().size(), "tensor count");
        double[] err = errors(average, members, weights);
        assertTrue(err[0] <= 1e-6, "normwise relative error " + err[0] + " > 1e-6");
        assertTrue(err[1] <= 1e-6, "worst tensor's relative error " + err[1] + " > 1e-6");
    }

    private static NamedTensor find(List<NamedTensor> tensors, String name) {
        for (NamedTensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        assertNotNull(null, "tensor " + name + " missing");
        return null;
    }
}
