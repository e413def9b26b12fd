package io.warmstream.local.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training settings the stack gives its trainers (and the base model every service agrees on).
 *
 * @param name        shown in the live account
 * @param baseModel   the shared pretrained base: {@code minilm-l6}, or {@code tiny} for fast tests
 * @param properties  service properties, mostly {@code warm.trainer.*}
 */
public record TrainingProfile(String name, String baseModel, Map<String, Object> properties) {

    public TrainingProfile {
        properties = Map.copyOf(properties);
    }

    /**
     * Real MiniLM-L6 sized so the first WARM version appears within minutes on two CPU cores: small jobs,
     * short sequences, only the top encoder layers trained.
     */
    public static TrainingProfile cpuDemo() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("warm.trainer.base-model", "minilm-l6");
        return new TrainingProfile("MiniLM-L6, CPU demo settings", "minilm-l6", p);
    }

    /** A tiny random-init encoder: seconds per job, for tests of the machinery. */
    public static TrainingProfile tiny() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("warm.trainer.base-model", "tiny");
        return new TrainingProfile("tiny test encoder", "tiny", p);
    }
}
