package io.warmstream.model.weights;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A model directory read fully into memory after its hashes were verified. Tensors are in file order. */
public record LoadedModel(Path dir, Map<String, Object> hfConfig, Lineage lineage, Map<String, Object> facts,
                          List<NamedTensor> tensors, String sha256) {

    /** The named tensor, or null. */
    public NamedTensor tensor(String name) {
        for (NamedTensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
