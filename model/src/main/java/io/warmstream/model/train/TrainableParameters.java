package io.warmstream.model.train;

import ai.djl.nn.Parameter;
import io.warmstream.model.bert.BertRewardNetwork;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which parameters train: the top N encoder layers plus pooler and classifier; everything else is frozen. */
final class TrainableParameters {

    private TrainableParameters() {}

    /** Sets {@code requiresGradient} on every parameter and returns the trainable ones, by name, in model order. */
    static Map<String, Parameter> select(BertRewardNetwork network, int topLayers) {
        List<String> layers = network.encoder().layerPrefixes();
        boolean all = topLayers < 0 || topLayers >= layers.size();
        List<String> trainableLayers = all ? layers : layers.subList(layers.size() - topLayers, layers.size());
        Map<String, Parameter> trainable = new LinkedHashMap<>();
        network.parametersByName().forEach((name, p) -> {
            boolean train = all || !name.startsWith(BertRewardNetwork.ENCODER_PREFIX)
                    || name.startsWith("bert.pooler.")
                    || trainableLayers.stream().anyMatch(name::startsWith);
            p.getArray().setRequiresGradient(train);
            if (train) {
                trainable.put(name, p);
            }
        });
        return trainable;
    }

    /** Hugging Face's convention: no weight decay on biases and LayerNorm weights. */
    static Map<String, Boolean> decayMask(Map<String, Parameter> parameters) {
        Map<String, Boolean> decay = new LinkedHashMap<>();
        parameters.keySet().forEach(name -> decay.put(name, !(name.endsWith(".bias") || name.contains("LayerNorm."))));
        return decay;
    }

    /** Turns gradients off everywhere (the model goes back to inference). */
    static void freezeAll(BertRewardNetwork network) {
        network.parametersByName().values().forEach(p -> p.getArray().setRequiresGradient(false));
    }
}
