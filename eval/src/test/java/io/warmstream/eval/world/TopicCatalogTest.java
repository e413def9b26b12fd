package io.warmstream.eval.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.eval.world.TopicCatalog.Slot;
import io.warmstream.eval.world.TopicCatalog.Topic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {
    @Test
    void shippedCatalogIsCompleteAndValid() {
        TopicCatalog catalog = TopicCatalog.standard();
        assertTrue(catalog.topics(false).size() >= 8);
        assertTrue(catalog.topics(true).size() >= 3);
        for (Topic topic : catalog.topics()) {
            assertEquals(WorldConfig.MAX_FACTS, topic.slots().size(), topic.name());
        }
    }

    @Test
    void brokenDataIsRejected() {
        Slot noValuePlaceholder = new Slot("what", 1.0, List.of("x"), List.of("no placeholder"), List.of("{s}"));
        Slot unknownPool = new Slot("what", 1.0, List.of("{planet}"), List.of("{v}"), List.of("{s}"));
        for (Slot slot : List.of(noValuePlaceholder, unknownPool)) {
            TopicCatalog catalog = new TopicCatalog(Map.of("name", List.of("A")), List.of(), List.of(),
                    new TopicCatalog.Fillers(List.of(), List.of(), List.of(), List.of()),
                    List.of(new Topic("t", false, List.of(), List.of(slot))));
            assertThrows(IllegalStateException.class, catalog::validate);
        }
    }

    @Test
    void vocabularyKeepsValuesWithinATaskAndSeparatesNumberedKeys() {
        Vocabulary vocabulary = new Vocabulary(Map.of("name", List.of("A", "B", "C")));
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        String first = vocabulary.expand("{name} and {name2} and {name}", rng);
        String[] parts = first.split(" and ");
        assertEquals(parts[0], parts[2]);
        assertTrue(!parts[0].equals(parts[1]));
        assertEquals(first, vocabulary.expand("{name} and {name2} and {name}", rng));
        String money = new Vocabulary(Map.of()).expand("{money:1000-3000}", rng);
        assertTrue(money.matches("\\$\\d,\\d{3}"), money);
    }
}
