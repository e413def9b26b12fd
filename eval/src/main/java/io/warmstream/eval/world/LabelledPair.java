package io.warmstream.eval.world;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One preference label in the shape labelling pipelines send to warmstream (and {@code warm send} reads from JSONL
 * with exactly these field names).
 *
 * <p>Labels from the preference world carry in {@code metadata}: {@code flipped} ("true" when the label was
 * deliberately corrupted), {@code goldChosen}, {@code goldRejected}, {@code goldMargin} (chosen minus rejected),
 * {@code split}, {@code topic} and {@code taskId}.
 *
 * @param confidence  the labeller's probability for its choice, in [0, 1]; may be null in labels from elsewhere
 * @param createdAt   epoch milliseconds
 */
@JsonPropertyOrder({"id", "prompt", "chosen", "rejected", "labeller", "source", "confidence", "createdAt", "metadata"})
public record LabelledPair(String id, String prompt, String chosen, String rejected, String labeller, String source,
                           Double confidence, long createdAt, Map<String, String> metadata) {

    public static final String FLIPPED = "flipped";
    public static final String GOLD_CHOSEN = "goldChosen";
    public static final String GOLD_REJECTED = "goldRejected";
    public static final String GOLD_MARGIN = "goldMargin";
    public static final String SPLIT = "split";
    public static final String TOPIC = "topic";
    public static final String TASK_ID = "taskId";

    public LabelledPair {
        // Keeps the writer's key order (readable JSONL) and stays immutable.
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
