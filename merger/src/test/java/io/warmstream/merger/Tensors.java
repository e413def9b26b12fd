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

    /** Largest normwise relative error over all tensors: ||avg - mean|| / ||mean||. */
    static double maxRelativeError(LoadedModel average, List<List<NamedTensor>> members) {
        double worst = 0;
        for (NamedTensor t : average.tensors()) {
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < t.data().length; i++) {
                double mean = 0;
                for (List<NamedTensor> m : members) {
                    mean += find(m, t.name()).data()[i];
                }
                mean /= members.size();
                diff += (t.data()[i] - mean) * (t.data()[i] - mean);
                norm += mean * mean;
            }
            worst = Math.max(worst, Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30));
        }
        return worst;
    }

    static void assertBatchMean(String uri, List<List<NamedTensor>> members) {
        LoadedModel average = load(uri);
        assertEquals(members.get(0).size(), average.tensors().size(), "tensor count");
        double err = maxRelativeError(average, members);
        assertTrue(err <= 1e-6, "max relative error " + err + " > 1e-6");
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
