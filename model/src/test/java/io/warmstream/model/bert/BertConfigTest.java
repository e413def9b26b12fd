package io.warmstream.model.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BertConfigTest {

    @Test
    void huggingFaceConfigRoundTrips() {
        for (BertConfig c : List.of(BertConfig.miniLmL6(), BertConfig.bgeSmall(), BertConfig.tiny())) {
            Map<String, Object> hf = c.toHuggingFaceConfig();
            assertEquals("bert", hf.get("model_type"));
            assertEquals(List.of("BertForSequenceClassification"), hf.get("architectures"));
            assertEquals(1, hf.get("num_labels"));
            assertEquals(c, BertConfig.fromHuggingFaceConfig(hf));
        }
    }

    @Test
    void minimalConfigTakesBertDefaults() {
        Map<String, Object> hf = Map.of("model_type", "bert", "vocab_size", 30522, "hidden_size", 384,
                "num_hidden_layers", 6, "num_attention_heads", 12, "intermediate_size", 1536);
        assertEquals(BertConfig.miniLmL6(), BertConfig.fromHuggingFaceConfig(hf));
    }

    @Test
    void unsupportedConfigsAreRefusedByField() {
        Map<String, Object> hf = new HashMap<>(BertConfig.tiny().toHuggingFaceConfig());
        hf.put("num_labels", 2);
        assertMessage(hf, "num_labels");
        hf = new HashMap<>(BertConfig.tiny().toHuggingFaceConfig());
        hf.put("hidden_act", "relu");
        assertMessage(hf, "hidden_act");
        hf = new HashMap<>(BertConfig.tiny().toHuggingFaceConfig());
        hf.remove("hidden_size");
        assertMessage(hf, "hidden_size");
        hf = new HashMap<>(BertConfig.tiny().toHuggingFaceConfig());
        hf.put("num_attention_heads", 5);
        assertMessage(hf, "num_attention_heads");
    }

    @Test
    void architectureIdIgnoresDropout() {
        assertEquals(BertConfig.miniLmL6().architectureId(), BertConfig.miniLmL6().withDropout(0.05).architectureId());
        assertTrue(!BertConfig.miniLmL6().architectureId().equals(BertConfig.bgeSmall().architectureId()));
    }

    private static void assertMessage(Map<String, Object> hf, String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertConfig.fromHuggingFaceConfig(hf));
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}
