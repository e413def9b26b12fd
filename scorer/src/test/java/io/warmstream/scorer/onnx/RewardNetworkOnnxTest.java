package io.warmstream.scorer.onnx;

import io.warmstream.model.weights.NamedTensor;
import io.warmstream.testkit.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardNetworkOnnxTest {

    @Test
    void theGraphWithExternalWeightsLeavesTheLargeWeightsOutOfItsBytes() {
        List<NamedTensor> tensors = TinyModels.memberTensors(3).stream()
                .filter(t -> !t.name().equals("bert.embeddings.position_ids")).toList();
        RewardNetworkOnnx.Graph graph = RewardNetworkOnnx.writeGraph(TinyModels.BASE.config(), tensors);

        long outside = graph.weights().values().stream().mapToLong(w -> 4L * w.length).sum();
        long all = tensors.stream().mapToLong(t -> 4L * t.data().length).sum();
        assertTrue(outside > 0.9 * all, "outside " + outside + " of " + all + " bytes");
        assertTrue(graph.model().length < all - outside + 64 * 1024,
                "graph " + graph.model().length + " bytes; the weights inside it are " + (all - outside));
        assertEquals(graph.weights().keySet(), graph.shapes().keySet());
        // A weight goes out as stored; a linear layer's goes out transposed, [in, out], as the graph reads it.
        NamedTensor embeddings = tensors.stream().filter(t -> t.name().endsWith("word_embeddings.weight")).findFirst()
                .orElseThrow();
        assertArrayEquals(embeddings.data(), graph.weights().get(embeddings.name()));
        assertArrayEquals(embeddings.shape(), graph.shapes().get(embeddings.name()));
    }
}
