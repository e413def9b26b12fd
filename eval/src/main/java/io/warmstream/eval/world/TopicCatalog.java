package io.warmstream.eval.world;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vocabulary of the preference world, loaded from {@code topics.json}: topics with their fact slots, shared
 * value pools (names, cities...), context sentences and filler phrases. Kept as data so that adding a topic needs no
 * code change.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record TopicCatalog(Map<String, List<String>> pools, List<String> openers, List<String> closers, Fillers fillers,
                    List<Topic> topics) {

    /** One kind of fact a post about a topic can state, with the phrasings used in posts and in summaries. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Slot(String kind, double salience, List<String> values, List<String> post, List<String> summary) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Topic(String name, boolean ood, List<String> closers, List<Slot> slots) {
    }

    /** Words that lengthen a summary without adding a fact. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Fillers(List<String> leads, List<String> tails, List<String> sentences, List<String> vague) {
    }

    private static final String RESOURCE = "topics.json";
    private static volatile TopicCatalog standard;

    /** The catalog shipped with the module (loaded once). */
    static TopicCatalog standard() {
        TopicCatalog catalog = standard;
        if (catalog == null) {
            synchronized (TopicCatalog.class) {
                if (standard == null) {
                    standard = load();
                }
                catalog = standard;
            }
        }
        return catalog;
    }

    private static TopicCatalog load() {
        try (InputStream in = TopicCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " missing next to " + TopicCatalog.class);
            }
            TopicCatalog catalog = new ObjectMapper().readValue(in, TopicCatalog.class);
            catalog.validate();
            return catalog;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    Topic topic(String name) {
        for (Topic topic : topics) {
            if (topic.name().equals(name)) {
                return topic;
            }
        }
        throw new IllegalArgumentException("unknown topic '" + name + "'");
    }

    List<Topic> topics(boolean ood) {
        return topics.stream().filter(t -> t.ood() == ood).toList();
    }

    /** Fails fast on a broken data file rather than producing odd text later. */
    void validate() {
        Map<String, String> problems = new LinkedHashMap<>();
        for (Topic topic : topics) {
            long cores = topic.slots().stream().filter(s -> s.kind().equals("what")).count();
            if (cores != 1) {
                problems.put(topic.name(), "needs exactly one 'what' slot, has " + cores);
            }
            for (Slot slot : topic.slots()) {
                String where = topic.name() + "/" + slot.kind();
                if (slot.values().isEmpty() || slot.post().isEmpty() || slot.summary().isEmpty()) {
                    problems.put(where, "values, post and summary must not be empty");
                }
                if (!slot.post().stream().allMatch(t -> t.contains("{v}"))) {
                    problems.put(where, "every post template needs {v}");
                }
                if (!slot.summary().stream().allMatch(t -> t.contains("{s}"))) {
                    problems.put(where, "every summary template needs {s}");
                }
                for (String text : concat(slot.values(), slot.post(), slot.summary())) {
                    String missing = Vocabulary.missingPool(text, pools);
                    if (missing != null) {
                        problems.put(where, "unknown pool {" + missing + "}");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid " + RESOURCE + ": " + problems);
        }
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        return java.util.stream.Stream.of(a, b, c).flatMap(List::stream).toList();
    }
}
