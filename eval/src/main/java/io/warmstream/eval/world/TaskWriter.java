package io.warmstream.eval.world;

import io.warmstream.eval.world.TopicCatalog.Slot;
import io.warmstream.eval.world.TopicCatalog.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Writes a post about a topic: the core event plus a random subset of the topic's other facts, in story order. */
final class TaskWriter {
    private final TopicCatalog catalog;

    TaskWriter(TopicCatalog catalog) {
        this.catalog = catalog;
    }

    Task write(String id, Split split, long index, Topic topic, int factCount, int contextSentences,
               SplittableRandom rng) {
        List<Integer> slots = chooseSlots(topic, factCount, rng);
        Vocabulary vocabulary = new Vocabulary(catalog.pools());
        List<Fact> facts = new ArrayList<>(slots.size());
        List<String> sentences = new ArrayList<>(slots.size() + 2);
        for (int slotIndex : slots) {
            Slot slot = topic.slots().get(slotIndex);
            String[] forms = Phrasing.forms(vocabulary.expand(Phrasing.pick(slot.values(), rng), rng));
            String sentence = Phrasing.sentence(vocabulary.expand(
                    Phrasing.pick(slot.post(), rng).replace("{v}", forms[0]), rng));
            facts.add(new Fact(slotIndex, slot.kind(), slot.salience(), forms[0], forms[1], sentence));
            sentences.add(sentence);
        }
        // Context sentences carry no fact: a real post has framing a summary should drop.
        if (contextSentences >= 2 && rng.nextDouble() < 0.4) {
            sentences.add(0, Phrasing.pick(catalog.openers(), rng));
        }
        if (contextSentences >= 1 && rng.nextDouble() < 0.6) {
            List<String> closers = rng.nextBoolean() ? topic.closers() : catalog.closers();
            sentences.add(Phrasing.pick(closers, rng));
        }
        String post = String.join(" ", sentences);
        return new Task(id, split, index, topic.name(), post, Task.PROMPT_PREFIX + post, List.copyOf(facts),
                vocabulary.bindings());
    }

    /** The core event always; other slots at random; kept in the topic's story order. */
    private static List<Integer> chooseSlots(Topic topic, int factCount, SplittableRandom rng) {
        int core = -1;
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < topic.slots().size(); i++) {
            if (topic.slots().get(i).kind().equals("what")) {
                core = i;
            } else {
                others.add(i);
            }
        }
        Phrasing.shuffle(others, rng);
        List<Integer> chosen = new ArrayList<>(others.subList(0, Math.min(others.size(), factCount - 1)));
        chosen.add(core);
        chosen.sort(null);
        return chosen;
    }
}
