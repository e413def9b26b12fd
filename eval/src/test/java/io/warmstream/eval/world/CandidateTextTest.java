package io.warmstream.eval.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The properties the gold reward is computed from must be visible in the text, or no reward model can learn it. */
class CandidateTextTest {
    private final PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults());

    /** Whole-word occurrence, ignoring case (sentences start with a capital): "5 years" is not in "15 years". */
    static boolean mentions(String text, String phrase) {
        text = text.toLowerCase(java.util.Locale.ROOT);
        phrase = phrase.toLowerCase(java.util.Locale.ROOT);
        for (int at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
            boolean startOk = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
            int end = at + phrase.length();
            boolean endOk = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (startOk && endOk) {
                return true;
            }
        }
        return false;
    }

    static int occurrences(String text, String phrase) {
        text = text.toLowerCase(java.util.Locale.ROOT);
        phrase = phrase.toLowerCase(java.util.Locale.ROOT);
        int count = 0;
        for (int at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
            count++;
        }
        return count;
    }

    @Test
    void propertiesMatchTheText() {
        int checked = 0;
        for (Split split : Split.values()) {
            for (int t = 0; t < 400; t++) {
                Task task = world.task(split, t);
                for (Candidate c : world.candidates(task, 6, 3)) {
                    CandidateProperties p = c.properties();
                    String text = c.text();
                    double salience = 0;
                    for (int i = 0; i < task.facts().size(); i++) {
                        Fact fact = task.facts().get(i);
                        boolean stated = mentions(text, fact.key()) || mentions(text, fact.text());
                        assertEquals(p.coveredFacts().contains(i), stated,
                                "fact '" + fact.key() + "' in: " + text + "\npost: " + task.post());
                        salience += p.coveredFacts().contains(i) ? fact.salience() : 0;
                    }
                    for (String invented : p.inventedFacts()) {
                        assertTrue(mentions(text, invented), invented + " in " + text);
                        assertFalse(mentions(task.post(), invented), invented + " in post " + task.post());
                    }
                    assertEquals(p.coveredFacts().size(), p.covered());
                    assertEquals(task.facts().size() - p.covered(), p.omitted());
                    assertEquals(p.inventedFacts().size(), p.invented());
                    assertEquals(salience / task.totalSalience(), p.coverage(), 1e-12);
                    assertEquals(Phrasing.words(text), p.words());
                    char last = text.charAt(text.length() - 1);
                    assertEquals(p.truncated(), last != '.' && last != '?' && last != '!', text);
                    assertEquals(GoldReward.DEFAULT.score(p), c.goldReward(), 1e-12);
                    checked++;
                }
            }
        }
        assertEquals(3 * 400 * 6, checked);
    }

    @Test
    void handMadePlansAreWrittenFaithfully() {
        for (int t = 0; t < 100; t++) {
            Task task = world.task(Split.TRAIN, t);
            int last = task.facts().size() - 1;

            Candidate copied = world.write(task, SummaryPlan.complete(task).withCopied(last), t);
            assertTrue(copied.text().contains(task.facts().get(last).sentence()), copied.text());
            assertEquals(1, copied.properties().copied());

            Candidate repeated = world.write(task, SummaryPlan.complete(task).withRepeats(1), t);
            assertTrue(task.facts().stream().anyMatch(f -> occurrences(repeated.text(), f.key()) >= 2),
                    repeated.text());

            Candidate wrong = world.write(task, SummaryPlan.complete(task).withContradicted(0), t);
            assertFalse(mentions(wrong.text(), task.facts().get(0).key()), wrong.text());
            assertEquals(List.of(), wrong.properties().coveredFacts().stream().filter(i -> i == 0).toList());

            Candidate nothing = world.write(task, SummaryPlan.covering(List.of()), t);
            assertEquals(0, nothing.properties().covered());
            assertEquals(0.0, nothing.goldReward(), 1e-12);
            assertTrue(nothing.properties().words() > 3, "a vague summary, not an empty one: " + nothing.text());

            Candidate tldr = world.write(task, SummaryPlan.complete(task).withStyle(false, true), t);
            assertTrue(tldr.text().startsWith("TL;DR: "), tldr.text());
        }
    }
}
