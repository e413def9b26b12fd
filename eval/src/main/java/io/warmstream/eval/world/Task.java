package io.warmstream.eval.world;

import java.util.List;
import java.util.Map;

/**
 * A summarisation task: a short Reddit-style post with known facts, and the prompt a policy would see.
 *
 * @param id        unique within a world seed, e.g. {@code pw-42-train-t17}
 * @param split     where it was drawn from
 * @param index     position in its split
 * @param topic     topic name, e.g. "pets"
 * @param post      the post text
 * @param prompt    {@link #PROMPT_PREFIX} followed by the post
 * @param facts     the facts the post states, in the order it states them
 * @param bindings  the names and numbers drawn for this task, so candidates stay consistent with the post
 */
public record Task(String id, Split split, long index, String topic, String post, String prompt, List<Fact> facts,
                   Map<String, String> bindings) {

    public static final String PROMPT_PREFIX = "Summarize the following post:\n";

    /** Sum of the facts' saliences: the denominator of a candidate's coverage. */
    public double totalSalience() {
        double total = 0;
        for (Fact fact : facts) {
            total += fact.salience();
        }
        return total;
    }
}
